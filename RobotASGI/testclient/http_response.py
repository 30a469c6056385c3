"""The body of a response, read in the caller's thread as the app sends it."""
from __future__ import annotations

import io
import weakref
from typing import Any, Iterator, List, Optional

import requests
from requests.structures import CaseInsensitiveDict
from urllib3._collections import HTTPHeaderDict

from .decoding import Decoder
from .errors import ASGITimeout, ChannelClosed, StreamTimeout
from .http_exchange import BODY, END, TRAILERS, HTTPExchange
from .protocol import joined_headers
from .scope import HeaderList
from .trace import attach


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


class ResponseStream(io.IOBase):
    """The raw body of a response (``response.raw``), read as the app sends it.

    A binary file like urllib3's response: ``read``, ``read1``, ``readinto``,
    ``readline``, iteration by lines (so ``io.TextIOWrapper(response.raw)``
    works), ``tell``, ``getheader(s)``, ``headers.getlist(name)``, ``status``,
    ``reason``, ``version`` and ``data``; ``stream()`` feeds requests'
    ``iter_content``. ``next_chunk(timeout)`` waits for the next piece of the
    body without giving the stream up when nothing comes. Closing it before
    the body is complete disconnects the application.
    """

    version = 11
    version_string = "HTTP/1.1"

    def __init__(
        self,
        exchange: Optional[HTTPExchange],
        status: int,
        headers: HeaderList,
        *,
        reason: str = "",
        timeout: Optional[float],
        raise_errors: bool,
        owns_loop: bool = False,
        trailers: CaseInsensitiveDict,
    ) -> None:
        self._exchange = exchange
        self._app = exchange  # kept after the stream lets go of it, for wait_for_app()
        self.status = status
        self.reason = reason
        self._header_list = headers
        self.joined_headers = joined_headers(headers)
        self._original_response = _OriginalResponse(headers)
        self.decode_content = False
        self._encoding = self.joined_headers.get("content-encoding", "")
        self._timeout = timeout
        self._raise_errors = raise_errors
        self._owns_loop = owns_loop
        self._trailers = trailers
        self._pending: List[bytes] = []
        self._decoder: Optional[Decoder] = None
        self._decoder_flushed = False
        self._ended = exchange is None
        self._closed = False
        self._raw_read = 0
        self._body: Optional[bytes] = None
        # A response dropped unread and unclosed is disconnected when collected,
        # as a real connection closes with its socket: otherwise the app (and
        # the loop it owns outside a with block) would run for ever.
        self._finalizer = weakref.finalize(self, exchange.disconnect, owns_loop) if exchange is not None else None

    # -- what urllib3's response offers besides the body -------------------------
    @property
    def headers(self) -> HTTPHeaderDict:
        """The headers as urllib3 gives them: ``getlist(name)`` keeps repeats apart."""
        return HTTPHeaderDict([(k.decode("latin-1"), v.decode("latin-1")) for k, v in self._header_list])

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        return self.joined_headers.get(name, default)

    def getheaders(self) -> HTTPHeaderDict:
        return self.headers

    @property
    def data(self) -> bytes:
        """The whole body, read (and kept) on first use."""
        if self._body is None:
            self._body = self.read()
        return self._body

    def tell(self) -> int:
        """Bytes of the body, as sent, read so far."""
        return self._raw_read

    # -- reading ------------------------------------------------------------
    def _next_raw(self, timeout: Optional[float], keep_open: bool = False) -> Optional[bytes]:
        """The next undecoded chunk, or None at the end of the body.

        When nothing comes within ``timeout``, the app is cancelled and
        :class:`ASGITimeout` raised - or, with ``keep_open``, only
        :class:`StreamTimeout`, and the stream goes on."""
        if self._pending:
            return self._pending.pop(0)
        while not self._ended:
            exchange = self._exchange
            assert exchange is not None and exchange.events is not None  # a streamed exchange
            if exchange.closed_by_server:
                self._cut_off("the client's with block ended")
            try:
                kind, payload = exchange.events.get(timeout)
            except ChannelClosed:
                kind, payload = END, None  # ended outside the except clause: see below
            except TimeoutError:
                if keep_open:
                    stalled = StreamTimeout(f"Nothing more of the response body arrived within {timeout:g} s.")
                    raise attach(stalled, exchange.trace) from None
                self._abort()
                timed_out = ASGITimeout(
                    f"The application sent no more of the response body within {timeout:g} s; it was cancelled."
                )
                raise attach(timed_out, exchange.trace) from None
            except BaseException:  # interrupted (Ctrl-C, a Robot timeout): the app stops at once
                self._abort(wait=False)
                raise
            if kind == BODY:
                self._raw_read += len(payload)
                return payload
            if kind == TRAILERS:
                self._trailers.update(joined_headers(payload))
            elif kind == END:
                # The body is complete, or the channel closed: the app's failure,
                # if any, is raised here, outside any except clause, so that it
                # keeps its own context.
                self._end()
        return None

    def _end(self) -> None:
        """The body is complete, or the app stopped before completing it."""
        self._ended = True
        exchange = self._exchange
        if exchange is None:
            return
        if exchange.closed_by_server or (exchange.cancelled and not exchange.complete):
            self._cut_off("the client was closed" if exchange.closed_by_server or exchange.loop.stopping else
                          "the application was cancelled")
        if exchange.finished.is_set():
            self._release(exchange)

    def _cut_off(self, why: str) -> None:
        self._ended = True
        self._pending.clear()
        exchange = self._exchange
        self._finish()
        error = requests.exceptions.ConnectionError(
            f"The connection was closed before the response body was complete: {why}."
        )
        raise attach(error, exchange.trace) if exchange is not None else error

    def _release(self, exchange: HTTPExchange) -> None:
        """Let go of the exchange; raise its failure as a request would.

        A response that owns its event loop (outside ``with``) first gives what
        the app still does after the body - background tasks - the read
        timeout to finish, since stopping the loop cancels it.
        """
        if self._owns_loop:
            exchange.finished.wait(self._timeout)
        self._finish()
        if exchange.body.error is not None:  # the request body failed while it was sent
            raise attach(exchange.body.error, exchange.trace)
        if self._raise_errors and exchange.finished.is_set() and exchange.failure is not None:
            raise attach(exchange.failure, exchange.trace)

    def _next(self, decode: bool, timeout: Optional[float], keep_open: bool = False) -> Optional[bytes]:
        """The next chunk, decoded when asked; None at the end of the body."""
        if not decode or not self._encoding:
            return self._next_raw(timeout, keep_open)
        if self._decoder is None:
            self._decoder = Decoder(self._encoding)
        while True:
            if self._pending:
                return self._pending.pop(0)
            chunk = self._next_raw(timeout, keep_open)
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

    def wait_for_app(self, timeout: Optional[float] = None) -> Optional[BaseException]:
        """Wait until the app has finished - after ``close()``, it gets a moment
        to notice the disconnect - and return what it raised (None if it
        returned). :class:`StreamTimeout` if it is still running after
        ``timeout`` seconds (default: the request's)."""
        exchange = self._app
        if exchange is None:
            return None
        wait = self._timeout if timeout is None else timeout
        if not exchange.finished.wait(wait):
            raise attach(StreamTimeout(f"The application was still running after {wait:g} s."), exchange.trace)
        return exchange.failure

    @property
    def app_ending(self) -> Optional[str]:
        """How the app ended ("the app returned", "the app raised ...", "the
        app was cancelled: ..."), as its trace words it; None while it runs.
        Kept even when the client records no trace."""
        return self._app.trace.ending if self._app is not None else None

    def next_chunk(self, timeout: Optional[float] = None, decode_content: bool = True) -> Optional[bytes]:
        """The next piece of the body as the app sent it (decoded unless told
        not to), or None once the body is complete.

        :class:`StreamTimeout` (a ``TimeoutError``) if nothing arrives within
        ``timeout`` seconds (default: the request's); unlike ``read``, the
        stream stays open and the app keeps running."""
        return self._next(decode_content, self._timeout if timeout is None else timeout, keep_open=True)

    def stream(self, amt: Optional[int] = 2**16, decode_content: Optional[bool] = None) -> Iterator[bytes]:
        """Yield the body as it arrives, in pieces of at most ``amt`` bytes."""
        decode = self._decoding(decode_content)
        while True:
            chunk = self._next(decode, self._timeout)
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
            data = b"".join(iter(lambda: self._next(decode, self._timeout), None))
            if cache_content:
                self._body = data
            return data
        parts: List[bytes] = []
        wanted = amt
        while wanted > 0:
            chunk = self._next(decode, self._timeout)
            if chunk is None:
                break
            if len(chunk) > wanted:
                self._pending.insert(0, chunk[wanted:])
                chunk = chunk[:wanted]
            parts.append(chunk)
            wanted -= len(chunk)
        return b"".join(parts)

    def read1(self, amt: int = -1) -> bytes:
        """At most ``amt`` bytes of what arrives next (one chunk), b"" at the end."""
        chunk = self._next(self.decode_content, self._timeout)
        if chunk is None:
            return b""
        if 0 <= amt < len(chunk):
            self._pending.insert(0, chunk[amt:])
            chunk = chunk[:amt]
        return chunk

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def readline(self, size: Optional[int] = -1) -> bytes:
        """The next line, its ``\\n`` included (at most ``size`` bytes)."""
        limit = -1 if size is None else size
        parts: List[bytes] = []
        length = 0
        while limit < 0 or length < limit:
            chunk = self._next(self.decode_content, self._timeout)
            if chunk is None:
                break
            end = chunk.find(b"\n") + 1 or len(chunk)
            if limit >= 0:
                end = min(end, limit - length)
            if end < len(chunk):
                self._pending.insert(0, chunk[end:])
            parts.append(chunk[:end])
            length += end
            if parts[-1].endswith(b"\n"):
                break
        return b"".join(parts)

    def __iter__(self) -> Iterator[bytes]:  # type: ignore[override]
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def readable(self) -> bool:
        return True

    # -- closing ------------------------------------------------------------
    def _abort(self, wait: bool = True) -> None:
        self._ended = True
        exchange = self._exchange
        if exchange is not None:
            exchange.cancel(wait=wait)
        self._finish()

    def _finish(self, release_loop: bool = True) -> None:
        if self._finalizer is not None:
            self._finalizer.detach()
        exchange, self._exchange = self._exchange, None
        if exchange is not None and release_loop and self._owns_loop:
            exchange.loop.stop(wait=False)

    def close(self) -> None:
        """Disconnect if the body is not complete (returns at once), else
        finish: raise what the app raised, as a request would."""
        self._closed = True
        exchange = self._exchange
        if exchange is None:
            return
        if not self._ended:
            self._ended = True
            self._pending.clear()
            exchange.disconnect(stop_loop=self._owns_loop)
            self._finish(release_loop=False)  # an owned loop stops by itself after the app
            return
        self._release(exchange)

    @property
    def closed(self) -> bool:
        """True once closed, or once the whole body has been read."""
        return self._closed or (self._ended and not self._pending)

    def release_conn(self) -> None:
        self.close()

    def __del__(self) -> None:
        pass  # io.IOBase would close() here; the finalizer disconnects instead, without raising


def _split(chunk: bytes, amt: Optional[int]) -> Iterator[bytes]:
    if amt is None or amt <= 0 or len(chunk) <= amt:
        if chunk:
            yield chunk
        return
    view = memoryview(chunk)
    for offset in range(0, len(chunk), amt):
        yield bytes(view[offset : offset + amt])
