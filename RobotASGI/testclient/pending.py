"""Requests that run while the test goes on: concurrency, races, rate limits.

:meth:`TestClient.start_request` sends a request on a thread of its own and
returns a :class:`PendingRequest` at once; inside the client's ``with`` block
every started request runs on the client's one event loop, concurrently, as
requests from several connections do on a server. ``result()`` waits for the
response (raising what the request raised); ``cancel()`` cancels the app,
and the request then fails with ``requests.ConnectionError``.
"""
from __future__ import annotations

import contextvars
import threading
from typing import TYPE_CHECKING, Callable, Optional

import requests

from .errors import ResponseNotReady
from .task import CANCEL_GRACE, Latch
from .trace import shown

if TYPE_CHECKING:
    from .http_exchange import HTTPExchange
    from .trace import ASGITrace

_CURRENT: "contextvars.ContextVar[Optional[PendingRequest]]" = contextvars.ContextVar(
    "robotasgi_pending_request", default=None
)


def current() -> Optional["PendingRequest"]:
    """The started request this thread sends, if it is one (the adapter asks)."""
    return _CURRENT.get()


class PendingRequest:
    """A request sent on a thread of its own; see the module's documentation."""

    __test__ = False

    def __init__(self, send: Callable[[], requests.Response], description: str) -> None:
        #: What was started, for messages: "GET http://testserver/items".
        self.description = description
        self._finished = Latch()
        self._response: Optional[requests.Response] = None
        self._error: Optional[BaseException] = None
        self._exchange: Optional["HTTPExchange"] = None
        self._cancelled = False
        self._lock = threading.Lock()
        context = contextvars.copy_context()  # the caller's variables reach the app
        context.run(_CURRENT.set, self)
        self._thread = threading.Thread(
            target=context.run, args=(self._run, send), name="robotasgi-request", daemon=True
        )
        self._thread.start()

    def _run(self, send: Callable[[], requests.Response]) -> None:
        try:
            self._response = send()
        except BaseException as exc:  # noqa: B036 - handed to whoever asks for the result
            self._error = exc
        finally:
            self._finished.set()

    def attach(self, exchange: "HTTPExchange") -> None:
        """From the request's own thread: the exchange now under way (a redirect
        makes a new one). A request cancelled already is cancelled at once."""
        with self._lock:
            self._exchange = exchange
            cancelled = self._cancelled
        if cancelled:
            exchange.cancel(wait=False)

    def done(self) -> bool:
        """Whether the response (or the request's error) is there."""
        return self._finished.is_set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def asgi_trace(self) -> Optional["ASGITrace"]:
        """The trace of the exchange under way (or the last one)."""
        exchange = self._exchange
        return shown(exchange.trace) if exchange is not None else None

    def result(self, timeout: Optional[float] = None) -> requests.Response:
        """The response, once the request is done (waiting ``timeout`` seconds
        at most; None: as long as the request's own timeout allows). Raises
        what the request raised, or :class:`ResponseNotReady` if it is not done
        in time - the request goes on."""
        if not self._finished.wait(timeout):
            raise ResponseNotReady(f"{self.description} did not finish within {timeout:g} s; it is still running.")
        if self._error is not None:
            raise self._error
        assert self._response is not None
        return self._response

    def cancel(self) -> bool:
        """Cancel the app (the request then fails with ``requests.ConnectionError``)
        and wait a moment for it to end. Returns whether it was still running."""
        with self._lock:
            if self._finished.is_set():
                return False
            self._cancelled = True
            exchange = self._exchange
        if exchange is not None:
            exchange.cancel(wait=False)
        self._finished.wait(CANCEL_GRACE)
        return True
