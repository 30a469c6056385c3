"""Streamed responses (contract: "Responses").

- stream=True returns as soon as http.response.start arrives; iter_content / iter_lines /
  raw.read yield chunks as the app sends them; response.close() disconnects the app.
- stream=False returns only after the app returned (background tasks included).
- gzip content-encoding is decoded like requests does with a real server.
"""
from __future__ import annotations

import contextlib
import gzip
import queue
import threading
import time

import anyio
import pytest
import requests
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route

from RobotASGI.testclient import ClientDisconnected, TestClient

TIMEOUT = 10  # generous bound so that no test can hang


def make_client(app, backend, **kwargs):
    return TestClient(app, backend=backend, timeout=TIMEOUT, **kwargs)


async def wait_thread_event(event: threading.Event, timeout: float) -> bool:
    """Wait (inside the app, on any backend) for a threading.Event set by the test thread."""
    deadline = time.monotonic() + timeout
    while not event.is_set() and time.monotonic() < deadline:
        await anyio.sleep(0.005)
    return event.is_set()


async def get_from_queue(q: queue.Queue, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return q.get_nowait()
        except queue.Empty:
            await anyio.sleep(0.005)
    return None


# --------------------------------------------------------------------------- stream=True returns early


def test_stream_true_returns_after_start_before_body(backend):
    release = threading.Event()
    state = {}

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 201, "headers": [(b"x-early", b"yes")]})
        released = await wait_thread_event(release, 3)
        state["body_produced"] = True
        await send({"type": "http.response.body", "body": b"released" if released else b"too-late"})

    client = make_client(app, backend)
    start = time.monotonic()
    response = client.get("/", stream=True)
    elapsed = time.monotonic() - start
    try:
        # The call returned while the app was still blocked before its body.
        assert "body_produced" not in state
        assert elapsed < 2.5
        assert response.status_code == 201
        assert response.headers["x-early"] == "yes"
        release.set()
        assert response.content == b"released"
    finally:
        release.set()
        response.close()


def test_stream_false_waits_for_the_whole_body(backend):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await anyio.sleep(0.2)
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await anyio.sleep(0.1)
        await send({"type": "http.response.body", "body": b"b"})

    response = make_client(app, backend).get("/")
    assert response.content == b"ab"


# --------------------------------------------------------------------------- interleaving


def _lockstep_app(chunks, consumed: queue.Queue, log: list):
    """Sends chunk k only after the test reported it consumed chunk k-1."""

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for k, chunk in enumerate(chunks):
            if k > 0:
                got = await get_from_queue(consumed, 3)
                if got != k - 1:
                    log.append(f"chunk {k - 1} was not consumed before chunk {k} (got {got!r})")
                    await send({"type": "http.response.body", "body": b"NOT-INTERLEAVED", "more_body": False})
                    return
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return app


def _read_in_lockstep(backend, chunks, read) -> list:
    """Stream ``chunks`` from :func:`_lockstep_app`, iterating ``read(response)`` and
    telling the app after each item; the items, once the app saw each one consumed."""
    consumed: queue.Queue = queue.Queue()
    log: list = []
    client = make_client(_lockstep_app(chunks, consumed, log), backend)
    items = []
    with client.get("/", stream=True) as response:
        for item in read(response):
            items.append(item)
            consumed.put(len(items) - 1)
    assert log == []
    return items


def test_iter_content_none_yields_chunks_as_the_app_sends_them(backend):
    chunks = [f"chunk-{k}|".encode() for k in range(6)]
    assert _read_in_lockstep(backend, chunks, lambda response: response.iter_content(chunk_size=None)) == chunks


@pytest.mark.parametrize("chunk_size", [512, 1, None], ids=["default-512", "1", "None"])
def test_iter_lines_yields_lines_as_the_app_sends_them(backend, chunk_size):
    chunks = [f"line {k}\n".encode() for k in range(6)]
    lines = _read_in_lockstep(backend, chunks, lambda response: response.iter_lines(chunk_size=chunk_size))
    assert lines == [f"line {k}".encode() for k in range(6)]


