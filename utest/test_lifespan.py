"""Lifespan: ``with TestClient(app) as client`` runs startup and shutdown.

Seed: "It's important to use the session within a context-managed ``with``
block. This ensure that the background thread on which the ASGI application
is properly terminated". Startup/shutdown run once, on the event loop that
serves the requests of the block; outside ``with`` there is no lifespan and
each request gets a fresh loop.
"""
from __future__ import annotations

import contextlib
import threading
import time

import pytest
from fastapi import FastAPI, Request as FastAPIRequest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from apps import (
    LifespanApp,
    lifespan_unsupported_raising,
    lifespan_unsupported_returning,
    send_text,
)
from RobotASGI.testclient import (
    LifespanError,
    LifespanShutdownError,
    LifespanStartupError,
    TestClient,
    TestClientError,
)


def assert_reports_timeout(error: Exception, phase: str, timeout: str = "0.5") -> None:
    """The error says which lifespan message went unanswered and for how long."""
    message = str(error)
    assert f"lifespan.{phase}" in message, message
    assert timeout in message, message


# --------------------------------------------------------------------------
# startup and shutdown around the block
# --------------------------------------------------------------------------

def test_startup_runs_on_entry_and_shutdown_on_exit(backend):
    app = LifespanApp()
    client = TestClient(app, backend=backend)
    assert app.events == []
    with client as entered:
        assert app.events == ["startup"]
        entered.get("/")
        entered.get("/")
        assert app.events == ["startup", "request", "request"]
    assert app.events == ["startup", "request", "request", "shutdown"]


def test_with_returns_the_client_itself(backend):
    client = TestClient(LifespanApp(), backend=backend)
    with client as entered:
        assert entered is client


def test_startup_and_shutdown_run_once_even_without_requests(backend):
    app = LifespanApp()
    with TestClient(app, backend=backend):
        pass
    assert app.events == ["startup", "shutdown"]


def test_lifespan_scope_has_type_asgi_and_state(backend):
    app = LifespanApp()
    with TestClient(app, backend=backend):
        pass
    scope = app.lifespan_scope
    assert scope["type"] == "lifespan"
    assert scope["asgi"]["version"] == "3.0"
    assert isinstance(scope["state"], dict)


def test_lifespan_and_requests_share_one_thread(backend):
    app = LifespanApp()
    with TestClient(app, backend=backend) as client:
        client.get("/")
        client.get("/")
    threads = {t for event in ("startup", "request", "shutdown") for t in app.threads[event]}
    assert len(threads) == 1


def test_lifespan_and_requests_share_one_event_loop(backend):
    app = LifespanApp()
    with TestClient(app, backend=backend) as client:
        client.get("/")
        client.get("/")
    runners = [r for event in ("startup", "request", "shutdown") for r in app.runners[event]]
    assert len(runners) == 4
    library, loop = runners[0]
    assert library == backend
    assert loop is not None
    assert all(other_library == library and other_loop is loop for other_library, other_loop in runners)


def test_outside_with_there_is_no_lifespan(backend):
    app = LifespanApp(state={"db": "connected"})
    client = TestClient(app, backend=backend)
    response = client.get("/")
    assert response.status_code == 200
    assert app.events == ["request"]
    assert app.lifespan_scope is None
    assert app.request_states == [{}]


def test_outside_with_each_request_gets_a_fresh_event_loop(backend):
    app = LifespanApp()
    client = TestClient(app, backend=backend)
    client.get("/")
    client.get("/")
    (_, first), (_, second) = app.runners["request"]
    assert first is not second


def test_after_the_block_requests_run_without_lifespan_again(backend):
    app = LifespanApp(state={"db": "connected"})
    client = TestClient(app, backend=backend)
    with client:
        client.get("/")
    client.get("/")
    assert app.events == ["startup", "request", "shutdown", "request"]
    assert app.request_states[-1] == {}


def test_the_same_client_can_enter_with_twice(backend):
    app = LifespanApp()
    client = TestClient(app, backend=backend)
    with client:
        client.get("/")
    with client:
        client.get("/")
    assert app.events == ["startup", "request", "shutdown"] * 2
    (_, first_loop), (_, second_loop) = app.runners["startup"]
    assert first_loop is not second_loop


# --------------------------------------------------------------------------
# lifespan state
# --------------------------------------------------------------------------

