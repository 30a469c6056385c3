"""Where users of the seed's client rely on its behaviour, the engine behaves the same.

Found by running Starlette 0.20.4's own test suite and other upstream suites
against the engine (issue 9, "Compatibility with the seed's client").
"""
from __future__ import annotations

import contextvars
import threading
from typing import Any, Iterator, List

import pytest
from starlette.applications import Starlette
from starlette.endpoints import HTTPEndpoint, WebSocketEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from RobotASGI.testclient import TestClient

# --------------------------------------------------------------------------
# 1. A class whose instances are awaitable is ASGI 3
# --------------------------------------------------------------------------


class Homepage(HTTPEndpoint):
    async def get(self, request: Request) -> Response:
        return PlainTextResponse(f"hello from {request.url.path}")


class Echo(WebSocketEndpoint):
    encoding = "text"

    async def on_receive(self, websocket: Any, data: str) -> None:
        await websocket.send_text(f"echo: {data}")


def test_starlette_http_endpoint_class_is_an_asgi3_app(backend):
    client = TestClient(Homepage, backend=backend)
    response = client.get("/there")
    assert response.status_code == 200
    assert response.text == "hello from /there"


def test_starlette_websocket_endpoint_class_is_an_asgi3_app(backend):
    client = TestClient(Echo, backend=backend)
    with client.websocket_connect("/ws") as websocket:
        websocket.send_text("hi")
        assert websocket.receive_text() == "echo: hi"


def test_plain_awaitable_class_is_called_with_scope_receive_send(backend):
    calls: List[str] = []

    class App:
        def __init__(self, scope: Any, receive: Any, send: Any) -> None:
            self.scope, self.receive, self.send = scope, receive, send

        def __await__(self) -> Iterator[Any]:
            return self.respond().__await__()

        async def respond(self) -> None:
            calls.append(self.scope["path"])
            await self.send({"type": "http.response.start", "status": 200, "headers": []})
            await self.send({"type": "http.response.body", "body": b"awaited"})

    assert TestClient(App, backend=backend).get("/a").text == "awaited"
    assert calls == ["/a"]


def test_a_class_without_await_stays_asgi2(backend):
    class App:
        def __init__(self, scope: Any) -> None:
            self.scope = scope

        async def __call__(self, receive: Any, send: Any) -> None:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"asgi2 " + self.scope["path"].encode()})

    assert TestClient(App, backend=backend).get("/b").text == "asgi2 /b"


# --------------------------------------------------------------------------
# 2. The caller's context variables reach the app
# --------------------------------------------------------------------------

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id")