def _sliced_app(data: bytes, size: int):
    """Sends ``data`` in body messages of ``size`` bytes, then an empty final one."""

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for i in range(0, len(data), size):
            await send({"type": "http.response.body", "body": data[i:i + size], "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return app


def test_raw_read_n_returns_exactly_n_bytes_across_chunks(backend):
    data = b"0123456789" * 10
    with make_client(_sliced_app(data, 7), backend).get("/", stream=True) as response:
        assert response.raw.read(10) == data[:10]
        assert response.raw.read(25) == data[10:35]
        rest = response.raw.read()
        assert rest == data[35:]
        assert response.raw.read(10) == b""


def test_raw_read_small_reads_do_not_wait_for_the_whole_body(backend):
    release = threading.Event()

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first-part", "more_body": True})
        await wait_thread_event(release, 3)
        await send({"type": "http.response.body", "body": b"second-part", "more_body": False})

    response = make_client(app, backend).get("/", stream=True)
    try:
        start = time.monotonic()
        assert response.raw.read(10) == b"first-part"
        assert time.monotonic() - start < 2.5
        release.set()
        assert response.raw.read() == b"second-part"
    finally:
        release.set()
        response.close()


# --------------------------------------------------------------------------- endless SSE + close()


def _sse_event(i: int) -> bytes:
    return f"data: event {i}\n\n".encode()


def _read_events(response, n):
    events = []
    for line in response.iter_lines():
        if line.startswith(b"data: "):
            events.append(line[len(b"data: "):].decode())
            if len(events) == n:
                break
    return events


@pytest.mark.parametrize("in_with_block", [False, True], ids=["no-with", "with"])
def test_close_on_endless_sse_delivers_disconnect_to_the_app(backend, in_with_block):
    finished = threading.Event()
    seen: dict = {}

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return  # no lifespan support
        try:
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"text/event-stream")]})

            async def watch_disconnect(tg):
                message = await receive()  # empty request body
                if message["type"] == "http.request":
                    message = await receive()
                seen["message"] = message["type"]
                tg.cancel_scope.cancel()

            async def produce():
                i = 0
                while True:
                    try:
                        await send({"type": "http.response.body", "body": _sse_event(i), "more_body": True})
                    except OSError:
                        await anyio.sleep_forever()  # let the watcher see the disconnect
                    i += 1
                    await anyio.sleep(0.01)

            async with anyio.create_task_group() as tg:
                tg.start_soon(watch_disconnect, tg)
                tg.start_soon(produce)
        finally:
            finished.set()

    client = make_client(app, backend)
    if in_with_block:
        with client:
            response = client.get("/events", stream=True)
            assert _read_events(response, 3) == ["event 0", "event 1", "event 2"]
            response.close()
            assert finished.wait(5), "app task did not end after response.close()"
    else:
        response = client.get("/events", stream=True)
        assert _read_events(response, 3) == ["event 0", "event 1", "event 2"]
        response.close()
        assert finished.wait(5), "app task did not end after response.close()"
    assert seen.get("message") == "http.disconnect"


def test_close_makes_next_send_raise_client_disconnected(backend):
    finished = threading.Event()
    seen: dict = {}

    async def app(scope, receive, send):
        try:
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"text/event-stream")]})
            i = 0
            while True:
                await send({"type": "http.response.body", "body": _sse_event(i), "more_body": True})
                i += 1
                await anyio.sleep(0.01)
        except BaseException as exc:
            seen["exc"] = exc
            raise
        finally:
            finished.set()

    response = make_client(app, backend).get("/events", stream=True)
    assert _read_events(response, 2) == ["event 0", "event 1"]
    response.close()
    assert finished.wait(5), "app task did not end after response.close()"
    exc = seen.get("exc")
    assert isinstance(exc, ClientDisconnected), repr(exc)
    assert isinstance(exc, OSError)


def test_close_cancels_an_app_that_ignores_the_disconnect(backend):
    """An app blocked on something other than receive/send is cancelled within a bounded time."""
    finished = threading.Event()

    async def app(scope, receive, send):
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"data: hello\n\n", "more_body": True})
            await anyio.sleep_forever()
        finally:
            finished.set()

    response = make_client(app, backend).get("/", stream=True)
    assert next(response.iter_content(chunk_size=None)) == b"data: hello\n\n"
    response.close()
    assert finished.wait(8), "app task was not cancelled after response.close()"


def test_close_on_starlette_streaming_response_with_infinite_generator(backend):
    finished = threading.Event()
    outcome: dict = {}

    async def events():
        i = 0
        while True:
            yield _sse_event(i)
            i += 1
            await anyio.sleep(0.01)

    async def endpoint(request):
        return StreamingResponse(events(), media_type="text/event-stream")

    starlette_app = Starlette(routes=[Route("/events", endpoint)])

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return await starlette_app(scope, receive, send)
        try:
            await starlette_app(scope, receive, send)
            outcome["result"] = "returned"
        except BaseException as exc:
            outcome["result"] = exc
            raise
        finally:
            finished.set()

    response = make_client(app, backend).get("/events", stream=True)
    assert response.headers["content-type"].startswith("text/event-stream")
    assert _read_events(response, 4) == ["event 0", "event 1", "event 2", "event 3"]
    response.close()
    assert finished.wait(5), "Starlette app task did not end after response.close()"
    # Starlette (spec_version >= 2.4) turns the OSError raised by send() into ClientDisconnect,
    # or the task was cancelled; either way the app ended.
    assert "result" in outcome


