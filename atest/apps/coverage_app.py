"""A Starlette app whose lines only requests reach, for ``coverage.robot``: the
comment ``# coverage: request`` marks the lines ``coverage/app_under_coverage.robot``
makes the app run (on the client's loop thread, or a started request's), and
``# coverage: never`` those no request reaches.

- ``GET /reached``: ``{"reached": true}``
- ``POST /started``: ``{"started": N}``, N the size of the JSON body's ``items``
- WebSocket ``/ws``: echoes one text message, then closes
- ``GET /never``: no test requests it
"""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket


async def reached(request: Request) -> Response:
    answer = {"reached": True}  # coverage: request
    return JSONResponse(answer)  # coverage: request


async def started(request: Request) -> Response:
    body = await request.json()  # coverage: request
    return JSONResponse({"started": len(body["items"])})  # coverage: request


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()  # coverage: request
    text = await websocket.receive_text()  # coverage: request
    await websocket.send_text(text)  # coverage: request
    await websocket.close()  # coverage: request


async def never(request: Request) -> Response:
    answer = {"never": True}  # coverage: never
    return JSONResponse(answer)  # coverage: never


app = Starlette(
    routes=[
        Route("/reached", reached),
        Route("/started", started, methods=["POST"]),
        WebSocketRoute("/ws", echo),
        Route("/never", never),
    ]
)
