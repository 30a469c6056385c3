"""A small demo ASGI 3 application written in plain ASGI.

The app uses no web framework and only the standard library, so every byte it
sends is visible right here. It is the target of ``examples/engine_demo.py``
and a handy app to try RobotASGI against. Run ``python -m RobotASGI.demo`` for
a summary of its routes.

Routes:

- ``GET /``: ``text/plain`` greeting.
- ``GET /hello?name=X``: ``Hello, X!``; the greeting word comes from the
  lifespan state when the app was started with lifespan (header
  ``x-lifespan-state`` says ``present`` or ``absent``).
- ``POST /echo``: parses the JSON request body and sends it back as JSON;
  400 with a JSON error when the body is not valid JSON.
- ``POST /upload``: ``multipart/form-data`` or
  ``application/x-www-form-urlencoded``; answers with JSON listing the form
  fields and, for each uploaded file, its field name, file name, content type
  and size in bytes.
- ``GET /redirect``: 307 redirect to ``/hello`` (the query string is kept).
- ``GET /stream?count=N``: ``N`` lines ``chunk 0`` ... sent as separate
  ``http.response.body`` messages (``more_body=True``).
- ``GET /events?count=N``: Server-Sent Events, one every 0.05 s; without
  ``count`` it streams until the client goes away.
- ``GET /status/{code}``: responds with that status code.
- ``GET /headers``: the request headers as a JSON object.
- Anything else: 404 with a JSON error (405 for a known path with the wrong
  method).
- WebSocket ``/ws``: an echo. It accepts (choosing the first subprotocol the
  client offers, if any) and sends every text frame back as text (JSON text
  unchanged) and every binary frame back as binary; the text frame ``close``
  makes it close the connection with code 1000 and reason ``bye``.
- WebSocket to any other path: closed before it is accepted, with code 1008
  (policy violation) and reason ``unknown path``.

``GET`` routes answer ``HEAD`` too.
"""
from __future__ import annotations

import asyncio
import json
import time
from email.message import Message as EmailMessage
from email.parser import BytesParser
from email.policy import HTTP as HTTP_POLICY
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, Iterable, List, MutableMapping, Optional, Tuple
from urllib.parse import parse_qs, parse_qsl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Headers = List[Tuple[bytes, bytes]]
Handler = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Greeting word used by ``/hello`` when no lifespan state is available.
DEFAULT_GREETING = "Hello"
#: Seconds between two Server-Sent Events on ``/events``.
EVENT_INTERVAL = 0.05
#: Upper bound for the ``count`` query parameter of ``/stream`` and ``/events``.
MAX_COUNT = 10_000
#: The path of the WebSocket echo route.
WEBSOCKET_PATH = "/ws"
#: The text frame that makes ``/ws`` close the connection (code 1000, reason ``bye``).
CLOSE_COMMAND = "close"


class ClientGone(Exception):
    """The client disconnected before the request body was fully received."""


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI 3 entry point: dispatch on the scope type."""
    scope_type = scope["type"]
    if scope_type == "http":
        await handle_http(scope, receive, send)
    elif scope_type == "lifespan":
        await handle_lifespan(scope, receive, send)
    elif scope_type == "websocket":
        await handle_websocket(scope, receive, send)
    else:
        raise ValueError(f"unsupported ASGI scope type {scope_type!r}")


async def handle_lifespan(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer lifespan startup and shutdown; store the demo state at startup.

    The state dict (``scope["state"]``, when the server provides one) gets
    ``started_at`` (a UNIX timestamp) and ``greeting``; servers copy it into
    every request's ``scope["state"]``.
    """
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            state = scope.get("state")
            if state is not None:
                state["started_at"] = time.time()
                state["greeting"] = DEFAULT_GREETING
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def handle_websocket(scope: Scope, receive: Receive, send: Send) -> None:
    """The WebSocket echo on ``/ws``; any other path is refused before accepting.

    Text frames are echoed as text, binary frames as binary. The text frame
    ``close`` ends the session from the app's side (code 1000, reason
    ``bye``). Returns when the client disconnects.
    """
    message = await receive()
    if message["type"] != "websocket.connect":  # the client left before the handshake
        return
    if route_path(scope) != WEBSOCKET_PATH:
        await send({"type": "websocket.close", "code": 1008, "reason": "unknown path"})
        return
    accept: Message = {"type": "websocket.accept"}
    subprotocols = scope.get("subprotocols") or []
    if subprotocols:
        accept["subprotocol"] = subprotocols[0]
    try:
        await send(accept)
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            if message["type"] != "websocket.receive":
                continue
            text = message.get("text")
            if text == CLOSE_COMMAND:
                await send({"type": "websocket.close", "code": 1000, "reason": "bye"})
                return
            if text is not None:
                await send({"type": "websocket.send", "text": text})
            else:
                await send({"type": "websocket.send", "bytes": message.get("bytes") or b""})
    except OSError:  # the client went away while we were sending
        return


