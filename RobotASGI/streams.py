"""A streamed response read piece by piece: events, lines, chunks.

:class:`Stream` wraps a ``requests.Response`` sent with ``stream=True`` by the
engine. It reads the body with ``response.raw.next_chunk(timeout)``, which
gives up waiting without closing the stream, and keeps what arrived but was
not asked for yet in one buffer shared by every way of reading: Server-Sent
Events (:mod:`RobotASGI.event_stream`), lines, raw chunks. Every wait has a
deadline; when it passes, or the body ends first, :class:`NothingArrived` or
:class:`BodyEnded` says what did arrive. The keyword layer
(:mod:`RobotASGI.keywords.streams`) logs and words the failures.
"""
from __future__ import annotations

import time
from typing import Any, Callable, List, Optional, Tuple, Union

import requests

from .errors import ApplicationError, BodyEnded, NothingArrived, StreamClosed
from .event_stream import BOM, EventStreamParser, ServerSentEvent, Skipped, take_line
from .store import Kind
from .testclient import ClientDisconnected, StreamTimeout

#: How long closing waits for the app to end when the stream has no timeout.
CLOSE_WAIT = 10.0

#: What one read reports as it goes: a comment or an event with no data.
Report = Callable[[Skipped], None]


class Stream:
    """One streamed response and what has been read of it."""

    def __init__(self, response: requests.Response, timeout: Optional[float], client: str) -> None:
        self.response = response
        self._raw: Any = response.raw  # the engine's ResponseStream
        self.timeout = timeout  # the default of every wait on this stream
        self.client = client
        self.url = response.url
        self.finished = False  # the app ended the body
        self.closed = False  # Close Stream (or the end of its scope) disconnected or released it
        self.received = 0  # bytes of the body, decoded, that arrived
        self.events = EventStreamParser()
        self._buffer = bytearray()
        self._drop_lf = False  # a line ended with CR at the end of what had arrived
        self._at_start = True  # nothing of the body has been read out yet (the BOM)

    # -- arriving -------------------------------------------------------------------
    def _fill(self, deadline: Optional[float]) -> bool:
        """Waits (until ``deadline``) for the next piece of the body and buffers it.
        False once the body is complete; :class:`StreamTimeout` when nothing came."""
        if self.finished:
            return False
        if self.closed:
            raise StreamClosed()
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            chunk = self._raw.next_chunk(timeout=remaining)
        except StreamTimeout:
            raise
        except BaseException:  # the app's exception, or the connection cut: nothing more will come
            self.finished = True
            raise
        if chunk is None:
            self.finished = True
            return False
        self.received += len(chunk)
        if self._drop_lf and chunk[:1] == b"\n":
            chunk = chunk[1:]
        self._drop_lf = False
        self._buffer += chunk
        return True

    def _wait(self, deadline: Optional[float], take: Callable[[], Any], arrived: Callable[[], List[str]]) -> Any:
        """``take()`` once it returns something other than None, reading more
        of the body for it until ``deadline``."""
        while True:
            value = take()
            if value is not None:
                return value
            try:
                more = self._fill(deadline)
            except StreamTimeout:
                raise NothingArrived(arrived()) from None
            if not more:
                value = take()
                if value is not None:
                    return value
                raise BodyEnded(arrived())

    # -- reading --------------------------------------------------------------------
    def next_event(self, deadline: Optional[float], report: Report) -> ServerSentEvent:
        """The next event the event-stream rules dispatch; comments and events
        without data go to ``report`` as they are met."""
        skipped: List[str] = []

        def take() -> Optional[ServerSentEvent]:
            while True:
                if self._at_start:
                    if len(self._buffer) < len(BOM) and BOM.startswith(bytes(self._buffer)) and not self.finished:
                        return None  # maybe the start of a byte order mark
                    if self._buffer.startswith(BOM):
                        del self._buffer[: len(BOM)]
                    self._at_start = False
                line = self._take_line(cr_ends=True, final=False)
                if line is None:
                    return None
                outcome = self.events.feed(line.decode("utf-8", "replace"))
                if isinstance(outcome, ServerSentEvent):
                    return outcome
                if isinstance(outcome, Skipped):
                    skipped.append(describe_skipped(outcome))
                    report(outcome)

        def arrived() -> List[str]:
            building = self.events.pending
            partial = self._partial()
            return skipped + (
                [f"the start of an event: {' | '.join(building + ([partial] if partial else []))}"]
                if building or partial
                else []
            )

        try:
            event: ServerSentEvent = self._wait(deadline, take, arrived)
        except BodyEnded:
            self.events.discard()  # an event the body ends in is never dispatched
            del self._buffer[:]
            raise
        return event

    def next_line(self, deadline: Optional[float]) -> bytes:
        """The next line (LF or CRLF ends it; at the end of the body, what is left)."""
        self._at_start = False

        def arrived() -> List[str]:
            partial = self._partial()
            return [f"the start of a line: {partial}"] if partial else []

        line: bytes = self._wait(deadline, lambda: self._take_line(cr_ends=False, final=self.finished), arrived)
        return line

    def next_chunk(self, deadline: Optional[float]) -> bytes:
        """What arrived and was not read yet, or the next piece of the body."""
        self._at_start = False

        def take() -> Optional[bytes]:
            if not self._buffer:
                return None
            data = bytes(self._buffer)
            del self._buffer[:]
            return data

        chunk: bytes = self._wait(deadline, take, list)
        return chunk

    def unread(self) -> bytes:
        """What arrived and was not read yet."""
        return bytes(self._buffer)

    def expect_nothing(self, seconds: float) -> Optional[Union[bytes, str]]:
        """Waits ``seconds`` for the app to send anything: returns what it sent
        (bytes, kept to be read) or ``"end"`` if it ended the body; None if
        nothing came. Unread bytes that arrived before count too."""
        deadline = time.monotonic() + seconds
        while not self._buffer:
            try:
                more = self._fill(deadline)
            except StreamTimeout:
                return None
            if not more:
                return "end"
        return bytes(self._buffer)

    def drain(self, deadline: Optional[float]) -> bytes:
        """Reads to the end of the body: what was left unread and what came."""
        while True:
            try:
                more = self._fill(deadline)
            except StreamTimeout:
                raise NothingArrived([describe_bytes(bytes(self._buffer))] if self._buffer else []) from None
            if not more:
                rest = bytes(self._buffer)
                del self._buffer[:]
                return rest

    def _take_line(self, cr_ends: bool, final: bool) -> Optional[bytes]:
        line, cr_last = take_line(self._buffer, cr_ends, final)
        if line is not None:
            self._drop_lf = cr_last
        return line

    def _partial(self) -> str:
        return self._buffer.decode("utf-8", "replace")

    # -- closing --------------------------------------------------------------------
    def close(self, wait: Optional[float]) -> Tuple[str, Optional[str]]:
        """Disconnects (if the body is not complete) and waits up to ``wait``
        seconds for the app to end. Returns what the client did ("disconnected"
        or "released") and how the app ended (None if it still runs): the
        ending of its ASGI trace. Raises what the app raised, if the engine
        still holds it (a stream read to its end)."""
        if self.closed:
            return "closed already", self.ending
        self.closed = True
        action = "released" if self.finished else "disconnected"
        return action, close_and_wait(self.response, wait)

    @property
    def ending(self) -> Optional[str]:
        """How the app ended (its ASGI trace's ending), None while it runs."""
        trace = getattr(self.response, "asgi_trace", None)
        return None if trace is None else trace.ending