def test_state_stored_at_startup_is_visible_in_each_request(backend):
    app = LifespanApp(state={"db": "connected", "counter": 0, "shared": []})
    with TestClient(app, backend=backend) as client:
        first = client.get("/").json()
        second = client.get("/").json()
    assert first["state_keys"] == ["counter", "db", "shared"]
    assert second == first
    assert app.request_states[0]["db"] == "connected"


def test_request_state_is_a_shallow_copy(backend):
    app = LifespanApp(state={"counter": 0, "shared": []})
    with TestClient(app, backend=backend) as client:
        client.get("/mutate")
        after = client.get("/").json()
    # top-level changes in one request do not leak into the next ...
    assert after["counter"] == 0
    assert after["state_keys"] == ["counter", "shared"]
    # ... but a mutable object inside the state is shared (shallow copy)
    assert after["shared"] == ["mutated"]
    assert app.request_states[0] is not app.request_states[1]
    assert app.request_states[0]["shared"] is app.request_states[1]["shared"]


def test_request_state_is_not_the_lifespan_state_object(backend):
    app = LifespanApp(state={"counter": 0, "shared": []})
    with TestClient(app, backend=backend) as client:
        client.get("/mutate")
    assert app.request_states[0] is not app.lifespan_scope["state"]
    assert app.lifespan_scope["state"]["counter"] == 0
    assert "added" not in app.lifespan_scope["state"]


# --------------------------------------------------------------------------
# failures reported by the app
# --------------------------------------------------------------------------

def test_startup_failed_raises_lifespan_startup_error_with_message(backend):
    app = LifespanApp(startup="failed", message="database unreachable")
    with pytest.raises(LifespanStartupError) as excinfo:
        with TestClient(app, backend=backend):
            pytest.fail("the block must not run when startup failed")
    assert "database unreachable" in str(excinfo.value)
    assert "database unreachable" in excinfo.value.message


def test_lifespan_errors_are_test_client_errors():
    assert issubclass(LifespanStartupError, LifespanError)
    assert issubclass(LifespanShutdownError, LifespanError)
    assert issubclass(LifespanError, TestClientError)
    assert issubclass(TestClientError, Exception)


def test_shutdown_failed_raises_lifespan_shutdown_error_with_message(backend):
    app = LifespanApp(shutdown="failed", message="could not flush cache")
    client = TestClient(app, backend=backend)
    with pytest.raises(LifespanShutdownError) as excinfo:
        with client:
            assert client.get("/").status_code == 200
    assert "could not flush cache" in str(excinfo.value)
    assert "could not flush cache" in excinfo.value.message
    assert app.events == ["startup", "request", "shutdown"]


def test_client_usable_after_startup_failed(backend):
    app = LifespanApp(startup="failed")
    client = TestClient(app, backend=backend)
    with pytest.raises(LifespanStartupError):
        with client:
            pass
    assert client.get("/").status_code == 200


def test_app_raising_after_receiving_startup_raises_its_own_exception(backend):
    # As the seed's client does: the app's exception object, with its traceback.
    app = LifespanApp(startup="raise", message="config missing")
    with pytest.raises(RuntimeError) as excinfo:
        with TestClient(app, backend=backend):
            pytest.fail("the block must not run when startup failed")
    assert str(excinfo.value) == "config missing"
    assert not isinstance(excinfo.value, TestClientError)
    assert any(entry.name == "_answer" for entry in excinfo.traceback), "the app's frames are in the traceback"


def test_app_raising_after_receiving_shutdown_raises_its_own_exception(backend):
    app = LifespanApp(shutdown="raise", message="teardown crashed")
    with pytest.raises(RuntimeError) as excinfo:
        with TestClient(app, backend=backend):
            pass
    assert str(excinfo.value) == "teardown crashed"
    assert not isinstance(excinfo.value, TestClientError)
    assert any(entry.name == "_answer" for entry in excinfo.traceback)


def test_app_reporting_failed_then_raising_raises_its_own_exception(backend):
    # Starlette's router sends lifespan.startup.failed with the traceback, then raises.
    async def app(scope, receive, send):
        assert scope["type"] == "lifespan"
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "Traceback ...: KeyError: 'DSN'"})
        raise KeyError("DSN")

    started = time.monotonic()
    with pytest.raises(KeyError) as excinfo:
        with TestClient(app, backend=backend):
            pass
    assert excinfo.value.args == ("DSN",)
    assert time.monotonic() - started < 2