async def handle_http(scope: Scope, receive: Receive, send: Send) -> None:
    """Route an HTTP request to its handler (404 / 405 when there is none)."""
    path = route_path(scope)
    method: str = scope["method"]

    if path.startswith("/status/"):
        methods: Optional[Dict[str, Handler]] = {"GET": status_route}
    else:
        methods = ROUTES.get(path)
    if methods is None:
        await send_json(send, {"error": "not found", "path": path}, status=404)
        return
    allowed = dict(methods)
    if "GET" in allowed:
        allowed.setdefault("HEAD", allowed["GET"])
    handler = allowed.get(method)
    if handler is None:
        await send_json(
            send,
            {"error": "method not allowed", "method": method, "allowed": sorted(allowed)},
            status=405,
            headers=[(b"allow", ", ".join(sorted(allowed)).encode("ascii"))],
        )
        return
    try:
        await handler(scope, receive, send)
    except ClientGone:
        return


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def route_path(scope: Scope) -> str:
    """The path to route on: ``scope["path"]`` without the ``root_path`` prefix.

    Servers behind a prefix-stripping proxy put ``root_path`` in front of
    ``path``; the app's routes are relative to it.
    """
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if root_path and (path == root_path or path.startswith(root_path + "/")):
        path = path[len(root_path):] or "/"
    return path


async def read_body(receive: Receive) -> bytes:
    """Receive the whole request body (all ``http.request`` messages).

    Raises :class:`ClientGone` if ``http.disconnect`` arrives first.
    """
    chunks: List[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def query_params(scope: Scope) -> Dict[str, str]:
    """The query string as a dict (the last value wins for repeated names)."""
    query = scope.get("query_string", b"").decode("utf-8", "replace")
    return {name: values[-1] for name, values in parse_qs(query, keep_blank_values=True).items()}


def header_value(scope: Scope, name: bytes) -> Optional[str]:
    """The first request header called ``name`` (lower-case bytes), or None."""
    key: bytes
    value: bytes
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def parse_count(scope: Scope, default: Optional[int]) -> Optional[int]:
    """The ``count`` query parameter as an int in ``0..MAX_COUNT``.

    Returns ``default`` when the parameter is missing; raises ValueError when
    it is not a number in range.
    """
    raw = query_params(scope).get("count")
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_COUNT:
        raise ValueError(f"count must be a whole number from 0 to {MAX_COUNT}, got {raw!r}")
    return int(raw)


async def start_response(send: Send, status: int, headers: Iterable[Tuple[bytes, bytes]]) -> None:
    """Send ``http.response.start``."""
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})


async def send_response(
    send: Send,
    body: bytes,
    *,
    status: int = 200,
    content_type: str = "text/plain; charset=utf-8",
    headers: Iterable[Tuple[bytes, bytes]] = (),
) -> None:
    """Send a complete response with a ``content-length`` header."""
    response_headers: Headers = [
        (b"content-type", content_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode("ascii")),
    ]
    response_headers.extend(headers)
    await start_response(send, status, response_headers)
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def send_text(send: Send, text: str, *, status: int = 200) -> None:
    """Send a ``text/plain`` response."""
    await send_response(send, text.encode("utf-8"), status=status)


