"""A plain ASGI 2 application: a class instantiated per connection with the
scope, whose instance is awaited with ``receive`` and ``send``.

Routes mirror the demo app's core ones so that the framework suite can run
the same checks on it:

- ``GET /hello?name=X``: ``Hello, X!`` (text/plain)
- ``POST /echo``: the JSON body sent back
- ``GET /backend``: ``{"backend": "asyncio" | "trio"}``
- ``GET /state``: ``{"started": true}`` once lifespan startup ran
- anything else: 404 JSON
- WebSocket ``/ws``: the demo app's echo (text as text, bytes as bytes;
  ``close`` closes with 1000 ``bye``); other paths are closed with 1008
  before accepting.
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Dict, MutableMapping
from urllib.parse import parse_qs

from RobotASGI.demo.app import handle_websocket

from .common import current_backend

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

STARTED: Dict[str, bool] = {"started": False}


class App:
    """ASGI 2: ``App(scope)`` then ``await instance(receive, send)``."""

    def __init__(self, scope: Dict[str, Any]) -> None:
        self.scope = scope

    async def __call__(self, receive: Receive, send: Send) -> None:
        kind = self.scope["type"]
        if kind == "lifespan":
            await self.lifespan(receive, send)
        elif kind == "http":
            await self.http(receive, send)
        elif kind == "websocket":
            await self.websocket(receive, send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                STARTED["started"] = True
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                STARTED["started"] = False
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def http(self, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path, method = self.scope["path"], self.scope["method"]
        if path == "/hello" and method in ("GET", "HEAD"):
            query = parse_qs(self.scope["query_string"].decode())
            name = query.get("name", ["world"])[-1]
            await respond(send, 200, f"Hello, {name}!".encode(), b"text/plain; charset=utf-8")
        elif path == "/echo" and method == "POST":
            try:
                data = json.loads(body)
            except ValueError:
                await respond_json(send, 400, {"error": "invalid JSON"})
                return
            await respond_json(send, 200, data)
        elif path == "/backend":
            await respond_json(send, 200, {"backend": current_backend()})
        elif path == "/state":
            await respond_json(send, 200, dict(STARTED))
        else:
            await respond_json(send, 404, {"error": "not found", "path": path})

    async def websocket(self, receive: Receive, send: Send) -> None:
        # What is particular here is the ASGI 2 calling convention, not the echo:
        # that is the demo app's own.
        await handle_websocket(self.scope, receive, send)


async def respond(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def respond_json(send: Send, status: int, data: Any) -> None:
    await respond(send, status, json.dumps(data).encode(), b"application/json")


#: The import string target: ``apps.asgi2_app:App``.
app = App