def test_other_requests_are_served_while_a_stream_is_open_inside_with(backend):
    """One loop serves every request of the block: a stream waits for an event another request sets."""
    state: dict = {}

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            message = await receive()
            state["trigger"] = anyio.Event()
            await send({"type": "lifespan.startup.complete"})
            message = await receive()
            assert message["type"] == "lifespan.shutdown"
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["path"] == "/trigger":
            state["trigger"].set()
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"waiting|", "more_body": True})
        with anyio.fail_after(5):
            await state["trigger"].wait()
        await send({"type": "http.response.body", "body": b"triggered", "more_body": False})

    with make_client(app, backend) as client:
        with client.get("/events", stream=True) as response:
            pieces = response.iter_content(chunk_size=None)
            assert next(pieces) == b"waiting|"
            assert client.post("/trigger").status_code == 204
            assert b"".join(pieces) == b"triggered"


# --------------------------------------------------------------------------- background tasks


@pytest.mark.parametrize("inside_with", [False, True], ids=["outside-with", "inside-with"])
def test_stream_false_waits_for_background_tasks(backend, inside_with):
    flag = threading.Event()

    async def slow_task():
        await anyio.sleep(0.2)
        flag.set()

    async def endpoint(request):
        return PlainTextResponse("sent", background=BackgroundTask(slow_task))

    client = make_client(Starlette(routes=[Route("/", endpoint)]), backend)
    with client if inside_with else contextlib.nullcontext():
        response = client.get("/")
        assert flag.is_set(), "client.get returned before the background task finished"
    assert response.text == "sent"


def test_stream_iteration_ends_at_the_final_body_not_when_the_app_returns(backend):
    """With a real server the body ends with more_body=False; work the app does afterwards
    (a background task) must not hold up the end of iter_content."""
    release = threading.Event()

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"complete", "more_body": False})
        await wait_thread_event(release, 3)  # after-response work

    response = make_client(app, backend).get("/", stream=True)
    try:
        start = time.monotonic()
        body = b"".join(response.iter_content(chunk_size=None))
        elapsed = time.monotonic() - start
        assert body == b"complete"
        assert elapsed < 1.5, f"iteration ended {elapsed:.2f}s after the final body"
    finally:
        release.set()
        response.close()


def test_stream_background_task_longer_than_timeout_is_not_a_timeout(backend):
    """stream=True: the timeout bounds the start and each chunk, not work after the response."""

    async def slow_task():
        await anyio.sleep(1.2)

    async def endpoint(request):
        return PlainTextResponse("all of it", background=BackgroundTask(slow_task))

    app = Starlette(routes=[Route("/", endpoint)])
    client = make_client(app, backend)
    with client.get("/", stream=True, timeout=0.5) as response:
        assert b"".join(response.iter_content(chunk_size=None)) == b"all of it"


def test_plain_app_work_after_final_body_is_awaited_with_stream_false(backend):
    state = {}

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})
        await anyio.sleep(0.2)
        state["after"] = True

    response = make_client(app, backend).get("/")
    assert response.content == b"done"
    assert state.get("after") is True


# --------------------------------------------------------------------------- gzip


BIG_TEXT = "hello gzip world, " * 2000


def _gzip_app():
    async def endpoint(request):
        return PlainTextResponse(BIG_TEXT)

    async def stream_endpoint(request):
        async def gen():
            for i in range(0, len(BIG_TEXT), 1000):
                yield BIG_TEXT[i:i + 1000]

        return StreamingResponse(gen(), media_type="text/plain")

    return Starlette(
        routes=[Route("/", endpoint), Route("/stream", stream_endpoint)],
        middleware=[Middleware(GZipMiddleware, minimum_size=500)],
    )


def test_gzip_response_is_decoded_in_content_and_text(backend):
    response = make_client(_gzip_app(), backend).get("/")
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == BIG_TEXT.encode()
    assert response.text == BIG_TEXT


def test_gzip_response_is_decoded_in_iter_content(backend):
    with make_client(_gzip_app(), backend).get("/", stream=True) as response:
        assert response.headers["content-encoding"] == "gzip"
        body = b"".join(response.iter_content(chunk_size=1024))
    assert body == BIG_TEXT.encode()


def test_gzip_streaming_response_is_decoded_in_iter_content(backend):
    with make_client(_gzip_app(), backend).get("/stream", stream=True) as response:
        assert response.headers["content-encoding"] == "gzip"
        body = b"".join(response.iter_content(chunk_size=None))
    assert body == BIG_TEXT.encode()