async def send_json(
    send: Send, data: Any, *, status: int = 200, headers: Iterable[Tuple[bytes, bytes]] = ()
) -> None:
    """Send ``data`` serialised as an ``application/json`` response."""
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    await send_response(send, body, status=status, content_type="application/json", headers=headers)


async def receive_or_timeout(receive: Receive, seconds: float) -> Optional[Message]:
    """Wait up to ``seconds`` for a message from the client; None on timeout.

    Uses the timer of whichever event loop runs the app (asyncio or trio), so
    the app stays framework-free and runs on both of the engine's backends.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # not asyncio: the only other backend is trio
        import trio

        with trio.move_on_after(seconds):
            return await receive()
        return None
    try:
        return await asyncio.wait_for(receive(), seconds)
    except asyncio.TimeoutError:
        return None


# ---------------------------------------------------------------------------
# Route handlers
# ---------------------------------------------------------------------------


async def index_route(scope: Scope, receive: Receive, send: Send) -> None:
    """``GET /``: a plain-text greeting."""
    await send_text(send, "Hello from the RobotASGI demo app!\n")


async def hello_route(scope: Scope, receive: Receive, send: Send) -> None:
    """``GET /hello?name=X``: greet ``X`` (default ``world``)."""
    state = scope.get("state") or {}
    greeting = state.get("greeting", DEFAULT_GREETING)
    name = query_params(scope).get("name") or "world"
    marker = b"present" if "greeting" in state else b"absent"
    await send_response(
        send, f"{greeting}, {name}!".encode("utf-8"), headers=[(b"x-lifespan-state", marker)]
    )


async def echo_route(scope: Scope, receive: Receive, send: Send) -> None:
    """``POST /echo``: send the JSON request body back."""
    body = await read_body(receive)
    try:
        data = json.loads(body)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        await send_json(send, {"error": f"invalid JSON: {error}"}, status=400)
        return
    await send_json(send, data)


def add_field(fields: Dict[str, Any], name: str, value: str) -> None:
    """Store a form field; a repeated name turns the value into a list."""
    if name not in fields:
        fields[name] = value
    elif isinstance(fields[name], list):
        fields[name].append(value)
    else:
        fields[name] = [fields[name], value]


def decode_text(data: bytes, charset: Optional[str]) -> str:
    """Decode a form field in its declared charset (UTF-8 if none or unknown)."""
    try:
        return data.decode(charset or "utf-8", "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def parse_multipart(content_type: str, body: bytes) -> Dict[str, Any]:
    """Parse a ``multipart/form-data`` body with the stdlib ``email`` parser."""
    document = b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n"
    message = BytesParser(policy=HTTP_POLICY).parsebytes(document + body)
    if not message.is_multipart():
        raise ValueError("malformed multipart/form-data body")
    fields: Dict[str, Any] = {}
    files: List[Dict[str, Any]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise ValueError("multipart part without a form-data name")
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            payload = b""
        filename = part.get_filename()
        if filename is None:
            add_field(fields, name, decode_text(payload, part.get_content_charset()))
        else:
            files.append(
                {
                    "field": name,
                    "filename": filename,
                    "content_type": part.get_content_type(),
                    "size": len(payload),
                }
            )
    return {"fields": fields, "files": files}


def parse_urlencoded(body: bytes) -> Dict[str, Any]:
    """Parse an ``application/x-www-form-urlencoded`` body."""
    fields: Dict[str, Any] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        add_field(fields, name, value)
    return {"fields": fields, "files": []}


async def upload_route(scope: Scope, receive: Receive, send: Send) -> None:
    """``POST /upload``: describe the submitted form fields and files."""
    body = await read_body(receive)
    content_type = header_value(scope, b"content-type") or ""
    parsed_type = EmailMessage()
    parsed_type["content-type"] = content_type
    media_type = parsed_type.get_content_type() if content_type else ""
    try:
        if media_type == "multipart/form-data":
            result = parse_multipart(content_type, body)
        elif media_type == "application/x-www-form-urlencoded":
            result = parse_urlencoded(body)
        else:
            await send_json(
                send,
                {
                    "error": "expected multipart/form-data or "
                    "application/x-www-form-urlencoded",
                    "content_type": content_type,
                },
                status=415,
            )
            return
    except ValueError as error:
        await send_json(send, {"error": str(error)}, status=400)
        return
    await send_json(send, result)


async def redirect_route(scope: Scope, receive: Receive, send: Send) -> None:
    """``GET /redirect``: 307 to ``/hello`` (the query string is kept)."""
    location = "/hello"
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        location += "?" + query
    await send_response(send, b"", status=307, headers=[(b"location", location.encode("latin-1"))])


async def stream_route(scope: Scope, receive: Receive, send: Send) -> None:
    """``GET /stream?count=N``: ``N`` lines, each in its own body message."""
    try:
        count = parse_count(scope, default=3)
    except ValueError as error:
        await send_json(send, {"error": str(error)}, status=400)
        return
    await start_response(send, 200, [(b"content-type", b"text/plain; charset=utf-8")])
    for index in range(count or 0):
        chunk = f"chunk {index}\n".encode("ascii")
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def format_event(index: int) -> bytes:
    """One Server-Sent Event: ``id``, ``event: tick`` and a JSON ``data`` line."""
    data = json.dumps({"n": index})
    return f"id: {index}\nevent: tick\ndata: {data}\n\n".encode("utf-8")


async def events_route(scope: Scope, receive: Receive, send: Send) -> None:
    """``GET /events?count=N``: Server-Sent Events (endless without ``count``).

    Stops early when the client disconnects: ``receive()`` returns
    ``http.disconnect`` or ``send()`` raises ``OSError``.
    """
    try:
        count = parse_count(scope, default=None)
    except ValueError as error:
        await send_json(send, {"error": str(error)}, status=400)
        return
    headers = [
        (b"content-type", b"text/event-stream; charset=utf-8"),
        (b"cache-control", b"no-cache"),
    ]
    if scope["method"] == "HEAD":  # headers only: never start the endless stream
        await start_response(send, 200, headers)
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    try:
        await read_body(receive)
        await start_response(send, 200, headers)
        index = 0
        while count is None or index < count:
            await send({"type": "http.response.body", "body": format_event(index), "more_body": True})
            index += 1
            message = await receive_or_timeout(receive, EVENT_INTERVAL)
            if message is not None and message["type"] == "http.disconnect":
                return
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:  # the client went away while we were sending
        return


async def status_route(scope: Scope, receive: Receive, send: Send) -> None:
    """``GET /status/{code}``: respond with ``code`` (200-599)."""
    raw_code = scope["path"].rsplit("/status/", 1)[-1]
    if not (raw_code.isascii() and raw_code.isdigit()) or not 200 <= int(raw_code) <= 599:
        await send_json(send, {"error": "status code must be a number from 200 to 599"}, status=400)
        return
    code = int(raw_code)
    if code in (204, 304):  # these responses never have a body
        await start_response(send, code, [])
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = "Unknown Status"
    await send_text(send, f"{code} {phrase}\n", status=code)


async def headers_route(scope: Scope, receive: Receive, send: Send) -> None:
    """``GET /headers``: the request headers as JSON (repeats joined by ``, ``)."""
    headers: Dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    await send_json(send, headers)


#: Exact-path routes: path -> {method: handler}. ``/status/{code}`` is matched
#: separately in :func:`handle_http`.
ROUTES: Dict[str, Dict[str, Handler]] = {
    "/": {"GET": index_route},
    "/hello": {"GET": hello_route},
    "/echo": {"POST": echo_route},
    "/upload": {"POST": upload_route},
    "/redirect": {"GET": redirect_route},
    "/stream": {"GET": stream_route},
    "/events": {"GET": events_route},
    "/headers": {"GET": headers_route},
}

__all__ = [
    "app",
    "ROUTES",
    "DEFAULT_GREETING",
    "EVENT_INTERVAL",
    "MAX_COUNT",
    "WEBSOCKET_PATH",
    "CLOSE_COMMAND",
]
