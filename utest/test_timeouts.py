"""Timeouts (contract: "timeout=").

float or (connect, read) tuple (read part used); None -> client.timeout.
stream=False: the whole exchange must finish in time, else ASGITimeout (a requests ReadTimeout),
the app task is cancelled and the client stays usable. stream=True: the start and each body
chunk must arrive in time.
"""
from __future__ import annotations

import threading
import time

import anyio
import pytest
import requests

from apps import EndRecorder
from RobotASGI.testclient import ASGITimeout, TestClient, TestClientError

BOUND = 5.0  # generous upper bound for "raised quickly" (guards against hangs only)


class HangingApp(EndRecorder):
    """/hang never answers (records cancellation); /slow?s=.. sleeps then answers; else 'ok'."""

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return  # no lifespan support
        path = scope["path"]
        if path == "/hang":
            with self.recording_end():
                await anyio.sleep_forever()
        if path == "/slow":
            seconds = float(scope["query_string"].decode().split("=")[1])
            await anyio.sleep(seconds)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _assert_times_out(call):
    start = time.monotonic()
    with pytest.raises(requests.exceptions.Timeout) as info:
        call()
    elapsed = time.monotonic() - start
    assert elapsed < BOUND, f"timeout took {elapsed:.2f}s"
    return info.value, elapsed


def test_hanging_app_raises_asgi_timeout(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend)
    exc, elapsed = _assert_times_out(lambda: client.get("/hang", timeout=0.5))
    assert isinstance(exc, ASGITimeout)
    assert isinstance(exc, requests.exceptions.ReadTimeout)
    assert isinstance(exc, TestClientError)
    assert elapsed >= 0.4  # it did wait for (about) the requested timeout


def test_hanging_app_task_is_cancelled_on_timeout(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend)
    _assert_times_out(lambda: client.get("/hang", timeout=0.5))
    assert app.ended.wait(BOUND), "the app's task was not ended after the timeout"
    assert app.cancelled.is_set(), "the app's task ended without being cancelled"


def test_client_is_usable_after_timeout_outside_with(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend)
    _assert_times_out(lambda: client.get("/hang", timeout=0.5))
    response = client.get("/", timeout=BOUND)
    assert response.status_code == 200
    assert response.content == b"ok"


def test_client_is_usable_after_timeout_inside_with(backend):
    app = HangingApp()
    with TestClient(app, backend=backend) as client:
        _assert_times_out(lambda: client.get("/hang", timeout=0.5))
        assert app.ended.wait(BOUND)
        assert app.cancelled.is_set()
        response = client.get("/", timeout=BOUND)
        assert response.content == b"ok"
        # and a second timeout in the same block behaves the same
        app.ended.clear()
        _assert_times_out(lambda: client.get("/hang", timeout=0.3))
        assert app.ended.wait(BOUND)
        assert client.get("/", timeout=BOUND).content == b"ok"


def test_tuple_timeout_uses_the_read_part(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend)
    # connect part 10s: if it were used the call would take far longer than BOUND
    exc, elapsed = _assert_times_out(lambda: client.get("/hang", timeout=(10, 0.3)))
    assert isinstance(exc, ASGITimeout)


def test_tuple_timeout_ignores_a_short_connect_part(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend)
    response = client.get("/slow?s=0.4", timeout=(0.05, 3))
    assert response.content == b"ok"


def test_urllib3_timeout_object_uses_its_read_part(backend):
    import urllib3

    app = HangingApp()
    client = TestClient(app, backend=backend)
    exc, _ = _assert_times_out(lambda: client.get("/hang", timeout=urllib3.Timeout(connect=10, read=0.3)))
    assert isinstance(exc, ASGITimeout)


def test_client_level_default_timeout_applies(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend, timeout=0.3)
    exc, _ = _assert_times_out(lambda: client.get("/hang"))
    assert isinstance(exc, ASGITimeout)
    assert app.ended.wait(BOUND)


def test_explicit_none_timeout_uses_client_default(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend, timeout=0.3)
    _assert_times_out(lambda: client.get("/hang", timeout=None))


def test_per_call_timeout_overrides_client_default(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend, timeout=0.05)
    response = client.get("/slow?s=0.3", timeout=3)
    assert response.content == b"ok"


def test_slow_app_within_timeout_succeeds(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend)
    response = client.get("/slow?s=0.1", timeout=2)
    assert response.status_code == 200
    assert response.content == b"ok"


def test_app_that_sends_start_then_hangs_times_out_without_stream(backend):
    """stream=False: the whole exchange must finish in time, not only the start."""
    ended = threading.Event()

    async def app(scope, receive, send):
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"part", "more_body": True})
            await anyio.sleep_forever()
        finally:
            ended.set()

    client = TestClient(app, backend=backend)
    exc, _ = _assert_times_out(lambda: client.get("/", timeout=0.5))
    assert isinstance(exc, ASGITimeout)
    assert ended.wait(BOUND)


def test_stream_start_never_arrives_times_out(backend):
    app = HangingApp()
    client = TestClient(app, backend=backend)
    exc, _ = _assert_times_out(lambda: client.get("/hang", stream=True, timeout=0.5))
    assert isinstance(exc, ASGITimeout)
    assert app.ended.wait(BOUND)


def test_stream_next_chunk_never_arrives_iter_content_times_out(backend):
    ended = threading.Event()

    async def app(scope, receive, send):
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"first", "more_body": True})
            await anyio.sleep_forever()
        finally:
            ended.set()

    client = TestClient(app, backend=backend)
    start = time.monotonic()
    response = client.get("/", stream=True, timeout=0.5)
    assert time.monotonic() - start < BOUND
    try:
        chunks = response.iter_content(chunk_size=None)
        assert next(chunks) == b"first"
        start = time.monotonic()
        with pytest.raises(requests.exceptions.Timeout):
            next(chunks)
        assert time.monotonic() - start < BOUND
    finally:
        response.close()
    assert ended.wait(BOUND), "the app's task was not ended after close()"


def test_stream_each_chunk_gets_its_own_timeout(backend):
    """Total streaming time may exceed the timeout as long as every chunk is on time."""

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for i in range(6):
            await anyio.sleep(0.15)
            await send({"type": "http.response.body", "body": b"%d" % i, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    client = TestClient(app, backend=backend)
    with client.get("/", stream=True, timeout=0.6) as response:
        assert b"".join(response.iter_content(chunk_size=None)) == b"012345"
