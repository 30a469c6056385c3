"""What HTTP and WebSocket share: checking the app's status and headers, and
turning an answer into a ``requests.Response``."""
from __future__ import annotations

import http
import re
from typing import Any, Callable, Optional

import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from .errors import ASGIProtocolError, quote
from .scope import HeaderList

Violation = Callable[[str], ASGIProtocolError]

#: A header name is an HTTP token (RFC 9110, 5.1 and 5.6.2).
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
#: What a header value may not hold: control characters but HTAB (RFC 9110,
#: 5.5), the bytes uvicorn refuses - CR and LF above all, which would let the
#: app write headers of its own choosing into the response.
_FORBIDDEN_IN_VALUE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
_BYTE_NAMES = {0x00: "NUL", 0x0A: "LF", 0x0D: "CR", 0x7F: "DEL"}


def check_status(status: Any, violation: Violation) -> int:
    """``status`` if it is an int from 100 to 599, else the violation."""
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise violation(f"the status must be an int from 100 to 599, not {status!r}")
    return status


def check_headers(headers: Any, violation: Violation) -> HeaderList:
    """The app's headers as a list of ``(bytes, bytes)`` pairs, else the violation."""
    checked: HeaderList = []
    try:
        pairs = list(headers)
    except TypeError:
        raise violation("headers must be an iterable of [name, value] byte pairs") from None
    for pair in pairs:
        try:
            name, value = pair
        except (TypeError, ValueError):
            raise violation(f"each header must be a [name, value] pair, not {quote(pair, 60)}") from None
        if not isinstance(name, (bytes, bytearray)) or not isinstance(value, (bytes, bytearray)):
            raise violation(f"header names and values must be bytes, not {quote(pair, 60)}")
        if not _TOKEN.fullmatch(name):
            raise violation(f"the header name {quote(bytes(name), 60)} is not an HTTP token, which HTTP forbids")
        bad = _FORBIDDEN_IN_VALUE.search(value)
        if bad is not None:
            byte = bad.group()[0]
            what = _BYTE_NAMES.get(byte, "a control character")
            raise violation(
                f"the value of header {quote(bytes(name), 60)} holds {what} (0x{byte:02x}) at position "
                f"{bad.start()}, which HTTP forbids"
            )
        checked.append((bytes(name), bytes(value)))
    return checked


def declared_length(headers: HeaderList, violation: Violation) -> Optional[int]:
    """The Content-Length the headers declare (None without one), else the violation."""
    declared: Optional[int] = None
    for name, value in headers:
        if name.lower() != b"content-length":
            continue
        text = value.strip()
        if not text.isdigit():
            raise violation(f"the content-length {quote(value, 60)} is not a number of bytes")
        if declared is not None and int(text) != declared:
            raise violation(f"two content-length headers disagree: {declared} and {int(text)}")
        declared = int(text)
    return declared


def joined_headers(headers: HeaderList) -> CaseInsensitiveDict:
    """Headers as requests shows them: repeated names joined with ``, ``."""
    joined: CaseInsensitiveDict = CaseInsensitiveDict()
    for name, value in headers:
        key, text = name.decode("latin-1"), value.decode("latin-1")
        previous = joined.get(key)
        joined[key] = text if previous is None else f"{previous}, {text}"
    return joined


def reason_phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def build_response(
    request: requests.PreparedRequest,
    status: int,
    headers: CaseInsensitiveDict,
    raw: Any = None,
    content: Optional[bytes] = None,
) -> requests.Response:
    """A ``requests.Response`` for ``request``: its body is ``content`` when
    given (already read), else read from ``raw``."""
    response = requests.Response()
    response.status_code = status
    response.headers = headers
    response.raw = raw
    response.url = request.url or ""
    response.request = request
    response.encoding = get_encoding_from_headers(headers)
    response.reason = reason_phrase(status)
    if content is not None:
        response._content = content
        response._content_consumed = True  # type: ignore[attr-defined]
    return response
