"""Requests that run while the test goes on: ``Start Request`` and ``Wait For Response``.

A started request runs on a thread of its own, on its client's event loop,
concurrently with every other one: a suite can so test races, idempotency
keys, locks and rate limits. Its handle is an alias in a registry of its own,
held by the scope stack like a WebSocket session - opened on its client, so
closing the client cancels it first - and a request nobody waited for is
cancelled and logged when its test or suite ends.
"""

from typing import Any, Callable, Optional, Set

import requests
from robot.api import logger
from robot.api.deco import keyword

from ..data_types import Timeout
from ..errors import RequestNotFinished, UnknownAlias
from ..status import describe
from ..store import Kind, Registry
from ..testclient import PendingRequest, ResponseNotReady
from ..testclient.task import CANCEL_GRACE
from .base import LibraryComponent
from .http import HTTPKeywords, Outgoing, _check_method, _pacing_text, verb


class StartedRequest:
    """A request `Start Request` sent: the engine's pending request, and what
    `Wait For Response` does with its answer."""

    def __init__(self, alias: str, pending: PendingRequest, outgoing: Outgoing) -> None:
        self.alias = alias
        self.pending = pending
        self.outgoing = outgoing

    @property
    def asgi_trace(self) -> Any:
        return self.pending.asgi_trace


def _naming(*, alias: Optional[str] = None) -> None:
    """The arguments `Start Request` takes beyond those of `Send Request`."""


class ConcurrencyKeywords(LibraryComponent):
    """Requests started at once and waited for later, on any client."""

    #: Aliases of the requests waited for already, for a clear message when one is waited for again.
    _waited: Set[str]
    #: keywords/http.py
    _prepare: Callable[..., Outgoing]
    _answer: Callable[..., Optional[requests.Response]]

    def _init_concurrency(self, aliases: Any) -> None:
        kind: Kind[StartedRequest] = Kind("started request", "started request", "Start Request", "request", self._close_started)
        self.started = Registry(kind, aliases)
        self._waited = set()

    @keyword("Start Request", tags=["http", "concurrency"])
    @verb(HTTPKeywords._send, "params", "headers", "json", "data", "files", extra=_naming)
    def start_request(self, method: str, url: str, **arguments: Any) -> str:
        """Sends a request and returns at once, while the app works on it:
        returns a handle for `Wait For Response`.

        The arguments are those of `Send Request` - ``expected_status`` and
        ``msg`` included, which `Wait For Response` applies to the response -
        and ``alias``, the handle's name (``request1``, ``request2``... when
        omitted). The request is logged here, credentials masked; the
        exchange when it is waited for.

        Started requests run concurrently on their client's event loop, as
        requests from several connections do on a server: start several,
        then wait for each, to test races, idempotency keys, locks and rate
        limits. A request that is never waited for is cancelled (the app is
        cancelled, as when a client goes away) and logged when its scope
        ends - the test that started it, or its suite for one started in a
        suite setup, as ``auto_close`` says for clients - or when its client
        is closed.

        Examples:
        | ${first}= | Start Request | POST | /payments | json={"amount": 10} | headers={"Idempotency-Key": "k1"} | expected_status=201 |
        | ${second}= | Start Request | POST | /payments | json={"amount": 10} | headers={"Idempotency-Key": "k1"} | expected_status=409 |
        | ${a}= | Wait For Response | ${first} |
        | ${b}= | Wait For Response | ${second} |
        | Start Request | GET | /report | alias=report | expected_status=200 |
        | GET | /status | # while the report is being built |
        | ${report}= | Wait For Response | report | timeout=5s |
        """
        alias = arguments.pop("alias")
        outgoing = self._prepare(_check_method(method), url, **arguments)
        new_alias = self.started.new_alias(alias)
        self._waited.discard(new_alias)
        logger.info(f"Started request '{new_alias}':\n" + self.masker.scrub(self.exchange_log.request(outgoing.prepared)))
        if outgoing.pacing is not None:
            logger.info(_pacing_text(outgoing.pacing))
            outgoing.prepared.body = outgoing.pacing  # type: ignore[assignment]  # the engine reads a SlowBody
        pending = outgoing.session.start_send(outgoing.prepared, **outgoing.send_options)
        self.scopes.hold(self.started, new_alias, StartedRequest(new_alias, pending, outgoing), parent=outgoing.session)
        return new_alias

    @keyword("Wait For Response", tags=["http", "concurrency"])
    def wait_for_response(self, request: str, timeout: Timeout = None) -> Optional[requests.Response]:
        """Waits for the request `Start Request` started and returns its response.

        ``request`` is the handle `Start Request` returned. The exchange is
        logged and checked as `Send Request` does: the ``expected_status``
        (and ``msg``) given to `Start Request` applies, and an exception in
        the app fails this keyword. The response becomes the last response,
        which the assertion keywords check by default. A request sent with
        ``disconnect_after`` returns ``${None}`` as `Send Request` does.

        ``timeout`` bounds the wait (default: the request's own timeout, that
        is the client's unless `Start Request` got one, and a moment for the
        app to be cancelled). If the request is not done by then, the keyword
        fails and the request goes on: wait for it again, or leave it to be
        cancelled when its test ends. A request is waited for once.

        Examples:
        | ${id}= | Start Request | GET | /slow |
        | ${resp}= | Wait For Response | ${id} | timeout=2s |
        | Run Keyword And Expect Error | *did not finish within 100 milliseconds* | Wait For Response | ${other} | 100ms |
        """
        if request in self._waited and request not in self.started:
            raise UnknownAlias(
                f"Request '{request}' was waited for already: Wait For Response returns a request's response once."
            )
        alias = self.started.resolve(request)
        started: StartedRequest = self.started.get(alias)
        pending = started.pending
        limit = timeout
        if limit is None:
            own = started.outgoing.send_options.get("timeout")
            limit = None if own is None else float(own) + CANCEL_GRACE
        try:
            pending.result(limit)
        except ResponseNotReady:
            self._log_trace(pending.asgi_trace, failed=True)
            self._flush_app_logs()
            waited = "" if limit is None else f" within {_seconds_text(limit)}"
            raise RequestNotFinished(
                f"Request '{alias}' ({self.masker.scrub(pending.description)}) did not finish{waited}. It goes on: "
                "wait for it again, or it is cancelled when its test ends."
            ) from None
        except BaseException:  # noqa: S110 - raised again, and logged, by _answer below
            pass
        self.scopes.close(self.started, alias, lambda _: None)
        self._waited.add(alias)
        return self._answer(started.outgoing, lambda: pending.result(0), source=pending)

    def _close_started(self, started: StartedRequest) -> Optional[str]:
        """A request nobody waited for, when its scope or client closes: the
        app is cancelled if it still runs, and what happened is logged."""
        pending = started.pending
        description = self.masker.scrub(pending.description)
        if pending.cancel():
            what = "it was cancelled"
        else:
            try:
                response = pending.result(0)
            except BaseException as exc:  # noqa: B036 - what it ended with is logged, nothing raised
                what = f"it had failed: {type(exc).__name__}: {exc}"
            else:
                what = f"it had ended with {describe(response.status_code)}"
        text = f"Started request '{started.alias}' ({description}) was never waited for: {what}."
        trace = pending.asgi_trace
        if trace is not None:
            text += "\n" + self.exchange_log.trace(trace)
        self._log_on_close("Started requests", text)
        return None


def _seconds_text(seconds: float) -> str:
    from robot.utils import secs_to_timestr  # type: ignore[import-untyped]

    return str(secs_to_timestr(seconds, compact=False))
