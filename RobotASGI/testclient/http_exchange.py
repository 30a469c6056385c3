"""One HTTP request and its response, on the event loop: the application's side.

:class:`HTTPExchange` is what the application's ``receive`` and ``send`` talk
to. It checks the app's messages against the ASGI HTTP protocol and hands the
response to the caller's thread as events through a :class:`Channel`: the
response start, body chunks, trailers and the end of the body.
"""
from __future__ import annotations

import functools
import io
import os
from typing import Any, Dict, Optional, Tuple

import anyio
import anyio.lowlevel
import anyio.to_thread

from .body import FILE_CHUNK, RequestBody
from .channel import CHECKPOINT_EVERY, Channel
from .errors import ClientDisconnected, TestClientError, message_type
from .loop import EventLoopThread
from .protocol import check_headers, check_status, declared_length
from .scope import HeaderList
from .task import AppTask
from .types import ASGIApp, Message

#: The extensions this client implements, advertised in every ``http`` scope.
HTTP_EXTENSIONS: Dict[str, Dict[str, Any]] = {
    "http.response.debug": {},
    "http.response.template": {},
    "http.response.trailers": {},
    "http.response.pathsend": {},
}

#: Bytes of a streamed response buffered before the app's ``send()`` waits.
STREAM_BUFFER = 1 << 20
#: How long an app may keep running after the client closed a response.
DISCONNECT_GRACE = 2.0

#: The kinds of events the exchange hands to the caller.
START, BODY, TRAILERS, END = "start", "body", "trailers", "end"
Event = Tuple[str, Any]

#: What one queued event costs beyond its payload (tuple, bytes header, deque slot).
EVENT_OVERHEAD = 128


def _event_size(event: Event) -> int:
    """An event's share of the buffer: its bytes and its own overhead, so a
    flood of tiny chunks is bounded as well as a few large ones."""
    return EVENT_OVERHEAD + (len(event[1]) if event[0] == BODY else 0)


