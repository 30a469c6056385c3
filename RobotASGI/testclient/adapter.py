"""The requests transport adapter: each request, top to bottom.

:class:`ASGIAdapter` is a ``requests`` transport adapter: ``send()`` turns a
prepared request into an ``http`` scope, runs the application on the event
loop as an :class:`HTTPExchange`, and builds a ``requests.Response`` whose
raw body (:class:`ResponseStream`) is read as the app produces it.
"""
from __future__ import annotations

import contextvars
import threading
import time
from typing import Any, Optional, Tuple, Union

import requests
from requests.adapters import BaseAdapter
from requests.cookies import extract_cookies_to_jar
from requests.structures import CaseInsensitiveDict

from .body import RequestBody
from .decoding import decode_whole
from .errors import ASGITimeout, ChannelClosed, RequestAbandoned
from .http_exchange import HTTP_EXTENSIONS, HTTPExchange
from .http_response import ResponseStream
from .loop import EventLoopThread
from .pending import current as current_pending
from .protocol import build_response, joined_headers, reason_phrase
from .scope import HeaderList, Target, connection_scope, encode_headers
from .server import Server
from .trace import attach, shown


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

    def __init__(self, server: Server) -> None:
        super().__init__()
        self.server = server

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Union[None, float, Tuple[Optional[float], Optional[float]]] = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        server = self.server
        timeout_s = _read_timeout(timeout, server.timeout)
        target = Target(request.url or "")
        headers = encode_headers(target.host_header, request.headers.items())
        scope = connection_scope("http", target, headers, server, HTTP_EXTENSIONS)
        scope["method"] = (request.method or "GET").upper()
        body = RequestBody(request.body)

        started = time.monotonic()
        loop, owns_loop = server.acquire_loop()
        exchange = HTTPExchange(server.app, scope, body, loop, streaming=stream, trace=server.trace)
        pending = current_pending()
        if pending is not None:  # a started request: it may be cancelled from another thread
            pending.attach(exchange)
        try:
            loop.spawn(exchange.run)
            if body.streamed:
                _produce(body, loop, timeout_s, in_this_thread=not stream)
                if body.abandoned and not stream:
                    raise self._abandoned(request, exchange, body, _remaining(timeout_s, started))
            if not stream:
                # One wait for the whole exchange, background tasks included.
                if not exchange.finished.wait(_remaining(timeout_s, started)):
                    exchange.cancel()
                    raise _timeout_error(timeout_s, request, exchange.progress) from exchange.error
                return self._whole_response(request, exchange)
            start = self._wait_for_start(exchange, timeout_s, request)
            if start is None:  # the app failed before answering; raise_server_exceptions is off
                return self._response(request, exchange, *SERVER_ERROR)
            status, headers = start
            response = self._response(request, exchange, status, headers, streaming=(timeout_s, owns_loop))
            owns_loop = False  # the response's raw stream owns the loop now
            server.track(exchange)  # the client's with block ends it, if nothing else has
            return response
        except BaseException as error:
            if error is body.error:
                # Reading the body failed: the client is gone, as a real one
                # would be - the app is told so, and given a moment.
                exchange.disconnect()
            else:
                # Whatever else stopped this request (a timeout, an interrupt
                # such as Ctrl-C or a Robot [Timeout]) stops the app at once too.
                exchange.cancel(wait=False)
            attach(error, exchange.trace)
            raise
        finally:
            if owns_loop:
                loop.stop(wait=False)  # the thread ends by itself: nobody waits for it

    def _wait_for_start(
        self, exchange: HTTPExchange, timeout: Optional[float], request: requests.PreparedRequest
    ) -> Optional[Tuple[int, HeaderList]]:
        """A streamed response's start, as soon as the app sends it."""
        assert exchange.events is not None
        try:
            kind, payload = exchange.events.get(timeout)
        except TimeoutError:
            exchange.cancel()
            raise _timeout_error(timeout, request) from exchange.error
        except ChannelClosed:
            pass
        else:
            return payload
        self._raise_failure(exchange, request)
        return None

    def _whole_response(self, request: requests.PreparedRequest, exchange: HTTPExchange) -> requests.Response:
        """The response of an exchange that has finished, read whole."""
        if exchange.start is None:  # the app failed before answering
            self._raise_failure(exchange, request)
            return self._response(request, exchange, *SERVER_ERROR)
        content = b""
        if exchange.whole_body is not None:
            content = exchange.whole_body.getvalue()  # no copy
            exchange.whole_body = None
        if not exchange.complete:
            _raise_if_cut_off(exchange, request)
        if exchange.failure is not None and self.server.raise_server_exceptions:
            raise exchange.failure
        status, headers = exchange.start
        return self._response(request, exchange, status, headers, content, exchange.trailer_headers)

    def _abandoned(
        self, request: requests.PreparedRequest, exchange: HTTPExchange, body: RequestBody, timeout: Optional[float]
    ) -> RequestAbandoned:
        """The client went away in the middle of its body: there is no answer
        to read, only what the app did about it, which it is given time to do."""
        if not exchange.finished.wait(timeout):
            exchange.cancel()
        sent = body.sent
        ending = (exchange.trace.ending or "the app was still running, and was cancelled").rstrip(".")
        return RequestAbandoned(
            f"The client went away after sending {sent} bytes of the {request.method} {request.url} body, "
            f"as asked; then {ending}.",
            sent,
        )

    def _raise_failure(self, exchange: HTTPExchange, request: requests.PreparedRequest) -> None:
        """The app returned or raised before http.response.start: the exchange
        holds a failure then (at least a violation), unless the engine cut it
        off. Raised outside any except clause, so the app's exception keeps
        its own context."""
        _raise_if_cut_off(exchange, request)
        if self.server.raise_server_exceptions and exchange.failure is not None:
            raise exchange.failure

    def _response(
        self,
        request: requests.PreparedRequest,
        exchange: HTTPExchange,
        status: int,
        headers: HeaderList,
        content: bytes = b"",
        trailer_headers: HeaderList = (),  # type: ignore[assignment]
        streaming: Optional[Tuple[Optional[float], bool]] = None,
    ) -> requests.Response:
        trailers: CaseInsensitiveDict = joined_headers(list(trailer_headers))
        timeout, owns_loop = streaming if streaming is not None else (None, False)
        raw = ResponseStream(
            exchange if streaming is not None else None,
            status,
            headers,
            reason=reason_phrase(status),
            timeout=timeout,
            raise_errors=self.server.raise_server_exceptions,
            owns_loop=owns_loop,
            trailers=trailers,
        )
        encoding = raw.joined_headers.get("content-encoding", "")
        body = None if streaming is not None else decode_whole(content, encoding)
        response = build_response(request, status, raw.joined_headers, raw, body)
        response.connection = self  # type: ignore[assignment]  # requests annotates HTTPAdapter
        response.template = exchange.template  # type: ignore[attr-defined]
        response.context = exchange.context  # type: ignore[attr-defined]
        response.trailers = trailers  # type: ignore[attr-defined]
        response.asgi_trace = shown(exchange.trace)  # type: ignore[attr-defined]
        if "set-cookie" in raw.joined_headers or "set-cookie2" in raw.joined_headers:
            extract_cookies_to_jar(response.cookies, request, raw)
        return response

    def close(self) -> None:
        pass


