"""What the Robot log shows of each exchange, with credentials masked.

Request and response are rendered as plain text: the request line, headers
(masked), and the body - JSON pretty-printed, binary shown as a byte count,
long bodies cut at a configurable length.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable, List, Mapping, Optional, Pattern, Set, Tuple, Union
from urllib.parse import urlsplit, urlunsplit

import requests

from .status import describe

MASK = "*****"
DEFAULT_MASKED_HEADERS = ("Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization")


class Masker:
    """Hides credentials: the values of credential headers (case-insensitive
    names), and every secret value it has been told about."""

    def __init__(self, headers: Iterable[str] = DEFAULT_MASKED_HEADERS) -> None:
        self.names = frozenset(name.strip().lower() for name in headers if name.strip())
        self._known: Set[str] = set()
        self._patterns: List[Tuple[Pattern[str], str]] = []
        if self.names:
            names = "|".join(re.escape(name) for name in sorted(self.names))
            # 'Authorization': 'Bearer x' / "cookie": "a=1" in a logged dict, e.g.
            # Robot's own TRACE dump of keyword arguments.
            header = re.compile(rf"""(?i)(['"](?:{names})['"]\s*:\s*)(['"])((?:(?!\2).)*)\2""")
            self._patterns.append((header, rf"\1\2{MASK}\2"))
        # auth=['user', 'password'] / auth=("user", "password")
        auth = re.compile(r"""(?i)(\bauth\s*=\s*[\[(]\s*(['"]).*?\2\s*,\s*)(['"])((?:(?!\3).)*)\3""")
        self._patterns.append((auth, rf"\1\3{MASK}\3"))

    def header(self, name: str, value: str) -> str:
        return MASK if name.lower() in self.names else value

    def remember(self, secrets: Iterable[str]) -> None:
        """Mask these values wherever they appear from now on.

        A credential of the form ``scheme token`` ("Bearer abc", "Basic
        cWE6eA==") is remembered with its token alone too."""
        for secret in secrets:
            if not secret or secret == MASK:
                continue
            parts = secret.split(None, 1)
            for value in (secret, parts[1] if len(parts) == 2 and parts[0].isalpha() else ""):
                if len(value) >= 3:
                    self._known.add(value)

    def text(self, text: str) -> str:
        """``text`` with every remembered secret value replaced by the mask."""
        for secret in sorted(self._known, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def scrub(self, text: str) -> str:
        """:meth:`text`, plus credentials recognised by their shape."""
        text = self.text(text)
        for pattern, replacement in self._patterns:
            text = pattern.sub(replacement, text)
        return text


class ExchangeLog:
    """Renders requests, responses and WebSocket messages for the log."""

    def __init__(self, masker: Masker, body_limit: int) -> None:
        self.masker = masker
        self.body_limit = body_limit

    def request(self, request: requests.PreparedRequest) -> str:
        lines = [f"{request.method} {_without_credentials(request.url or '')}"]
        lines += self._headers(request.headers.items())
        body = request.body
        if body is not None:
            lines.append("")
            lines.append(self.body(body, request.headers.get("content-type", "")))
        return "\n".join(lines)

    def response(self, response: requests.Response) -> str:
        lines = [describe(response.status_code)]
        lines += self._headers(response.headers.items())
        if not response.raw or getattr(response, "_content_consumed", False):
            content = response.content
            if content:
                lines.append("")
                lines.append(self.body(content, response.headers.get("content-type", "")))
        else:
            lines += ["", "(streamed body, not read)"]
        return "\n".join(lines)

    def body(self, body: Any, content_type: str = "") -> str:
        """A body as text: JSON pretty-printed, text as is, binary summarised."""
        if isinstance(body, (bytes, bytearray, memoryview)):
            data = bytes(body)
            pretty = _pretty_json(data) if "json" in content_type or data[:1] in (b"{", b"[") else None
            if pretty is not None:
                return self.cut(pretty)
            if "multipart/form-data" in content_type:
                return f"(multipart/form-data body, {len(data)} bytes)"
            try:
                return self.cut(data.decode("utf-8"))
            except UnicodeDecodeError:
                return f"({len(data)} bytes of binary data: {data[:32]!r}{'...' if len(data) > 32 else ''})"
        if isinstance(body, str):
            pretty = _pretty_json(body) if "json" in content_type else None
            return self.cut(pretty if pretty is not None else body)
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

    def cut(self, text: str) -> str:
        if self.body_limit and len(text) > self.body_limit:
            return f"{text[: self.body_limit]}... ({len(text) - self.body_limit} more characters not logged)"
        return text

    def _headers(self, headers: Iterable[Tuple[str, Any]]) -> List[str]:
        return [f"{name}: {self.masker.header(name, _text(value))}" for name, value in headers]


def secrets_of(request: Optional[requests.PreparedRequest], response: Optional[requests.Response], masker: Masker) -> List[str]:
    """Values of masked headers, to scrub from failure messages."""
    values: List[str] = []
    for headers in (getattr(request, "headers", None), getattr(response, "headers", None)):
        if not headers:
            continue
        for name, value in headers.items():
            if name.lower() not in masker.names:
                continue
            text = _text(value)
            values.append(text)
            if name.lower() == "cookie":  # each cookie value too, should the app echo one
                values += [pair.partition("=")[2].strip() for pair in text.split(";")]
    if "set-cookie" in masker.names and response is not None:
        values += [cookie.value for cookie in response.cookies if cookie.value]
    return values


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    host = parts.hostname or ""
    netloc = f"{MASK}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _looks_json(text: str) -> bool:
    return text[:1] in ("{", "[")


def _pretty_json(data: Union[bytes, str]) -> Optional[str]:
    try:
        return json.dumps(json.loads(data), indent=2, ensure_ascii=False, sort_keys=False)
    except (ValueError, UnicodeDecodeError):
        return None
