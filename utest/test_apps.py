"""Which callables TestClient accepts as apps (ASGI 3 and ASGI 2) and which it refuses.

The newer seed uses an ASGI 3 function app, the older one an ASGI 2 class
(``App(scope)`` then ``await app(receive, send)``); both must work. asgiref's
``_asgi_single_callable`` / ``_asgi_double_callable`` markers decide over any
heuristic. WSGI callables, strings, None and other non-callables are refused
at construction with a TypeError naming what was passed.
"""
from __future__ import annotations

import functools

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from apps import HelloASGI2, hello_app, read_body, send_text
from RobotASGI.testclient import TestClient

# --------------------------------------------------------------------------
# ASGI 3
# --------------------------------------------------------------------------

def test_asgi3_coroutine_function(backend):
    client = TestClient(hello_app, backend=backend)
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == "Hello, world!"


def test_asgi3_seed_example_with_starlette_response(backend):
    async def app(scope, receive, send):
        assert scope["type"] == "http"
        response = HTMLResponse("<html><body>Hello, world!</body></html>")
        await response(scope, receive, send)

    client = TestClient(app, backend=backend)
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == "<html><body>Hello, world!</body></html>"
    assert response.headers["content-type"].startswith("text/html")


def test_asgi3_object_with_async_call(backend):
    class App:
        def __init__(self, greeting):
            self.greeting = greeting

        async def __call__(self, scope, receive, send):
            await read_body(receive)
            await send_text(send, f"{self.greeting} {scope['path']}")

    client = TestClient(App("hi from object"), backend=backend)
    assert client.get("/obj").text == "hi from object /obj"


def test_asgi3_functools_partial_of_async_function(backend):
    async def app(scope, receive, send, *, greeting):
        await read_body(receive)
        await send_text(send, f"{greeting} {scope['path']}")

    client = TestClient(functools.partial(app, greeting="hi from partial"), backend=backend)
    assert client.get("/p").text == "hi from partial /p"


def test_asgi3_sync_callable_with_three_params_returning_awaitable(backend):
    def app(scope, receive, send):
        async def run():
            await read_body(receive)
            await send_text(send, "sync wrapper " + scope["path"])

        return run()

    client = TestClient(app, backend=backend)
    assert client.get("/s").text == "sync wrapper /s"


def test_asgi3_starlette_application(backend):
    async def home(request):
        return PlainTextResponse("starlette home")

    client = TestClient(Starlette(routes=[Route("/", home)]), backend=backend)
    assert client.get("/").text == "starlette home"


def test_asgi3_app_receives_three_arguments_with_callable_receive_and_send(backend):
    seen = {}

    async def app(scope, receive, send):
        seen["scope_type"] = type(scope)
        seen["callables"] = (callable(receive), callable(send))
        await read_body(receive)
        await send_text(send, "ok")

    TestClient(app, backend=backend).get("/")
    assert seen == {"scope_type": dict, "callables": (True, True)}


# --------------------------------------------------------------------------
# ASGI 2
# --------------------------------------------------------------------------

def test_asgi2_class_as_in_the_older_seed(backend):
    client = TestClient(HelloASGI2, backend=backend)
    response = client.get("/seed")
    assert response.status_code == 200
    assert response.text == "Hello, world! /seed"


def test_asgi2_class_is_instantiated_once_per_request_with_the_scope(backend):
    instances = []

    class App:
        def __init__(self, scope):
            self.scope = scope
            instances.append(self)

        async def __call__(self, receive, send):
            await read_body(receive)
            await send_text(send, self.scope["method"] + " " + self.scope["path"])

    client = TestClient(App, backend=backend)
    assert client.get("/one").text == "GET /one"
    assert client.post("/two").text == "POST /two"
    assert [i.scope["path"] for i in instances] == ["/one", "/two"]


def test_asgi2_class_using_a_starlette_response(backend):
    class App:
        def __init__(self, scope):
            self.scope = scope

        async def __call__(self, receive, send):
            response = HTMLResponse("Hello, world!")
            await response(self.scope, receive, send)

    client = TestClient(App, backend=backend)
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == "Hello, world!"


def test_asgi2_function_returning_an_async_callable(backend):
    def app(scope):
        async def instance(receive, send):
            await read_body(receive)
            await send_text(send, "asgi2 function " + scope["path"])

        return instance

    client = TestClient(app, backend=backend)
    assert client.get("/f").text == "asgi2 function /f"


def test_asgi2_object_whose_call_takes_only_the_scope(backend):
    class Factory:
        def __call__(self, scope):
            async def instance(receive, send):
                await read_body(receive)
                await send_text(send, "asgi2 object " + scope["path"])

            return instance

    client = TestClient(Factory(), backend=backend)
    assert client.get("/o").text == "asgi2 object /o"


