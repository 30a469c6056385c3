"""``expected_status`` as Robot users write it (``200``, ``not found``, ``200, 201``,
``any``), and the message of a response whose status is not the expected one."""
from __future__ import annotations

import http
import re
from typing import Any, FrozenSet, Optional

import requests

from .errors import ArgumentError

ACCEPTED = (
    "a status code (200), a status name (not found, NOT_FOUND), several separated by commas "
    "(200, 201), 'any' to accept every status, or nothing to fail on 4xx and 5xx"
)


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
        if text.lower() == "any":
            return cls(frozenset(range(100, 600)), "any status")
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if len(parts) > 1:
            try:
                return cls.parse(parts)
            except ArgumentError:
                raise ArgumentError(f"Invalid expected_status {value!r}: use {ACCEPTED}.") from None
        code = _parse_one(text, value)
        return cls(frozenset([code]), describe(code))

    def matches(self, status: int) -> bool:
        return status < 400 if self.statuses is None else status in self.statuses

    def mismatch(self, response: requests.Response) -> Optional[str]:
        """Why ``response`` fails this expectation, or None if it meets it: the
        request, both statuses and the start of the body."""
        if self.matches(response.status_code):
            return None
        request = response.request
        text = f"{request.method} {request.url} returned status {describe(response.status_code)}, expected {self.text}."
        body = response.text if not response.raw or getattr(response, "_content_consumed", False) else ""
        excerpt = body[:500] + ("..." if len(body) > 500 else "")
        return f"{text} Response body: {excerpt}" if excerpt else f"{text} The response body is empty."


def _parse_one(text: str, original: Any) -> int:
    if text.isdigit():
        return _code(int(text), original)
    key = re.sub(r"[\s\-]+", "_", text.strip()).upper()
    try:
        return int(http.HTTPStatus[key])
    except KeyError:
        raise ArgumentError(f"Invalid expected_status {original!r}: use {ACCEPTED}.") from None


def _code(code: int, original: Any) -> int:
    if not 100 <= code <= 599:
        raise ArgumentError(f"Invalid expected_status {original!r}: a status code is from 100 to 599.")
    return code


def describe(code: int) -> str:
    """``404 Not Found`` (or just the number for a non-standard code)."""
    try:
        return f"{code} {http.HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)
