"""HEAD, "no socket", and the ASGI extensions the client advertises
(http.response.debug / .template, http.response.trailers, http.response.pathsend)."""
from __future__ import annotations

import os
import socket

import pytest
from requests.structures import CaseInsensitiveDict
from starlette.applications import Starlette
from starlette.responses import FileResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route

from RobotASGI.testclient import TestClient

TIMEOUT = 10


def make_client(app, backend, **kwargs):
    return TestClient(app, backend=backend, timeout=TIMEOUT, **kwargs)


# --------------------------------------------------------------------------- HEAD


async def body_app(scope, receive, send):
    if scope["type"] != "http":
        return  # no lifespan support
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"11"), (b"x-method", scope["method"].encode())]})
    await send({"type": "http.response.body", "body": b"hello", "more_body": True})
    await send({"type": "http.response.body", "body": b" world", "more_body": False})


def test_head_has_empty_content_although_the_app_sent_a_body(backend):
    response = make_client(body_app, backend).head("/")
    assert response.status_code == 200
    assert response.headers["x-method"] == "HEAD"
    assert response.headers["content-length"] == "11"
    assert response.content == b""


def test_get_on_the_same_app_has_the_body(backend):
    response = make_client(body_app, backend).get("/")
    assert response.content == b"hello world"


def test_head_with_stream_yields_no_content(backend):
    with make_client(body_app, backend).head("/", stream=True) as response:
        assert list(response.iter_content(chunk_size=None)) == []


def test_head_on_starlette_route_has_empty_content(backend):
    async def endpoint(request):
        return PlainTextResponse("starlette body")

    async def stream_endpoint(request):
        async def gen():
            yield b"streamed "
            yield b"body"

        return StreamingResponse(gen())

    app = Starlette(routes=[Route("/", endpoint), Route("/stream", stream_endpoint)])
    client = make_client(app, backend)
    response = client.head("/")
    assert response.status_code == 200
    assert response.headers["content-length"] == str(len("starlette body"))
    assert response.content == b""
    assert client.head("/stream").content == b""
    assert client.get("/").text == "starlette body"


# --------------------------------------------------------------------------- no socket


@pytest.fixture
def socket_spy(monkeypatch):
    """Record (and refuse) every network socket operation."""
    calls: list = []

    def refuse(name):
        def method(*args, **kwargs):
            calls.append((name, args[1:] if args else args))
            raise OSError(f"test: socket.{name} is forbidden in-process")

        return method

    for name in ("connect", "connect_ex", "bind", "listen"):
        monkeypatch.setattr(socket.socket, name, refuse(name))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("gethostbyname"))

    original_init = socket.socket.__init__

    def init(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
            calls.append(("socket", (family, type)))
        original_init(self, family, type, proto, fileno)

    monkeypatch.setattr(socket.socket, "__init__", init)
    return calls


async def streaming_app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    for i in range(3):
        await send({"type": "http.response.body", "body": b"%d" % i, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def test_no_socket_is_opened_for_a_request(backend, socket_spy):
    client = make_client(body_app, backend)
    assert client.get("/").content == b"hello world"
    assert client.post("/", data=b"x" * 1000).status_code == 200
    assert socket_spy == []


def test_no_socket_is_opened_for_a_streamed_request(backend, socket_spy):
    client = make_client(streaming_app, backend)
    with client.get("/", stream=True) as response:
        assert b"".join(response.iter_content(chunk_size=None)) == b"012"
    assert socket_spy == []


def test_no_socket_is_opened_inside_with(backend, socket_spy):
    with make_client(streaming_app, backend) as client:
        assert client.get("/").content == b"012"
        with client.get("/", stream=True) as response:
            assert b"".join(response.iter_lines()) == b"012"
    assert socket_spy == []


# --------------------------------------------------------------------------- template capture


class Unserialisable:
    """Context values are captured as the objects themselves (in-process)."""


def test_scope_advertises_the_extensions(backend):
    seen = {}

    async def app(scope, receive, send):
        seen["extensions"] = scope.get("extensions")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    make_client(app, backend).get("/")
    assert seen["extensions"] == {"http.response.debug": {}, "http.response.template": {},
                                  "http.response.trailers": {}, "http.response.pathsend": {}}


def test_http_response_debug_message_is_captured(backend):
    marker = Unserialisable()
    context = {"name": "World", "obj": marker}

    async def app(scope, receive, send):
        await send({"type": "http.response.debug", "info": {"template": "index.html", "context": context}})
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": b"<p>Hello World</p>"})

    response = make_client(app, backend).get("/")
    assert response.status_code == 200
    assert response.text == "<p>Hello World</p>"
    assert response.template == "index.html"
    assert response.context["name"] == "World"
    assert response.context["obj"] is marker


def test_older_http_response_template_message_is_captured(backend):
    context = {"items": [1, 2, 3]}

    async def app(scope, receive, send):
        await send({"type": "http.response.template", "template": "list.html", "context": context})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"123"})

    response = make_client(app, backend).get("/")
    assert response.content == b"123"
    assert response.template == "list.html"
    assert response.context == {"items": [1, 2, 3]}


def test_template_is_none_when_nothing_was_captured(backend):
    response = make_client(body_app, backend).get("/")
    assert response.template is None
    assert response.context is None


def test_template_capture_with_stream(backend):
    async def app(scope, receive, send):
        await send({"type": "http.response.debug", "info": {"template": "s.html", "context": {"k": "v"}}})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"body"})

    with make_client(app, backend).get("/", stream=True) as response:
        assert response.template == "s.html"
        assert response.context == {"k": "v"}
        assert response.content == b"body"