#: What a server answers when the app fails before starting its response.
SERVER_ERROR: Tuple[int, HeaderList, bytes] = (
    500,
    [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"21")],
    b"Internal Server Error",
)


def _produce(body: RequestBody, loop: EventLoopThread, timeout: Optional[float], in_this_thread: bool) -> None:
    """Read an iterable or file body for the app: in this thread, which only
    waits for the answer otherwise - or, for a streamed request, which returns
    before the body may be read, in a thread of its own. Either way in the
    caller's context, as requests would iterate it."""
    if in_this_thread:
        body.produce(loop, None if timeout is None else time.monotonic() + timeout)
        return
    context = contextvars.copy_context()
    threading.Thread(target=context.run, args=(_produce_quietly, body, loop), name="robotasgi-body", daemon=True).start()


def _produce_quietly(body: RequestBody, loop: EventLoopThread) -> None:
    try:
        body.produce(loop, None)
    except BaseException:  # kept in body.error; the response reports it
        pass


def _remaining(timeout: Optional[float], started: float) -> Optional[float]:
    return None if timeout is None else max(0.0, timeout - (time.monotonic() - started))


def _raise_if_cut_off(exchange: HTTPExchange, request: requests.PreparedRequest) -> None:
    """A request the engine cut off is a broken connection, never a made-up answer."""
    if exchange.cancelled:
        why = "the client was closed" if exchange.loop.stopping else "the application was cancelled"
        raise requests.exceptions.ConnectionError(
            f"The connection was closed before the application finished answering "
            f"{request.method} {request.url}: {why}.",
            request=request,
        )


def _timeout_error(timeout: Optional[float], request: requests.PreparedRequest, progress: str = "") -> ASGITimeout:
    limit = f"within {timeout:g} s" if timeout is not None else "in time"
    what = f"did not finish {request.method} {request.url} {limit} ({progress})" if progress else (
        f"did not answer {request.method} {request.url} {limit}"
    )
    return ASGITimeout(f"The application {what}; its task was cancelled.", request=request)
