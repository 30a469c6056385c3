"""One WebSocket connection on the event loop: the application's side.

:class:`WebSocketConnection` is what the application's ``receive`` and
``send`` talk to: messages from the test wait in an :class:`_Inbox` on the
loop; the app's messages are checked against the ASGI WebSocket protocol and
handed to the caller's thread through a :class:`Channel`.
"""
from __future__ import annotations

import collections
from typing import Any, Deque, Dict, Optional

import anyio
import anyio.lowlevel

from .channel import Channel
from .errors import ASGIProtocolError, ClientDisconnected, TestClientError, message_type
from .loop import EventLoopThread
from .protocol import check_headers, check_status
from .task import AppTask
from .types import ASGIApp, Message

#: The extensions advertised in every ``websocket`` scope.
WEBSOCKET_EXTENSIONS: Dict[str, Dict[str, Any]] = {"websocket.http.response": {}}

#: What uvicorn closes open WebSockets with when it shuts down: Service Restart.
SHUTDOWN_CLOSE_CODE = 1012

#: Payload bytes (or messages) buffered from the app before its ``send()`` waits.
MESSAGE_BUFFER = 16 << 20


class _Inbox:
    """Messages from the client to the app; touched only on the loop."""

    def __init__(self, first: Message) -> None:
        self._items: Deque[Message] = collections.deque([first])
        self._waiter: Optional[anyio.Event] = None
        self.final: Optional[Message] = None

    def put(self, message: Message) -> None:
        self._items.append(message)
        if self._waiter is not None:
            self._waiter.set()

    async def get(self) -> Message:
        while not self._items:
            if self.final is not None:
                # After a disconnect every receive says so - at a checkpoint, so
                # an app that loops on receive() can still be cancelled.
                await anyio.lowlevel.checkpoint()
                return dict(self.final)
            self._waiter = anyio.Event()
            await self._waiter.wait()
        self._waiter = None
        message = self._items.popleft()
        if message_type(message) == "websocket.disconnect":
            self.final = message
        return message


