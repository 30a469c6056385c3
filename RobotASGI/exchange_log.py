"""What the Robot log shows of each exchange, with credentials masked.

Request and response are rendered as plain text: the request line, headers
(masked by place, each repeated header such as ``Set-Cookie`` on a line of its
own), and the body - JSON pretty-printed, binary shown as a byte count, long
bodies cut at a configurable length, the masked fields of JSON and form bodies
masked. See :mod:`RobotASGI.masking` for what is masked and what never is.
"""
from __future__ import annotations

import json
from typing import Any, List, Mapping, Optional, Tuple, Union

import requests

from .masking import DEFAULT_MASKED_FIELDS, DEFAULT_MASKED_HEADERS, MASK, Masker
from .status import describe
from .testclient.trace import ASGITrace

__all__ = ["DEFAULT_MASKED_FIELDS", "DEFAULT_MASKED_HEADERS", "MASK", "ExchangeLog", "Masker", "header_values"]

FORM = "application/x-www-form-urlencoded"


class ExchangeLog:
    """Renders requests, responses and WebSocket messages for the log."""

    def __init__(self, masker: Masker, body_limit: int) -> None:
        self.masker = masker
        self.body_limit = body_limit

    def request(self, request: requests.PreparedRequest) -> str:
        lines = [f"{request.method} {self.masker.url(request.url or '')}"]
        lines += self._headers(request.headers.items())
        body = request.body
        if body is not None:
            lines.append("")
            lines.append(self.body(body, request.headers.get("content-type", "")))
        return "\n".join(lines)

    def response(self, response: requests.Response) -> str:
        lines = [describe(response.status_code)]
        lines += self._headers(separate_headers(response))
        if not response.raw or getattr(response, "_content_consumed", False):
            content = response.content
            if content:
                lines.append("")
                lines.append(self.body(content, response.headers.get("content-type", "")))
        else:
            lines += ["", "(streamed body, not read)"]
        return "\n".join(lines)

    def body(self, body: Any, content_type: str = "") -> str:
        """A body as text: JSON pretty-printed, text as is, binary summarised;
        masked fields masked."""
        if isinstance(body, (bytes, bytearray, memoryview)):
            data = bytes(body)
            pretty = self._pretty_json(data) if "json" in content_type or data[:1] in (b"{", b"[") else None
            if pretty is not None:
                return self.cut(pretty)
            if "multipart/form-data" in content_type:
                return f"(multipart/form-data body, {len(data)} bytes)"
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return f"({len(data)} bytes of binary data: {data[:32]!r}{'...' if len(data) > 32 else ''})"
            return self.cut(self.masker.form(text) if content_type.startswith(FORM) else text)
        if isinstance(body, str):
            pretty = self._pretty_json(body) if "json" in content_type else None
            if pretty is not None:
                return self.cut(pretty)
            return self.cut(self.masker.form(body) if content_type.startswith(FORM) else body)
        if body is None:
            return ""
        if hasattr(body, "read"):
            return f"(streamed from {getattr(body, 'name', type(body).__name__)})"
        return f"(streamed from a {type(body).__name__})"

    def message(self, direction: str, message: Any) -> str:
        """A WebSocket message: ``direction`` is "sent" or "received"."""
        if isinstance(message, Mapping):
            if message.get("type") == "websocket.close":
                reason = message.get("reason")
                return f"WebSocket {direction} close: code {message.get('code', 1000)}" + (
                    f", reason {reason!r}" if reason else ""
                )
            if message.get("text") is not None:
                return f"WebSocket {direction} text:\n{self.body(message['text'], 'json' if _looks_json(message['text']) else '')}"
            if message.get("bytes") is not None:
                return f"WebSocket {direction} bytes:\n{self.body(bytes(message['bytes']))}"
        return f"WebSocket {direction}: {message!r:.500}"

    def trace(self, trace: ASGITrace) -> str:
        """An exchange's ASGI trace: header values masked by place, bodies as
        :meth:`trace_body` shows them, the whole scrubbed (by value, and the
        shapes credentials take, such as a query's ``token=...``)."""
        return self.masker.scrub(trace.format(header=self.masker.header, body=self.trace_body))

    def trace_body(self, kept: Union[bytes, str], size: int) -> str:
        """The start of a body (or of a WebSocket message) as a trace keeps
        it, ``size`` its whole length: quoted, on one line. The masked fields of
        a whole JSON or form body are masked; a body cut short is masked with
        :meth:`Masker.cut`; a multipart body is only named."""
        cut = size > len(kept)
        unit = "characters" if isinstance(kept, str) else "bytes"
        text = kept if isinstance(kept, str) else _utf8(kept, cut)
        if text is None:  # binary data: its bytes, credentials masked by value
            shown = self.masker.text(repr(kept))
        elif text.startswith("--") and "content-disposition: form-data" in text[:400].lower():
            return f"(multipart/form-data body, {size} {unit})"
        else:
            if not cut:
                parsed = parse_json(text) if text[:1] in ("{", "[") else None
                if parsed is not None:
                    masked = self.masker.json(parsed[0])
                    if masked != parsed[0]:
                        text = json.dumps(masked, ensure_ascii=False)
                elif "=" in text and not any(char.isspace() for char in text):
                    text = self.masker.form(text)
            text = self.masker.scrub(text)
            shown = repr(self.masker.cut(text) if cut else text)
        return f"{shown}... ({size} {unit} in all)" if cut else shown

    def cut(self, text: str) -> str:
        if self.body_limit and len(text) > self.body_limit:
            return f"{text[: self.body_limit]}... ({len(text) - self.body_limit} more characters not logged)"
        return text

    def _headers(self, headers: Any) -> List[str]:
        return [f"{name}: {self.masker.header(name, _text(value))}" for name, value in headers]

    def _pretty_json(self, data: Union[bytes, str]) -> Optional[str]:
        parsed = parse_json(data)
        if parsed is None:
            return None
        return json.dumps(self.masker.json(parsed[0]), indent=2, ensure_ascii=False, sort_keys=False)


