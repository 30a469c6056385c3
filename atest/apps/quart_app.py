"""A Quart application for the ecosystem suite; ``create_app()`` builds a fresh one.

- ``before_serving`` stores ``greeting`` and ``started`` on ``app.config``;
  ``after_serving`` appends ``"quart shutdown"`` to :data:`EVENTS` (``GET /state``
  shows what startup stored)
- ``GET /hello?name=X``: ``Hello, X!`` (text/plain) with the greeting from startup
- ``POST /echo``: the JSON body sent back
- ``POST /items``: ``{"name": str, "price": number > 0}``; 201 with the item and
  an ``id``, 400 ``{"errors": [{"loc": ..., "msg": ...}]}`` on bad input
- ``POST /upload``: form fields and uploaded files (name, type, size, text), 201
- ``GET /cookies/set?name=value``: sets cookies; ``GET /cookies``: the cookies sent
- ``GET /session/set?user=X``: stores ``X`` in Quart's signed cookie session;
  ``GET /session``: ``{"user": X}`` (``null`` without a session)
- ``GET /redirect``: 302 to ``/hello`` (query kept)
- ``GET /backend``: ``{"backend": "asyncio" | "trio"}``
- ``GET /raise``: raises ``ValueError('quart route failed')``: Quart logs it and
  answers its 500 page, unless the app is built with
  ``create_app(propagate_exceptions=True)`` (Quart's ``PROPAGATE_EXCEPTIONS``;
  see :func:`create_app`), when it reaches the server - RobotASGI
- ``GET /abort``: ``abort(418)``
- WebSocket ``/ws``: echo of text and bytes; text ``close`` closes with 1000 ``bye``
- WebSocket ``/ws/json``: each JSON message sent back as ``{"echo": message}``
- WebSocket ``/ws/reject``: closed with 1008 ``forbidden`` before accepting
- WebSocket ``/ws/deny``: denied with an HTTP 403 response ``go away``
- WebSocket ``/ws/raise``: accepts, then raises ``ValueError('quart websocket failed')``
  on the first message (reaching the server as ``/raise`` does)
"""
from __future__ import annotations

from importlib.metadata import version
from typing import Any, Dict, List

from quart import Quart, abort, jsonify, redirect, request, session, websocket
from quart.wrappers import Response

from .common import current_backend, describe_file, validate_item

#: What the lifespan hooks did, oldest first (shutdown cannot be seen over HTTP).
EVENTS: List[str] = []


#: Quart's (major, minor) version: what lets exceptions reach the server changed.
QUART_VERSION = tuple(int(part) for part in version("quart").split(".")[:2])


def create_app(propagate_exceptions: bool = False) -> Quart:
    """A new Quart app: the suites import it as ``apps.quart_app:create_app()``.

    ``propagate_exceptions=True`` lets an exception in a route or a WebSocket
    handler reach the server. That takes ``PROPAGATE_EXCEPTIONS`` and, on Quart
    0.20 (the last for Python 3.9 and 3.10), ``testing`` too: 0.20 answers a
    traceback page when only ``PROPAGATE_EXCEPTIONS`` is set, 0.22 when
    ``testing`` is (0.21 raises either way).
    """
    app = Quart(__name__)
    app.secret_key = "robotasgi-atest-not-secret"
    app.config["PROPAGATE_EXCEPTIONS"] = propagate_exceptions
    app.testing = propagate_exceptions and QUART_VERSION < (0, 21)
    items: Dict[int, Dict[str, Any]] = {}

    @app.before_serving
    async def startup() -> None:
        app.config["GREETING"] = "Hello"
        app.config["STARTED"] = True
        EVENTS.append("quart startup")

    @app.after_serving
    async def shutdown() -> None:
        EVENTS.append("quart shutdown")

    @app.get("/hello")
    async def hello() -> Response:
        name = request.args.get("name", "world")
        greeting = app.config.get("GREETING", "Hi")
        return Response(f"{greeting}, {name}!", content_type="text/plain; charset=utf-8")

    @app.post("/echo")
    async def echo() -> Any:
        return jsonify(await request.get_json())

    @app.get("/state")
    async def state() -> Any:
        return {"greeting": app.config.get("GREETING"), "started": app.config.get("STARTED", False)}

    @app.post("/items")
    async def create_item() -> Any:
        item, errors = validate_item(await request.get_json(silent=True))
        if errors:
            return {"errors": errors}, 400
        item_id = len(items) + 1
        items[item_id] = {"id": item_id, **item}
        return items[item_id], 201

    @app.get("/items/<int:item_id>")
    async def read_item(item_id: int) -> Any:
        if item_id not in items:
            return {"detail": "Item not found"}, 404
        return items[item_id]

    @app.post("/upload")
    async def upload() -> Any:
        form = await request.form
        uploaded = await request.files
        files = [
            describe_file(field, storage.filename, storage.content_type, storage.read())
            for field, storage in uploaded.items(multi=True)
        ]
        return {"fields": form.to_dict(), "files": files}, 201

    @app.get("/cookies/set")
    async def set_cookies() -> Any:
        response = jsonify({"set": request.args.to_dict()})
        for name, value in request.args.items():
            response.set_cookie(name, value)
        return response

    @app.get("/cookies")
    async def cookies() -> Any:
        return jsonify(dict(request.cookies))

    @app.get("/session/set")
    async def set_session() -> Any:
        session["user"] = request.args["user"]
        return {"stored": session["user"]}

    @app.get("/session")
    async def read_session() -> Any:
        return {"user": session.get("user")}

    @app.get("/redirect")
    async def go_elsewhere() -> Any:
        query = request.query_string.decode("ascii")
        return redirect("/hello" + (f"?{query}" if query else ""), code=302)

    @app.get("/backend")
    async def backend() -> Any:
        return {"backend": current_backend()}

    @app.get("/raise")
    async def fail() -> Any:
        raise ValueError("quart route failed")

    @app.get("/abort")
    async def teapot() -> Any:
        abort(418)

    @app.websocket("/ws")
    async def ws_echo() -> None:
        await websocket.accept()
        while True:
            message = await websocket.receive()
            if message == "close":
                await websocket.close(1000, "bye")
                return
            await websocket.send(message)

    @app.websocket("/ws/json")
    async def ws_json() -> None:
        while True:
            message = await websocket.receive_json()
            await websocket.send_json({"echo": message})

    @app.websocket("/ws/reject")
    async def ws_reject() -> None:
        await websocket.close(1008, "forbidden")

    @app.websocket("/ws/deny")
    async def ws_deny() -> Any:
        return "go away", 403

    @app.websocket("/ws/raise")
    async def ws_raise() -> None:
        await websocket.accept()
        await websocket.receive()
        raise ValueError("quart websocket failed")

    return app


app = create_app()
