"""Where the seed's client is silent, the engine behaves like a real server.

Found by running hostile apps and upstream apps against the engine and
against uvicorn (issue 9, "Like a real server").
"""
from __future__ import annotations

import contextlib
import functools
import signal
import threading
import time
from typing import Any, Awaitable, Callable, Dict, Iterator, List

import anyio
import pytest
import requests

from RobotASGI.testclient import TestClient, WebSocketDisconnect

# --------------------------------------------------------------------------
# 15. FileResponse("relative/path") works, as under uvicorn
# --------------------------------------------------------------------------


def test_fastapi_file_response_with_a_relative_path(backend, tmp_path, monkeypatch):
    from fastapi import FastAPI
    from fastapi.responses import FileResponse

    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "report.txt").write_bytes(b"quarterly numbers\n")
    monkeypatch.chdir(tmp_path)
    app = FastAPI()

    @app.get("/report")
    def report() -> Any:
        return FileResponse("static/report.txt")

    response = TestClient(app, backend=backend).get("/report")
    assert response.status_code == 200
    assert response.content == b"quarterly numbers\n"
    assert response.headers["content-length"] == "18"


def test_pathsend_with_a_missing_relative_file_raises_the_error(backend, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.pathsend", "path": "missing.txt"})

    with pytest.raises(FileNotFoundError, match="missing.txt"):
        TestClient(app, backend=backend).get("/")


# --------------------------------------------------------------------------
# 16. Error messages never cut a message mid-word without saying so
# --------------------------------------------------------------------------


def test_a_long_offending_message_is_cut_with_a_marker(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.bogus", "note": "n" * 300, "body": b"b" * 1000})

    with pytest.raises(ASGIProtocolError) as info:
        TestClient(app, backend=backend).get("/")
    message = str(info.value)
    assert "unknown message type 'http.response.bogus'" in message
    assert "... (222 more characters)" in message  # repr of the note: 302 characters, 80 shown
    assert "... (960 more bytes)" in message


def test_a_long_unexpected_websocket_message_is_cut_with_a_marker(backend):
    from RobotASGI.testclient import UnexpectedMessage

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "word " * 100})
        await receive()

    with TestClient(app, backend=backend).websocket_connect("/") as websocket:
        with pytest.raises(UnexpectedMessage) as info:
            websocket.receive_bytes()
    assert str(info.value).endswith("... (302 more characters).")


def test_short_values_are_shown_whole(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-name", "text, not bytes")]})

    with pytest.raises(ASGIProtocolError) as info:
        TestClient(app, backend=backend).get("/")
    assert "(b'x-name', 'text, not bytes')" in str(info.value)
    assert "more characters" not in str(info.value)


# --------------------------------------------------------------------------
# 10. Responses a real server would refuse are errors
# --------------------------------------------------------------------------


def answering(status: int, headers: Any, chunks: Any = (b"",)) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for index, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": index < len(chunks) - 1})

    return app


@pytest.mark.parametrize(
    "headers, words",
    [
        ([(b"x-note", b"ok\r\nset-cookie: admin=1")], ("x-note", "CR (0x0d)", "position 2")),
        ([(b"x-note", b"line\nbreak")], ("x-note", "LF (0x0a)")),
        ([(b"x-note", b"nul\x00byte")], ("x-note", "NUL (0x00)")),
        ([(b"x-note", b"bell\x07")], ("x-note", "a control character (0x07)")),
        ([(b"bad name", b"value")], ("b'bad name'", "not an HTTP token")),
        ([(b"x-colon:", b"value")], ("b'x-colon:'", "not an HTTP token")),
        ([(b"", b"value")], ("b''", "not an HTTP token")),
    ],
)
def test_forbidden_response_headers_are_protocol_errors(backend, headers, words):
    from RobotASGI.testclient import ASGIProtocolError

    with pytest.raises(ASGIProtocolError) as info:
        TestClient(answering(200, headers, [b"fine"]), backend=backend).get("/")
    for word in words:
        assert word in str(info.value)


def test_tab_and_latin1_bytes_in_header_values_are_allowed(backend):
    app = answering(200, [(b"x-tab", b"a\tb"), (b"x-latin", "caf\u00e9".encode("latin-1"))], [b"ok"])
    response = TestClient(app, backend=backend).get("/")
    assert response.headers["x-tab"] == "a\tb"
    assert response.headers["x-latin"] == "caf\u00e9"


def test_forbidden_trailer_header_is_a_protocol_error(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [], "trailers": True})
        await send({"type": "http.response.body", "body": b"data"})
        await send({"type": "http.response.trailers", "headers": [(b"x-checksum", b"1\r\n2")]})

    with pytest.raises(ASGIProtocolError, match="x-checksum"):
        TestClient(app, backend=backend).get("/")


