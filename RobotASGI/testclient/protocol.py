"""What HTTP and WebSocket share: checking the app's status and headers, and
turning an answer into a ``requests.Response``."""
from __future__ import annotations

import http
from typing import Any, Callable, Optional

import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from .errors import ASGIProtocolError, quote
from .scope import HeaderList

Violation = Callable[[str], ASGIProtocolError]


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
        checked.append((bytes(name), bytes(value)))
    return checked


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
