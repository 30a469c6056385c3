"""Applications that misbehave, for the failure and closing suites.

- ``shutdown_fails``: lifespan startup works, shutdown reports
  ``lifespan.shutdown.failed`` with ``cannot flush the cache``; ``GET /``
  answers ``ok``
- ``startup_fails``: lifespan startup reports ``lifespan.startup.failed``
  with ``database unreachable``
- ``never_answers``: lifespan works; every HTTP request and every WebSocket
  handshake waits for ever (until cancelled)
- ``silent_websocket``: accepts WebSocket connections and then never sends
- ``websocket_raises``: accepts, then raises ``AppError`` on the first message
- ``wsgi_app``: a WSGI callable, which is not an ASGI application
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Iterable, MutableMapping

import anyio

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

SHUTDOWN_FAILURE = "cannot flush the cache"
STARTUP_FAILURE = "database unreachable"


class AppError(Exception):
    """An exception of the app's own."""


async def _ok(send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


async def _lifespan(receive: Receive, send: Send, startup_failure: str = "", shutdown_failure: str = "") -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            if startup_failure:
                await send({"type": "lifespan.startup.failed", "message": startup_failure})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            if shutdown_failure:
                await send({"type": "lifespan.shutdown.failed", "message": shutdown_failure})
            else:
                await send({"type": "lifespan.shutdown.complete"})
            return


async def shutdown_fails(scope: Dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send, shutdown_failure=SHUTDOWN_FAILURE)
    elif scope["type"] == "http":
        await _ok(send)


async def startup_fails(scope: Dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send, startup_failure=STARTUP_FAILURE)
    elif scope["type"] == "http":
        await _ok(send)


async def never_answers(scope: Dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    else:
        await anyio.sleep_forever()


async def silent_websocket(scope: Dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    elif scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        while (await receive())["type"] != "websocket.disconnect":
            pass
    else:
        await _ok(send)


async def websocket_raises(scope: Dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    elif scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        message = await receive()
        raise AppError(f"websocket handler failed on {message.get('text')!r}")
    else:
        await _ok(send)


def wsgi_app(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"WSGI, not ASGI"]
