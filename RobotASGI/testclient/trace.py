"""The ASGI trace of one exchange: what the app was given and what it sent.

Every HTTP exchange and WebSocket connection records, on the loop, each
message the app's ``receive()`` returned and each message it passed to
``send()``, with its time offset, and how the app ended. It is what a test
against a live server can never see, and it is bounded: the last
:data:`MAX_EVENTS` messages, and the first :data:`BODY_BYTES` of each body.
Recording costs a tuple per message; rendering happens only when asked.

Python users find it on ``response.asgi_trace``, ``websocket.asgi_trace``
and on the errors a request raises (``error.asgi_trace``).
"""
from __future__ import annotations

import collections
import time
from typing import Any, Callable, Deque, Dict, List, NamedTuple, Optional, Tuple, Union

from .types import Message

#: Messages kept per exchange (the last ones).
MAX_EVENTS = 200
#: Bytes kept of each body, text or bytes payload.
BODY_BYTES = 256

_PAYLOAD_KEYS = ("body", "bytes", "text")
_SIZE = "\0size"  # the length of a payload cut at record time

HeaderRenderer = Callable[[str, str], str]
BodyRenderer = Callable[[Union[bytes, str], int], str]


class TraceEvent(NamedTuple):
    """One step: ``offset`` seconds after the exchange began, ``direction``
    ("scope", "receive", "send" or "end"), the message ``type`` and what was
    kept of it (``details``: status, headers, body, size, more_body, code...)."""

    offset: float
    direction: str
    type: str
    details: Dict[str, Any]


