"""Exceptions raised by the app: ``raise_server_exceptions``.

Seed: "By default the TestClient will raise any exceptions that occur in the
application. ... use ``TestClient(app, raise_server_exceptions=False)``" to test
the content of 500 responses instead.
"""
from __future__ import annotations

import traceback

import pytest
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from apps import hello_app, read_body, router, send_text
from RobotASGI.testclient import TestClient

try:
    _GROUP = BaseExceptionGroup  # type: ignore[name-defined]
except NameError:  # pragma: no cover - Python < 3.11
    from exceptiongroup import BaseExceptionGroup as _GROUP


class AppError(Exception):
    """Raised by the test apps; a type the engine cannot know about."""


async def _partial_start(send, status: int) -> None:
    headers = [(b"x-partial", b"yes"), (b"content-type", b"text/plain")]
    await send({"type": "http.response.start", "status": status, "headers": headers})


class Raiser:
    """Apps raising AppError at different points; ``raised`` keeps the objects."""

    def __init__(self) -> None:
        self.raised: list[AppError] = []

    def _error(self, message: str) -> AppError:
        error = AppError(message)
        self.raised.append(error)
        return error

    async def failing_app_before_start(self, scope, receive, send):
        await read_body(receive)
        raise self._error("boom before start")

    async def failing_app_after_start(self, scope, receive, send):
        await read_body(receive)
        await _partial_start(send, 201)
        raise self._error("boom after start")

    async def failing_app_mid_body(self, scope, receive, send):
        await read_body(receive)
        await _partial_start(send, 200)
        await send({"type": "http.response.body", "body": b"first chunk;", "more_body": True})
        await send({"type": "http.response.body", "body": b"second chunk;", "more_body": True})
        raise self._error("boom mid body")

    async def failing_app_after_response(self, scope, receive, send):
        await read_body(receive)
        await send_text(send, "complete")
        raise self._error("boom after response")


@pytest.fixture
def raiser() -> Raiser:
    return Raiser()


def _routes(raiser: Raiser):
    return router(
        {
            "/before-start": raiser.failing_app_before_start,
            "/after-start": raiser.failing_app_after_start,
            "/mid-body": raiser.failing_app_mid_body,
            "/after-response": raiser.failing_app_after_response,
        },
        default=hello_app,
    )


# --------------------------------------------------------------------------
# raise_server_exceptions=True (the default)
# --------------------------------------------------------------------------

def test_raise_server_exceptions_is_the_default(backend, raiser):
    client = TestClient(raiser.failing_app_before_start, backend=backend)
    with pytest.raises(AppError):
        client.get("/")


def test_app_exception_is_raised_as_the_same_object(backend, raiser):
    client = TestClient(raiser.failing_app_before_start, backend=backend, raise_server_exceptions=True)
    with pytest.raises(AppError) as excinfo:
        client.get("/")
    assert type(excinfo.value) is AppError
    assert str(excinfo.value) == "boom before start"
    assert excinfo.value is raiser.raised[0]


def test_app_exception_is_not_wrapped_in_an_exception_group(backend, raiser):
    client = TestClient(raiser.failing_app_before_start, backend=backend)
    try:
        client.get("/")
    except BaseException as exc:  # noqa: BLE001 - checking what comes out
        caught = exc
    else:  # pragma: no cover
        pytest.fail("no exception raised")
    assert not isinstance(caught, _GROUP)
    assert type(caught) is AppError


def test_app_exception_traceback_contains_the_app_frame(backend, raiser):
    client = TestClient(raiser.failing_app_before_start, backend=backend)
    with pytest.raises(AppError) as excinfo:
        client.get("/")
    names = [frame.name for frame in traceback.extract_tb(excinfo.value.__traceback__)]
    assert "failing_app_before_start" in names
    # the app's frame is where it was raised: the innermost one
    assert names[-1] == "failing_app_before_start"


@pytest.mark.parametrize(
    "path, message",
    [
        ("/after-start", "boom after start"),
        ("/mid-body", "boom mid body"),
        ("/after-response", "boom after response"),
    ],
)
def test_app_exception_after_sending_is_still_raised(backend, raiser, path, message):
    client = TestClient(_routes(raiser), backend=backend)
    with pytest.raises(AppError, match=message) as excinfo:
        client.get(path)
    assert excinfo.value is raiser.raised[0]


def test_client_is_usable_after_a_raised_app_exception(backend, raiser):
    client = TestClient(_routes(raiser), backend=backend)
    with pytest.raises(AppError):
        client.get("/before-start")
    response = client.get("/fine")
    assert response.status_code == 200
    assert response.text == "Hello, world!"


def test_app_exception_inside_with_block_is_raised_and_block_goes_on(backend, raiser):
    with TestClient(_routes(raiser), backend=backend) as client:
        with pytest.raises(AppError) as excinfo:
            client.get("/mid-body")
        assert excinfo.value is raiser.raised[0]
        assert client.get("/fine").text == "Hello, world!"
        with pytest.raises(AppError, match="boom before start"):
            client.get("/before-start")
        assert client.get("/fine").status_code == 200


def test_builtin_exception_type_and_message_are_kept(backend):
    async def app(scope, receive, send):
        {}["missing-key"]

    client = TestClient(app, backend=backend)
    with pytest.raises(KeyError) as excinfo:
        client.get("/")
    assert excinfo.value.args == ("missing-key",)