def test_forbidden_websocket_accept_header_is_a_protocol_error(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept", "headers": [(b"x-session", b"a\r\nb")]})

    with pytest.raises(ASGIProtocolError, match="x-session"):
        with TestClient(app, backend=backend).websocket_connect("/"):
            pass


def test_forbidden_websocket_denial_header_is_a_protocol_error(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.http.response.start", "status": 403, "headers": [(b"x-why", b"\n")]})
        await send({"type": "websocket.http.response.body", "body": b"no"})

    with pytest.raises(ASGIProtocolError, match="x-why"):
        with TestClient(app, backend=backend).websocket_connect("/"):
            pass


@pytest.mark.parametrize("stream", [False, True])
def test_a_body_longer_than_its_content_length_is_a_protocol_error(backend, stream):
    from RobotASGI.testclient import ASGIProtocolError

    app = answering(200, [(b"content-length", b"5")], [b"abc", b"defg"])
    with pytest.raises(ASGIProtocolError) as info:
        response = TestClient(app, backend=backend).get("/", stream=stream)
        assert response.content is None  # not reached: reading the body raises
    assert "longer than its content-length: 5 bytes declared, 7 sent so far" in str(info.value)


@pytest.mark.parametrize("stream", [False, True])
def test_a_body_shorter_than_its_content_length_is_a_protocol_error(backend, stream):
    from RobotASGI.testclient import ASGIProtocolError

    app = answering(200, [(b"content-length", b"10")], [b"abc", b"def"])
    with pytest.raises(ASGIProtocolError) as info:
        response = TestClient(app, backend=backend).get("/", stream=stream)
        assert response.content is None  # not reached: reading the body raises
    assert "shorter than its content-length: 10 bytes declared, 6 sent" in str(info.value)


def test_a_content_length_that_is_not_a_number_is_a_protocol_error(backend):
    from RobotASGI.testclient import ASGIProtocolError

    with pytest.raises(ASGIProtocolError, match="content-length b'ten' is not a number"):
        TestClient(answering(200, [(b"content-length", b"ten")]), backend=backend).get("/")
    with pytest.raises(ASGIProtocolError, match="two content-length headers disagree: 1 and 2"):
        TestClient(answering(200, [(b"content-length", b"1"), (b"content-length", b"2")], [b"x"]), backend=backend).get("/")


@pytest.mark.parametrize("status", [204, 304])
def test_bodiless_statuses_are_not_held_to_their_content_length(backend, status):
    response = TestClient(answering(status, [(b"content-length", b"42")]), backend=backend).get("/")
    assert response.status_code == status
    assert response.content == b""


def test_head_is_not_held_to_the_content_length(backend):
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    app = Starlette(routes=[Route("/", lambda request: PlainTextResponse("twelve bytes"), methods=["GET", "HEAD"])])
    response = TestClient(app, backend=backend).head("/")
    assert response.headers["content-length"] == "12"
    assert response.content == b""


def test_a_correct_content_length_passes_across_chunks_and_pathsend(backend, tmp_path):
    target = tmp_path / "file.bin"
    target.write_bytes(b"z" * 70_000)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"70000")]})
        await send({"type": "http.response.pathsend", "path": str(target)})

    assert len(TestClient(app, backend=backend).get("/").content) == 70_000
    app2 = answering(200, [(b"content-length", b"6")], [b"ab", b"cd", b"ef"])
    assert TestClient(app2, backend=backend).get("/").content == b"abcdef"


# --------------------------------------------------------------------------
# 9. An interrupted call stops the app
# --------------------------------------------------------------------------


class Interrupt(BaseException):
    """What a Robot [Timeout] or Ctrl-C raises in the caller's thread."""


@contextlib.contextmanager
def interrupted_after(seconds: float) -> Iterator[None]:
    """Raise Interrupt in this (the main) thread after ``seconds``."""

    def handler(signum: int, frame: Any) -> None:
        raise Interrupt()

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class EndlessStream:
    """Sends chunks for ever (every ``pause`` s); records when it ends and how."""

    def __init__(self, pause: float = 0.0) -> None:
        self.pause = pause
        self.ended = threading.Event()
        self.chunks = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            while True:
                self.chunks += 1
                await send({"type": "http.response.body", "body": b"x" * 4096, "more_body": True})
                await anyio.sleep(self.pause)
        finally:
            self.ended.set()