class ASGITrace:
    """The bounded record of one exchange; filled on the loop, read anywhere."""

    __slots__ = ("scope", "_started", "_events", "dropped", "ending")

    def __init__(self, scope: Dict[str, Any]) -> None:
        self.scope = scope
        self._started = time.perf_counter()
        self._events: Deque[Tuple[float, str, Message]] = collections.deque(maxlen=MAX_EVENTS)
        #: How many of the first messages were left out (more than MAX_EVENTS came).
        self.dropped = 0
        #: How the app ended ("returned", "raised ValueError: ...", ...), None while it runs.
        self.ending: Optional[str] = None

    # -- on the loop --------------------------------------------------------------
    def record(self, direction: str, message: Any) -> None:
        """Keep ``message`` as the app received (``receive``) or sent (``send``)
        it: a long payload is cut here, so a trace never holds a body."""
        if len(self._events) == MAX_EVENTS:
            self.dropped += 1
        if isinstance(message, dict):
            for key in _PAYLOAD_KEYS:
                value = message.get(key)
                if value is not None and hasattr(value, "__len__") and len(value) > BODY_BYTES:
                    message = dict(message, **{key: value[:BODY_BYTES], _SIZE: len(value)})
                    break
        self._events.append((time.perf_counter() - self._started, direction, message))

    def end(self, ending: str) -> None:
        self.ending = ending
        if len(self._events) == MAX_EVENTS:
            self.dropped += 1
        self._events.append((time.perf_counter() - self._started, "end", {"type": ending}))

    # -- from anywhere ------------------------------------------------------------
    @property
    def events(self) -> List[TraceEvent]:
        """The scope, then the messages in order, then how the app ended."""
        scope = self.scope
        first = TraceEvent(0.0, "scope", str(scope.get("type")), _scope_details(scope))
        return [first] + [_event(offset, direction, message) for offset, direction, message in tuple(self._events)]

    def format(self, header: Optional[HeaderRenderer] = None, body: Optional[BodyRenderer] = None) -> str:
        """The trace as text, one line per step. ``header(name, value)`` and
        ``body(kept, size)`` render what may hold secrets (as is, by default;
        ``kept`` is the start of a body, bytes or text, ``size`` its whole length)."""
        show_header = header or _as_is
        show_body = body or _body_text
        events = self.events
        scope = self.scope
        target = scope.get("path", "")
        if scope.get("query_string"):
            target += "?" + bytes(scope["query_string"]).decode("latin-1")
        title = f"{scope.get('method', '')} {target}".strip() if scope.get("type") == "http" else f"{scope.get('type')} {target}"
        duration = events[-1].offset * 1000 if len(events) > 1 else 0.0
        lines = [f"ASGI trace of {title}: {len(events) - 1} steps in {duration:.1f} ms"]
        if self.dropped:
            lines.append(f"  ({self.dropped} earlier messages left out)")
        for event in events:
            lines.append(f"  +{event.offset * 1000:8.3f} ms  {event.direction:<7} {_describe(event, show_header, show_body)}")
        if self.ending is None:
            lines.append("  (the app was still running)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


class NoTrace(ASGITrace):
    """What an exchange keeps when its client records no trace
    (``TestClient(app, trace=False)``): only how the app ended."""

    __slots__ = ()

    def record(self, direction: str, message: Any) -> None:
        pass

    def end(self, ending: str) -> None:
        self.ending = ending


def shown(trace: ASGITrace) -> Optional[ASGITrace]:
    """``trace`` as users see it: None when it was not recorded."""
    return None if isinstance(trace, NoTrace) else trace


def attach(error: BaseException, trace: ASGITrace) -> BaseException:
    """``error`` with ``error.asgi_trace = trace``, when the object takes an
    attribute and the trace was recorded."""
    if isinstance(trace, NoTrace):
        return error
    try:
        error.asgi_trace = trace  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        pass  # an exception with __slots__: it goes without
    return error


# -- what is kept of a message, and how it reads ----------------------------------------


def _scope_details(scope: Dict[str, Any]) -> Dict[str, Any]:
    details: Dict[str, Any] = {
        "method": scope.get("method"),
        "path": scope.get("path"),
        "query_string": scope.get("query_string", b""),
        "headers": _text_headers(scope.get("headers", ())),
    }
    if scope.get("type") == "websocket":
        details["subprotocols"] = list(scope.get("subprotocols", ()))
    return details


def _event(offset: float, direction: str, message: Any) -> TraceEvent:
    if not isinstance(message, dict):
        return TraceEvent(offset, direction, f"(not a dict: {type(message).__name__})", {})
    kind = message.get("type")
    details: Dict[str, Any] = {}
    for key, value in message.items():
        if key in ("type", _SIZE):
            continue
        if key in ("body", "bytes") and isinstance(value, (bytes, bytearray, memoryview)):
            details["size"] = message.get(_SIZE, len(value))
            details[key] = bytes(value[:BODY_BYTES])
        elif key == "text" and isinstance(value, str):
            details["size"] = message.get(_SIZE, len(value))
            details["text"] = value[:BODY_BYTES]
        elif key == "headers":
            details["headers"] = _text_headers(value)
        else:
            details[key] = value
    return TraceEvent(offset, direction, str(kind), details)


def _text_headers(headers: Any) -> List[Tuple[str, str]]:
    try:
        return [(_text(name), _text(value)) for name, value in headers]
    except (TypeError, ValueError):
        return [("(unreadable headers)", repr(headers)[:BODY_BYTES])]


def _text(value: Any) -> str:
    return bytes(value).decode("latin-1") if isinstance(value, (bytes, bytearray, memoryview)) else str(value)


def _describe(event: TraceEvent, header: HeaderRenderer, body: BodyRenderer) -> str:
    details = dict(event.details)
    parts = [event.type]
    if event.direction == "scope":
        query = details.get("query_string") or b""
        parts = [event.type, str(details.get("method") or ""), str(details.get("path"))]
        if query:
            parts.append(f"?{bytes(query).decode('latin-1')}")
        if details.get("subprotocols"):
            parts.append(f"subprotocols {details['subprotocols']}")
        parts.append("headers: " + _headers_text(details.get("headers", []), header))
        return " ".join(part for part in parts if part)
    headers = details.pop("headers", None)
    size = details.pop("size", None)
    payload_key = next((key for key in ("body", "bytes", "text") if key in details), None)
    payload = details.pop(payload_key) if payload_key else None
    parts += [f"{key}={value!r}" for key, value in details.items()]
    if headers is not None:
        parts.append("headers: " + _headers_text(headers, header))
    if payload_key is not None:
        parts.append(f"{payload_key} {size} {'characters' if payload_key == 'text' else 'bytes'}")
        if size:
            parts.append(body(payload if isinstance(payload, (bytes, str)) else repr(payload), size or 0))
    return " ".join(parts)


def _headers_text(headers: List[Tuple[str, str]], header: HeaderRenderer) -> str:
    return ", ".join(f"{name}: {header(name, value)}" for name, value in headers) or "(none)"


def _as_is(name: str, value: str) -> str:
    return value


def _body_text(data: Union[bytes, str], size: int) -> str:
    shown = repr(data)
    unit = "characters" if isinstance(data, str) else "bytes"
    return shown if size <= len(data) else f"{shown}... ({size - len(data)} more {unit})"
