"""WebSocket sessions with an ASGI application: the test's side.

:meth:`TestClient.websocket_connect` returns a :class:`WebSocketTestSession`
to use as a context manager. The application runs as a
:class:`WebSocketConnection` task on the client's event loop (or on the
session's own loop outside a client ``with`` block); the test sends and
receives from its own thread. Nothing waits forever: every receive, the
handshake and the close are bounded.
"""
from __future__ import annotations

import json
from types import TracebackType
from typing import Any, List, Optional, Sequence, Type, Union

import requests

from .errors import (
    ChannelClosed,
    ClientDisconnected,
    TestClientError,
    UnexpectedMessage,
    WebSocketDenialResponse,
    WebSocketDisconnect,
    WebSocketTimeout,
    message_type,
)
from .loop import check_timeout
from .protocol import build_response, joined_headers
from .scope import HeaderList, Target, connection_scope, encode_headers
from .server import Server
from .trace import ASGITrace, attach, shown
from .types import Message
from .websocket_connection import WEBSOCKET_EXTENSIONS, WebSocketConnection
from .websocket_protocol import (
    check_close_code,
    check_mode,
    check_subprotocols,
    describe_data,
    handshake_headers,
    offered_subprotocols,
    ws_url,
)

#: How long the app may take to finish after the client closed the session.
CLOSE_GRACE = 1.0


