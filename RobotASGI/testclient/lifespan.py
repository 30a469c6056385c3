"""The ASGI lifespan protocol: startup when a client opens, shutdown when it closes.

An application that raises on the lifespan scope before asking for the first
message, or returns without answering, does not support lifespan; the client
goes on without it, as servers do. Once it has received ``lifespan.startup``
every failure is real: an exception the app raises is raised itself, with the
app's traceback, as the seed's client does (also when the app first reports
``failed``, as Starlette's router does); an app that reports ``failed``
without raising, or does not answer in time, gives a :class:`LifespanError`.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Type

import anyio

from .errors import (
    ASGIProtocolError,
    LifespanError,
    LifespanShutdownError,
    LifespanStartupError,
    describe_message,
    message_type,
)
from .loop import EventLoopThread
from .types import ASGIApp, Message

#: Extra time the caller allows the loop beyond a lifespan step's own timeout.
LOOP_GRACE = 5.0

#: How long an app that reported ``failed`` may take to raise its exception.
FAILED_GRACE = 1.0


class Lifespan:
    """Runs one application's lifespan task on an event loop."""

    def __init__(self, app: ASGIApp, loop: EventLoopThread) -> None:
        self.app = app
        self.loop = loop
        self.state: Dict[str, Any] = {}
        self.supported = True
        self._received = 0
        self._startup_answer: Optional[Message] = None
        self._shutdown_answer: Optional[Message] = None
        self._error: Optional[BaseException] = None
        self._violation: Optional[ASGIProtocolError] = None
        self._answered: Optional[anyio.Event] = None
        self._shutdown_asked: Optional[anyio.Event] = None
        self._done: Optional[anyio.Event] = None
        self._cancel_scope: Optional[anyio.CancelScope] = None

    # -- from the caller's thread -------------------------------------------
    def startup(self, timeout: Optional[float]) -> None:
        """Send ``lifespan.startup`` and wait for the answer."""
        self.loop.call(self._startup, timeout, timeout=_bound(timeout))

    def shutdown(self, timeout: Optional[float]) -> None:
        """Send ``lifespan.shutdown`` and wait for the answer."""
        if self.supported:
            self.loop.call(self._shutdown, timeout, timeout=_bound(timeout))

    # -- on the loop ----------------------------------------------------------
    async def _startup(self, timeout: Optional[float]) -> None:
        self._answered, self._shutdown_asked, self._done = anyio.Event(), anyio.Event(), anyio.Event()
        self.loop.start_task(self._run)
        with anyio.move_on_after(timeout):
            await self._answered.wait()
        answer = self._startup_answer
        if answer is not None:
            if message_type(answer) == "lifespan.startup.failed":
                await self._raise_app_error()
                raise LifespanStartupError(_failure_text("startup", answer))
            return
        if self._done.is_set():
            if self._error is None or self._received == 0:
                self.supported = False  # returned, or raised before asking: no lifespan support
                return
            self._raise_violation(LifespanStartupError)
            raise self._error
        await self._cancel()
        raise LifespanStartupError(f"The application did not answer lifespan.startup within {timeout:g} s.")

    async def _shutdown(self, timeout: Optional[float]) -> None:
        assert self._answered is not None and self._shutdown_asked is not None and self._done is not None
        self._answered = anyio.Event()
        self._shutdown_asked.set()
        if not self._done.is_set():  # a task that already returned has nothing to answer
            with anyio.move_on_after(timeout):
                await self._answered.wait()
        answer = self._shutdown_answer
        if answer is not None:
            if message_type(answer) == "lifespan.shutdown.failed":
                await self._raise_app_error()
                raise LifespanShutdownError(_failure_text("shutdown", answer))
            return
        if self._done.is_set():
            if self._error is not None:
                self._raise_violation(LifespanShutdownError)
                raise self._error
            return
        await self._cancel()
        raise LifespanShutdownError(f"The application did not answer lifespan.shutdown within {timeout:g} s.")

    def _raise_violation(self, error: Type[LifespanError]) -> None:
        """A broken lifespan protocol is the engine's finding, not the app's exception."""
        if self._violation is not None:
            raise error(str(self._violation)) from self._violation

    async def _raise_app_error(self) -> None:
        """After a ``failed`` answer: the app's own exception, if it raises one
        at once (as Starlette's router does); else nothing, the task cancelled."""
        assert self._done is not None
        with anyio.move_on_after(FAILED_GRACE):
            await self._done.wait()
        if self._error is not None:
            raise self._error
        await self._cancel()

    async def _run(self) -> None:
        assert self._answered is not None and self._done is not None
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": self.state}
        try:
            with anyio.CancelScope() as self._cancel_scope:
                await self.app(scope, self._receive, self._send)
        except anyio.get_cancelled_exc_class():
            raise
        except BaseException as exc:
            self._error = exc
        finally:
            self._done.set()
            self._answered.set()

    async def _cancel(self) -> None:
        assert self._done is not None
        if self._cancel_scope is not None:
            self._cancel_scope.cancel()
        with anyio.move_on_after(LOOP_GRACE):
            await self._done.wait()

    async def _receive(self) -> Message:
        assert self._shutdown_asked is not None
        self._received += 1
        if self._received == 1:
            return {"type": "lifespan.startup"}
        await self._shutdown_asked.wait()
        if self._received == 2:
            return {"type": "lifespan.shutdown"}
        await anyio.sleep_forever()  # nothing follows shutdown; cancelled when the loop stops
        return {"type": "lifespan.shutdown"}  # pragma: no cover

    async def _send(self, message: Message) -> None:
        assert self._answered is not None
        kind = message_type(message)
        if kind in ("lifespan.startup.complete", "lifespan.startup.failed") and self._startup_answer is None:
            self._startup_answer = message
        elif kind in ("lifespan.shutdown.complete", "lifespan.shutdown.failed") and self._shutdown_asked is not None \
                and self._shutdown_asked.is_set() and self._shutdown_answer is None:
            self._shutdown_answer = message
        else:
            self._violation = ASGIProtocolError(
                f"ASGI protocol violation: unexpected lifespan message. The application sent {describe_message(message)}."
            )
            raise self._violation
        self._answered.set()


def _failure_text(step: str, answer: Message) -> str:
    message = answer.get("message") or ""
    return f"Lifespan {step} failed: {message}" if message else f"Lifespan {step} failed."


def _bound(timeout: Optional[float]) -> float:
    return (timeout if timeout is not None else 24 * 3600.0) + 2 * LOOP_GRACE
