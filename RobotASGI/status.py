"""``expected_status`` as Robot users write it (``200``, ``not found``, ``4xx``,
``200, 201``, ``any``), and the message of a response whose status is not the
expected one.

Status names are the library's own, the same on every Python version: the
reason phrases of the HTTP status code registry (RFC 9110 and its companions),
which failure messages and the log print, the older phrases some Python
versions print (``Unprocessable Entity``), and the names ``requests.codes``
knows (``teapot``, ``im_a_teapot``, ``unprocessable``...).
"""
from __future__ import annotations

import re
from typing import Any, Dict, FrozenSet, Optional

import requests

from .errors import ArgumentError

ACCEPTED = (
    "a status code (200), a status name (not found, NOT_FOUND, I'm a Teapot), a class (2xx, 4xx), "
    "several separated by commas (200, 201), 'any' or 'anything' to accept every status, "
    "or nothing to fail on 4xx and 5xx"
)

#: The reason phrase of each registered status, as messages and the log print it.
PHRASES: Dict[int, str] = {
    100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
    200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
    205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
    300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
    305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
    400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
    408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
    413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
    417: "Expectation Failed", 418: "I'm a Teapot", 421: "Misdirected Request", 422: "Unprocessable Content",
    423: "Locked", 424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required",
    428: "Precondition Required", 429: "Too Many Requests", 431: "Request Header Fields Too Large",
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout", 505: "HTTP Version Not Supported", 506: "Variant Also Negotiates",
    507: "Insufficient Storage", 508: "Loop Detected", 510: "Not Extended", 511: "Network Authentication Required",
}

#: Phrases the registry used before RFC 9110, which older Python versions print.
FORMER_PHRASES: Dict[str, int] = {
    "Request Entity Too Large": 413, "Payload Too Large": 413, "Request-URI Too Long": 414,
    "Requested Range Not Satisfiable": 416, "Unprocessable Entity": 422,
}


def normalize(name: str) -> str:
    """A status name as it is looked up: case, apostrophes, and spaces, hyphens
    and underscores between words do not count (``I'm a Teapot`` is ``im_a_teapot``)."""
    return re.sub(r"[\s_\-]+", "_", name.strip().lower().replace("'", "").replace("\u2019", "")).strip("_")


def _names() -> Dict[str, int]:
    names: Dict[str, int] = {}
    for name, code in vars(requests.codes).items():  # the names requests.codes has, as it resolves them
        if isinstance(code, int) and not isinstance(code, bool):
            names[normalize(name)] = code
    for phrase, code in FORMER_PHRASES.items():
        names[normalize(phrase)] = code
    for code, phrase in PHRASES.items():  # the phrases a message prints always mean their code
        names[normalize(phrase)] = code
    return names


NAMES = _names()
_CLASS = re.compile(r"([1-5])xx", re.IGNORECASE)


class ExpectedStatus:
    """What statuses a response may have; ``None`` statuses means "not 4xx/5xx"."""

    def __init__(self, statuses: Optional[FrozenSet[int]], text: str) -> None:
        self.statuses = statuses
        self.text = text

    @classmethod
    def parse(cls, value: Any) -> ExpectedStatus:
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return cls(None, "a status below 400")
        if isinstance(value, bool):
            raise ArgumentError(f"Invalid expected_status {value!r}: use {ACCEPTED}.")
        if isinstance(value, int):
            return cls(frozenset([_code(value, value)]), describe(value))
        if isinstance(value, (list, tuple)):
            codes = [cls.parse(item) for item in value]
            if any(code.statuses is None for code in codes):
                raise ArgumentError(f"Invalid expected_status {value!r}: use {ACCEPTED}.")
            statuses = frozenset().union(*(code.statuses or () for code in codes))
            return cls(statuses, " or ".join(code.text for code in codes))
        text = str(value).strip()
        if text.lower() in ("any", "anything"):
            return cls(frozenset(range(100, 600)), "any status")
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if len(parts) > 1:
            try:
                return cls.parse(parts)
            except ArgumentError:
                raise ArgumentError(f"Invalid expected_status {value!r}: use {ACCEPTED}.") from None
        status_class = _CLASS.fullmatch(text)
        if status_class:
            first = int(status_class.group(1)) * 100
            return cls(frozenset(range(first, first + 100)), f"a {status_class.group(1)}xx status")
        code = _parse_one(text, value)
        return cls(frozenset([code]), describe(code))

    def matches(self, status: int) -> bool:
        return status < 400 if self.statuses is None else status in self.statuses

    def mismatch(self, response: requests.Response, body: Optional[str] = None) -> Optional[str]:
        """Why ``response`` fails this expectation, or None if it meets it: the
        request, both statuses and the start of the body (``body``, for a
        streamed response whose body is not read)."""
        if self.matches(response.status_code):
            return None
        request = response.request
        text = f"{request.method} {request.url} returned status {describe(response.status_code)}, expected {self.text}."
        if body is None:
            body = response.text if not response.raw or getattr(response, "_content_consumed", False) else ""
        excerpt = body[:500] + ("..." if len(body) > 500 else "")
        return f"{text} Response body: {excerpt}" if excerpt else f"{text} The response body is empty."


def _parse_one(text: str, original: Any) -> int:
    if text.isdigit():
        return _code(int(text), original)
    number, _, name = text.partition(" ")
    if number.isdigit() and name.strip():  # "418 I'm a Teapot", as a failure message prints it
        code = _code(int(number), original)
        if NAMES.get(normalize(name)) != code:
            raise ArgumentError(
                f"Invalid expected_status {original!r}: the name after {code} must be its own ({describe(code)})."
            )
        return code
    named = NAMES.get(normalize(text))
    if named is None:
        raise ArgumentError(f"Invalid expected_status {original!r}: use {ACCEPTED}.")
    return named


def _code(code: int, original: Any) -> int:
    if not 100 <= code <= 599:
        raise ArgumentError(f"Invalid expected_status {original!r}: a status code is from 100 to 599.")
    return code


def describe(code: int) -> str:
    """``404 Not Found`` (or just the number for an unregistered code)."""
    phrase = PHRASES.get(code)
    return f"{code} {phrase}" if phrase else str(code)