def test_raw_read_without_decoding_gives_gzip_bytes(backend):
    with make_client(_gzip_app(), backend).get("/", stream=True) as response:
        raw = response.raw.read(decode_content=False)
    assert gzip.decompress(raw) == BIG_TEXT.encode()


def test_raw_read_with_decode_content_decodes_gzip(backend):
    """urllib3's raw.read(amt, decode_content=True) returns decoded bytes."""
    with make_client(_gzip_app(), backend).get("/", stream=True) as response:
        pieces = iter(lambda: response.raw.read(1000, decode_content=True), b"")
        body = b"".join(pieces)
    assert body == BIG_TEXT.encode()


def test_copyfileobj_download_idiom_with_decode_content(backend, tmp_path):
    """The common requests idiom: r.raw.decode_content = True; shutil.copyfileobj(r.raw, f)."""
    import shutil

    target = tmp_path / "download.txt"
    with make_client(_gzip_app(), backend).get("/", stream=True) as response:
        response.raw.decode_content = True
        with open(target, "wb") as f:
            shutil.copyfileobj(response.raw, f)
    assert target.read_bytes() == BIG_TEXT.encode()


def test_plain_app_deflate_response_is_decoded(backend):
    import zlib

    payload = b"deflate me " * 500

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-encoding", b"deflate")]})
        await send({"type": "http.response.body", "body": zlib.compress(payload)})

    response = make_client(app, backend).get("/")
    assert response.content == payload


def _encoded_app(encoding: bytes, body: bytes):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-encoding", encoding)]})
        await send({"type": "http.response.body", "body": body})

    return app


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_corrupt_gzip_raises_content_decoding_error(backend, stream):
    """Like requests with a real server: requests.exceptions.ContentDecodingError."""
    client = make_client(_encoded_app(b"gzip", b"this is not gzip data"), backend)
    with pytest.raises(requests.exceptions.ContentDecodingError):
        response = client.get("/", stream=stream)
        response.content  # noqa: B018


def test_multi_member_gzip_is_fully_decoded(backend):
    """urllib3 decodes every member of a concatenated gzip stream."""
    part = b"member data " * 50
    client = make_client(_encoded_app(b"gzip", gzip.compress(part) + gzip.compress(part)), backend)
    assert client.get("/").content == part + part


def test_no_accept_encoding_gives_identity(backend):
    response = make_client(_gzip_app(), backend).get("/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert response.content == BIG_TEXT.encode()


# --------------------------------------------------------------------------- large stream


def test_64mb_streamed_response_with_iter_content(backend):
    chunk = b"x" * 65536
    n_chunks = 1024  # 64 MiB

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/octet-stream")]})
        for _ in range(n_chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    total = 0
    count = 0
    start = time.monotonic()
    with make_client(app, backend).get("/big", stream=True) as response:
        for piece in response.iter_content(65536):
            total += len(piece)
            count += 1
    assert total == n_chunks * len(chunk)
    assert count >= n_chunks
    assert time.monotonic() - start < 30


def test_streamed_response_is_back_pressured(backend):
    """A slow reader: the app cannot run far ahead, the 64 MB body is never buffered whole."""
    chunk = b"y" * 65536
    n_chunks = 1024
    sent = [0]

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(n_chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            sent[0] += 1
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    with make_client(app, backend).get("/", stream=True) as response:
        pieces = response.iter_content(65536)
        total = len(next(pieces))
        time.sleep(0.3)  # the app runs meanwhile, as fast as it can
        ahead = sent[0]
        total += sum(len(p) for p in pieces)
    assert total == n_chunks * len(chunk)
    assert ahead * len(chunk) < 16 * 1024 * 1024, f"the app sent {ahead} chunks before the reader read one"


def test_raw_stream_yields_pieces_of_at_most_amt(backend):
    data = b"abcdefghij" * 5
    with make_client(_sliced_app(data, 13), backend).get("/", stream=True) as response:
        pieces = list(response.raw.stream(4))
    assert b"".join(pieces) == data
    assert all(0 < len(p) <= 4 for p in pieces)


def test_app_error_mid_stream_surfaces_from_iteration_or_close(backend):
    """raise_server_exceptions=True with stream=True: the app's error is not swallowed."""

    class AppError(Exception):
        pass

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise AppError("boom")

    response = make_client(app, backend).get("/", stream=True)
    raised = []
    try:
        b"".join(response.iter_content(chunk_size=None))
    except AppError as exc:
        raised.append(exc)
    try:
        response.close()
    except AppError as exc:
        raised.append(exc)
    assert len(raised) == 1
    assert str(raised[0]) == "boom"