def close_and_wait(response: requests.Response, wait: Optional[float]) -> Optional[str]:
    """Closes a streamed response - the client disconnects if the body is not
    complete, which the engine does at once - and waits up to ``wait`` seconds
    for the app to end. Returns how it ended (its ASGI trace's ending), None if
    it still runs."""
    response.close()
    raw: Any = response.raw  # the engine's ResponseStream
    try:
        raw.wait_for_app(wait)
    except StreamTimeout:
        return None
    ending: Optional[str] = raw.app_ending
    return ending


def describe_skipped(skipped: Skipped) -> str:
    if skipped.kind == "comment":
        return f"a comment ':{skipped.text}'"
    return "an event with no data (not dispatched): " + " | ".join(skipped.lines)


def describe_bytes(data: bytes) -> str:
    """Bytes as failure messages show them: text when they decode, else their repr."""
    try:
        return repr(data.decode("utf-8"))
    except UnicodeDecodeError:
        return repr(data)


def close_stream(stream: Stream) -> Optional[str]:
    """Closes ``stream`` (the kind's close, at the end of its scope too):
    disconnects if the body is not complete and waits, within the stream's
    timeout, for the app to end. Returns what happened, as a note for the log.

    Raises :class:`ApplicationError` if the app raised after the disconnect -
    except the :class:`ClientDisconnected` the engine raises from the ``send()``
    of an app that does not listen for the disconnect, which is no failure."""
    wait = CLOSE_WAIT if stream.timeout is None else stream.timeout
    action, ending = stream.close(wait=wait)
    if action == "disconnected":
        done = "the client disconnected before the body was complete"
    elif action == "released":
        if ending == "the app returned":
            return None
        done = "the body had ended"
    else:
        return None
    if ending is None:
        return f"{done}; the app was still running {wait:g} s later (the engine cancels it)"
    raised = "the app raised "
    if ending.startswith(raised + ClientDisconnected.__name__):
        return (
            f"{done}; the app did not stop at the disconnect: its next send() raised "
            f"{ClientDisconnected.__name__}, which ended it (not a failure)"
        )
    if ending.startswith(raised) or ending.startswith("the app broke the ASGI protocol"):
        if action == "released":  # raised already, by the read that met the end
            return f"{done}: {ending} (the keyword that read the end reported it)"
        raise ApplicationError(f"after the client disconnected, {ending}")
    return f"{done}; {ending}"


STREAMS: Kind[Stream] = Kind("stream", "stream", "Open Stream", "stream", close_stream)
