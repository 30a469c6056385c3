"""A Litestar application for the ecosystem suite; ``create_app()`` builds a fresh one.

- ``on_startup`` stores ``greeting`` and ``started`` in ``app.state``, and a
  ``lifespan`` context manager stores ``resource: "open"`` there and sets it to
  ``"closed"`` on exit; both append to :data:`EVENTS`, as ``on_shutdown`` does
  (``GET /state`` shows what startup stored)
- ``GET /hello?name=X``: ``Hello, X!`` (text/plain) with the greeting from startup
- ``POST /echo``: the JSON body sent back (200)
- ``POST /items``: a msgspec-validated ``Item`` (``name: str``, ``price: float >
  0``); 201 with the item and an ``id``, 400 with Litestar's ``Validation
  failed`` details on bad input; ``GET /items/{id}``: 404 unless it exists
- ``POST /upload``: form fields and uploaded files (name, type, size, text), 201
- ``GET /cookies/set?name=value``: sets cookies; ``GET /cookies``: the cookies sent
- ``GET /redirect``: 302 to ``/hello`` (query kept)
- ``GET /backend``: ``{"backend": "asyncio" | "trio"}``
- ``GET /raise``: raises ``ValueError('litestar route failed')``; Litestar's
  exception middleware turns every exception into a 500 response (with the
  traceback in it under ``create_app(debug=True)``, which also logs it to the
  ``litestar`` logger), so it never reaches the server
- WebSocket ``/ws``: echo of text and bytes; text ``close`` closes with 1000 ``bye``
- WebSocket ``/ws/json``: a ``websocket_listener``: each JSON message sent back as
  ``{"echo": message}``
- WebSocket ``/ws/reject``: closed with 1008 ``forbidden`` before accepting
- WebSocket ``/ws/raise``: accepts, then raises ``ValueError('litestar websocket
  failed')`` on the first message (Litestar closes the connection with 4500
  ``Internal Server Error``)

``create_session_app()`` builds another app, with Litestar's server-side
sessions (``ServerSideSessionConfig``, in memory): ``POST /login`` stores
``{"user": "qa"}`` in the session, ``POST /logout`` clears it - Litestar then
sets the cookie ``session=null`` - ``GET /me`` shows the session's user (or
``null``) and ``POST /echo`` sends its JSON back.

Logging: Litestar's default ``LoggingConfig`` runs ``logging.config.dictConfig`` at
startup and replaces the root logger's handlers (Robot Framework's and RobotASGI's
among them) with its own queue handler writing to stderr. The app uses
:data:`LOGGING`, which leaves the root logger alone and lets the ``litestar``
logger propagate (its records reach the Robot log), unless built with
``create_app(default_logging=True)``.
"""
from __future__ import annotations

import contextlib
from typing import Annotated, Any, AsyncIterator, Dict, List

from litestar import Litestar, MediaType, Request, Response, WebSocket, get, post, websocket, websocket_listener
from litestar.datastructures import Cookie, State, UploadFile
from litestar.exceptions import NotFoundException
from litestar.logging.config import LoggingConfig
from litestar.middleware.session.server_side import ServerSideSessionConfig
from litestar.response import Redirect
from msgspec import Meta, Struct

from .common import current_backend, describe_file, echo_frames

#: What the lifespan hooks did, oldest first (shutdown cannot be seen over HTTP).
EVENTS: List[str] = []


class Item(Struct):
    name: str
    price: Annotated[float, Meta(gt=0)]


def logging_config() -> LoggingConfig:
    """A ``litestar`` logger that propagates (in debug mode Litestar logs each
    exception to it), and nothing else: no root logger, no stderr handler, no
    listener thread."""
    quiet = {"class": "logging.NullHandler"}
    return LoggingConfig(
        configure_root_logger=False,
        handlers={"console": dict(quiet), "queue_listener": dict(quiet)},
        loggers={"litestar": {"level": "INFO", "handlers": [], "propagate": True}},
    )