def test_functools_partial_of_an_asgi2_class(backend):
    class App:
        def __init__(self, scope, *, suffix):
            self.scope, self.suffix = scope, suffix

        async def __call__(self, receive, send):
            await read_body(receive)
            await send_text(send, self.scope["path"] + self.suffix)

    client = TestClient(functools.partial(App, suffix="!"), backend=backend)
    assert client.get("/x").text == "/x!"


def test_asgi2_class_receives_request_body(backend):
    class Echo:
        def __init__(self, scope):
            self.scope = scope

        async def __call__(self, receive, send):
            body = await read_body(receive)
            await send_text(send, body)

    client = TestClient(Echo, backend=backend)
    assert client.post("/", data=b"ping").content == b"ping"


# --------------------------------------------------------------------------
# asgiref markers
# --------------------------------------------------------------------------

def test_single_callable_marker_on_a_class_makes_it_asgi3(backend):
    # Without the marker a class is ASGI 2 (called with the scope only).
    class App:
        _asgi_single_callable = True

        def __init__(self, scope, receive, send):
            self.scope, self.receive, self.send = scope, receive, send

        def __await__(self):
            return self.run().__await__()

        async def run(self):
            await read_body(self.receive)
            await send_text(self.send, "marked single " + self.scope["path"])

    client = TestClient(App, backend=backend)
    assert client.get("/m").text == "marked single /m"


def test_single_callable_marker_on_a_one_param_function_makes_it_asgi3(backend):
    # Heuristically a 1-positional-param sync function looks like ASGI 2.
    def app(scope, *rest):
        receive, send = rest

        async def run():
            await read_body(receive)
            await send_text(send, "marked single function")

        return run()

    app._asgi_single_callable = True
    client = TestClient(app, backend=backend)
    assert client.get("/").text == "marked single function"


def test_double_callable_marker_decides_for_optional_receive_send_params(backend):
    # With the optional params it could pass for ASGI 3; the marker says ASGI 2.
    def app(scope, receive=None, send=None):
        async def instance(receive, send):
            await read_body(receive)
            await send_text(send, "marked double " + scope["path"])

        return instance

    app._asgi_double_callable = True
    client = TestClient(app, backend=backend)
    assert client.get("/d").text == "marked double /d"


def test_double_callable_marker_on_a_varargs_function_makes_it_asgi2(backend):
    # A *args signature says nothing about the ASGI version; the marker does.
    def app(scope, *rest):
        assert rest == ()

        async def instance(receive, send):
            await read_body(receive)
            await send_text(send, "marked double varargs")

        return instance

    app._asgi_double_callable = True
    client = TestClient(app, backend=backend)
    assert client.get("/").text == "marked double varargs"


def test_double_callable_marker_on_an_object(backend):
    class Factory:
        _asgi_double_callable = True

        def __call__(self, scope, receive=None, send=None):
            async def instance(receive, send):
                await read_body(receive)
                await send_text(send, "marked double object")

            return instance

    client = TestClient(Factory(), backend=backend)
    assert client.get("/").text == "marked double object"


# --------------------------------------------------------------------------
# refused: WSGI and non-apps
# --------------------------------------------------------------------------

def wsgi_hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"Hello from WSGI"]


class FlaskLike:
    """Looks like a Flask app: a WSGI __call__(environ, start_response)."""

    def __call__(self, environ, start_response):
        return wsgi_hello(environ, start_response)


def _construction_error(app) -> str:
    with pytest.raises(TypeError) as excinfo:
        TestClient(app)
    return str(excinfo.value)


def test_wsgi_function_is_refused_with_a_helpful_type_error():
    message = _construction_error(wsgi_hello)
    assert "wsgi_hello" in message
    assert "ASGI" in message


def test_flask_like_wsgi_object_is_refused_with_a_helpful_type_error():
    message = _construction_error(FlaskLike())
    assert "FlaskLike" in message
    assert "ASGI" in message


def test_string_is_refused_with_a_helpful_type_error():
    message = _construction_error("myproject.main:app")
    assert "myproject.main:app" in message
    assert "ASGI" in message


def test_none_is_refused_with_a_helpful_type_error():
    message = _construction_error(None)
    assert "None" in message
    assert "ASGI" in message


def test_int_is_refused_with_a_helpful_type_error():
    message = _construction_error(42)
    assert "42" in message or "int" in message
    assert "ASGI" in message


def test_module_object_is_refused_with_a_type_error():
    message = _construction_error(functools)
    assert "functools" in message
    assert "ASGI" in message