def test_app_reporting_failed_and_waiting_gives_a_startup_error_at_once(backend):
    async def app(scope, receive, send):
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "no database"})
        await receive()  # waits for a shutdown that never comes

    started = time.monotonic()
    with pytest.raises(LifespanStartupError, match="no database"):
        with TestClient(app, backend=backend, timeout=30):
            pass
    assert time.monotonic() - started < 5


# --------------------------------------------------------------------------
# lifespan not supported by the app
# --------------------------------------------------------------------------

def test_app_raising_before_receive_means_lifespan_unsupported(backend):
    with TestClient(lifespan_unsupported_raising, backend=backend) as client:
        response = client.get("/")
        assert response.status_code == 200
        assert response.text == "Hello, world!"


def test_app_returning_without_answering_means_lifespan_unsupported(backend):
    with TestClient(lifespan_unsupported_returning, backend=backend) as client:
        assert client.get("/").text == "Hello, world!"
        assert client.get("/").text == "Hello, world!"


def test_unsupported_lifespan_still_gives_an_empty_state(backend):
    seen = []

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            raise NotImplementedError
        seen.append(scope["state"])
        await send_text(send, "ok")

    with TestClient(app, backend=backend) as client:
        client.get("/")
    assert seen == [{}]


# --------------------------------------------------------------------------
# app never answering: bounded by client.timeout
# --------------------------------------------------------------------------