def create_app(debug: bool = False, default_logging: bool = False) -> Litestar:
    """A new Litestar app: the suites import it as ``apps.litestar_app:create_app()``.

    ``debug`` is Litestar's (tracebacks in 500 responses); ``default_logging``
    keeps Litestar's default ``LoggingConfig``, which takes over the root logger.
    """
    items: Dict[int, Dict[str, Any]] = {}

    def on_startup(app: Litestar) -> None:
        app.state.greeting = "Hello"
        app.state.started = True
        EVENTS.append("litestar startup")

    async def on_shutdown(app: Litestar) -> None:
        EVENTS.append("litestar shutdown")

    @contextlib.asynccontextmanager
    async def resource(app: Litestar) -> AsyncIterator[None]:
        app.state.resource = "open"
        EVENTS.append("litestar lifespan enter")
        try:
            yield
        finally:
            app.state.resource = "closed"
            EVENTS.append("litestar lifespan exit")

    @get("/hello", media_type=MediaType.TEXT)
    async def hello(state: State, name: str = "world") -> str:
        return f"{state.get('greeting', 'Hi')}, {name}!"

    @post("/echo", status_code=200)
    async def echo(data: Any) -> Any:
        return data

    @get("/state")
    async def show_state(state: State) -> Dict[str, Any]:
        return {"greeting": state.get("greeting"), "started": state.get("started", False),
                "resource": state.get("resource")}

    @post("/items", status_code=201)
    async def create_item(data: Item) -> Dict[str, Any]:
        item_id = len(items) + 1
        items[item_id] = {"id": item_id, "name": data.name, "price": data.price}
        return items[item_id]

    @get("/items/{item_id:int}")
    async def read_item(item_id: int) -> Dict[str, Any]:
        if item_id not in items:
            raise NotFoundException("Item not found")
        return items[item_id]

    @post("/upload", status_code=201)
    async def upload(request: Request) -> Dict[str, Any]:
        form = await request.form()
        fields: Dict[str, Any] = {}
        files = []
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                files.append(describe_file(name, value.filename, value.content_type, await value.read()))
            else:
                fields[name] = value
        return {"fields": fields, "files": files}

    @get("/cookies/set")
    async def set_cookies(request: Request) -> Response[Dict[str, Any]]:
        query = dict(request.query_params)
        return Response({"set": query}, cookies=[Cookie(key=name, value=value) for name, value in query.items()])

    @get("/cookies")
    async def cookies(request: Request) -> Dict[str, str]:
        return dict(request.cookies)

    @get("/redirect", status_code=302)
    async def go_elsewhere(request: Request) -> Redirect:
        query = request.scope["query_string"].decode("ascii")
        return Redirect(path="/hello" + (f"?{query}" if query else ""), status_code=302)

    @get("/backend")
    async def backend() -> Dict[str, str]:
        return {"backend": current_backend()}

    @get("/raise")
    async def fail() -> None:
        raise ValueError("litestar route failed")

    @websocket("/ws")
    async def ws_echo(socket: WebSocket) -> None:
        await socket.accept()
        await echo_frames(socket)

    @websocket_listener("/ws/json")
    async def ws_json(data: Dict[str, Any]) -> Dict[str, Any]:
        return {"echo": data}

    @websocket("/ws/reject")
    async def ws_reject(socket: WebSocket) -> None:
        await socket.close(code=1008, reason="forbidden")

    @websocket("/ws/raise")
    async def ws_raise(socket: WebSocket) -> None:
        await socket.accept()
        await socket.receive_data(mode="text")
        raise ValueError("litestar websocket failed")

    options: Dict[str, Any] = {} if default_logging else {"logging_config": logging_config()}
    return Litestar(
        route_handlers=[hello, echo, show_state, create_item, read_item, upload, set_cookies, cookies,
                        go_elsewhere, backend, fail, ws_echo, ws_json, ws_reject, ws_raise],
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        lifespan=[resource],
        debug=debug,
        **options,
    )


def create_session_app() -> Litestar:
    """The session app: ``apps.litestar_app:create_session_app()``."""

    @post("/login", status_code=200)
    async def login(request: Request) -> Dict[str, Any]:
        request.set_session({"user": "qa"})
        return {"user": "qa"}

    @post("/logout", status_code=200)
    async def logout(request: Request) -> Dict[str, Any]:
        request.clear_session()
        return {"user": None}

    @get("/me")
    async def me(request: Request) -> Dict[str, Any]:
        return {"user": request.session.get("user") if request.session else None}

    @post("/echo", status_code=200)
    async def echo(data: Any) -> Any:
        return data

    return Litestar(
        route_handlers=[login, logout, me, echo],
        middleware=[ServerSideSessionConfig().middleware],
        logging_config=logging_config(),
    )


app = create_app()