class WebSocketConnection(AppTask):
    """The application's side of one WebSocket connection, on the loop."""

    def __init__(self, app: ASGIApp, scope: Dict[str, Any], loop: EventLoopThread, trace: bool = True) -> None:
        super().__init__(app, scope, loop, trace)
        self.inbox = _Inbox({"type": "websocket.connect"})
        self.outbox: Channel[Message] = Channel(loop, MESSAGE_BUFFER, _message_size)
        self.state = "connecting"  # -> "open" | "denying" -> "closed"
        self.client_closed = False
        self.closed_by_server = False

    async def receive(self) -> Message:
        message = await self.inbox.get()
        self.trace.record("receive", message)
        return message

    async def send(self, message: Message) -> None:
        self.trace.record("send", message)
        kind = message_type(message)
        if self.client_closed:
            if kind == "websocket.close" and self.state == "open":
                # The app's half of a close handshake the client began: a real
                # server sends it without complaint (uvicorn, websockets, wsproto).
                self._check_close(message)
                self.state = "closed"
                return
            raise ClientDisconnected("The client has closed the WebSocket connection.")
        if not isinstance(message, dict):
            raise self.violation("a message must be a dict", message)
        state = self.state
        if state == "connecting" and kind == "websocket.accept":
            self._check_accept(message)
            self.state = "open"
        elif state in ("connecting", "open") and kind == "websocket.close":
            self._check_close(message)
            self.state = "closed"
        elif state == "open" and kind == "websocket.send":
            self._check_data(message)
        elif state == "connecting" and kind == "websocket.http.response.start":
            check_status(message.get("status"), lambda text: self.violation(text, message))
            check_headers(message.get("headers", ()), lambda text: self.violation(text, message))
            self.state = "denying"
        elif state == "denying" and kind == "websocket.http.response.body":
            if not isinstance(message.get("body", b""), (bytes, bytearray, memoryview)):
                raise self.violation("the body must be bytes", message)
            if not message.get("more_body", False):
                self.state = "closed"
        else:
            raise self.violation(self._unexpected(kind, state), message)
        await self.outbox.put(message)

    def _unexpected(self, kind: Optional[str], state: str) -> str:
        if kind == "websocket.send" and state == "connecting":
            return "websocket.send before websocket.accept"
        if state == "closed":
            return f"{kind} after the connection was closed"
        if kind in ("websocket.accept", "websocket.http.response.start") and state != "connecting":
            return f"{kind} after the handshake was answered"
        return f"unexpected message type {kind!r} for a websocket connection in state {state!r}"

    def _check_accept(self, message: Message) -> None:
        subprotocol = message.get("subprotocol")
        if subprotocol is not None and subprotocol not in self.scope["subprotocols"]:
            raise self.violation(
                f"accepted subprotocol {subprotocol!r}, which the client did not offer "
                f"(it offered {self.scope['subprotocols']!r})",
                message,
            )
        check_headers(message.get("headers", ()), lambda text: self.violation(text, message))

    def _check_close(self, message: Message) -> None:
        code = message.get("code", 1000)
        reason = message.get("reason")
        if not isinstance(code, int) or isinstance(code, bool):
            raise self.violation(f"the close code must be an int, not {code!r}", message)
        if reason is not None and not isinstance(reason, str):
            raise self.violation(f"the close reason must be a str, not {type(reason).__name__}", message)

    def _check_data(self, message: Message) -> None:
        text, data = message.get("text"), message.get("bytes")
        if (text is None) == (data is None):
            raise self.violation("websocket.send needs exactly one of 'text' or 'bytes'", message)
        if text is not None and not isinstance(text, str):
            raise self.violation(f"'text' must be a str, not {type(text).__name__}", message)
        if data is not None and not isinstance(data, (bytes, bytearray, memoryview)):
            raise self.violation(f"'bytes' must be bytes, not {type(data).__name__}", message)

    def _after_return(self) -> None:
        if self.state in ("connecting", "denying") and not self.client_closed:
            raise self.violation("the application returned without accepting or closing the WebSocket")

    def _on_finish(self) -> None:
        self.outbox.close_writer()

    def violation(self, text: str, message: Optional[Message] = None) -> ASGIProtocolError:
        """A violation ends the conversation: the test's next call raises it,
        even if the app catches it and goes on."""
        error = super().violation(text, message)
        self.outbox.close_writer()
        return error

    def _client_close(self, message: Message) -> None:
        self.client_closed = True
        self.inbox.put(message)

    def _server_close(self, code: int) -> None:
        if self.finished.is_set() or self.client_closed:
            return
        # As uvicorn on shutdown: the client gets a close frame with the code,
        # the app a disconnect, and its sends fail from now on.
        self.outbox.close_writer({"type": "websocket.close", "code": code, "reason": "the server is shutting down"})
        self._client_close({"type": "websocket.disconnect", "code": code, "reason": ""})

    # -- from the caller's thread -------------------------------------------
    def deliver(self, message: Message) -> None:
        self.loop.post(lambda: self.inbox.put(message))

    def server_close(self, code: int = SHUTDOWN_CLOSE_CODE) -> None:
        """The client's ``with`` block ends: the server closes the connection."""
        self.closed_by_server = True
        try:
            self.loop.post(lambda: self._server_close(code))
        except TestClientError:
            pass

    def close_from_client(self, code: int, reason: Optional[str]) -> None:
        message: Message = {"type": "websocket.disconnect", "code": code, "reason": reason or ""}
        self.outbox.close_reader()
        try:
            self.loop.post(lambda: self._client_close(message))
        except TestClientError:
            pass


#: What one queued message costs beyond its payload (its dict and deque slot).
MESSAGE_OVERHEAD = 320


def _message_size(message: Message) -> int:
    """A message's share of the buffer: payload and overhead, so a flood of
    tiny messages is bounded as well as a few large ones."""
    payload = message.get("bytes") or message.get("text") or message.get("body") or b""
    return MESSAGE_OVERHEAD + len(payload)
