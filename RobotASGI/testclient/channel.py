"""A one-way channel from the event loop to the caller's thread.

The application's ``send()`` runs on the loop and must never block it; the
test reads from its own thread and must be able to wait with a timeout, with
no polling. :class:`Channel` joins the two: the loop side ``await put()``
suspends while the buffer holds ``limit`` or more (back-pressure, so a large
streamed body is never held whole), and the caller side ``get(timeout)``
waits on a condition variable.
"""
from __future__ import annotations

import collections
import threading
from typing import Callable, Deque, Generic, Optional, TypeVar

import anyio
import anyio.lowlevel

from .errors import ChannelClosed, ClientDisconnected
from .loop import EventLoopThread

T = TypeVar("T")


#: How many puts may run without yielding to the event loop.
CHECKPOINT_EVERY = 8


class Channel(Generic[T]):
    """Items from the loop to one reader thread, bounded by a total size."""

    def __init__(self, loop: EventLoopThread, limit: int, size: Callable[[T], int] = lambda item: 1) -> None:
        self._loop = loop
        self._limit = limit
        self._size = size
        self._items: Deque[T] = collections.deque()
        self._buffered = 0
        self._condition = threading.Condition(threading.Lock())
        self._writer_closed = False
        self._reader_closed = False
        self._space: Optional[anyio.Event] = None
        self._puts = 0

    # -- loop side ----------------------------------------------------------
    async def put(self, item: T) -> None:
        """Queue ``item``, first waiting while the buffer is full.

        Every few items it yields to the loop even when there is room, so an
        app that does nothing but send can still be cancelled."""
        self._puts += 1
        if self._puts % CHECKPOINT_EVERY == 0:
            await anyio.lowlevel.checkpoint()
        while True:
            # Checked under the reader's lock, so a read that frees space either
            # happens first or sees the event and wakes us: no lost wake-up.
            with self._condition:
                if self._buffered < self._limit or self._reader_closed:
                    break
                space = self._space = anyio.Event()
            await space.wait()
        if self._reader_closed:
            raise ClientDisconnected("The client has closed the connection.")
        with self._condition:
            self._items.append(item)
            self._buffered += self._size(item)
            self._condition.notify()

    def close_writer(self, last: Optional[T] = None) -> None:
        """No more items will come (the reader gets :class:`ChannelClosed`),
        but ``last`` if given, whatever the buffer holds."""
        with self._condition:
            if last is not None and not self._reader_closed and not self._writer_closed:
                self._items.append(last)
                self._buffered += self._size(last)
            self._writer_closed = True
            self._condition.notify_all()

    def _release(self) -> None:
        space = self._space
        if space is not None:
            self._space = None
            space.set()

    # -- reader side --------------------------------------------------------
    def get(self, timeout: Optional[float]) -> T:
        """The next item; :class:`TimeoutError` when none came in ``timeout`` s."""
        with self._condition:
            if not self._items and not self._writer_closed:
                if not self._condition.wait_for(self._readable, timeout):
                    raise TimeoutError(f"nothing arrived within {timeout:g} s")
            if not self._items:
                raise ChannelClosed()
            item = self._items.popleft()
            self._buffered -= self._size(item)
            writer_waiting = self._space is not None
        if writer_waiting:
            self._post_release()
        return item

    def peek(self, timeout: Optional[float]) -> T:
        """The next item without taking it; like :meth:`get` otherwise."""
        with self._condition:
            if not self._condition.wait_for(self._readable, timeout):
                raise TimeoutError(f"nothing arrived within {timeout:g} s")
            if not self._items:
                raise ChannelClosed()
            return self._items[0]

    def get_nowait(self) -> Optional[T]:
        """The next item if one is buffered, else None."""
        with self._condition:
            if not self._items:
                return None
            item = self._items.popleft()
            self._buffered -= self._size(item)
            writer_waiting = self._space is not None
        if writer_waiting:
            self._post_release()
        return item

    def close_reader(self) -> None:
        """The reader is gone: drop what is buffered and fail further puts."""
        with self._condition:
            self._reader_closed = True
            self._items.clear()
            self._buffered = 0
        self._post_release()

    @property
    def writer_closed(self) -> bool:
        return self._writer_closed

    def _readable(self) -> bool:
        return bool(self._items) or self._writer_closed

    def _post_release(self) -> None:
        try:
            self._loop.post(self._release)
        except Exception:  # the loop is gone: nobody is waiting any more
            pass