async def context_app(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        message = await receive()
        scope["state"]["seen at startup"] = request_id.get("unset")
        await send({"type": "lifespan.startup.complete"})
        message = await receive()
        assert message["type"] == "lifespan.shutdown"
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": request_id.get("unset")})
        await send({"type": "websocket.close"})
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    request_id.set("changed by the app")  # never leaks back to the test
    text = f"{scope['state'].get('seen at startup', '-')}|{body.decode()}"
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": text.encode()})


async def read_variable_app(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": request_id.get("unset").encode()})


def test_context_variable_reaches_the_app_outside_with(backend):
    token = request_id.set("outside")
    try:
        assert TestClient(read_variable_app, backend=backend).get("/").text == "outside"
    finally:
        request_id.reset(token)


def test_context_variable_reaches_the_app_inside_with_as_set_at_each_request(backend):
    with TestClient(read_variable_app, backend=backend) as client:
        token = request_id.set("first")
        assert client.get("/").text == "first"
        request_id.reset(token)
        token = request_id.set("second")
        assert client.get("/").text == "second"
        request_id.reset(token)
        assert client.get("/").text == "unset"


def test_context_variable_reaches_lifespan_upload_generator_and_websocket(backend):
    seen_by_generator: List[str] = []

    def body() -> Iterator[bytes]:
        seen_by_generator.append(request_id.get("unset"))
        yield b"chunk"

    token = request_id.set("from the test")
    try:
        with TestClient(context_app, backend=backend) as client:
            assert client.post("/", data=body()).text == "from the test|chunk"
            assert seen_by_generator == ["from the test"]
            with client.websocket_connect("/ws") as websocket:
                assert websocket.receive_text() == "from the test"
        # outside with: a WebSocket on its own loop
        with TestClient(context_app, backend=backend).websocket_connect("/ws") as websocket:
            assert websocket.receive_text() == "from the test"
        assert request_id.get() == "from the test"  # what the app set stayed in the app
    finally:
        request_id.reset(token)


def test_context_variable_reaches_a_sync_endpoint_in_a_worker_thread(backend):
    # Starlette runs sync endpoints in a thread: the variable follows.
    def endpoint(request: Request) -> Response:
        return PlainTextResponse(request_id.get("unset") + " in " + threading.current_thread().name)

    token = request_id.set("threaded")
    try:
        text = TestClient(Starlette(routes=[Route("/", endpoint)]), backend=backend).get("/").text
    finally:
        request_id.reset(token)
    assert text.startswith("threaded in ")


# --------------------------------------------------------------------------
# 3. Each scope has its own extensions dict
# --------------------------------------------------------------------------


async def extension_editing_app(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "websocket":
        await receive()
        names = ",".join(sorted(scope["extensions"]))
        scope["extensions"]["made.up"] = {}
        scope["extensions"]["websocket.http.response"]["edited"] = True
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": names})
        await send({"type": "websocket.close"})
        return
    names = ",".join(sorted(scope["extensions"]))
    edited = scope["extensions"]["http.response.trailers"].get("edited", False)
    scope["extensions"]["http.response.push"] = {}  # e.g. a middleware claiming push
    scope["extensions"]["http.response.trailers"]["edited"] = True
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": f"{names}|{edited}".encode()})


def test_an_app_editing_extensions_changes_no_later_request(backend):
    with TestClient(extension_editing_app, backend=backend) as client:
        first = client.get("/").text
        second = client.get("/").text
        other = TestClient(extension_editing_app, backend=backend).get("/").text
    assert first == second == other
    assert "http.response.push" not in first
    assert first.endswith("|False")


def test_an_app_editing_websocket_extensions_changes_no_later_session(backend):
    client = TestClient(extension_editing_app, backend=backend)
    texts = []
    for _ in range(2):
        with client.websocket_connect("/ws") as websocket:
            texts.append(websocket.receive_text())
    assert texts == ["websocket.http.response", "websocket.http.response"]


# --------------------------------------------------------------------------
# 4. User-Agent: testclient, a session header
# --------------------------------------------------------------------------


async def user_agent_app(scope: Any, receive: Any, send: Any) -> None:
    agents = [value.decode() for name, value in scope["headers"] if name == b"user-agent"]
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": repr(agents)})
        await send({"type": "websocket.close"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": repr(agents).encode()})


def test_user_agent_is_testclient_by_default(backend):
    client = TestClient(user_agent_app, backend=backend)
    assert client.headers["User-Agent"] == "testclient"
    assert client.get("/").text == "['testclient']"
    with client.websocket_connect("/ws") as websocket:
        assert websocket.receive_text() == "['testclient']"


def test_user_agent_can_be_changed_per_client_and_per_request(backend):
    client = TestClient(user_agent_app, backend=backend)
    assert client.get("/", headers={"User-Agent": "probe/2"}).text == "['probe/2']"
    client.headers["User-Agent"] = "suite/1"
    assert client.get("/").text == "['suite/1']"


def test_removing_the_user_agent_sends_what_a_real_connection_adds(backend):
    import urllib3

    client = TestClient(user_agent_app, backend=backend)
    del client.headers["User-Agent"]
    assert client.get("/").text == f"['python-urllib3/{urllib3.__version__}']"


# --------------------------------------------------------------------------
# 7. Subprotocols offered as a Sec-WebSocket-Protocol header
# --------------------------------------------------------------------------


async def subprotocol_app(scope: Any, receive: Any, send: Any) -> None:
    await receive()
    offered = scope["subprotocols"]
    await send({"type": "websocket.accept", "subprotocol": offered[0] if offered else None})
    await send({"type": "websocket.send", "text": ",".join(offered)})
    await send({"type": "websocket.close"})


def test_subprotocols_offered_in_a_header_reach_the_scope(backend):
    client = TestClient(subprotocol_app, backend=backend)
    with client.websocket_connect("/ws", headers={"Sec-WebSocket-Protocol": "wamp, mqtt"}) as websocket:
        assert websocket.receive_text() == "wamp,mqtt"
        assert websocket.accepted_subprotocol == "wamp"


def test_subprotocols_from_header_and_argument_are_all_offered(backend):
    client = TestClient(subprotocol_app, backend=backend)
    with client.websocket_connect("/ws", subprotocols=["chat"], headers={"sec-websocket-protocol": "wamp"}) as websocket:
        assert websocket.receive_text() == "wamp,chat"


# --------------------------------------------------------------------------
# 8. URLs as requests takes them
# --------------------------------------------------------------------------


async def path_app(scope: Any, receive: Any, send: Any) -> None:
    text = f"{scope['path']}?{scope['query_string'].decode()}"
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": text})
        await send({"type": "websocket.close"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": text.encode()})


def test_url_objects_are_taken_by_their_str(backend):
    from starlette.datastructures import URL

    client = TestClient(path_app, backend=backend)
    assert client.get(URL("http://testserver/starlette?a=1")).text == "/starlette?a=1"
    httpx = pytest.importorskip("httpx")
    assert client.get(httpx.URL("/httpx", params={"b": "2"})).text == "/httpx?b=2"
    with client.websocket_connect(URL("ws://testserver/socket?c=3")) as websocket:
        assert websocket.receive_text() == "/socket?c=3"


def test_urls_as_utf8_bytes(backend):
    client = TestClient(path_app, backend=backend)
    assert client.get("/caf\u00e9".encode("utf-8")).text == "/caf\u00e9?"
    assert client.get(b"http://testserver/abs?x=1").text == "/abs?x=1"
    with client.websocket_connect(b"/ws") as websocket:
        assert websocket.receive_text() == "/ws?"


def test_a_url_that_is_none_or_not_utf8_is_refused_clearly():
    client = TestClient(path_app)
    with pytest.raises(TypeError, match="The URL is None"):
        client.get(None)
    with pytest.raises(ValueError, match="must be UTF-8"):
        client.get(b"/\xff")