def test_exception_cause_is_kept(backend):
    async def app(scope, receive, send):
        try:
            1 / 0  # noqa: B018 - a real ZeroDivisionError, the cause to keep
        except ZeroDivisionError as exc:
            raise AppError("wrapped") from exc

    client = TestClient(app, backend=backend)
    with pytest.raises(AppError) as excinfo:
        client.get("/")
    assert isinstance(excinfo.value.__cause__, ZeroDivisionError)


def test_starlette_endpoint_exception_is_raised(backend):
    async def broken(request):
        raise AppError("starlette endpoint failed")

    client = TestClient(Starlette(routes=[Route("/", broken)]), backend=backend)
    with pytest.raises(AppError, match="starlette endpoint failed") as excinfo:
        client.get("/")
    names = [frame.name for frame in traceback.extract_tb(excinfo.value.__traceback__)]
    assert "broken" in names


def test_starlette_sync_endpoint_exception_crosses_the_worker_thread(backend):
    raised = []

    def broken_sync(request):  # Starlette runs sync endpoints in a worker thread
        error = AppError("sync endpoint failed")
        raised.append(error)
        raise error

    client = TestClient(Starlette(routes=[Route("/", broken_sync)]), backend=backend)
    with pytest.raises(AppError) as excinfo:
        client.get("/")
    assert excinfo.value is raised[0]
    names = [frame.name for frame in traceback.extract_tb(excinfo.value.__traceback__)]
    assert "broken_sync" in names


def test_exception_through_starlette_base_http_middleware_is_not_a_group(backend):
    from starlette.middleware import Middleware
    from starlette.middleware.base import BaseHTTPMiddleware

    class PassThrough(BaseHTTPMiddleware):
        async def dispatch(self, request, call_next):
            return await call_next(request)

    async def broken(request):
        raise AppError("behind middleware")

    app = Starlette(routes=[Route("/", broken)], middleware=[Middleware(PassThrough)])
    client = TestClient(app, backend=backend)
    with pytest.raises(AppError, match="behind middleware") as excinfo:
        client.get("/")
    assert type(excinfo.value) is AppError


def test_fastapi_endpoint_exception_is_raised(backend):
    app = FastAPI()

    @app.get("/items/{item_id}")
    async def read_item(item_id: int):
        raise AppError(f"no item {item_id}")

    client = TestClient(app, backend=backend)
    with pytest.raises(AppError, match="no item 7"):
        client.get("/items/7")


# --------------------------------------------------------------------------
# raise_server_exceptions=False
# --------------------------------------------------------------------------

def test_no_raise_gives_500_when_app_sent_nothing(backend, raiser):
    client = TestClient(raiser.failing_app_before_start, backend=backend, raise_server_exceptions=False)
    response = client.get("/")
    assert response.status_code == 500
    assert response.content == b"Internal Server Error"
    assert response.headers["content-type"].startswith("text/plain")
    assert raiser.raised  # the app really ran and raised


@pytest.mark.parametrize(("path", "status", "headers", "content"), [
    pytest.param("/after-start", 201, {"x-partial": "yes"}, b"",
                 id="keeps-status-and-headers-when-app-raised-after-start"),
    pytest.param("/mid-body", 200, {"x-partial": "yes"}, b"first chunk;second chunk;",
                 id="returns-partial-body-when-app-raised-mid-body"),
    pytest.param("/after-response", 200, {}, b"complete", id="returns-complete-response-when-app-raised-after-it"),
])
def test_no_raise_returns_what_the_app_sent(backend, raiser, path, status, headers, content):
    client = TestClient(_routes(raiser), backend=backend, raise_server_exceptions=False)
    response = client.get(path)
    assert response.status_code == status
    assert {name: response.headers.get(name) for name in headers} == headers
    assert response.content == content


def test_no_raise_client_usable_afterwards(backend, raiser):
    client = TestClient(_routes(raiser), backend=backend, raise_server_exceptions=False)
    for path in ("/before-start", "/after-start", "/mid-body", "/after-response"):
        client.get(path)
    response = client.get("/fine")
    assert response.status_code == 200
    assert response.text == "Hello, world!"
    assert len(raiser.raised) == 4


def test_no_raise_inside_with_block(backend, raiser):
    with TestClient(_routes(raiser), backend=backend, raise_server_exceptions=False) as client:
        assert client.get("/before-start").status_code == 500
        assert client.get("/mid-body").content == b"first chunk;second chunk;"
        assert client.get("/fine").text == "Hello, world!"


def test_no_raise_starlette_error_response_is_returned(backend):
    async def broken(request):
        raise AppError("starlette endpoint failed")

    async def fine(request):
        return PlainTextResponse("fine")

    app = Starlette(routes=[Route("/broken", broken), Route("/fine", fine)])
    client = TestClient(app, backend=backend, raise_server_exceptions=False)
    response = client.get("/broken")
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert client.get("/fine").text == "fine"


def test_no_raise_fastapi_error_response_is_returned(backend):
    app = FastAPI()

    @app.get("/broken")
    async def broken():
        raise AppError("fastapi endpoint failed")

    client = TestClient(app, backend=backend, raise_server_exceptions=False)
    response = client.get("/broken")
    assert response.status_code == 500
    assert response.text == "Internal Server Error"

