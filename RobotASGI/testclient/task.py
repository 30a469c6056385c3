"""One run of the application, on the event loop, as the caller sees it."""
from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Optional

import anyio

from .errors import ASGIProtocolError, TestClientError, describe_message
from .loop import EventLoopThread
from .trace import ASGITrace, NoTrace
from .types import ASGIApp, Message

#: How long a cancelled app may take to unwind before the caller moves on.
CANCEL_GRACE = 5.0


class Latch:
    """A flag set once, that other threads wait for: ``threading.Event``'s
    interface at the cost of one lock (an Event builds a condition and, for
    every wait, another lock) - it is on the path of every request."""

    __slots__ = ("_lock", "_set")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lock.acquire()
        self._set = False

    def set(self) -> None:
        """Set the flag and wake every waiter (call it once)."""
        if not self._set:
            self._set = True
            self._lock.release()

    def is_set(self) -> bool:
        return self._set

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Whether the flag was set within ``timeout`` seconds (None: for ever)."""
        if self._set:
            return True
        if not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            return self._set
        self._lock.release()  # for the next waiter
        return True


class AppTask:
    """Runs ``app(scope, receive, send)`` once on a loop and records the outcome.

    Subclasses provide ``receive``/``send`` and ``_after_return`` (the check
    that the app did not return in the middle of the protocol). The caller's
    thread waits on ``finished`` and reads ``failure``: the first protocol
    violation if there was one - even if the app caught it - else the app's
    own exception, unchanged. ``cancelled`` tells that the engine cut the app
    off (a timeout, a disconnect's grace running out, the loop stopping); a
    ``CancelledError`` the app raises itself is its own exception.
    """

    def __init__(self, app: ASGIApp, scope: Dict[str, Any], loop: EventLoopThread, trace: bool = True) -> None:
        self.app = app
        self.scope = scope
        self.loop = loop
        self.error: Optional[BaseException] = None
        self.protocol_error: Optional[ASGIProtocolError] = None
        self.finished = Latch()
        #: What the app received and sent, in order: see :mod:`.trace`.
        self.trace = ASGITrace(scope) if trace else NoTrace(scope)
        self.cancelled = False
        self._cancel_scope: Optional[anyio.CancelScope] = None
        self._cancel_requested = False
        self._deadline: Optional[float] = None
        self._when_finished: List[Callable[[], Any]] = []

    # -- on the loop --------------------------------------------------------
    async def run(self) -> None:
        returned = False
        try:
            with anyio.CancelScope() as cancel_scope:
                self._cancel_scope = cancel_scope
                if self._cancel_requested:
                    cancel_scope.cancel()
                elif self._deadline is not None:
                    cancel_scope.deadline = self._deadline
                await self.app(self.scope, self.receive, self.send)
                returned = True
                self._after_return()
            if not returned:  # the scope swallowed the engine's cancellation
                self.cancelled = True
        except anyio.get_cancelled_exc_class() as exc:
            if self._cancel_requested or self._deadline is not None or self.loop.stopping:
                self.cancelled = True
                raise
            self.error = exc  # raised by the app itself (asyncio lets it)
        except BaseException as exc:
            self.error = exc
        finally:
            self.trace.end(self._ending())
            self._on_finish()
            self.finished.set()
            for callback in self._when_finished:
                callback()

    async def receive(self) -> Message:  # pragma: no cover - abstract
        raise NotImplementedError

    async def send(self, message: Message) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _after_return(self) -> None:
        """Raise a violation if the app returned mid-protocol."""

    def _on_finish(self) -> None:
        """Tell the caller's side that no more messages will come."""

    def violation(self, text: str, message: Optional[Message] = None) -> ASGIProtocolError:
        """Record (the first) and return a protocol violation to raise in the app."""
        sent = f" The application sent {describe_message(message)}." if message is not None else ""
        error = ASGIProtocolError(f"ASGI protocol violation: {text}.{sent}")
        if self.protocol_error is None:
            self.protocol_error = error
        return error

    def _ending(self) -> str:
        """How the app ended, for the trace."""
        if self.protocol_error is not None:
            return f"the app broke the ASGI protocol: {self.protocol_error}"
        if self.cancelled:
            if self.loop.stopping:
                return "the app was cancelled: the client was closed"
            if self._deadline is not None:
                return "the app was cancelled: it had not finished a moment after the client went away"
            return "the app was cancelled (a timeout, or the client went away)"
        if self.error is not None:
            return f"the app raised {type(self.error).__name__}: {self.error}"
        return "the app returned"

    def _cancel(self) -> None:
        self._cancel_requested = True
        if self._cancel_scope is not None:
            self._cancel_scope.cancel()

    def cancel_after(self, grace: float) -> None:
        """Cancel the app if it has not finished within ``grace`` seconds."""
        deadline = anyio.current_time() + grace
        if self._deadline is None or deadline < self._deadline:
            self._deadline = deadline
            if self._cancel_scope is not None:
                self._cancel_scope.deadline = deadline

    def when_finished(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` on the loop once the app has finished (now if it has)."""
        if self.finished.is_set():
            callback()
        else:
            self._when_finished.append(callback)

    # -- from the caller's thread -------------------------------------------
    @property
    def failure(self) -> Optional[BaseException]:
        """What to raise for this run: a protocol violation first."""
        return self.protocol_error or self.error

    def server_close(self) -> None:
        """The server goes away (the client's ``with`` block ends): tell the app."""
        self.cancel(wait=False)

    def cancel(self, wait: bool = True) -> None:
        """Cancel the application; with ``wait``, wait (bounded) for it to unwind."""
        if not self.finished.is_set():
            try:
                self.loop.post(self._cancel)
            except TestClientError:  # the loop is gone, and the app with it
                return
            if wait:
                self.finished.wait(CANCEL_GRACE)