def test_an_interrupted_request_inside_with_cancels_the_app_at_once(backend):
    app = EndlessStream()
    with TestClient(app, backend=backend) as client:
        with pytest.raises(Interrupt):
            with interrupted_after(0.3):
                client.get("/")  # never finishes: the app streams for ever
        interrupted = time.monotonic()
        assert app.ended.wait(2), "the app kept running after the interrupt"
        assert time.monotonic() - interrupted < 1
        chunks = app.chunks
        time.sleep(0.2)
        assert app.chunks == chunks  # and it buffers nothing more
        assert client.get("/", stream=True).status_code == 200  # the client stays usable


def test_an_interrupted_streamed_read_cancels_the_app(backend):
    app = EndlessStream(pause=10)
    with TestClient(app, backend=backend) as client:
        response = client.get("/", stream=True)
        chunks = response.iter_content(None)
        assert next(chunks)
        with pytest.raises(Interrupt):
            with interrupted_after(0.2):
                next(chunks)  # the app sleeps before its next chunk
        assert app.ended.wait(2)


def test_an_interrupted_websocket_receive_cancels_the_app(backend):
    ended = threading.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "websocket":
            return  # no lifespan
        try:
            await receive()
            await send({"type": "websocket.accept"})
            await anyio.sleep_forever()
        finally:
            ended.set()

    with TestClient(app, backend=backend) as client:
        websocket = client.websocket_connect("/").__enter__()
        with pytest.raises(Interrupt):
            with interrupted_after(0.2):
                websocket.receive_text(timeout=30)
        assert ended.wait(2)


# --------------------------------------------------------------------------
# 11. A cancelled app is never a made-up response
# --------------------------------------------------------------------------


def request_in_thread(call: Any) -> Dict[str, Any]:
    outcome: Dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except BaseException as exc:  # noqa: B036 - recorded for the test to check
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    outcome["thread"] = thread
    return outcome


@pytest.mark.parametrize("started", [False, True])
def test_a_request_cut_off_by_closing_the_client_is_a_connection_error(backend, started):
    arrived = threading.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        if started:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        arrived.set()
        await anyio.sleep_forever()

    for raise_server_exceptions in (True, False):
        arrived.clear()
        client = TestClient(app, backend=backend, raise_server_exceptions=raise_server_exceptions)
        client.open()
        outcome = request_in_thread(functools.partial(client.get, "/slow"))
        assert arrived.wait(5)
        client.close()  # from another thread than the request's
        outcome["thread"].join(10)
        error = outcome.get("error")
        assert isinstance(error, requests.exceptions.ConnectionError), outcome
        assert "the client was closed" in str(error)
        assert "GET http://testserver/slow" in str(error)


def test_a_stream_cut_off_by_closing_the_client_is_a_connection_error(backend):
    app = EndlessStream(pause=10)
    client = TestClient(app, backend=backend)
    client.open()
    response = client.get("/", stream=True)
    chunks = response.iter_content(None)
    assert next(chunks)
    client.close()
    with pytest.raises(requests.exceptions.ConnectionError, match="before the response body was complete"):
        for _ in chunks:
            pass


def test_an_app_raising_cancelled_error_itself_is_raised_like_any_exception():
    import asyncio

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise asyncio.CancelledError("the app's own")

    with pytest.raises(asyncio.CancelledError, match="the app's own"):
        TestClient(app, backend="asyncio").get("/")
    response = TestClient(app, backend="asyncio", raise_server_exceptions=False).get("/")
    assert response.status_code == 500


# --------------------------------------------------------------------------
# 12. response.raw is a file like urllib3's response
# --------------------------------------------------------------------------


