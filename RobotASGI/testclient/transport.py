"""HTTP requests served by an ASGI application, in-process.

:class:`ASGIAdapter` is a ``requests`` transport adapter: ``send()`` turns a
prepared request into an ``http`` scope, runs the application on the client's
event loop as an :class:`HTTPExchange`, and builds a ``requests.Response``
whose raw body (:class:`ResponseStream`) is read as the app produces it.
"""
from __future__ import annotations

import http
import io
import sys
import threading
import weakref
import os
import zlib
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Tuple, Union

import anyio
import anyio.lowlevel
import anyio.to_thread
import requests
from requests.adapters import BaseAdapter
from requests.cookies import extract_cookies_to_jar
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from .channel import CHECKPOINT_EVERY, Channel, ChannelClosed
from .errors import ASGIProtocolError, ASGITimeout, ClientDisconnected, message_type
from .loop import EventLoopThread
from .task import AppTask
from .scope import URLLIB3_1, HeaderList, Target, connection_scope, encode_headers
from .types import ASGIApp, Message

if TYPE_CHECKING:
    from .client import TestClient

#: The extensions this client implements, advertised in every ``http`` scope.
HTTP_EXTENSIONS: Dict[str, Dict[str, Any]] = {
    "http.response.debug": {},
    "http.response.template": {},
    "http.response.trailers": {},
    "http.response.pathsend": {},
}

#: How requests' transport encodes a str request body, by urllib3 major version.
STR_BODY_ENCODING = "latin-1" if URLLIB3_1 else "utf-8"
#: Bytes of a streamed response buffered before the app's ``send()`` waits.
STREAM_BUFFER = 1 << 20
#: Size of the chunks read from file request bodies and ``pathsend`` files.
FILE_CHUNK = 1 << 16
#: How long an app may keep running after the client closed a response.
DISCONNECT_GRACE = 2.0

_START, _BODY, _TRAILERS, _END = "start", "body", "trailers", "end"
Event = Tuple[str, Any]


#: What one queued event costs beyond its payload (tuple, bytes header, deque slot).
EVENT_OVERHEAD = 128


def _event_size(event: Event) -> int:
    """An event's share of the buffer: its bytes and its own overhead, so a
    flood of tiny chunks is bounded as well as a few large ones."""
    return EVENT_OVERHEAD + (len(event[1]) if event[0] == _BODY else 0)


class RequestBody:
    """The request body as a series of chunks, read lazily on the loop.

    Bytes and text are sent in one ``http.request`` message. Files and
    iterators are read chunk by chunk in a worker thread (user code may block)
    and end with an empty message whose ``more_body`` is false, as a server
    reading a chunked upload does.
    """

    def __init__(self, body: Any) -> None:
        self._whole: Optional[bytes] = None
        self._next: Optional[Callable[[], Optional[bytes]]] = None
        if body is None:
            self._whole = b""
        elif isinstance(body, (bytes, bytearray, memoryview)):
            self._whole = bytes(body)
        elif isinstance(body, str):
            # What a real connection sends: urllib3 2 encodes str bodies as
            # UTF-8, urllib3 1 leaves them to http.client, which uses latin-1.
            try:
                self._whole = body.encode(STR_BODY_ENCODING)
            except UnicodeEncodeError as exc:
                raise ValueError(
                    f"The request body {body[:40]!r} is not latin-1 text, which is what a str body is sent "
                    "as with urllib3 1.x; pass bytes instead, e.g. data=text.encode('utf-8')."
                ) from exc
        elif hasattr(body, "read"):
            self._next = lambda: _as_bytes(body.read(FILE_CHUNK)) or None
        else:
            try:
                iterator = iter(body)
            except TypeError:
                raise TypeError(
                    f"Cannot send a request body of type {type(body).__name__}: use bytes, str, "
                    "a file object or an iterable of bytes."
                ) from None
            self._next = lambda: _next_chunk(iterator)
        self.done = False

    async def next_message(self) -> Message:
        if self._whole is not None:
            self.done = True
            return {"type": "http.request", "body": self._whole, "more_body": False}
        assert self._next is not None
        chunk = await anyio.to_thread.run_sync(self._next)
        if chunk is None:
            self.done = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}


