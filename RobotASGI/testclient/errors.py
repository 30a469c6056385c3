"""Every error the test client engine raises, and how its messages quote the app.

Every error the engine raises itself derives from :class:`TestClientError`,
so ``except TestClientError`` separates "the test client says the app
misbehaved" from the app's own exceptions, which are re-raised unchanged.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import requests

if TYPE_CHECKING:
    from requests.structures import CaseInsensitiveDict


class TestClientError(Exception):
    """Base class of the errors the engine raises itself."""

    __test__ = False  # not a pytest test class, despite the name


class ChannelClosed(Exception):
    """Internal: a channel's writer closed it and every item has been read
    (the engine turns it into what the caller must see; it never escapes)."""


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


class RequestAbandoned(TestClientError):
    """The client went away in the middle of its request body, as its
    :class:`SlowBody` asked (``disconnect_after``): there is no response.
    ``sent`` is how many body bytes the app was sent; ``asgi_trace`` what it
    did then."""

    def __init__(self, message: str, sent: int) -> None:
        super().__init__(message)
        self.sent = sent


class ResponseNotReady(TestClientError, TimeoutError):
    """A started request (``start_request``) was not done when its result was asked for."""


class EventLoopBlocked(TestClientError):
    """The application blocked the event loop thread and could not be stopped."""


class WebSocketDisconnect(TestClientError):
    """The connection is closed: by the app (its ``code`` and ``reason``), or
    refused before it was accepted."""

    def __init__(self, code: int = 1000, reason: Optional[str] = None) -> None:
        self.code = code
        self.reason = reason or ""
        text = f"The WebSocket connection was closed with code {code}"
        super().__init__(f"{text}: {self.reason}" if self.reason else text)


#: The name the older seed document uses.
Disconnect = WebSocketDisconnect


class WebSocketDenialResponse(WebSocketDisconnect):
    """The app refused the handshake with an HTTP response (the
    ``websocket.http.response`` extension): ``status_code``, ``headers``,
    ``content``, ``text`` and ``json()`` describe it, ``response`` is it as a
    ``requests.Response``."""

    def __init__(self, response: requests.Response) -> None:
        self.response = response
        self.status_code: int = response.status_code
        self.headers: CaseInsensitiveDict = response.headers
        self.content: bytes = response.content
        super().__init__(1006, f"the handshake was denied with HTTP {self.status_code} {response.reason}".rstrip())

    @property
    def text(self) -> str:
        return self.response.text

    def json(self, **kwargs: Any) -> Any:
        return self.response.json(**kwargs)


class WebSocketTimeout(TestClientError, TimeoutError):
    """Nothing came from the application in time."""


class StreamTimeout(TestClientError, TimeoutError):
    """No more of a streamed response body came in time; the stream goes on."""


class UnexpectedMessage(TestClientError, AssertionError):
    """The application sent something other than what the test waited for."""


# -- quoting the application in messages ----------------------------------------------


def shorten(text: str, limit: int) -> str:
    """``text``, or its first ``limit`` characters and how many more there
    were: a message never ends mid-word without saying so."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def quote(value: Any, limit: int = 200) -> str:
    """``repr(value)``, cut at ``limit`` characters with a marker."""
    return shorten(repr(value), limit)


def describe_message(message: Any) -> str:
    """A short, safe rendering of an ASGI message for error texts: long
    values are cut, and say by how much."""
    if not isinstance(message, dict):
        return f"{type(message).__name__} {quote(message)}"
    parts = []
    for key, value in message.items():
        if isinstance(value, (bytes, bytearray, memoryview)) and len(value) > 40:
            shown = f"{bytes(value[:40])!r}... ({len(value) - 40} more bytes)"
        else:
            shown = quote(value, 80)
        parts.append(f"{key!r}: {shown}")
    return "{" + ", ".join(parts) + "}"


def message_type(message: Any) -> Optional[str]:
    """The ``type`` of an ASGI message, or None when it has none."""
    if isinstance(message, dict):
        value = message.get("type")
        return value if isinstance(value, str) else None
    return None
