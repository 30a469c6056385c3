"""A FastAPI application; ``create_app()`` builds a fresh one.

- lifespan state ``greeting`` (``GET /state`` shows it)
- ``GET /hello?name=X``: ``Hello, X!`` (text/plain)
- ``POST /echo``: the JSON body sent back
- ``POST /items``: a Pydantic-validated ``Item`` (``name: str``, ``price:
  float > 0``); 201 with the item and an ``id``, 422 with FastAPI's error
  details on bad input
- ``GET /items/{item_id}``: 404 ``{"detail": "Item not found"}`` unless it exists
- ``PURGE /cache/{key}``: a custom method; ``{"purged": key, "method": "PURGE",
  "soft": true | false}`` (``soft=1`` in the query)
- ``GET /backend``: ``{"backend": "asyncio" | "trio"}``
- ``GET /raise``: raises ``ValueError('fastapi route failed')``
- ``POST /token``: FastAPI's OAuth2 password flow (``OAuth2PasswordRequestForm``):
  the form ``username``/``password`` (``qa``/``pw``, or ``admin``/``admin-pass``)
  gives ``{"access_token": "at-<user>-<12 hex>", "refresh_token": "rt-<user>-<12
  hex>", "token_type": "bearer"}``, anything else 401
- ``GET /users/me``: ``{"username": ...}`` for ``Authorization: Bearer <access
  token>`` (``OAuth2PasswordBearer``), 401 without it
- WebSocket ``/ws``: echo (text ``close`` closes with 1000 ``bye``)
- WebSocket ``/ws/reject``: closed with 1008 ``forbidden`` before accepting
- WebSocket ``/ws/loop``: echoes text in a ``while True`` loop on
  ``receive_text()`` that does not catch ``WebSocketDisconnect``, as many apps
  do: it ends with that exception when the client closes
- WebSocket ``/ws/cleanup-fails``: echoes text, and when the client closes
  raises ``RuntimeError('cleanup failed')``
"""
from __future__ import annotations

import contextlib
import hashlib
from typing import Annotated, Any, AsyncIterator, Dict

from fastapi import Depends, FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import PlainTextResponse
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from .common import current_backend, echo_frames


class Item(BaseModel):
    name: str
    price: float = Field(gt=0)


USERS = {"qa": "pw", "admin": "admin-pass"}
#: At module level: the routes' string annotations are resolved in the module's globals.
oauth2 = OAuth2PasswordBearer(tokenUrl="token")


def token_for(kind: str, username: str) -> str:
    """``at-qa-<12 hex>``: a token that looks like one, the same every run."""
    return f"{kind}-{username}-" + hashlib.sha256(f"{kind}:{username}".encode()).hexdigest()[:12]


def create_app(title: str = "RobotASGI atest") -> FastAPI:
    """A new FastAPI app; the factory the suites import as ``apps.fastapi_app:create_app()``."""
    items: Dict[int, Dict[str, Any]] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Dict[str, Any]]:
        yield {"greeting": "Hello"}

    api = FastAPI(title=title, lifespan=lifespan)

    @api.get("/hello", response_class=PlainTextResponse)
    async def hello(request: Request, name: str = "world") -> str:
        return f"{request.state.greeting}, {name}!"

    @api.post("/echo")
    async def echo(request: Request) -> Any:
        return await request.json()

    @api.get("/state")
    async def state(request: Request) -> Dict[str, Any]:
        return {"greeting": request.state.greeting, "title": request.app.title}

    @api.post("/items", status_code=201)
    async def create_item(item: Item) -> Dict[str, Any]:
        item_id = len(items) + 1
        items[item_id] = {"id": item_id, **item.model_dump()}
        return items[item_id]

    @api.get("/items/{item_id}")
    async def read_item(item_id: int) -> Dict[str, Any]:
        if item_id not in items:
            raise HTTPException(status_code=404, detail="Item not found")
        return items[item_id]

    @api.api_route("/cache/{key}", methods=["PURGE"])
    async def purge(key: str, request: Request) -> Dict[str, Any]:
        return {"purged": key, "method": request.method, "soft": request.query_params.get("soft") == "1"}

    @api.post("/token")
    async def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Dict[str, str]:
        if USERS.get(form.username) != form.password:
            raise HTTPException(status_code=401, detail="Incorrect username or password")
        return {
            "access_token": token_for("at", form.username),
            "refresh_token": token_for("rt", form.username),
            "token_type": "bearer",
        }

    @api.get("/users/me")
    async def me(token: Annotated[str, Depends(oauth2)]) -> Dict[str, str]:
        for username in USERS:
            if token == token_for("at", username):
                return {"username": username}
        raise HTTPException(status_code=401, detail="Invalid token")

    @api.get("/backend")
    async def backend() -> Dict[str, str]:
        return {"backend": current_backend()}

    @api.get("/raise")
    async def fail() -> None:
        raise ValueError("fastapi route failed")

    @api.websocket("/ws")
    async def ws_echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            await echo_frames(websocket)
        except WebSocketDisconnect:
            return

    @api.websocket("/ws/loop")
    async def ws_loop(websocket: WebSocket) -> None:
        await websocket.accept()
        while True:  # no try/except: WebSocketDisconnect ends it when the client closes
            text = await websocket.receive_text()
            await websocket.send_text(text)

    @api.websocket("/ws/cleanup-fails")
    async def ws_cleanup_fails(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            raise RuntimeError("cleanup failed") from None

    @api.websocket("/ws/reject")
    async def ws_reject(websocket: WebSocket) -> None:
        await websocket.close(code=1008, reason="forbidden")

    return api


app = create_app()