def test_starlette_jinja2_template_response_is_captured(backend, tmp_path):
    pytest.importorskip("jinja2")
    from starlette.templating import Jinja2Templates

    (tmp_path / "hello.html").write_text("<h1>Hello {{ name }}</h1>")
    templates = Jinja2Templates(directory=str(tmp_path))

    async def endpoint(request):
        return templates.TemplateResponse(request, "hello.html", {"name": "Robot"})

    app = Starlette(routes=[Route("/", endpoint)])
    response = make_client(app, backend).get("/")
    assert response.text == "<h1>Hello Robot</h1>"
    assert response.template.name == "hello.html"
    assert response.context["name"] == "Robot"
    assert "request" in response.context


# --------------------------------------------------------------------------- trailers


def _trailer_app(trailer_messages):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"trailer", b"x-checksum")],
                    "trailers": True})
        await send({"type": "http.response.body", "body": b"payload", "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        for message in trailer_messages:
            await send(message)

    return app


def test_trailers_are_exposed_on_the_response(backend):
    app = _trailer_app([{"type": "http.response.trailers",
                         "headers": [(b"x-checksum", b"abc123"), (b"x-rows", b"7")], "more_trailers": False}])
    response = make_client(app, backend).get("/")
    assert response.content == b"payload"
    assert isinstance(response.trailers, CaseInsensitiveDict)
    assert response.trailers["X-Checksum"] == "abc123"
    assert response.trailers["x-rows"] == "7"
    assert len(response.trailers) == 2
    assert "x-checksum" not in {k.lower() for k in response.headers if k.lower() != "trailer"}


def test_trailers_in_several_messages_are_merged(backend):
    app = _trailer_app([
        {"type": "http.response.trailers", "headers": [(b"x-one", b"1")], "more_trailers": True},
        {"type": "http.response.trailers", "headers": [(b"x-two", b"2")], "more_trailers": False},
    ])
    response = make_client(app, backend).get("/")
    assert response.trailers["x-one"] == "1"
    assert response.trailers["x-two"] == "2"


def test_trailers_are_empty_when_none_were_sent(backend):
    response = make_client(body_app, backend).get("/")
    assert isinstance(response.trailers, CaseInsensitiveDict)
    assert len(response.trailers) == 0


def test_trailers_with_stream_after_reading_the_body(backend):
    app = _trailer_app([{"type": "http.response.trailers", "headers": [(b"x-checksum", b"zz")],
                         "more_trailers": False}])
    with make_client(app, backend).get("/", stream=True) as response:
        assert response.content == b"payload"
        assert response.trailers["x-checksum"] == "zz"


# --------------------------------------------------------------------------- pathsend


@pytest.fixture
def data_file(tmp_path):
    payload = os.urandom(200_000)
    path = tmp_path / "data.bin"
    path.write_bytes(payload)
    return path, payload


def test_pathsend_sends_the_file_as_body(backend, data_file):
    path, payload = data_file

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.pathsend", "path": str(path)})

    response = make_client(app, backend).get("/")
    assert response.status_code == 200
    assert response.content == payload


def test_pathsend_with_stream(backend, data_file):
    path, payload = data_file

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.pathsend", "path": str(path)})

    with make_client(app, backend).get("/", stream=True) as response:
        assert b"".join(response.iter_content(chunk_size=8192)) == payload


def test_starlette_file_response_uses_pathsend(backend, data_file):
    import inspect

    import starlette.responses

    if "http.response.pathsend" not in inspect.getsource(starlette.responses.FileResponse):
        pytest.skip("this Starlette's FileResponse does not use http.response.pathsend")
    path, payload = data_file
    sent_types: list = []

    async def endpoint(request):
        return FileResponse(path)

    starlette_app = Starlette(routes=[Route("/file", endpoint)])

    async def app(scope, receive, send):
        async def spy_send(message):
            sent_types.append(message["type"])
            await send(message)

        await starlette_app(scope, receive, spy_send)

    response = make_client(app, backend).get("/file")
    assert response.status_code == 200
    assert response.content == payload
    assert response.headers["content-length"] == str(len(payload))
    assert "http.response.pathsend" in sent_types


def test_starlette_file_response_head_is_empty(backend, data_file):
    path, payload = data_file

    async def endpoint(request):
        return FileResponse(path)

    app = Starlette(routes=[Route("/file", endpoint)])
    response = make_client(app, backend).head("/file")
    assert response.headers["content-length"] == str(len(payload))
    assert response.content == b""