class WebSocketTestSession:
    """A WebSocket connection to the application, driven from the test.

    Use it as a context manager; leaving the block closes the connection
    (code 1000), waits a moment for the app to finish, cancels it if it does
    not, and raises any exception the app raised. Every receive takes a
    ``timeout`` in seconds; without one, the session's ``timeout`` applies.
    """

    __test__ = False

    def __init__(
        self,
        server: Server,
        request: requests.PreparedRequest,
        subprotocols: Optional[Sequence[str]],
        timeout: Optional[float],
    ) -> None:
        self.timeout = check_timeout(timeout)
        self.raise_server_exceptions = server.raise_server_exceptions
        self.url = ws_url(request.url or "")
        self._server = server
        self._request = request
        self._subprotocols = check_subprotocols(subprotocols)
        self.accepted_subprotocol: Optional[str] = None
        self.extra_headers: HeaderList = []
        self._task: Optional[WebSocketConnection] = None
        self._owns_loop = False
        self._close_code: Optional[int] = None
        self._close_reason = ""
        self._closed_by_client = False
        self._failure_raised = False

    @property
    def asgi_trace(self) -> Optional[ASGITrace]:
        """What the app received and sent on this connection (None before connecting)."""
        return shown(self._task.trace) if self._task is not None else None

    # -- the handshake --------------------------------------------------------
    def __enter__(self) -> "WebSocketTestSession":
        self.connect()
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.shut_down(raise_errors=exc is None)

    def connect(self) -> None:
        """Open the connection and wait (with ``timeout``) for the app's answer."""
        if self._task is not None:
            raise TestClientError("This WebSocket session is already connected.")
        server = self._server
        target = Target(ws_url(self.url))
        headers = encode_headers(target.host_header, handshake_headers(self._request, self._subprotocols))
        scope = connection_scope("websocket", target, headers, server, WEBSOCKET_EXTENSIONS)
        # What the app may choose from: every Sec-WebSocket-Protocol offer, the
        # request's own headers included, as uvicorn reads them.
        scope["subprotocols"] = offered_subprotocols(headers)
        loop, self._owns_loop = server.acquire_loop()
        task = self._task = WebSocketConnection(server.app, scope, loop, trace=server.trace)
        try:
            loop.spawn(task.run)
            server.track(task)  # the client's with block closes it, if nothing else has
            self._handshake(task)
        except BaseException:
            self._abandon()
            raise

    def _handshake(self, task: WebSocketConnection) -> None:
        try:
            message = self._take(task, self.timeout)
        except TimeoutError:
            raise WebSocketTimeout(
                f"The application did not accept or refuse the WebSocket connection to {self.url} "
                f"within {self.timeout:g} s; it was cancelled."
            ) from None
        except ChannelClosed:
            self._raise_failure(task)
            raise WebSocketDisconnect(1006, "the application ended without accepting the connection") from None
        kind = message_type(message)
        if kind == "websocket.accept":
            self.accepted_subprotocol = message.get("subprotocol")
            self.extra_headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", ())]
            return
        if kind == "websocket.close":
            self._refused(task)
            raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
        response = self._denial_response(task, message)
        self._refused(task)
        raise WebSocketDenialResponse(response)

    def _refused(self, task: WebSocketConnection) -> None:
        """The handshake failed: like a server, tell the app the connection is
        gone (code 1006, no close frame) so it can finish, then wait for it."""
        task.close_from_client(1006, None)
        self._wait_for_app(task)
        self._raise_failure(task)

    def _denial_response(self, task: WebSocketConnection, start: Message) -> requests.Response:
        chunks: List[bytes] = []
        while True:
            try:
                message = self._take(task, self.timeout)
            except TimeoutError:
                raise WebSocketTimeout(
                    f"The application did not finish its denial response within {self.timeout:g} s."
                ) from None
            except ChannelClosed:
                self._raise_failure(task)
                break
            chunks.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False):
                break
        headers = joined_headers([(bytes(k), bytes(v)) for k, v in start.get("headers", ())])
        response = build_response(self._request, start["status"], headers, content=b"".join(chunks))
        response.url = self.url
        return response

    # -- sending --------------------------------------------------------------
    def send(self, message: Message) -> None:
        """Send a raw ASGI message (e.g. ``{"type": "websocket.receive", "text": "hi"}``)."""
        task = self._open_task()
        task.deliver(dict(message))

    def send_text(self, data: str) -> None:
        """Send ``data`` in a text frame."""
        if not isinstance(data, str):
            raise TypeError(f"send_text() takes a str, not {type(data).__name__}; use send_bytes() for bytes.")
        self.send({"type": "websocket.receive", "text": data})

    def send_bytes(self, data: Union[bytes, bytearray, memoryview]) -> None:
        """Send ``data`` in a binary frame."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"send_bytes() takes bytes, not {type(data).__name__}; use send_text() for text.")
        self.send({"type": "websocket.receive", "bytes": bytes(data)})

    def send_json(self, data: Any, mode: str = "text") -> None:
        """Send ``data`` as JSON, in a text frame or (``mode="binary"``) a binary one."""
        check_mode(mode)
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        if mode == "text":
            self.send_text(text)
        else:
            self.send_bytes(text.encode("utf-8"))

    # -- receiving --------------------------------------------------------------
    def receive(self, timeout: Optional[float] = None) -> Message:
        """The next raw ASGI message from the app (``websocket.send`` or
        ``websocket.close``); :class:`WebSocketTimeout` if none comes in time."""
        task = self._connected_task()
        if task.protocol_error is not None:
            self._raise_failure(task)
        if self._closed_by_client:
            raise WebSocketDisconnect(1000, "the client closed the connection")
        if self._close_code is not None:
            raise WebSocketDisconnect(self._close_code, self._close_reason)
        # What the app sent before failing is delivered first; its exception
        # is raised once nothing more is queued (the channel is then closed).
        wait = self._wait_time(timeout)
        try:
            message = self._take(task, wait)
        except TimeoutError:
            self._raise_failure(task)
            raise WebSocketTimeout(f"Nothing arrived from the application within {wait:g} s.") from None
        except ChannelClosed:
            self._raise_failure(task)
            if self._closed_by_client:
                raise WebSocketDisconnect(1000, "the client closed the connection") from None
            self._close_code, self._close_reason = 1006, "the application ended without closing the connection"
            raise WebSocketDisconnect(self._close_code, self._close_reason) from None
        if message_type(message) == "websocket.close":
            self._close_code = message.get("code", 1000)
            self._close_reason = message.get("reason") or ""
        return message

    def receive_text(self, timeout: Optional[float] = None) -> str:
        """The next text message; :class:`WebSocketDisconnect` if the app closed."""
        return self._receive_data("text", timeout)

    def receive_bytes(self, timeout: Optional[float] = None) -> bytes:
        """The next binary message; :class:`WebSocketDisconnect` if the app closed."""
        return self._receive_data("bytes", timeout)

    def receive_json(self, mode: str = "text", timeout: Optional[float] = None) -> Any:
        """The next message parsed as JSON, from a text or (``mode="binary"``) binary frame."""
        check_mode(mode)
        if mode == "text":
            return json.loads(self.receive_text(timeout))
        return json.loads(self.receive_bytes(timeout).decode("utf-8"))

    def _receive_data(self, key: str, timeout: Optional[float]) -> Any:
        message = self.receive(timeout)
        if message_type(message) == "websocket.close":
            raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
        value = message.get(key)
        if value is None:
            wanted = "a text" if key == "text" else "a binary"
            raise UnexpectedMessage(f"Expected {wanted} message, but the application sent {describe_data(message)}.")
        return bytes(value) if key == "bytes" else value

    def assert_no_message(self, timeout: float = 0.1) -> None:
        """Fail with :class:`UnexpectedMessage` if the app sends anything (a
        message or a close) within ``timeout`` seconds; the message is left
        to be received. Returns after at most ``timeout`` seconds."""
        wait = check_timeout(timeout)
        if wait is None:
            raise ValueError("assert_no_message() needs a timeout in seconds, not None.")
        task = self._connected_task()
        try:
            message = self._take(task, wait, peek=True)
        except TimeoutError:
            self._raise_failure(task)
            return
        except ChannelClosed:
            self._raise_failure(task)
            raise UnexpectedMessage("Expected no message, but the application ended the connection.") from None
        raise UnexpectedMessage(f"Expected no message within {wait:g} s, but the application sent {describe_data(message)}.")

    # -- closing ---------------------------------------------------------------
    def close(self, code: int = 1000, reason: Optional[str] = None) -> None:
        """Close the connection from the client side (the app receives
        ``websocket.disconnect`` with ``code`` and ``reason``)."""
        check_close_code(code)
        task = self._connected_task()
        if self._closed_by_client:
            return
        self._closed_by_client = True
        task.close_from_client(code, reason)

    def shut_down(self, raise_errors: bool = True) -> None:
        """Close (code 1000) if still open, let the app finish for a moment,
        cancel it otherwise, free the loop; raise the app's failure."""
        task = self._task
        if task is None:
            return
        try:
            if not self._closed_by_client:
                self.close(1000)
            self._wait_for_app(task)
        finally:
            self._abandon()
        if raise_errors:
            self._raise_failure(task)

    def _wait_for_app(self, task: WebSocketConnection) -> None:
        if not task.finished.wait(CLOSE_GRACE):
            task.cancel()

    def _abandon(self) -> None:
        task = self._task
        if task is not None and not task.finished.is_set():
            task.outbox.close_reader()
            task.cancel()
        if self._owns_loop and task is not None:
            self._owns_loop = False
            task.loop.stop(wait=False)

    # -- helpers ---------------------------------------------------------------
    def _take(self, task: WebSocketConnection, timeout: Optional[float], peek: bool = False) -> Message:
        """The app's next message (or a look at it). A wait interrupted in the
        caller's thread (Ctrl-C, a Robot [Timeout]) stops the app at once."""
        try:
            return task.outbox.peek(timeout) if peek else task.outbox.get(timeout)
        except (TimeoutError, ChannelClosed):
            raise
        except BaseException:
            task.outbox.close_reader()
            task.cancel(wait=False)
            raise

    def _connected_task(self) -> WebSocketConnection:
        task = self._task
        if task is None:
            raise TestClientError(
                "The WebSocket session is not connected: use it as "
                "`with client.websocket_connect(url) as websocket:`."
            )
        return task

    def _open_task(self) -> WebSocketConnection:
        task = self._connected_task()
        self._raise_failure(task)
        if self._closed_by_client:
            raise WebSocketDisconnect(1000, "the client closed the connection")
        if self._close_code is not None or task.finished.is_set():
            raise WebSocketDisconnect(self._close_code or 1006, self._close_reason or "the application ended the connection")
        return task

    def _raise_failure(self, task: WebSocketConnection) -> None:
        """Raise the app's exception (once), unwrapped, if it has failed."""
        if self._failure_raised:
            return
        if task.protocol_error is not None:  # raised even while the app runs on
            self._failure_raised = True
            raise attach(task.protocol_error, task.trace)
        # The app's error is recorded before its outbox closes: either tells
        # that the app is done (finished is set a moment later).
        if not (task.finished.is_set() or task.outbox.writer_closed):
            return
        failure = task.failure
        if failure is None or isinstance(failure, ClientDisconnected):
            return  # our own "the client went away", out of the app's send()
        if task.protocol_error is None and not self.raise_server_exceptions:
            self._failure_raised = True
            if self.is_unhandled_disconnect(failure):
                return  # with exceptions off, not even a failure
            self._close_code, self._close_reason = 1011, f"the application raised {failure!r}"
            raise WebSocketDisconnect(self._close_code, self._close_reason) from failure
        self._failure_raised = True
        raise attach(failure, task.trace)

    def is_unhandled_disconnect(self, error: BaseException) -> bool:
        """Whether ``error``, raised by this session, only says that the app did
        not catch the client's close: a framework's own ``WebSocketDisconnect``
        (Starlette, FastAPI, Litestar raise one from a receive after the close)
        raised once the client had closed. It is raised like any exception of
        the app, as the seed's client does; a caller may choose to only report it.
        """
        task = self._task
        closed = self._closed_by_client or (task is not None and task.closed_by_server)
        return closed and type(error).__name__ == "WebSocketDisconnect" and not isinstance(error, TestClientError)

    def _wait_time(self, timeout: Optional[float]) -> Optional[float]:
        if timeout is None:
            return self.timeout
        return check_timeout(timeout)