def _next_chunk(iterator: Iterator[Any]) -> Optional[bytes]:
    for chunk in iterator:
        data = _as_bytes(chunk)
        if data:
            return data
    return None


def _as_bytes(chunk: Any) -> bytes:
    if isinstance(chunk, str):
        return chunk.encode("utf-8")
    return bytes(chunk)


class HTTPExchange(AppTask):
    """One request and its response, played out on the event loop.

    The application's messages are checked against the ASGI HTTP protocol
    and handed to the caller's thread through a :class:`Channel` as events:
    the response start, body chunks, trailers and the end of the body; the
    channel closes when the application returns (background tasks included).
    """

    def __init__(
        self, app: ASGIApp, scope: Dict[str, Any], body: RequestBody, loop: EventLoopThread, *, streaming: bool
    ) -> None:
        super().__init__(app, scope, loop)
        self.body = body
        self.head = scope["method"] == "HEAD"
        # A streamed response is read while the app runs: bound what waits in
        # between. A whole response is collected anyway: never make the app
        # wait, and gather its body in one buffer (getvalue() hands it over
        # without a copy, so a large body costs its size once, not twice).
        self.events: Channel[Event] = Channel(loop, STREAM_BUFFER if streaming else sys.maxsize, _event_size)
        self.whole_body: Optional[io.BytesIO] = None if streaming else io.BytesIO()
        self._sends = 0
        self.template: Any = None
        self.context: Any = None
        self.disconnected = False
        self.streaming = streaming
        self._state = "idle"  # -> "started" -> "trailers" -> "complete"
        self._trailers = False
        self._status = 0
        self._body_bytes = 0
        self._over = False  # the response is complete, or the client went away
        self._over_event: Optional[anyio.Event] = None  # made only if the app waits for it

    # -- on the loop --------------------------------------------------------
    def _set_over(self) -> None:
        self._over = True
        if self._over_event is not None:
            self._over_event.set()

    def _on_finish(self) -> None:
        self._set_over()
        self.events.close_writer()

    async def receive(self) -> Message:
        if not self.body.done and not self.disconnected:
            return await self.body.next_message()
        if not self._over:
            if self._over_event is None:
                self._over_event = anyio.Event()
            await self._over_event.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.disconnected:
            raise ClientDisconnected("The client has closed the connection.")
        self._sends += 1
        if self._sends % CHECKPOINT_EVERY == 0:  # an app that only sends stays cancellable
            await anyio.lowlevel.checkpoint()
        kind = message_type(message)
        if kind == "http.response.start":
            await self._start(message)
        elif kind == "http.response.body":
            await self._body(message)
        elif kind == "http.response.trailers":
            await self._trailers_message(message)
        elif kind == "http.response.pathsend":
            await self._pathsend(message)
        elif kind == "http.response.debug":
            info = message.get("info")
            if not isinstance(info, dict):
                raise self.violation("http.response.debug needs an 'info' dict", message)
            self.template, self.context = info.get("template"), info.get("context")
        elif kind == "http.response.template":
            self.template, self.context = message.get("template"), message.get("context")
        elif not isinstance(message, dict):
            raise self.violation("a message must be a dict", message)
        else:
            raise self.violation(f"unknown message type {kind!r} for an http connection", message)

    async def _start(self, message: Message) -> None:
        if self._state != "idle":
            raise self.violation("http.response.start sent twice", message)
        status = message.get("status")
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
            raise self.violation(f"the status must be an int from 100 to 599, not {status!r}", message)
        headers = _check_headers(message.get("headers", ()), lambda text: self.violation(text, message))
        self._trailers = bool(message.get("trailers", False))
        self._status = status
        self._state = "started"
        await self.events.put((_START, (status, headers)))

    async def _body(self, message: Message) -> None:
        if self._state == "idle":
            raise self.violation("http.response.body sent before http.response.start", message)
        if self._state != "started":
            raise self.violation("http.response.body sent after the response body was complete", message)
        body = message.get("body", b"")
        if not isinstance(body, (bytes, bytearray, memoryview)):
            raise self.violation(f"the body must be bytes, not {type(body).__name__}", message)
        self._body_bytes += len(body)
        if body and not self.head:
            await self._deliver(body)
        if not message.get("more_body", False):
            await self._body_complete()

    async def _trailers_message(self, message: Message) -> None:
        if self._state != "trailers":
            why = "without trailers=True in http.response.start" if not self._trailers else "before the body was complete"
            raise self.violation(f"http.response.trailers sent {why}", message)
        headers = _check_headers(message.get("headers", ()), lambda text: self.violation(text, message))
        await self.events.put((_TRAILERS, headers))
        if not message.get("more_trailers", False):
            await self._complete()

    async def _pathsend(self, message: Message) -> None:
        if self._state != "started":
            raise self.violation("http.response.pathsend must follow http.response.start", message)
        path = message.get("path")
        if not isinstance(path, str) or not os.path.isabs(path):
            raise self.violation("http.response.pathsend needs an absolute 'path' string", message)
        with open(path, "rb") as file:
            while True:
                chunk = await anyio.to_thread.run_sync(file.read, FILE_CHUNK)
                if not chunk:
                    break
                if not self.head:
                    await self._deliver(chunk)
        await self._body_complete()

    async def _deliver(self, chunk: Any) -> None:
        if self.whole_body is not None:
            self.whole_body.write(chunk)
        else:
            await self.events.put((_BODY, bytes(chunk)))

    async def _body_complete(self) -> None:
        if self._trailers:
            self._state = "trailers"
        else:
            await self._complete()

    async def _complete(self) -> None:
        """The response is over for the client; the app may still run (background tasks)."""
        self._state = "complete"
        self._set_over()
        if self.streaming:  # a whole response is read once the app has returned
            await self.events.put((_END, None))

    @property
    def progress(self) -> str:
        """How far the response got, for messages: "" before it started."""
        if self._state == "idle":
            return ""
        if self._state == "complete":
            return "it sent its whole response, then kept running"
        return f"it sent status {self._status} and {self._body_bytes} body bytes, then no end of the body"

    def _after_return(self) -> None:
        if self.disconnected:
            return
        if self._state == "idle":
            raise self.violation("the application returned without sending http.response.start", None)
        if self._state == "started":
            raise self.violation(
                "the application returned before the response was complete "
                "(its last http.response.body had more_body=True)",
                None,
            )
        if self._state == "trailers":
            raise self.violation("the application returned without sending the announced trailers", None)

    def _disconnect(self) -> None:
        self.disconnected = True
        self._set_over()

    # -- from the caller's thread -------------------------------------------
    def disconnect(self) -> None:
        """The client goes away: tell the app, give it a moment, then cancel it."""
        if self.finished.is_set():
            return
        self.events.close_reader()
        self.loop.post(self._disconnect)
        if not self.finished.wait(DISCONNECT_GRACE):
            self.cancel()


