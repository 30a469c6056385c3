"""A Starlette chat: rooms, presence, typing indicators - the chatter a test
must wade through to find the message it waits for. ``create_app()`` builds
a fresh one with empty rooms.

WebSocket ``/chat/{room}?name=N`` (JSON):

- on connect the newcomer gets ``{"type": "welcome", "room": R, "members": [...]}``
  (everyone in the room, the newcomer last) and everyone else
  ``{"type": "presence", "user": N, "status": "joined"}``
- ``{"type": "typing"}`` from a member: ``{"type": "typing", "user": N}`` to the others
- ``{"type": "message", "text": T}``: ``{"type": "message", "from": N, "text": T,
  "seq": S}`` to every member, the sender included (``S`` counts the room's messages)
- ``{"type": "burst", "count": C}``: C messages ``{"type": "tick", "n": i}`` to the
  sender, at once
- ``{"type": "leave"}``: the app closes the connection with 1000 ``bye``
- ``{"type": "crash"}``: the app raises ``RuntimeError('chat room crashed')``
- anything else (text that is not JSON included): ``{"type": "error", ...}`` to the sender
- when a member leaves, the others get ``{"type": "presence", "user": N, "status": "left"}``

WebSocket ``/chat-text/{room}?name=N`` (text lines): ``* N joined`` and ``* N
left`` to the others, each text ``T`` as ``N: T`` to everyone; the text ``/bytes``
makes the app send the sender a binary frame ``\\x00\\x01``.

WebSocket ``/chat/ticker``: sends ``{"type": "tick", "n": i}`` every 20 ms until the
client leaves.

WebSocket ``/chat/headers``: accepts with the subprotocol ``chat.v2`` if offered,
and the headers ``x-chat-server: robotasgi-chat`` and ``set-cookie: seat=12A; Path=/``.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

import anyio
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect


def create_app() -> Starlette:
    rooms: Dict[str, List[Tuple[str, WebSocket]]] = {}
    counters: Dict[str, int] = {}

    async def broadcast(room: str, message: Any, skip: Any = None) -> None:
        for _, member in list(rooms.get(room, [])):
            if member is not skip:
                if isinstance(message, str):
                    await member.send_text(message)
                else:
                    await member.send_json(message)

    async def chat(websocket: WebSocket) -> None:
        room = websocket.path_params["room"]
        name = websocket.query_params.get("name", "anonymous")
        await websocket.accept()
        members = rooms.setdefault(room, [])
        members.append((name, websocket))
        await websocket.send_json({"type": "welcome", "room": room, "members": [member for member, _ in members]})
        await broadcast(room, {"type": "presence", "user": name, "status": "joined"}, skip=websocket)
        try:
            while True:
                text = await websocket.receive_text()
                try:
                    message = json.loads(text)
                    kind = message.get("type") if isinstance(message, dict) else None
                except ValueError:
                    message, kind = None, None
                if kind == "typing":
                    await broadcast(room, {"type": "typing", "user": name}, skip=websocket)
                elif kind == "message":
                    counters[room] = counters.get(room, 0) + 1
                    await broadcast(room, {"type": "message", "from": name, "text": message.get("text"),
                                           "seq": counters[room]})
                elif kind == "burst":
                    for number in range(1, int(message.get("count", 3)) + 1):
                        await websocket.send_json({"type": "tick", "n": number})
                elif kind == "crash":
                    raise RuntimeError("chat room crashed")
                elif kind == "leave":
                    await websocket.close(code=1000, reason="bye")
                    break
                else:
                    await websocket.send_json({"type": "error", "detail": "unknown message", "got": text})
        except WebSocketDisconnect:
            pass
        finally:
            members.remove((name, websocket))
            await broadcast(room, {"type": "presence", "user": name, "status": "left"})

    async def chat_text(websocket: WebSocket) -> None:
        room = "text:" + websocket.path_params["room"]
        name = websocket.query_params.get("name", "anonymous")
        await websocket.accept()
        rooms.setdefault(room, []).append((name, websocket))
        await broadcast(room, f"* {name} joined", skip=websocket)
        try:
            while True:
                text = await websocket.receive_text()
                if text == "/bytes":
                    await websocket.send_bytes(b"\x00\x01")
                else:
                    await broadcast(room, f"{name}: {text}")
        except WebSocketDisconnect:
            pass
        finally:
            rooms[room].remove((name, websocket))
            await broadcast(room, f"* {name} left")

    async def chat_headers(websocket: WebSocket) -> None:
        offered = websocket.scope.get("subprotocols") or []
        await websocket.accept(
            subprotocol="chat.v2" if "chat.v2" in offered else None,
            headers=[(b"x-chat-server", b"robotasgi-chat"), (b"set-cookie", b"seat=12A; Path=/")],
        )
        try:
            await websocket.receive_text()
        except WebSocketDisconnect:
            pass

    async def ticker(websocket: WebSocket) -> None:
        await websocket.accept()
        number = 0
        try:
            while True:
                number += 1
                await websocket.send_json({"type": "tick", "n": number})
                await anyio.sleep(0.02)
        except (WebSocketDisconnect, OSError):  # the client left: send() says so
            pass

    return Starlette(
        routes=[
            WebSocketRoute("/chat/headers", chat_headers),
            WebSocketRoute("/chat/ticker", ticker),
            WebSocketRoute("/chat/{room}", chat),
            WebSocketRoute("/chat-text/{room}", chat_text),
        ]
    )