def test_startup_never_answered_times_out(backend):
    app = LifespanApp(startup="hang")
    client = TestClient(app, backend=backend, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(LifespanStartupError) as excinfo:
        with client:
            pytest.fail("the block must not run when startup timed out")
    elapsed = time.monotonic() - started
    assert elapsed < 5
    assert_reports_timeout(excinfo.value, "startup")


def test_shutdown_never_answered_times_out(backend):
    app = LifespanApp(shutdown="hang")
    client = TestClient(app, backend=backend, timeout=0.5)
    with pytest.raises(LifespanShutdownError) as excinfo:
        with client:
            assert client.get("/").status_code == 200
            started = time.monotonic()
    elapsed = time.monotonic() - started
    assert elapsed < 5
    assert_reports_timeout(excinfo.value, "shutdown")


def test_app_returning_after_startup_complete_does_not_delay_exit(backend):
    # Like uvicorn: a lifespan task that ends after answering startup is done;
    # shutdown must not wait for an answer that can never come.
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            return
        await send_text(send, "ok")

    client = TestClient(app, backend=backend, timeout=10)
    with client:
        assert client.get("/").text == "ok"
        started = time.monotonic()
    assert time.monotonic() - started < 5


def test_client_usable_after_startup_timed_out(backend):
    app = LifespanApp(startup="hang")
    client = TestClient(app, backend=backend, timeout=0.5)
    with pytest.raises(LifespanStartupError):
        with client:
            pass
    assert client.get("/").status_code == 200


def test_timeout_argument_is_the_client_timeout():
    assert TestClient(LifespanApp(), timeout=0.5).timeout == 0.5


def test_no_stray_threads_after_startup_timed_out(backend):
    before = set(threading.enumerate())
    app = LifespanApp(startup="hang")
    with pytest.raises(LifespanStartupError):
        with TestClient(app, backend=backend, timeout=0.5):
            pass
    assert _wait_for_threads_to_end(before) == []


# --------------------------------------------------------------------------
# frameworks
# --------------------------------------------------------------------------

def test_starlette_lifespan_context_manager_state_reaches_request_state(backend):
    events = []

    @contextlib.asynccontextmanager
    async def lifespan(app):
        events.append("startup")
        yield {"db": "starlette-db", "hits": []}
        events.append("shutdown")

    async def endpoint(request: Request) -> JSONResponse:
        request.state.hits.append(request.url.path)
        return JSONResponse({"db": request.state.db, "hits": list(request.state.hits)})

    app = Starlette(routes=[Route("/{name}", endpoint)], lifespan=lifespan)
    with TestClient(app, backend=backend) as client:
        assert events == ["startup"]
        assert client.get("/a").json() == {"db": "starlette-db", "hits": ["/a"]}
        assert client.get("/b").json() == {"db": "starlette-db", "hits": ["/a", "/b"]}
    assert events == ["startup", "shutdown"]


def test_starlette_lifespan_exception_at_startup_is_raised_itself(backend):
    @contextlib.asynccontextmanager
    async def lifespan(app):
        raise RuntimeError("starlette startup exploded")
        yield  # pragma: no cover

    app = Starlette(lifespan=lifespan)
    with pytest.raises(RuntimeError, match="starlette startup exploded") as excinfo:
        with TestClient(app, backend=backend):
            pass
    assert not isinstance(excinfo.value, TestClientError)


def test_fastapi_lifespan_state_reaches_request_state(backend):
    events = []

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        events.append("startup")
        yield {"model": "fastapi-model"}
        events.append("shutdown")

    app = FastAPI(lifespan=lifespan)

    @app.get("/predict")
    async def predict(request: FastAPIRequest, x: int):
        return {"model": request.state.model, "x": x}

    with TestClient(app, backend=backend) as client:
        response = client.get("/predict", params={"x": 3})
        assert response.status_code == 200, response.text
        assert response.json() == {"model": "fastapi-model", "x": 3}
    assert events == ["startup", "shutdown"]


def test_fastapi_without_with_block_has_no_lifespan_state(backend):
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        yield {"model": "fastapi-model"}

    app = FastAPI(lifespan=lifespan)

    @app.get("/has-model")
    async def has_model(request: FastAPIRequest):
        return {"has_model": hasattr(request.state, "model")}

    client = TestClient(app, backend=backend)
    assert client.get("/has-model").json() == {"has_model": False}


# --------------------------------------------------------------------------
# the block's own errors, cleanup
# --------------------------------------------------------------------------

def test_startup_failed_without_message_is_still_a_startup_error(backend):
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.failed"})

    with pytest.raises(LifespanStartupError) as excinfo:
        with TestClient(app, backend=backend):
            pass
    assert isinstance(excinfo.value.message, str)


def test_app_exception_in_a_request_does_not_stop_lifespan(backend):
    class Boom(Exception):
        pass

    lifespan = LifespanApp()

    async def app(scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/boom":
            raise Boom("request failed")
        await lifespan(scope, receive, send)

    with TestClient(app, backend=backend) as client:
        with pytest.raises(Boom):
            client.get("/boom")
        assert client.get("/").status_code == 200
    assert lifespan.events == ["startup", "request", "shutdown"]


def test_error_in_the_with_body_propagates_and_shutdown_still_runs(backend):
    app = LifespanApp()
    with pytest.raises(ZeroDivisionError):
        with TestClient(app, backend=backend) as client:
            client.get("/")
            1 / 0  # noqa: B018 - an error in the body of the with block
    assert app.events == ["startup", "request", "shutdown"]


def _wait_for_threads_to_end(before: set) -> list:
    deadline = time.monotonic() + 5
    while True:
        leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not leftover or time.monotonic() > deadline:
            return leftover
        time.sleep(0.05)


def test_with_block_leaves_no_thread_behind(backend):
    before = set(threading.enumerate())
    with TestClient(LifespanApp(), backend=backend) as client:
        client.get("/")
        assert len(threading.enumerate()) > len(before)  # the loop thread runs
    assert _wait_for_threads_to_end(before) == []


def test_requests_outside_with_leave_no_thread_behind(backend):
    before = set(threading.enumerate())
    client = TestClient(LifespanApp(), backend=backend)
    for _ in range(3):
        client.get("/")
    assert _wait_for_threads_to_end(before) == []


def test_asgi2_class_app_gets_lifespan(backend):
    events = []

    class App:
        def __init__(self, scope):
            self.scope = scope

        async def __call__(self, receive, send):
            if self.scope["type"] == "lifespan":
                while True:
                    message = await receive()
                    events.append(message["type"])
                    if message["type"] == "lifespan.startup":
                        self.scope["state"]["flavour"] = "asgi2"
                        await send({"type": "lifespan.startup.complete"})
                    else:
                        await send({"type": "lifespan.shutdown.complete"})
                        return
            await send_text(send, self.scope["state"]["flavour"])

    with TestClient(App, backend=backend) as client:
        assert client.get("/").text == "asgi2"
    assert events == ["lifespan.startup", "lifespan.shutdown"]