async def lines_app(scope: Any, receive: Any, send: Any) -> None:
    await send({
        "type": "http.response.start",
        "status": 201,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"set-cookie", b"a=1; Path=/"),
            (b"set-cookie", b"b=2; Path=/, c"),
            (b"x-trace", b"one"),
        ],
    })
    for part in (b"first line\nsec", b"ond line\n", b"caf\xc3\xa9\nlast without newline"):
        await send({"type": "http.response.body", "body": part, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


def test_raw_reads_lines_across_chunks(backend):
    raw = TestClient(lines_app, backend=backend).get("/", stream=True).raw
    assert raw.readline() == b"first line\n"
    assert raw.readline(3) == b"sec"
    assert raw.readline() == b"ond line\n"
    assert list(raw) == [b"caf\xc3\xa9\n", b"last without newline"]
    assert raw.readline() == b""
    assert raw.closed


def test_raw_read_readinto_read1_and_tell(backend):
    raw = TestClient(lines_app, backend=backend).get("/", stream=True).raw
    assert raw.tell() == 0
    buffer = bytearray(5)
    assert raw.readinto(buffer) == 5
    assert bytes(buffer) == b"first"
    assert raw.read1(100) == b" line\nsec"  # what is left of the first chunk
    assert raw.read(4) == b"ond "
    assert raw.tell() == len(b"first line\nsec") + len(b"ond line\n")
    assert raw.read() == b"line\ncaf\xc3\xa9\nlast without newline"
    assert raw.read() == b""


def test_raw_works_with_text_io_wrapper(backend):
    import io

    raw = TestClient(lines_app, backend=backend).get("/", stream=True).raw
    text = io.TextIOWrapper(raw, encoding="utf-8")
    assert text.readline() == "first line\n"
    assert text.read() == "second line\ncaf\u00e9\nlast without newline"


def test_raw_headers_keep_repeated_set_cookie_headers_apart(backend):
    response = TestClient(lines_app, backend=backend).get("/", stream=True)
    raw = response.raw
    assert raw.headers.getlist("set-cookie") == ["a=1; Path=/", "b=2; Path=/, c"]
    assert raw.getheader("X-Trace") == "one"
    assert raw.getheader("x-missing", "none") == "none"
    assert raw.getheaders().getlist("x-trace") == ["one"]
    assert response.headers["set-cookie"] == "a=1; Path=/, b=2; Path=/, c"  # requests joins them, as ever
    assert (raw.status, raw.reason, raw.version) == (201, "Created", 11)
    assert raw.data.startswith(b"first line\n")
    assert raw.data == raw.data  # kept once read


# --------------------------------------------------------------------------
# 13. Leaving with closes connections before shutdown
# 14. response.close() on a stream returns at once
# --------------------------------------------------------------------------


class ShutdownRecorder:
    """Lifespan, an endless WebSocket and an endless event stream, recording the order of events."""

    def __init__(self) -> None:
        self.events: List[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            self.events.append("lifespan shutdown")
            await send({"type": "lifespan.shutdown.complete"})
        elif scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.accept"})
            message = await receive()
            self.events.append(f"websocket {message['type']} {message.get('code')}")
        else:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"event\n", "more_body": True})
            message = await receive()
            while message["type"] == "http.request":  # the (empty) request body first
                message = await receive()
            self.events.append(f"stream {message['type']}")


def test_leaving_with_closes_open_connections_before_lifespan_shutdown(backend):
    app = ShutdownRecorder()
    with TestClient(app, backend=backend) as client:
        websocket = client.websocket_connect("/ws").__enter__()
        response = client.get("/events", stream=True)
        assert next(response.iter_content(None)) == b"event\n"
        started = time.monotonic()
    assert time.monotonic() - started < 2
    assert sorted(app.events[:2]) == ["stream http.disconnect", "websocket websocket.disconnect 1012"]
    assert app.events[2:] == ["lifespan shutdown"]
    with pytest.raises(WebSocketDisconnect) as closed:
        websocket.receive_text()
    assert closed.value.code == 1012
    with pytest.raises(requests.exceptions.ConnectionError, match="the client's with block ended"):
        response.raw.read()


def test_connections_that_ignore_the_shutdown_are_cancelled_in_bounded_time(backend):
    ended = threading.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        await send({"type": "websocket.accept"})
        try:
            await anyio.sleep_forever()  # never looks at receive()
        finally:
            ended.set()

    with TestClient(app, backend=backend) as client:
        client.websocket_connect("/ws").__enter__()
        started = time.monotonic()
    assert ended.is_set()
    assert time.monotonic() - started < 3


class SlowEventStream:
    """Notices the client only at its next send, every ``pause`` seconds (as
    Starlette's StreamingResponse does); records when it ends."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self.ended = threading.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            while True:
                await send({"type": "http.response.body", "body": b"data: tick\n\n", "more_body": True})
                await anyio.sleep(self.pause)
        finally:
            self.ended.set()


@pytest.mark.parametrize("inside_with", [True, False])
def test_closing_a_stream_returns_at_once(backend, inside_with):
    app = SlowEventStream(pause=30)
    client = TestClient(app, backend=backend)
    threads_before = set(threading.enumerate())
    if inside_with:
        client.open()
    try:
        response = client.get("/", stream=True)
        assert next(response.iter_content(None))
        started = time.monotonic()
        response.close()
        assert time.monotonic() - started < 0.2
        # the app, blind to the disconnect, is cancelled on the loop after the grace
        assert app.ended.wait(5)
    finally:
        client.close()
    deadline = time.monotonic() + 5
    while set(threading.enumerate()) - threads_before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not set(threading.enumerate()) - threads_before, "the response's loop kept running"


def test_starlette_event_stream_closed_early_returns_at_once(backend):
    from starlette.applications import Starlette
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    async def events() -> Any:
        for number in range(1000):
            yield f"data: {number}\n\n"
            await anyio.sleep(1)

    app = Starlette(routes=[Route("/events", lambda request: StreamingResponse(events(), media_type="text/event-stream"))])
    with TestClient(app, backend=backend) as client:
        started = time.monotonic()
        for _ in range(3):
            response = client.get("/events", stream=True)
            assert next(response.iter_lines()) == b"data: 0"
            response.close()
        assert time.monotonic() - started < 1.5


def test_the_app_may_answer_the_clients_close_with_its_own(backend):
    # The close handshake: after the client's close frame a server still sends
    # its own; only data after the close fails (ClientDisconnected).
    from starlette.endpoints import WebSocketEndpoint

    class BytesOnly(WebSocketEndpoint):
        encoding = "bytes"  # text makes it close with 1003, then raise RuntimeError

    client = TestClient(BytesOnly, backend=backend)
    with pytest.raises(RuntimeError, match="Expected bytes websocket messages"):
        with client.websocket_connect("/ws") as websocket:
            websocket.send_text("text, not bytes")


# --------------------------------------------------------------------------
# The app's own exception keeps its own context, whatever the engine was doing
# --------------------------------------------------------------------------


class Wrapped(Exception):
    pass


async def _raise_with_context() -> None:
    try:
        {}["missing"]
    except KeyError:
        raise Wrapped("while handling a KeyError")  # noqa: B904 - the implicit context is the point


def test_a_streamed_response_raises_the_apps_exception_with_its_own_context(backend):
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"part", "more_body": True})
        await _raise_with_context()

    response = TestClient(app, backend=backend).get("/", stream=True)
    with pytest.raises(Wrapped) as raised:
        response.raw.read()
    assert isinstance(raised.value.__context__, KeyError)


def test_a_websocket_raises_the_apps_exception_with_its_own_context(backend):
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        await send({"type": "websocket.accept"})
        await _raise_with_context()

    with TestClient(app, backend=backend).websocket_connect("/") as websocket:
        with pytest.raises(Wrapped) as raised:
            websocket.receive_text()
    assert isinstance(raised.value.__context__, KeyError)


def _one_tick_app(after_tick: Callable[[Any], Awaitable[None]]) -> Any:
    """A streamed response of one chunk, ``b"tick"``, after which the app runs ``after_tick(receive)``."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"tick", "more_body": True})
        await after_tick(receive)

    return app


async def _until_disconnect(receive: Any) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def test_wait_for_app_after_closing_a_stream(backend):
    async def fail_after_the_disconnect(receive: Any) -> None:
        await _until_disconnect(receive)
        raise Wrapped("cleanup after the disconnect failed")

    with TestClient(_one_tick_app(fail_after_the_disconnect), backend=backend) as client:
        response = client.get("/", stream=True)
        assert next(response.iter_content(None)) == b"tick"
        response.close()
        error = response.raw.wait_for_app(5)
    assert isinstance(error, Wrapped) and str(error) == "cleanup after the disconnect failed"


def test_wait_for_app_is_bounded(backend):
    from RobotASGI.testclient import StreamTimeout

    async def sleep(receive: Any) -> None:
        await anyio.sleep(30)

    with TestClient(_one_tick_app(sleep), backend=backend) as client:
        response = client.get("/", stream=True)
        with pytest.raises(StreamTimeout, match="still running after 0.2 s"):
            response.raw.wait_for_app(0.2)
        response.close()


def test_app_ending_is_kept_without_a_trace(backend):
    with TestClient(_one_tick_app(_until_disconnect), backend=backend, trace=False) as client:
        response = client.get("/", stream=True)
        assert response.raw.app_ending is None
        response.close()
        assert response.raw.wait_for_app(5) is None
        assert response.raw.app_ending == "the app returned"
        assert response.asgi_trace is None
