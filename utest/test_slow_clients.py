"""Slow and broken clients (SlowBody), and requests started to run concurrently."""
from __future__ import annotations

import threading
import time
from typing import Any, List, Tuple

import anyio
import pytest
import requests

from RobotASGI.testclient import PendingRequest, RequestAbandoned, ResponseNotReady, SlowBody, TestClient


class BodyRecorder:
    """Records each body message (time, size) and what receive() gave; answers
    with the total, or 408 when a chunk takes longer than ``patience``."""

    def __init__(self, patience: float = 30.0) -> None:
        self.patience = patience
        self.chunks: List[Tuple[float, int]] = []
        self.messages: List[str] = []
        self.ended = threading.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        try:
            total = 0
            while True:
                try:
                    with anyio.fail_after(self.patience):
                        message = await receive()
                except TimeoutError:
                    await send({"type": "http.response.start", "status": 408, "headers": []})
                    await send({"type": "http.response.body", "body": b"too slow"})
                    return
                self.messages.append(message["type"])
                if message["type"] == "http.disconnect":
                    return
                total += len(message["body"])
                self.chunks.append((time.monotonic(), len(message["body"])))
                if not message.get("more_body"):
                    break
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": str(total).encode()})
        finally:
            self.ended.set()


def test_a_body_sent_in_paced_pieces(backend):
    app = BodyRecorder()
    started = time.monotonic()
    with TestClient(app, backend=backend) as client:
        response = client.post("/", data=SlowBody(b"x" * 1000, chunk_size=300, chunk_delay=0.1))
    assert response.text == "1000"
    sizes = [size for _, size in app.chunks if size]
    assert sizes == [300, 300, 300, 100]
    gaps = [later - earlier for (earlier, _), (later, _) in zip(app.chunks, app.chunks[1:4])]
    assert all(gap >= 0.08 for gap in gaps), gaps
    assert time.monotonic() - started >= 0.3


def test_an_app_timing_out_a_slow_upload_answers_and_the_client_gets_it(backend):
    app = BodyRecorder(patience=0.2)
    with TestClient(app, backend=backend) as client:
        response = client.post("/", data=SlowBody(b"x" * 100, chunk_size=10, chunk_delay=0.5))
    assert response.status_code == 408
    assert response.text == "too slow"


@pytest.mark.parametrize("inside_with", [True, False])
def test_a_client_going_away_mid_upload(backend, inside_with):
    app = BodyRecorder()
    client = TestClient(app, backend=backend)
    if inside_with:
        client.open()
    try:
        with pytest.raises(RequestAbandoned) as abandoned:
            client.post("/upload", data=SlowBody(b"y" * 1000, chunk_size=100, disconnect_after=250))
    finally:
        client.close()
    assert abandoned.value.sent == 250
    assert sum(size for _, size in app.chunks) == 250  # what was sent arrives, then the disconnect
    assert app.messages[-1] == "http.disconnect"
    assert app.ended.is_set()
    message = str(abandoned.value)
    assert "went away after sending 250 bytes of the POST http://testserver/upload body" in message
    assert message.endswith("then the app returned.")
    trace = abandoned.value.asgi_trace
    assert [event.type for event in trace.events if event.direction == "receive"][-1] == "http.disconnect"


def test_an_app_that_answers_a_client_that_left_is_told_it_left(backend):
    from RobotASGI.testclient import ClientDisconnected

    async def answers_anyway(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive())["type"] != "http.disconnect":
            pass
        await send({"type": "http.response.start", "status": 400, "headers": []})

    with pytest.raises(RequestAbandoned) as abandoned:
        TestClient(answers_anyway, backend=backend).post("/", data=SlowBody(b"z" * 10, disconnect_after=0))
    assert abandoned.value.sent == 0
    assert abandoned.value.asgi_trace.ending == f"the app raised {ClientDisconnected.__name__}: The client has closed the connection."