def _check_headers(headers: Any, violation: Callable[[str], ASGIProtocolError]) -> HeaderList:
    checked: HeaderList = []
    try:
        pairs = list(headers)
    except TypeError:
        raise violation("headers must be an iterable of [name, value] byte pairs") from None
    for pair in pairs:
        try:
            name, value = pair
        except (TypeError, ValueError):
            raise violation(f"each header must be a [name, value] pair, not {pair!r:.60}") from None
        if not isinstance(name, (bytes, bytearray)) or not isinstance(value, (bytes, bytearray)):
            raise violation(f"header names and values must be bytes, not {pair!r:.60}")
        checked.append((bytes(name), bytes(value)))
    return checked


class _HeaderMessage:
    """The slice of ``http.client.HTTPMessage`` that cookie extraction reads."""

    def __init__(self, headers: HeaderList) -> None:
        self._headers = headers

    def get_all(self, name: str, default: Any = None) -> Any:
        wanted = name.lower().encode("latin-1")
        values = [value.decode("latin-1") for key, value in self._headers if key.lower() == wanted]
        return values or default


class _OriginalResponse:
    def __init__(self, headers: HeaderList) -> None:
        self.msg = _HeaderMessage(headers)


class _Decoder:
    """Undoes a ``Content-Encoding`` the way urllib3 does for requests.

    Corrupt data raises :class:`requests.exceptions.ContentDecodingError`, as
    requests does with a real server.
    """

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding.strip().lower()
        self._inflater: Any = None
        self._first = True
        if self._encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._encoding == "deflate":
            self._inflater = zlib.decompressobj()
        elif self._encoding == "br":
            brotli = _optional_module("brotli") or _optional_module("brotlicffi")
            if brotli is not None:
                self._inflater = brotli.Decompressor()

    @property
    def active(self) -> bool:
        return self._inflater is not None

    def decode(self, data: bytes) -> bytes:
        try:
            return self._decode(data)
        except Exception as exc:
            raise requests.exceptions.ContentDecodingError(
                f"The response body is not valid {self._encoding} data ({exc})."
            ) from exc

    def flush(self) -> bytes:
        flush = getattr(self._inflater, "flush", None)
        return flush() if flush is not None else b""

    def _decode(self, data: bytes) -> bytes:
        if self._encoding == "br":
            process = getattr(self._inflater, "process", None) or self._inflater.decompress
            return process(data)
        if self._encoding == "deflate" and self._first:
            self._first = False
            try:
                return self._inflater.decompress(data)
            except zlib.error:  # raw deflate without the zlib header, as some servers send
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                return self._inflater.decompress(data)
        output = self._inflater.decompress(data)
        # gzip allows several members one after the other: decode them all.
        while self._encoding != "deflate" and self._inflater.eof and self._inflater.unused_data:
            rest = self._inflater.unused_data
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            output += self._inflater.decompress(rest)
        return output


