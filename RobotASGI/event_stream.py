"""Server-Sent Events: the WHATWG event-stream rules, fed one line at a time.

The HTML standard's "Interpreting an event stream"
(https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):

- the stream is UTF-8 (invalid bytes become U+FFFD); one byte order mark at
  its very start is ignored;
- lines end with CRLF, LF or CR (:func:`take_line` splits them, a CR at the
  end of what has arrived so far included: the LF that may follow is dropped
  when it comes);
- a blank line dispatches the event being built - unless its data buffer is
  empty, in which case nothing is dispatched and the event type is reset;
- a line starting with ``:`` is a comment;
- ``field:value`` - one space after the colon is dropped - or a line without a
  colon, which is a field with an empty value;
- ``event`` sets the type (``message`` when empty), ``data`` appends a line to
  the data, ``id`` sets the last event ID unless the value holds NUL, ``retry``
  sets the reconnection time if the value is ASCII digits only; other fields
  are ignored;
- the last event ID and the reconnection time outlast the event that set them
  (what a browser's ``lastEventId`` shows); the type and data do not;
- an event the stream ends in the middle of is never dispatched.

This is our own small parser rather than a library's: the runtime installs
only robotframework, requests and anyio, and the Python SSE clients either
bring an HTTP client of their own (httpx-sse) or read from a socket or a
``requests`` iterator themselves (sseclient-py) where this library needs to
read chunk by chunk with a timeout that leaves the stream open. It knows
nothing of Robot Framework or of the engine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple, Union

BOM = b"\xef\xbb\xbf"


@dataclass
class ServerSentEvent:
    """A dispatched event: ``event`` (its type), ``data`` (its data lines
    joined with LF), ``id`` (the stream's last event ID, ``""`` if none was
    set), ``retry`` (the stream's reconnection time in milliseconds, None if
    none was set) and ``lines``, the lines of the stream it was built from."""

    event: str
    data: str
    id: str
    retry: Optional[int]
    lines: List[str] = field(default_factory=list)

    def as_dict(self, parse_json: Any) -> Dict[str, Any]:
        """The event as a dictionary; ``json`` is there when ``parse_json(data)``
        returns a ``(value,)`` tuple."""
        result: Dict[str, Any] = {"event": self.event, "data": self.data, "id": self.id, "retry": self.retry}
        parsed = parse_json(self.data)
        if parsed is not None:
            result["json"] = parsed[0]
        return result


@dataclass
class Skipped:
    """Something the stream held that is no event: a comment (``kind``
    ``"comment"``, ``text`` without its colon) or an event with no data
    (``"no data"``, ``lines`` it was built from), which is not dispatched."""

    kind: str
    text: str
    lines: List[str] = field(default_factory=list)


Outcome = Union[ServerSentEvent, Skipped, None]


class EventStreamParser:
    """The event being built and the stream's state; :meth:`feed` takes one line."""

    def __init__(self) -> None:
        self._data: List[str] = []
        self._has_data = False
        self._type = ""
        self._lines: List[str] = []
        self.last_event_id = ""
        self.retry: Optional[int] = None

    @property
    def pending(self) -> List[str]:
        """The lines of the event being built (for messages about what arrived)."""
        return list(self._lines)

    def discard(self) -> None:
        """The stream ended: the event being built is never dispatched."""
        self._data, self._has_data, self._type, self._lines = [], False, "", []

    def feed(self, line: str) -> Outcome:
        """Interprets one line (without its line end): returns the event a blank
        line dispatches, what was skipped, or None."""
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return Skipped("comment", line[1:])
        self._lines.append(line)
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._type = value
        elif name == "data":
            self._data.append(value)
            self._has_data = True
        elif name == "id":
            if "\0" not in value:
                self.last_event_id = value
        elif name == "retry":
            if value and value.isascii() and value.isdigit():
                self.retry = int(value)
        return None

    def _dispatch(self) -> Outcome:
        lines, self._lines = self._lines, []
        event_type, self._type = self._type, ""
        data, self._data = self._data, []
        has_data, self._has_data = self._has_data, False
        if not has_data:
            return Skipped("no data", "", lines) if lines else None
        return ServerSentEvent(event_type or "message", "\n".join(data), self.last_event_id, self.retry, lines)


def take_line(buffer: bytearray, cr_ends: bool, final: bool) -> Tuple[Optional[bytes], bool]:
    """The first whole line of ``buffer``, taken out of it, without its line
    end; None when there is no whole line yet.

    With ``cr_ends`` (the event-stream rules) CR, LF and CRLF end a line;
    otherwise LF does, and a CR before it is dropped (JSON Lines, NDJSON). The
    second value tells that the line ended with a CR whose LF may still come
    (the caller drops an LF at the start of what comes next). ``final``: the
    body is complete, so what is left is the last line (an empty buffer is no
    line)."""
    newline = buffer.find(b"\n")
    if cr_ends:
        cr = buffer.find(b"\r")
        if cr != -1 and (newline == -1 or cr < newline):
            line = bytes(buffer[:cr])
            if cr + 1 < len(buffer):
                del buffer[: cr + (2 if buffer[cr + 1 : cr + 2] == b"\n" else 1)]
                return line, False
            del buffer[: cr + 1]
            return line, True
    if newline != -1:
        line = bytes(buffer[:newline])
        del buffer[: newline + 1]
        if not cr_ends and line.endswith(b"\r"):
            line = line[:-1]
        return line, False
    if final and buffer:
        line = bytes(buffer)
        del buffer[:]
        return line, False
    return None, False