def parse_json(data: Union[bytes, str]) -> Optional[Tuple[Any]]:
    """``(value,)`` if ``data`` is JSON, else None."""
    try:
        return (json.loads(data),)
    except (ValueError, UnicodeDecodeError):
        return None


def body_field_values(masker: Masker, body: Any, content_type: str) -> List[str]:
    """The values of masked fields in a JSON or form body."""
    if not isinstance(body, (bytes, bytearray, memoryview, str)):
        return []
    data: Union[bytes, str] = bytes(body) if isinstance(body, (bytearray, memoryview)) else body
    if content_type.startswith(FORM):
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        return masker.form_values(text)
    if "json" in content_type or data[:1] in ((b"{", b"[") if isinstance(data, bytes) else ("{", "[")):
        parsed = parse_json(data)
        return masker.field_values(parsed[0]) if parsed is not None else []
    return []


def header_values(response: requests.Response, name: str) -> List[str]:
    """Every value of a response header, each on its own - a repeated header
    such as ``Set-Cookie`` is not joined as ``response.headers`` joins it."""
    message = getattr(getattr(response.raw, "_original_response", None), "msg", None)
    get_all = getattr(message, "get_all", None)
    if callable(get_all):
        values = get_all(name)
        if values:
            return [_text(value) for value in values]
    value = response.headers.get(name)
    return [] if value is None else [_text(value)]


def separate_headers(response: requests.Response) -> List[Tuple[str, str]]:
    """The response's headers with a repeated one on a line per value."""
    return [(name, value) for name in response.headers for value in header_values(response, name)]


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _utf8(data: bytes, cut: bool) -> Optional[str]:
    """``data`` as UTF-8 text - a character the cut split left out - or None
    if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if cut and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8", "strict")
        return None


def _looks_json(text: str) -> bool:
    return text[:1] in ("{", "[")