def _optional_module(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:
        return None


class ResponseStream:
    """The raw body of a response (``response.raw``), read as the app sends it.

    It offers what ``requests`` uses of urllib3's response: ``stream()`` for
    ``iter_content`` (chunks as they arrive, decoded), ``read()`` (raw bytes),
    ``close()`` and ``release_conn()``. Closing it before the body is complete
    disconnects the application.
    """

    def __init__(
        self,
        exchange: Optional[HTTPExchange],
        status: int,
        headers: HeaderList,
        content_encoding: str,
        *,
        timeout: Optional[float],
        raise_errors: bool,
        on_close: Callable[[], None],
        owns_loop: bool = False,
        trailers: CaseInsensitiveDict,
    ) -> None:
        self._exchange = exchange
        self.status = status
        self.headers = _joined_headers(headers)
        self._original_response = _OriginalResponse(headers)
        self.decode_content = False
        self._encoding = content_encoding
        self._timeout = timeout
        self._raise_errors = raise_errors
        self._on_close = on_close
        self._owns_loop = owns_loop
        self._trailers = trailers
        self._pending: List[bytes] = []
        self._decoder: Optional[_Decoder] = None
        self._decoder_flushed = False
        self._ended = exchange is None
        # A response dropped unread and unclosed is released when collected,
        # as a real connection closes with its socket: otherwise the loop
        # it owns (outside a with block) would run for ever.
        self._finalizer = (
            weakref.finalize(self, _release_abandoned, exchange, on_close) if exchange is not None and owns_loop else None
        )

    # -- reading ------------------------------------------------------------
    def _next_raw(self) -> Optional[bytes]:
        """The next undecoded chunk, or None at the end of the body."""
        if self._pending:
            return self._pending.pop(0)
        while not self._ended:
            exchange = self._exchange
            assert exchange is not None
            try:
                kind, payload = exchange.events.get(self._timeout)
            except TimeoutError:
                self._abort()
                raise ASGITimeout(
                    f"The application sent no more of the response body within {self._timeout:g} s; "
                    "it was cancelled."
                ) from None
            except ChannelClosed:
                self._end()
                break
            if kind == _BODY:
                return payload
            if kind == _TRAILERS:
                self._trailers.update(_joined_headers(payload))
            elif kind == _END:
                self._end()
        return None

    def _end(self) -> None:
        """The body is complete, or the app stopped before completing it."""
        self._ended = True
        exchange = self._exchange
        if exchange is not None and exchange.finished.is_set():
            self._release(exchange)

    def _release(self, exchange: HTTPExchange) -> None:
        """Let go of the exchange; raise its failure as a request would.

        A response that owns its event loop (outside ``with``) first gives what
        the app still does after the body - background tasks - the read
        timeout to finish, since stopping the loop cancels it.
        """
        if self._owns_loop:
            exchange.finished.wait(self._timeout)
        self._finish()
        if self._raise_errors and exchange.finished.is_set() and exchange.failure is not None:
            raise exchange.failure

    def _next(self, decode: bool) -> Optional[bytes]:
        """The next chunk, decoded when asked; None at the end of the body."""
        if not decode or not self._encoding:
            return self._next_raw()
        if self._decoder is None:
            self._decoder = _Decoder(self._encoding)
        while True:
            if self._pending:
                return self._pending.pop(0)
            chunk = self._next_raw()
            if chunk is None:
                tail, self._decoder_flushed = (b"", True) if self._decoder_flushed else (self._decoder.flush(), True)
                return tail or None
            try:
                decoded = self._decoder.decode(chunk)
            except Exception:
                self._abort()  # the body cannot be read: free the exchange and its loop
                raise
            if decoded:
                return decoded

    def _decoding(self, decode_content: Optional[bool]) -> bool:
        return self.decode_content if decode_content is None else bool(decode_content)

    def stream(self, amt: Optional[int] = 2**16, decode_content: Optional[bool] = None) -> Iterator[bytes]:
        """Yield the body as it arrives, in pieces of at most ``amt`` bytes."""
        decode = self._decoding(decode_content)
        while True:
            chunk = self._next(decode)
            if chunk is None:
                return
            yield from _split(chunk, amt)

    def read(self, amt: Optional[int] = None, decode_content: Optional[bool] = None, cache_content: bool = False) -> bytes:
        """``amt`` bytes (fewer only at the end; all that is left when None).

        Like urllib3's ``read``, it waits for more of the body until it has
        ``amt`` bytes; ``stream()`` is the way to get chunks as they arrive.
        The body is decoded when ``decode_content`` (or the attribute of that
        name) is true.
        """
        decode = self._decoding(decode_content)
        if amt is None or amt < 0:
            return b"".join(iter(lambda: self._next(decode), None))
        parts: List[bytes] = []
        wanted = amt
        while wanted > 0:
            chunk = self._next(decode)
            if chunk is None:
                break
            if len(chunk) > wanted:
                self._pending.insert(0, chunk[wanted:])
                chunk = chunk[:wanted]
            parts.append(chunk)
            wanted -= len(chunk)
        return b"".join(parts)

    def readable(self) -> bool:
        return True

    # -- closing ------------------------------------------------------------
    def _abort(self) -> None:
        self._ended = True
        exchange = self._exchange
        if exchange is not None:
            exchange.cancel()
        self._finish()

    def _finish(self) -> None:
        if self._finalizer is not None:
            self._finalizer.detach()
        if self._exchange is not None:
            self._exchange = None
            self._on_close()

    def close(self) -> None:
        exchange = self._exchange
        if exchange is None:
            return
        if not self._ended:
            self._ended = True
            self._pending.clear()
            exchange.disconnect()
            self._finish()
            return
        self._release(exchange)

    @property
    def closed(self) -> bool:
        return self._ended

    def release_conn(self) -> None:
        self.close()


def _release_abandoned(exchange: HTTPExchange, release: Callable[[], None]) -> None:
    """Disconnect an abandoned exchange and free its loop, from a thread of its
    own: the garbage collector may run this on any thread, the loop's too."""

    def release_now() -> None:
        try:
            exchange.disconnect()
        finally:
            release()

    threading.Thread(target=release_now, name="robotasgi-release", daemon=True).start()


def _split(chunk: bytes, amt: Optional[int]) -> Iterator[bytes]:
    if amt is None or amt <= 0 or len(chunk) <= amt:
        if chunk:
            yield chunk
        return
    view = memoryview(chunk)
    for offset in range(0, len(chunk), amt):
        yield bytes(view[offset : offset + amt])


def _joined_headers(headers: HeaderList) -> CaseInsensitiveDict:
    joined: CaseInsensitiveDict = CaseInsensitiveDict()
    for name, value in headers:
        key, text = name.decode("latin-1"), value.decode("latin-1")
        previous = joined.get(key)
        joined[key] = text if previous is None else f"{previous}, {text}"
    return joined


def _read_timeout(timeout: Any, default: Optional[float]) -> Optional[float]:
    """The read part of a requests timeout (a number, a pair, or None)."""
    if timeout is None:
        return default
    if isinstance(timeout, tuple):
        connect, read = timeout
        return read if read is not None else default
    read = getattr(timeout, "read_timeout", timeout)  # urllib3.Timeout
    if read is None:
        return default
    return float(read)


class ASGIAdapter(BaseAdapter):
    """Sends every request of a :class:`TestClient` to its ASGI application."""

    def __init__(self, client: "TestClient") -> None:
        super().__init__()
        self._client = client

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Union[None, float, Tuple[Optional[float], Optional[float]]] = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        client = self._client
        timeout_s = _read_timeout(timeout, client.timeout)
        target = Target(request.url or "")
        scope = connection_scope(
            "http",
            target,
            encode_headers(target.host_header, request.headers.items()),
            root_path=client.root_path,
            client=client.client_address,
            state=client.lifespan_state,
            extensions=HTTP_EXTENSIONS,
        )
        scope["method"] = (request.method or "GET").upper()
        body = RequestBody(request.body)

        loop, release_loop = client.acquire_loop()
        try:
            exchange = HTTPExchange(client.app, scope, body, loop, streaming=stream)
            loop.spawn(exchange.run)
            if not stream:
                # One wait for the whole exchange, background tasks included.
                if not exchange.finished.wait(timeout_s):
                    exchange.cancel()
                    raise _timeout_error(timeout_s, request, exchange.progress) from exchange.error
                timeout_s = 0.0  # everything is buffered now
            start = self._wait_for_start(exchange, timeout_s, request)
            if start is None:  # the app failed before answering; raise_server_exceptions is off
                return self._response(request, exchange, *SERVER_ERROR)
            status, headers = start
            if stream:
                response = self._response(request, exchange, status, headers, streaming=(timeout_s, release_loop))
                release_loop = _nothing  # the response's raw stream owns the loop now
                return response
            chunks, trailers = self._read_all(exchange)
            return self._response(request, exchange, status, headers, chunks, trailers)
        finally:
            release_loop()

    def _wait_for_start(
        self, exchange: HTTPExchange, timeout: Optional[float], request: requests.PreparedRequest
    ) -> Optional[Tuple[int, HeaderList]]:
        try:
            kind, payload = exchange.events.get(timeout)
        except TimeoutError:
            exchange.cancel()
            raise _timeout_error(timeout, request) from exchange.error
        except ChannelClosed:
            # The app returned or raised before http.response.start: the
            # exchange always holds a failure then (at least a violation).
            if self._client.raise_server_exceptions and exchange.failure is not None:
                raise exchange.failure
            return None
        return payload

    def _read_all(self, exchange: HTTPExchange) -> Tuple[List[bytes], HeaderList]:
        """Drain the events of an exchange that has finished."""
        chunks: List[bytes] = []
        trailers: HeaderList = []
        while True:
            event = exchange.events.get_nowait()
            if event is None:
                break
            kind, payload = event
            if kind == _TRAILERS:
                trailers.extend(payload)
        if exchange.whole_body is not None and exchange.whole_body.tell():
            chunks.append(exchange.whole_body.getvalue())
            exchange.whole_body = None
        if exchange.failure is not None and self._client.raise_server_exceptions:
            raise exchange.failure
        return chunks, trailers

    def _response(
        self,
        request: requests.PreparedRequest,
        exchange: HTTPExchange,
        status: int,
        headers: HeaderList,
        chunks: Optional[List[bytes]] = None,
        trailer_headers: HeaderList = (),  # type: ignore[assignment]
        streaming: Optional[Tuple[Optional[float], Callable[[], None]]] = None,
    ) -> requests.Response:
        trailers: CaseInsensitiveDict = _joined_headers(list(trailer_headers))
        joined = _joined_headers(headers)
        encoding = joined.get("content-encoding", "")
        timeout, release_loop = streaming if streaming is not None else (None, _nothing)
        raw = ResponseStream(
            exchange if streaming is not None else None,
            status,
            headers,
            encoding,
            timeout=timeout,
            raise_errors=self._client.raise_server_exceptions,
            on_close=release_loop,
            owns_loop=release_loop is not _nothing,
            trailers=trailers,
        )
        response = requests.Response()
        response.status_code = status
        response.headers = raw.headers
        response.raw = raw
        response.url = request.url or ""
        response.request = request
        response.connection = self  # type: ignore[assignment]  # requests annotates HTTPAdapter
        response.encoding = get_encoding_from_headers(response.headers)
        try:
            response.reason = http.HTTPStatus(status).phrase
        except ValueError:
            response.reason = ""
        response.template = exchange.template  # type: ignore[attr-defined]
        response.context = exchange.context  # type: ignore[attr-defined]
        response.trailers = trailers  # type: ignore[attr-defined]
        if streaming is None:
            response._content = _decoded(_join(chunks or []), encoding)
            response._content_consumed = True  # type: ignore[attr-defined]
        if "set-cookie" in raw.headers or "set-cookie2" in raw.headers:
            extract_cookies_to_jar(response.cookies, request, raw)
        return response

    def close(self) -> None:
        pass


#: What a server answers when the app fails before starting its response.
SERVER_ERROR: Tuple[int, HeaderList, List[bytes]] = (
    500,
    [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"21")],
    [b"Internal Server Error"],
)


def _timeout_error(timeout: Optional[float], request: requests.PreparedRequest, progress: str = "") -> ASGITimeout:
    limit = f"within {timeout:g} s" if timeout is not None else "in time"
    what = f"did not finish {request.method} {request.url} {limit} ({progress})" if progress else (
        f"did not answer {request.method} {request.url} {limit}"
    )
    return ASGITimeout(f"The application {what}; its task was cancelled.", request=request)


def _join(chunks: List[bytes]) -> bytes:
    if len(chunks) == 1:
        return chunks[0]  # no copy for the common single-chunk body
    return b"".join(chunks)


def _decoded(body: bytes, encoding: str) -> bytes:
    if not encoding or not body:
        return body
    decoder = _Decoder(encoding)
    if not decoder.active:
        return body
    return decoder.decode(body) + decoder.flush()


def _nothing() -> None:
    pass
