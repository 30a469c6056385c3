"""Errors raised by the test client engine.

Every error the engine raises itself derives from :class:`TestClientError`,
so ``except TestClientError`` separates "the test client says the app
misbehaved" from the app's own exceptions, which are re-raised unchanged.
"""
from __future__ import annotations

from typing import Any, Optional

import requests


class TestClientError(Exception):
    """Base class of the errors the engine raises itself."""

    __test__ = False  # not a pytest test class, despite the name


class ASGIProtocolError(TestClientError, RuntimeError):
    """The application broke the ASGI protocol (sent a wrong message)."""


class ASGITimeout(TestClientError, requests.exceptions.ReadTimeout):
    """The application did not answer an HTTP request in time.

    It is a :class:`requests.ReadTimeout`, so ``except requests.Timeout``
    catches it as it would with a real server.
    """


class ClientDisconnected(OSError):
    """Raised into the application by ``send()`` once the client has gone away.

    ASGI 2.4 asks servers to raise an ``OSError`` subclass here; frameworks
    such as Starlette turn it into their own "client disconnected" handling.
    """


class LifespanError(TestClientError):
    """Lifespan startup or shutdown failed; ``message`` holds the app's reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LifespanStartupError(LifespanError):
    """The application failed, or did not answer, ``lifespan.startup``."""


class LifespanShutdownError(LifespanError):
    """The application failed, or did not answer, ``lifespan.shutdown``."""


class EventLoopBlocked(TestClientError):
    """The application blocked the event loop thread and could not be stopped."""


def describe_message(message: Any) -> str:
    """A short, safe rendering of an ASGI message for error texts."""
    if not isinstance(message, dict):
        return f"{type(message).__name__} {message!r:.200}"
    parts = []
    for key, value in message.items():
        if isinstance(value, (bytes, bytearray)) and len(value) > 40:
            value = bytes(value[:40]) + b"..."
        parts.append(f"{key!r}: {value!r:.80}")
    return "{" + ", ".join(parts) + "}"


def message_type(message: Any) -> Optional[str]:
    """The ``type`` of an ASGI message, or None when it has none."""
    if isinstance(message, dict):
        value = message.get("type")
        return value if isinstance(value, str) else None
    return None