def test_slow_body_checks_its_arguments():
    with pytest.raises(ValueError, match="chunk_size must be a whole number of bytes >= 1"):
        SlowBody(b"x", chunk_size=0)
    with pytest.raises(ValueError, match="chunk_delay must be a number of seconds >= 0"):
        SlowBody(b"x", chunk_delay=-1)
    with pytest.raises(ValueError, match="disconnect_after must be a number of body bytes >= 0"):
        SlowBody(b"x", disconnect_after="10")
    with pytest.raises(TypeError, match="SlowBody takes bytes, str or an iterable of chunks, not int"):
        SlowBody(5)
    assert len(SlowBody("caf\u00e9")) == 5
    assert list(SlowBody(b"abcde", chunk_size=2)) == [b"ab", b"cd", b"e"]


# --------------------------------------------------------------------------
# started requests: concurrency on the client's loop
# --------------------------------------------------------------------------


class Gate:
    """Each request waits until ``expected`` are inside the app at once; the
    app records the most it saw in flight."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.inside = 0
        self.most = 0
        self.cancelled = threading.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        self.inside += 1
        self.most = max(self.most, self.inside)
        try:
            with anyio.fail_after(5):
                while self.inside < self.expected and self.most < self.expected:
                    await anyio.sleep(0.01)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": scope["path"].encode()})
        except anyio.get_cancelled_exc_class():
            self.cancelled.set()
            raise
        finally:
            self.inside -= 1


@pytest.mark.parametrize("inside_with", [True, False])
def test_started_requests_run_concurrently(backend, inside_with):
    app = Gate(expected=4)
    client = TestClient(app, backend=backend)
    if inside_with:
        client.open()
    try:
        started = [client.start_request("GET", f"/{number}") for number in range(4)]
        assert all(isinstance(request, PendingRequest) for request in started)
        texts = [request.result(10).text for request in started]
    finally:
        client.close()
    assert texts == ["/0", "/1", "/2", "/3"]
    assert app.most == 4


def test_a_result_not_ready_in_time_leaves_the_request_running(backend):
    release = threading.Event()

    async def slow(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while not release.is_set():
            await anyio.sleep(0.01)
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    with TestClient(slow, backend=backend) as client:
        pending = client.start_request("POST", "/orders", json={"id": 1})
        with pytest.raises(ResponseNotReady, match="POST http://testserver/orders did not finish within 0.1 s"):
            pending.result(0.1)
        assert not pending.done()
        release.set()
        assert pending.result(5).status_code == 201
        assert pending.asgi_trace.ending == "the app returned"


def test_cancelling_a_started_request_cancels_the_app(backend):
    app = Gate(expected=2)  # never reached: one request alone
    with TestClient(app, backend=backend) as client:
        pending = client.start_request("GET", "/alone")
        time.sleep(0.1)
        assert pending.cancel() is True
        assert app.cancelled.wait(2)
        with pytest.raises(requests.ConnectionError, match="the application was cancelled"):
            pending.result(5)
        assert pending.cancel() is False  # done already


def test_a_started_request_sees_the_callers_context_and_raises_the_apps_error(backend):
    import contextvars

    tenant: contextvars.ContextVar[str] = contextvars.ContextVar("tenant")

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        raise ValueError(f"no such tenant {tenant.get('unset')}")

    token = tenant.set("acme")
    try:
        pending = TestClient(app, backend=backend).start_request("GET", "/")
    finally:
        tenant.reset(token)
    with pytest.raises(ValueError, match="no such tenant acme"):
        pending.result(5)


def test_the_abandoned_message_ends_with_one_full_stop(backend):
    async def says_so(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive())["type"] != "http.disconnect":
            pass
        raise RuntimeError("the client left.")

    with pytest.raises(RequestAbandoned) as abandoned:
        TestClient(says_so, backend=backend).post("/", data=SlowBody(b"z" * 10, disconnect_after=5))
    assert str(abandoned.value).endswith("then the app raised RuntimeError: the client left.")
