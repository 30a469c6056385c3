"""WebSocket handshake (contract: "WebSocket half").

websocket_connect takes requests.get's options and resolves the URL against base_url; the session's
cookies, default headers and auth reach the handshake; it must be used as a context manager; the
seed documents' examples work verbatim. The app's answer to the handshake: accept (subprotocol,
extra headers), close before accept (WebSocketDisconnect / Disconnect), HTTP denial response
(WebSocketDenialResponse). The websocket scope the app gets.
"""
from __future__ import annotations

import base64
import threading
import time

import pytest

from RobotASGI.testclient import (
    ASGIProtocolError,
    Disconnect,
    TestClient,
    TestClientError,
    WebSocketDenialResponse,
    WebSocketDisconnect,
)
from ws_apps import (
    DenyApp,
    EchoApp,
    RejectApp,
    SeedApp2,
    echo_session,
    header_dict,
    make_asgi2_echo,
    make_asgi2_reject,
    make_fastapi_app,
    make_starlette_app,
    seed_app3,
)

BOUND = 5.0


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# --------------------------------------------------------------------------
# websocket_connect options and URL resolution
# --------------------------------------------------------------------------

def test_requests_get_options_reach_the_scope(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    with client.websocket_connect(
        "/ws",
        params={"a": "1", "b": "x y"},
        headers={"X-Custom": "custom value"},
        cookies={"flavour": "oat"},
        auth=("user", "pass"),
    ) as ws:
        ws.send_text("ping")
        assert ws.receive_text() == "ping"
    scope = app.scope
    headers = header_dict(scope)
    assert scope["path"] == "/ws"
    assert scope["query_string"] == b"a=1&b=x+y"
    assert headers["x-custom"] == ["custom value"]
    assert headers["cookie"] == ["flavour=oat"]
    assert headers["authorization"] == [basic("user", "pass")]


def test_query_in_url_and_params_are_merged(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/ws?x=1", params={"y": "2"}):
        pass
    assert app.scope["query_string"] == b"x=1&y=2"


def test_transport_options_of_requests_get_are_accepted(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/ws", allow_redirects=False, verify=False, stream=True, proxies={}, timeout=BOUND) as ws:
        ws.send_text("ok")
        assert ws.receive_text() == "ok"


def test_base_url_with_https_and_a_path_prefix(backend):
    app = EchoApp()
    client = TestClient(app, base_url="https://example.org/prefix", backend=backend)
    with client.websocket_connect("/ws", params={"q": "1"}):
        pass
    scope = app.scope
    assert scope["scheme"] == "wss"
    assert scope["path"] == "/prefix/ws"
    assert scope["raw_path"] == b"/prefix/ws"
    assert scope["query_string"] == b"q=1"
    assert tuple(scope["server"]) == ("example.org", 443)
    assert header_dict(scope)["host"] == ["example.org"]


@pytest.mark.parametrize(
    "url, scheme, server, host, path",
    [
        ("ws://other.host:8080/a", "ws", ("other.host", 8080), "other.host:8080", "/a"),
        ("wss://secure.example/b", "wss", ("secure.example", 443), "secure.example", "/b"),
        ("http://testserver/c", "ws", ("testserver", 80), "testserver", "/c"),
        ("https://testserver:8443/d", "wss", ("testserver", 8443), "testserver:8443", "/d"),
        ("relative/e", "ws", ("testserver", 80), "testserver", "/relative/e"),
    ],
)
def test_absolute_and_relative_urls(backend, url, scheme, server, host, path):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    with client.websocket_connect(url) as ws:
        ws.send_text("hi")
        assert ws.receive_text() == "hi"
    scope = app.scope
    assert scope["scheme"] == scheme
    assert tuple(scope["server"]) == server
    assert header_dict(scope)["host"] == [host]
    assert scope["path"] == path


def test_session_cookies_default_headers_and_auth_reach_the_handshake(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    assert client.get("/set?session=abc123").status_code == 200
    assert client.cookies.get("session") == "abc123"
    client.headers["X-Default"] = "from-session"
    client.auth = ("alice", "s3cret")
    with client.websocket_connect("/ws", cookies={"extra": "1"}) as ws:
        ws.send_text("!json")
        described = ws.receive_json()
    headers = header_dict(app.scope)
    assert described["headers"] == headers  # what the app saw is what it reported
    assert headers["x-default"] == ["from-session"]
    assert headers["authorization"] == [basic("alice", "s3cret")]
    cookies = sorted(part.strip() for part in headers["cookie"][0].split(";"))
    assert cookies == ["extra=1", "session=abc123"]


def test_per_call_auth_and_headers_override_the_session_ones(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    client.headers["X-Default"] = "from-session"
    client.auth = ("alice", "s3cret")
    with client.websocket_connect("/ws", headers={"X-Default": "per-call"}, auth=("bob", "pw")):
        pass
    headers = header_dict(app.scope)
    assert headers["x-default"] == ["per-call"]
    assert headers["authorization"] == [basic("bob", "pw")]


def test_works_outside_with_and_stops_its_own_loop(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    threads_before = set(threading.enumerate())  # loops of earlier tests may still be ending
    for text in ("first", "second"):  # each session: a loop of its own
        with client.websocket_connect("/ws") as ws:
            assert set(threading.enumerate()) - threads_before
            ws.send_text(text)
            assert ws.receive_text() == text
        deadline = time.monotonic() + BOUND
        while set(threading.enumerate()) - threads_before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not set(threading.enumerate()) - threads_before, "the session's loop thread was not stopped"
    assert app.scope["state"] == {}


def test_works_inside_with_on_the_client_loop(backend):
    app = EchoApp(state={"db": "connected"})
    with TestClient(app, backend=backend) as client:
        threads_inside = set(threading.enumerate())
        for text in ("first", "second"):
            with client.websocket_connect("/ws") as ws:
                assert not set(threading.enumerate()) - threads_inside  # no extra loop thread
                ws.send_text(text)
                assert ws.receive_text() == text
            assert app.scope["state"] == {"db": "connected"}


def test_session_must_be_entered(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    ws = client.websocket_connect("/ws")
    for call in (lambda: ws.send_text("x"), lambda: ws.receive_text(timeout=0.1), lambda: ws.close()):
        with pytest.raises(TestClientError) as info:
            call()
        assert "with" in str(info.value) and "websocket_connect" in str(info.value)
    assert app.scopes == []  # the app never started


# --------------------------------------------------------------------------
# the seed documents, verbatim
# --------------------------------------------------------------------------

def test_seed_newer_document_example(backend):
    # from 000_*.txt: ASGI 3 app written with Starlette's WebSocket, backend via async_backend
    client = TestClient(seed_app3)
    client.async_backend["backend"] = backend
    with client.websocket_connect('/') as websocket:
        data = websocket.receive_text()
        assert data == 'Hello, world!'


def test_seed_older_document_example(backend):
    # from 001_*.txt: ASGI 2 class app
    client = TestClient(SeedApp2, backend=backend)
    with client.websocket_connect('/') as websocket:
        data = websocket.receive_text()
        assert data == 'Hello, world!'


def test_seed_apps_close_is_a_disconnect_after_the_text(backend):
    for app in (seed_app3, SeedApp2):
        client = TestClient(app, backend=backend)
        with client.websocket_connect('/') as websocket:
            assert websocket.receive_text() == 'Hello, world!'
            with pytest.raises(Disconnect) as info:
                websocket.receive_text()
            assert info.value.code == 1000


def test_seed_older_name_disconnect_for_a_refused_class_app(backend):
    client = TestClient(make_asgi2_reject(), backend=backend)
    with pytest.raises(Disconnect) as info:
        with client.websocket_connect('/'):
            pass  # pragma: no cover - not reached
    assert info.value.code == 4403
    assert info.value.reason == "class says no"
    assert Disconnect is WebSocketDisconnect


def test_seed_newer_json_modes_with_starlette(backend):
    app, _ = make_starlette_app()
    client = TestClient(app)
    client.async_backend["backend"] = backend
    with client.websocket_connect("/bytes") as websocket:
        websocket.send_json({"hello": "world"}, mode="binary")
        assert websocket.receive_json(mode="binary") == {"got": {"hello": "world"}}
        websocket.send_bytes(b"abc")
        assert websocket.receive_bytes() == b"cba"
        with pytest.raises(WebSocketDisconnect) as info:
            websocket.receive_text()
    assert (info.value.code, info.value.reason) == (4002, "done")


def test_asgi2_class_echo(backend):
    Echo = make_asgi2_echo()
    client = TestClient(Echo, backend=backend)
    with client.websocket_connect("/class?x=1", subprotocols=["chat"]) as ws:
        ws.send_text("text")
        assert ws.receive_text() == "text"
        ws.send_bytes(b"\x00\x01")
        assert ws.receive_bytes() == b"\x00\x01"
    (instance,) = Echo.instances
    assert instance.scope["type"] == "websocket"
    assert instance.scope["path"] == "/class"
    assert instance.scope["query_string"] == b"x=1"
    assert instance.scope["subprotocols"] == ["chat"]
    assert instance.disconnect is not None and instance.disconnect["code"] == 1000


# --------------------------------------------------------------------------
# framework apps: options reach Starlette and FastAPI endpoints
# --------------------------------------------------------------------------

def test_starlette_endpoint_sees_options_and_state(backend):
    app, _ = make_starlette_app(state={"answer": 42})
    with TestClient(app, backend=backend) as client:
        client.headers["X-Custom"] = "yes"
        with client.websocket_connect("/info", params={"page": "2"}, cookies={"c": "v"}, auth=("u", "p")) as ws:
            info = ws.receive_json()
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_text()
    assert closed.value.code == 1000
    assert info["url"] == "ws://testserver/info?page=2"
    assert info["query"] == {"page": "2"}
    assert info["cookies"] == {"c": "v"}
    assert info["authorization"] == basic("u", "p")
    assert info["x_custom"] == "yes"
    assert info["state"] == {"answer": 42}


def test_fastapi_endpoint_gets_path_query_cookie_and_header(backend):
    app, record = make_fastapi_app()
    client = TestClient(app, backend=backend)
    assert client.get("/login").json() == {"ok": True}
    client.headers["X-Token"] = "tok"
    with client.websocket_connect("/items/42", params={"q": "search"}) as ws:
        assert ws.receive_json() == {"item_id": "42", "q": "search", "session": "from-http", "x_token": "tok"}
        ws.send_text("hello")
        assert ws.receive_text() == "42:hello"
    assert record.get("items_disconnect") == 1000


# --------------------------------------------------------------------------
# the app's answer: accept
# --------------------------------------------------------------------------

def test_accepted_subprotocol_and_extra_headers(backend):
    app = EchoApp(subprotocol="first", accept_headers=[(b"x-extra", b"1"), (b"set-cookie", b"a=b")])
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/ws", subprotocols=["chat", "superchat"]) as ws:
        assert ws.accepted_subprotocol == "chat"
        assert ws.extra_headers == [(b"x-extra", b"1"), (b"set-cookie", b"a=b")]
    assert app.scope["subprotocols"] == ["chat", "superchat"]
    assert header_dict(app.scope)["sec-websocket-protocol"] == ["chat, superchat"]


def test_no_subprotocol(backend):
    with echo_session(backend) as (app, ws):
        assert ws.accepted_subprotocol is None
        assert ws.extra_headers == []
    assert app.scope["subprotocols"] == []
    assert "sec-websocket-protocol" not in header_dict(app.scope)


def test_starlette_accept_with_subprotocol_and_headers(backend):
    app, _ = make_starlette_app()
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/echo", subprotocols=["wamp", "other"]) as ws:
        assert ws.accepted_subprotocol == "wamp"
        assert (b"x-starlette", b"echo") in ws.extra_headers
        ws.send_text("hi")
        assert ws.receive_text() == "hi"


# --------------------------------------------------------------------------
# the app's answer: close before accept
# --------------------------------------------------------------------------

def test_close_before_accept_raises_websocket_disconnect(backend):
    client = TestClient(RejectApp(4403, "not allowed"), backend=backend)
    with pytest.raises(WebSocketDisconnect) as info:
        with client.websocket_connect("/ws"):
            pass  # pragma: no cover - not reached
    assert type(info.value) is WebSocketDisconnect  # not a denial response
    assert info.value.code == 4403
    assert info.value.reason == "not allowed"
    assert "4403" in str(info.value)


def test_close_before_accept_is_caught_as_disconnect(backend):
    client = TestClient(RejectApp(1008, "policy"), backend=backend)
    with pytest.raises(Disconnect) as info:
        client.websocket_connect("/ws").__enter__()
    assert (info.value.code, info.value.reason) == (1008, "policy")


@pytest.mark.parametrize(("make_app", "code", "reason"), [
    pytest.param(make_starlette_app, 4001, "starlette says no", id="starlette-close-before-accept"),
    pytest.param(make_fastapi_app, 1008, "bad token", id="fastapi-websocket-exception-before-accept"),
])
def test_framework_refuses_before_accept(backend, make_app, code, reason):
    app, _ = make_app()
    client = TestClient(app, backend=backend)
    with pytest.raises(WebSocketDisconnect) as info:
        with client.websocket_connect("/reject"):
            pass  # pragma: no cover - not reached
    assert (info.value.code, info.value.reason) == (code, reason)


def test_app_returning_without_answering_is_a_protocol_error(backend):
    async def app(scope, receive, send):
        if scope["type"] == "websocket":
            await receive()

    client = TestClient(app, backend=backend)
    with pytest.raises(ASGIProtocolError) as info:
        with client.websocket_connect("/ws"):
            pass  # pragma: no cover - not reached
    assert "accept" in str(info.value)


# --------------------------------------------------------------------------
# the app's answer: an HTTP denial response
# --------------------------------------------------------------------------

def test_denial_response(backend):
    app = DenyApp()
    client = TestClient(app, backend=backend)
    with pytest.raises(WebSocketDenialResponse) as info:
        with client.websocket_connect("/ws"):
            pass  # pragma: no cover - not reached
    denial = info.value
    assert isinstance(denial, WebSocketDisconnect)
    assert denial.status_code == 403
    assert denial.headers["content-type"] == "application/json"
    assert denial.headers["X-Denied"] == "yes"  # case-insensitive
    assert denial.content == b'{"error": "forbidden"}'
    assert denial.text == '{"error": "forbidden"}'
    assert denial.json() == {"error": "forbidden"}
    assert denial.response.status_code == 403
    assert app.ended.wait(BOUND)


def test_denial_response_caught_as_disconnect(backend):
    client = TestClient(DenyApp(status=401, chunks=[b"who are you?"], headers=[]), backend=backend)
    with pytest.raises(Disconnect) as info:
        client.websocket_connect("/ws").__enter__()
    assert isinstance(info.value, WebSocketDenialResponse)
    assert info.value.status_code == 401
    assert info.value.content == b"who are you?"


def test_starlette_send_denial_response(backend):
    app, _ = make_starlette_app()
    client = TestClient(app, backend=backend)
    with pytest.raises(WebSocketDenialResponse) as info:
        with client.websocket_connect("/deny"):
            pass  # pragma: no cover - not reached
    assert info.value.status_code == 403
    assert info.value.content == b"no"
    assert info.value.text == "no"
    assert info.value.headers["content-type"].startswith("text/plain")
    assert info.value.headers["content-length"] == "2"


# --------------------------------------------------------------------------
# the websocket scope
# --------------------------------------------------------------------------

def test_websocket_scope_contents(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/chat/room%201?user=joe", subprotocols=["v1"]):
        pass
    scope = app.scope
    assert scope["type"] == "websocket"
    assert scope["asgi"]["version"] == "3.0"
    assert scope["http_version"] == "1.1"
    assert scope["scheme"] == "ws"
    assert scope["path"] == "/chat/room 1"
    assert scope["raw_path"] == b"/chat/room%201"
    assert scope["query_string"] == b"user=joe"
    assert scope["root_path"] == ""
    assert scope["subprotocols"] == ["v1"]
    assert scope["extensions"] == {"websocket.http.response": {}}
    assert list(scope["client"]) == ["testclient", 50000]
    assert tuple(scope["server"]) == ("testserver", 80)
    assert scope["state"] == {}
    assert "method" not in scope
    headers = scope["headers"]
    assert all(isinstance(n, bytes) and isinstance(v, bytes) and n == n.lower() for n, v in headers)
    assert headers[0] == (b"host", b"testserver")
    named = header_dict(scope)
    assert named["connection"] == ["upgrade"]
    assert named["upgrade"] == ["websocket"]
    assert named["sec-websocket-version"] == ["13"]
    key = named["sec-websocket-key"]
    assert len(key) == 1 and len(base64.b64decode(key[0])) == 16
    assert named["sec-websocket-protocol"] == ["v1"]
    assert "content-length" not in named


def test_scope_root_path_and_client_address(backend):
    app = EchoApp()
    client = TestClient(app, root_path="/api", client=("10.1.2.3", 4321), backend=backend)
    with client.websocket_connect("/ws"):
        pass
    scope = app.scope
    assert scope["root_path"] == "/api"
    assert scope["path"] == "/api/ws"
    assert scope["raw_path"] == b"/api/ws"
    assert list(scope["client"]) == ["10.1.2.3", 4321]


def test_scope_state_from_lifespan_inside_with(backend):
    app = EchoApp(state={"db": "connected", "items": [1]})
    with TestClient(app, backend=backend) as client:
        with client.websocket_connect("/ws"):
            pass
        first = app.scope
        first["state"]["added"] = True  # a shallow copy: not seen by the next connection
        with client.websocket_connect("wss://testserver/ws"):
            pass
        second = app.scope
    assert first["scheme"] == "ws" and second["scheme"] == "wss"
    assert second["state"] == {"db": "connected", "items": [1]}
    assert second["state"] is not first["state"]
