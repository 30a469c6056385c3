"""What a WebSocket client says and checks, apart from the session itself:
the handshake request, the subprotocols offered, close codes, JSON modes, and
how a message from the app reads in an error."""
from __future__ import annotations

from typing import Any, List

import requests

from .errors import describe_message, message_type, quote
from .scope import HeaderList
from .types import Message

JSON_MODES = ("text", "binary")


def check_close_code(code: Any) -> int:
    """``code`` if a client may close with it (RFC 6455), else an error saying which may."""
    if not isinstance(code, int) or isinstance(code, bool):
        raise TypeError(f"Invalid close code {code!r}: use an int such as 1000.")
    if not (code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014) or 3000 <= code <= 4999):
        raise ValueError(f"Invalid close code {code}: a client may close with 1000-1003, 1007-1014 or 3000-4999 (RFC 6455).")
    return code


def check_mode(mode: Any) -> None:
    if mode not in JSON_MODES:
        raise ValueError(f"mode must be 'text' or 'binary', not {mode!r}.")


def check_subprotocols(subprotocols: Any) -> List[str]:
    if subprotocols is None:
        return []
    if isinstance(subprotocols, str):
        return [subprotocols]
    items = list(subprotocols)
    if not all(isinstance(item, str) for item in items):
        raise TypeError(f"subprotocols must be a list of str, not {subprotocols!r}.")
    return items


def ws_url(url: str) -> str:
    if url.startswith("http://"):
        return "ws://" + url[len("http://") :]
    if url.startswith("https://"):
        return "wss://" + url[len("https://") :]
    return url


def handshake_headers(request: requests.PreparedRequest, subprotocols: List[str]) -> List[Any]:
    """The request's headers as a WebSocket client sends them on the upgrade."""
    headers = [(k, v) for k, v in request.headers.items() if k.lower() not in ("connection", "content-length")]
    headers += [
        ("connection", "upgrade"),
        ("upgrade", "websocket"),
        ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ("sec-websocket-version", "13"),
    ]
    if subprotocols:
        headers.append(("sec-websocket-protocol", ", ".join(subprotocols)))
    return headers


def offered_subprotocols(headers: HeaderList) -> List[str]:
    offered: List[str] = []
    for name, value in headers:
        if name == b"sec-websocket-protocol":
            offered += [item.strip() for item in value.decode("latin-1").split(",") if item.strip()]
    return offered


def describe_data(message: Message) -> str:
    """A WebSocket message from the app, as error messages name it."""
    kind = message_type(message)
    if kind == "websocket.close":
        reason = message.get("reason")
        return f"a close (code {message.get('code', 1000)}{', reason ' + repr(reason) if reason else ''})"
    if message.get("text") is not None:
        return f"a text message {quote(message['text'])}"
    if message.get("bytes") is not None:
        return f"a binary message {quote(bytes(message['bytes']))}"
    return describe_message(message)