class HTTPExchange(AppTask):
    """One request and its response, played out on the event loop.

    The application's messages are checked against the ASGI HTTP protocol
    and handed to the caller's thread through a :class:`Channel` as events:
    the response start, body chunks, trailers and the end of the body; the
    channel closes when the application returns (background tasks included).
    """

    def __init__(
        self,
        app: ASGIApp,
        scope: Dict[str, Any],
        body: RequestBody,
        loop: EventLoopThread,
        *,
        streaming: bool,
        trace: bool = True,
    ) -> None:
        super().__init__(app, scope, loop, trace)
        self.body = body
        body.on_gone = self._client_went_away
        self.head = scope["method"] == "HEAD"
        # A streamed response is read while the app runs, through a channel
        # that bounds what waits in between. A whole response is read once the
        # app has finished: it never makes the app wait, and gathers its body
        # in one buffer (getvalue() hands it over without a copy, so a large
        # body costs its size once, not twice).
        self.events: Optional[Channel[Event]] = Channel(loop, STREAM_BUFFER, _event_size) if streaming else None
        self.whole_body: Optional[io.BytesIO] = None if streaming else io.BytesIO()
        self.start: Optional[Tuple[int, HeaderList]] = None  # status and headers, once sent
        self.trailer_headers: HeaderList = []
        self._sends = 0
        self.template: Any = None
        self.context: Any = None
        self.disconnected = False
        self.closed_by_server = False
        self.streaming = streaming
        self._state = "idle"  # -> "started" -> "trailers" -> "complete"
        self._trailers = False
        self._status = 0
        self._body_bytes = 0
        self._length: Optional[int] = None  # the Content-Length to hold the body to
        self._over = False  # the response is complete, or the client went away
        self._over_event: Optional[anyio.Event] = None  # made only if the app waits for it

    # -- on the loop --------------------------------------------------------
    def _set_over(self) -> None:
        self._over = True
        if self._over_event is not None:
            self._over_event.set()

    def _on_finish(self) -> None:
        self.body.stop()
        self._set_over()
        if self.events is not None:
            self.events.close_writer()

    async def receive(self) -> Message:
        if not self.body.done and not self.disconnected:
            message = await self.body.next_message()
        else:
            if not self._over:
                if self._over_event is None:
                    self._over_event = anyio.Event()
                await self._over_event.wait()
            message = {"type": "http.disconnect"}
        self.trace.record("receive", message)
        return message

    async def send(self, message: Message) -> None:
        self.trace.record("send", message)
        if self.disconnected:
            raise ClientDisconnected("The client has closed the connection.")
        self._sends += 1
        if self._sends % CHECKPOINT_EVERY == 0:  # an app that only sends stays cancellable
            await anyio.lowlevel.checkpoint()
        kind = message_type(message)
        if kind == "http.response.start":
            await self._start(message)
        elif kind == "http.response.body":
            await self._body(message)
        elif kind == "http.response.trailers":
            await self._trailers_message(message)
        elif kind == "http.response.pathsend":
            await self._pathsend(message)
        elif kind == "http.response.debug":
            info = message.get("info")
            if not isinstance(info, dict):
                raise self.violation("http.response.debug needs an 'info' dict", message)
            self.template, self.context = info.get("template"), info.get("context")
        elif kind == "http.response.template":
            self.template, self.context = message.get("template"), message.get("context")
        elif not isinstance(message, dict):
            raise self.violation("a message must be a dict", message)
        else:
            raise self.violation(f"unknown message type {kind!r} for an http connection", message)

    async def _start(self, message: Message) -> None:
        if self._state != "idle":
            raise self.violation("http.response.start sent twice", message)
        status = check_status(message.get("status"), lambda text: self.violation(text, message))
        headers = check_headers(message.get("headers", ()), lambda text: self.violation(text, message))
        length = declared_length(headers, lambda text: self.violation(text, message))
        if not (self.head or status < 200 or status in (204, 304)):
            self._length = length  # those answers carry no body, whatever the header says
        self._trailers = bool(message.get("trailers", False))
        self._status = status
        self._state = "started"
        self.start = (status, headers)
        if self.events is not None:
            await self.events.put((START, self.start))

    async def _body(self, message: Message) -> None:
        if self._state == "idle":
            raise self.violation("http.response.body sent before http.response.start", message)
        if self._state != "started":
            raise self.violation("http.response.body sent after the response body was complete", message)
        body = message.get("body", b"")
        if not isinstance(body, (bytes, bytearray, memoryview)):
            raise self.violation(f"the body must be bytes, not {type(body).__name__}", message)
        self._count(len(body), message)
        if body and not self.head:
            await self._deliver(body)
        if not message.get("more_body", False):
            self._check_complete_length(message)
            await self._body_complete()

    async def _trailers_message(self, message: Message) -> None:
        if self._state != "trailers":
            why = "without trailers=True in http.response.start" if not self._trailers else "before the body was complete"
            raise self.violation(f"http.response.trailers sent {why}", message)
        headers = check_headers(message.get("headers", ()), lambda text: self.violation(text, message))
        self.trailer_headers += headers
        if self.events is not None:
            await self.events.put((TRAILERS, headers))
        if not message.get("more_trailers", False):
            await self._complete()

    async def _pathsend(self, message: Message) -> None:
        if self._state != "started":
            raise self.violation("http.response.pathsend must follow http.response.start", message)
        path = message.get("path")
        if not isinstance(path, (str, os.PathLike)):
            raise self.violation("http.response.pathsend needs a 'path' string", message)
        # The spec asks for an absolute path; a relative one is read from the
        # working directory, as FileResponse("static/app.css") is under uvicorn.
        with open(os.path.abspath(path), "rb") as file:
            while True:
                chunk = await anyio.to_thread.run_sync(file.read, FILE_CHUNK)
                if not chunk:
                    break
                self._count(len(chunk), message)
                if not self.head:
                    await self._deliver(chunk)
        self._check_complete_length(message)
        await self._body_complete()

    def _count(self, size: int, message: Message) -> None:
        self._body_bytes += size
        if self._length is not None and self._body_bytes > self._length:
            raise self.violation(
                f"the response body is longer than its content-length: {self._length} bytes declared, "
                f"{self._body_bytes} sent so far",
                message,
            )

    def _check_complete_length(self, message: Message) -> None:
        if self._length is not None and self._body_bytes < self._length:
            raise self.violation(
                f"the response body is shorter than its content-length: {self._length} bytes declared, "
                f"{self._body_bytes} sent",
                message,
            )

    async def _deliver(self, chunk: Any) -> None:
        if self.events is None:
            if self.whole_body is not None:  # None once the caller took the body
                self.whole_body.write(chunk)
        else:
            await self.events.put((BODY, bytes(chunk)))

    async def _body_complete(self) -> None:
        if self._trailers:
            self._state = "trailers"
        else:
            await self._complete()

    async def _complete(self) -> None:
        """The response is over for the client; the app may still run (background tasks)."""
        self._state = "complete"
        self._set_over()
        if self.events is not None:  # a whole response is read once the app has returned
            await self.events.put((END, None))

    @property
    def progress(self) -> str:
        """How far the response got, for messages: "" before it started."""
        if self._state == "idle":
            return ""
        if self._state == "complete":
            return "it sent its whole response, then kept running"
        return f"it sent status {self._status} and {self._body_bytes} body bytes, then no end of the body"

    def _after_return(self) -> None:
        if self.disconnected:
            return
        if self._state == "idle":
            raise self.violation("the application returned without sending http.response.start", None)
        if self._state == "started":
            raise self.violation(
                "the application returned before the response was complete "
                "(its last http.response.body had more_body=True)",
                None,
            )
        if self._state == "trailers":
            raise self.violation("the application returned without sending the announced trailers", None)

    def _client_went_away(self) -> None:
        """The client left in the middle of its body (on purpose: disconnect_after)."""
        self._disconnect(stop_loop=False)

    def _disconnect(self, stop_loop: bool) -> None:
        if not self.finished.is_set():
            self.disconnected = True
            self.body.stop()
            self._set_over()
            # An app that notices only at its next send() gets a moment for it.
            self.cancel_after(DISCONNECT_GRACE)
        if stop_loop:
            self.when_finished(self.loop.stop_soon)

    @property
    def complete(self) -> bool:
        """Whether the app sent its whole response (trailers included)."""
        return self._state == "complete"

    # -- from the caller's thread -------------------------------------------
    def disconnect(self, stop_loop: bool = False) -> None:
        """The client goes away, and returns at once: the app's ``receive()``
        gives ``http.disconnect``, its ``send()`` raises, and it is cancelled
        if it has not finished after a grace period - all on the loop, which
        stops by itself afterwards when ``stop_loop`` (the response owned it)."""
        if self.events is not None:
            self.events.close_reader()
        try:
            self.loop.post(functools.partial(self._disconnect, stop_loop))
        except TestClientError:
            pass  # the loop is gone, and the app with it

    def server_close(self) -> None:
        """The client's ``with`` block ends: the connection is cut, as a
        server going away cuts it; the reader learns it at its next read. A
        response already complete is left to its background tasks."""
        if not self.complete:
            self.closed_by_server = True
            self.disconnect()
