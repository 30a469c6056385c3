"""Live prices, a chat, payments and uploads: a Starlette app tested in-process by
``examples/starlette.robot``. It uses anyio only, so it runs on asyncio and trio.

- ``GET /login?user=X``: sets the cookie ``user=X`` (HttpOnly, SameSite=Lax);
  ``GET /me``: ``{"user": X}``, or 401 without the cookie
- ``GET /prices``: Server-Sent Events (sse-starlette), for ever: an ``event:
  price`` with an ``id`` and ``{"symbol": "ACME", "price": ...}`` every 50 ms,
  until the client goes away; ``GET /subscribers``: ``{"count": N}``, the
  clients streaming now
- WebSocket ``/chat/{room}?name=X``: everyone in the room gets ``{"type":
  "presence", "online": [...]}`` when someone joins or leaves, and ``{"type":
  "message", "from": X, "text": ...}`` for each text a member sends
- ``POST /payments`` with an ``Idempotency-Key`` header: the first request with a
  key makes the payment (50 ms of work): 201 ``{"id": "pay-N"}``; one with the
  same key while it works gets 409, one after it the same payment again (201)
- ``POST /files``: stores the body if it comes whole, each piece within 0.3 s:
  201 ``{"size": N}``; 408 when a piece is late; nothing stored when the client
  leaves in the middle. ``GET /files``: the sizes stored
"""
from __future__ import annotations

import contextlib
import json
from typing import Any, AsyncIterator, Dict, List, Union

import anyio
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[Dict[str, Any]]:
    # What startup yields is every request's request.state.
    yield {"subscribers": [0], "rooms": {}, "payments": {}, "files": []}


async def login(request: Request) -> Response:
    response = JSONResponse({"user": request.query_params["user"]})
    response.set_cookie("user", request.query_params["user"], httponly=True, samesite="lax")
    return response


async def me(request: Request) -> Response:
    user = request.cookies.get("user")
    if user is None:
        return JSONResponse({"detail": "log in first"}, status_code=401)
    return JSONResponse({"user": user})


async def prices(request: Request) -> Response:
    subscribers: List[int] = request.state.subscribers

    async def events() -> AsyncIterator[ServerSentEvent]:
        subscribers[0] += 1
        try:
            for n in range(1_000_000):
                data = json.dumps({"symbol": "ACME", "price": 100 + n % 7})
                yield ServerSentEvent(data, event="price", id=str(n))
                await anyio.sleep(0.05)
        finally:  # sse-starlette stops the generator when the client goes away
            subscribers[0] -= 1

    return EventSourceResponse(events())


async def subscribers(request: Request) -> Response:
    return JSONResponse({"count": request.state.subscribers[0]})


async def chat(websocket: WebSocket) -> None:
    rooms: Dict[str, Dict[str, WebSocket]] = websocket.state.rooms
    room = rooms.setdefault(websocket.path_params["room"], {})
    name = websocket.query_params["name"]
    await websocket.accept()
    room[name] = websocket

    async def tell_everyone(message: Dict[str, Any]) -> None:
        for member in list(room.values()):
            await member.send_json(message)

    await tell_everyone({"type": "presence", "online": sorted(room)})
    try:
        while True:
            text = await websocket.receive_text()
            await tell_everyone({"type": "message", "from": name, "text": text})
    except WebSocketDisconnect:
        del room[name]
        await tell_everyone({"type": "presence", "online": sorted(room)})


async def pay(request: Request) -> Response:
    payments: Dict[str, Union[str, Dict[str, str]]] = request.state.payments
    key = request.headers.get("idempotency-key")
    if key is None:
        return JSONResponse({"detail": "an Idempotency-Key header is required"}, status_code=400)
    known = payments.get(key)
    if known == "in progress":
        return JSONResponse({"detail": "a payment with this key is in progress"}, status_code=409)
    if known is not None:
        return JSONResponse(known, status_code=201)
    payments[key] = "in progress"
    await anyio.sleep(0.05)  # the payment provider's round trip
    payments[key] = {"id": f"pay-{len(payments)}"}
    return JSONResponse(payments[key], status_code=201)


async def store_file(request: Request) -> Response:
    pieces = request.stream().__aiter__()
    body = b""
    try:
        while True:
            with anyio.move_on_after(0.3):
                try:
                    body += await pieces.__anext__()
                except StopAsyncIteration:
                    break
                continue
            return JSONResponse({"detail": "upload too slow"}, status_code=408)
    except ClientDisconnect:
        return Response(status_code=499)  # nobody reads it: the client has gone
    request.state.files.append(len(body))
    return JSONResponse({"size": len(body)}, status_code=201)


async def list_files(request: Request) -> Response:
    return JSONResponse(request.state.files)


app = Starlette(
    lifespan=lifespan,
    routes=[
        Route("/login", login),
        Route("/me", me),
        Route("/prices", prices),
        Route("/subscribers", subscribers),
        WebSocketRoute("/chat/{room}", chat),
        Route("/payments", pay, methods=["POST"]),
        Route("/files", store_file, methods=["POST"]),
        Route("/files", list_files, methods=["GET"]),
    ],
)
