"""The request body, as the application's ``receive()`` gets it.

Bytes and text are one ``http.request`` message. An iterable or a file is
read by a producer thread - the caller's own, which has nothing else to do
while the app answers, or a feeder thread for a streamed request - running
ahead of the app by a bounded window: the producer wakes the loop only when
the app waits for a chunk, and the loop wakes the producer only when the
window has drained by half. Nothing user code does (a slow or blocking
generator) ever runs on the app's loop, and a 64 MiB upload costs one window
of memory, not 64 MiB.
"""
from __future__ import annotations

import collections
import threading
import time
from typing import Any, Callable, Deque, Iterator, Optional

import anyio

from .errors import TestClientError, quote
from .loop import EventLoopThread
from .scope import URLLIB3_1
from .slow_body import SlowBody
from .types import Message

#: How requests' transport encodes a str request body, by urllib3 major version.
STR_BODY_ENCODING = "latin-1" if URLLIB3_1 else "utf-8"
#: Size of the chunks read from file request bodies.
FILE_CHUNK = 1 << 16
#: How far the producer may run ahead of the app, in bytes: each time it fills,
#: the two threads hand over once, so a larger window means fewer hand-overs.
WINDOW = 6 << 20
#: When the app has taken the window down to this, the waiting producer wakes.
LOW_WATER = WINDOW // 2


class RequestBody:
    """The request body as a series of ``http.request`` messages."""

    def __init__(self, body: Any) -> None:
        self._whole: Optional[bytes] = None
        self._source: Optional[Callable[[], Optional[bytes]]] = None
        self._slow: Optional[SlowBody] = None
        if isinstance(body, SlowBody):
            self._slow = body
            self._source = body.source()
        elif body is None:
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
                    f"The request body {quote(body, 60)} is not latin-1 text, which is what a str body is sent "
                    "as with urllib3 1.x; pass bytes instead, e.g. data=text.encode('utf-8')."
                ) from exc
        elif hasattr(body, "read"):
            self._source = lambda: _as_bytes(body.read(FILE_CHUNK)) or None
        else:
            try:
                iterator = iter(body)
            except TypeError:
                raise TypeError(
                    f"Cannot send a request body of type {type(body).__name__}: use bytes, str, "
                    "a file object or an iterable of bytes."
                ) from None
            self._source = lambda: _next_chunk(iterator)
        self.done = False  # the app has had the whole body
        self.error: Optional[BaseException] = None  # what reading the body raised
        #: The client went away in the middle of the body (a SlowBody's disconnect_after).
        self.abandoned = False
        #: Called on the loop when the app has taken what the client sent before going away.
        self.on_gone: Callable[[], None] = _nothing
        if self._source is not None:
            self._start_window()

    def _start_window(self) -> None:
        # The window between the producer and the loop. The producer alone
        # appends and counts what it put; the loop alone pops and counts what
        # it took (deque ends and int updates are atomic under the GIL). The
        # lock only guards going to sleep: each side sets its "waiting" flag,
        # then looks once more, so a wake-up is never lost.
        self._chunks: Deque[bytes] = collections.deque()
        self._put_bytes = 0
        self._taken_bytes = 0
        self._lock = threading.Lock()
        self._room = threading.Condition(self._lock)
        self._produced = False  # the producer has read the whole body
        self._stopped = False  # nobody will read any more
        self._producer_waits = False
        self._app_waits: Optional[anyio.Event] = None
        self._loop: Optional[EventLoopThread] = None

    @property
    def sent(self) -> int:
        """Bytes of the body the producer has handed over so far."""
        return self._put_bytes if self._source is not None else len(self._whole or b"")

    @property
    def streamed(self) -> bool:
        """Whether a producer must read the body (an iterable or a file)."""
        return self._source is not None

    # -- the loop's side: the app's receive() ------------------------------------
    async def next_message(self) -> Message:
        if self._whole is not None:
            self.done = True
            return {"type": "http.request", "body": self._whole, "more_body": False}
        chunks = self._chunks
        while True:
            if chunks:
                chunk = chunks.popleft()
                self._taken_bytes += len(chunk)
                if self._producer_waits and self._put_bytes - self._taken_bytes <= LOW_WATER:
                    with self._lock:
                        self._producer_waits = False
                        self._room.notify()
                return {"type": "http.request", "body": chunk, "more_body": True}
            if self._produced and not chunks:
                self.done = True
                return {"type": "http.request", "body": b"", "more_body": False}
            if self.abandoned:  # the app has had what the client sent before it went away
                self.on_gone()
                return {"type": "http.disconnect"}
            if self._stopped:  # reading the body failed: the client is gone
                return {"type": "http.disconnect"}
            waiter = self._app_waits = anyio.Event()
            if chunks or self._produced or self._stopped or self.abandoned:  # it came meanwhile
                self._app_waits = None
                continue
            await waiter.wait()

    def stop(self) -> None:
        """Nobody will read any more (the app finished, or went away): the
        producer stops at its next chunk. Safe from any thread."""
        if self._source is None:
            return
        with self._lock:
            self._stopped = True
            self._chunks.clear()
            self._room.notify_all()

    # -- the producer's side -----------------------------------------------------
    def produce(self, loop: EventLoopThread, deadline: Optional[float]) -> None:
        """Read the body into the window until it is all read, nobody reads
        any more, or ``deadline`` (``time.monotonic()``) passes.

        An exception from the body's source is kept in ``error`` and ends the
        body for the app, whose ``receive()`` then says the client is gone
        (the request fails with the exception, as requests fails when a
        generator raises while it sends)."""
        self._loop = loop
        assert self._source is not None
        source = self._source
        try:
            while True:
                chunk = source()
                if chunk is None:
                    break
                if not self._put(chunk, deadline):
                    return
        except BaseException as exc:
            self.error = exc
            self.stop()
            self._wake_app()
            raise
        if self._slow is not None and self._slow.abandons_after(self._put_bytes):
            self.abandoned = True
        else:
            self._produced = True
        self._wake_app()

    def _put(self, chunk: bytes, deadline: Optional[float]) -> bool:
        if self._put_bytes - self._taken_bytes >= WINDOW and not self._stopped:
            with self._lock:
                self._producer_waits = True
                while self._put_bytes - self._taken_bytes >= WINDOW and not self._stopped:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    self._room.wait(remaining)
                self._producer_waits = False
        if self._stopped:
            return False
        self._chunks.append(chunk)
        self._put_bytes += len(chunk)
        self._wake_app()
        return True

    def _wake_app(self) -> None:
        waiter = self._app_waits
        if waiter is not None:
            self._app_waits = None
            try:
                self._loop.post(waiter.set)  # type: ignore[union-attr]
            except TestClientError:
                pass  # the loop is gone, and the app with it


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


def _nothing() -> None:
    pass
