"""The body of a response, read in the caller's thread as the app sends it."""
from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, Iterator, List, Optional

from requests.structures import CaseInsensitiveDict

from .channel import ChannelClosed
from .decoding import Decoder
from .errors import ASGITimeout
from .http_exchange import BODY, END, TRAILERS, HTTPExchange
from .protocol import joined_headers
from .scope import HeaderList


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
        *,
        timeout: Optional[float],
        raise_errors: bool,
        on_close: Callable[[], None],
        owns_loop: bool = False,
        trailers: CaseInsensitiveDict,
    ) -> None:
        self._exchange = exchange
        self.status = status
        self.headers = joined_headers(headers)
        self._original_response = _OriginalResponse(headers)
        self.decode_content = False
        self._encoding = self.headers.get("content-encoding", "")
        self._timeout = timeout
        self._raise_errors = raise_errors
        self._on_close = on_close
        self._owns_loop = owns_loop
        self._trailers = trailers
        self._pending: List[bytes] = []
        self._decoder: Optional[Decoder] = None
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
            if kind == BODY:
                return payload
            if kind == TRAILERS:
                self._trailers.update(joined_headers(payload))
            elif kind == END:
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
            self._decoder = Decoder(self._encoding)
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
