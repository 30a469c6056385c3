"""A Starlette application covering what the acceptance suites check.

- lifespan state: startup stores ``greeting`` and ``started``; ``GET /state``
  shows what a request sees in ``request.state``
- ``GET /hello?name=X``: ``Hello, X!`` with the greeting from the lifespan state
- ``POST /echo``: the JSON body sent back
- ``/anything`` (every method, custom ones too): a JSON description of the request - method,
  query, headers, cookies, JSON or form body (``form``: the last value of each
  field; ``form_pairs``: every field in order, repeated ones too) - like httpbin's
- ``POST /upload``: form fields and uploaded files (name, type, size, text)
- ``GET /cookies/set?name=value``: sets cookies; ``GET /cookies`` (and ``GET
  /api/cookies``): the cookies sent; ``GET /cookies/set-attributes``: sets
  ``pref=dark`` for ``/api`` with Max-Age 3600, Secure, HttpOnly and
  SameSite=strict, and ``pref=light`` for ``/``
- ``GET /redirect``: 307 to ``/hello`` (query kept); ``GET /redirect/external``
  302 to ``/anything``
- ``GET /backend``: ``{"backend": "asyncio" | "trio"}``
- ``GET /raise``: raises ``RuntimeError('starlette route failed')``
- ``GET /log?text=X&level=L``: logs ``log from the app: X`` at level ``L``
  (default WARNING) with Python's ``logging`` (logger ``apps.starlette``) and
  answers ``logged``; ``GET /log/broken``: a log call with an argument missing
  (``?then=raise``: then raises ``ValueError('the real error after a broken log
  call')``); ``GET /log/mutated``: logs a list, then appends to it
- ``GET /slow?seconds=S``: answers ``slept`` after ``S`` seconds
- WebSocket ``/ws``: echo; text ``close`` closes with 1000 ``bye``; offered
  subprotocols: the first is accepted
- WebSocket ``/ws/loop``: echoes text in a ``while True`` loop on
  ``receive_text()`` that does not catch ``WebSocketDisconnect``
- WebSocket ``/ws/headers``: accepts and sends the handshake's headers,
  query string and cookies as JSON
- WebSocket ``/ws/reject``: closes before accepting, code 1008, reason ``forbidden``
- WebSocket ``/ws/deny``: denies the handshake with an HTTP 403 response
  ``go away`` (the ``websocket.http.response`` extension)
"""
from __future__ import annotations

import contextlib
import logging
from typing import Any, AsyncIterator, Dict

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from .common import current_backend, describe_file, echo_frames

LOGGER = logging.getLogger("apps.starlette")


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[Dict[str, Any]]:
    yield {"greeting": "Hello", "started": True}


async def hello(request: Request) -> Response:
    greeting = getattr(request.state, "greeting", "Hello")
    name = request.query_params.get("name", "world")
    return PlainTextResponse(f"{greeting}, {name}!")


async def echo(request: Request) -> Response:
    try:
        data = await request.json()
    except ValueError:
        return JSONResponse({"error": "invalid JSON"}, status_code=400)
    return JSONResponse(data)


async def state(request: Request) -> Response:
    return JSONResponse(
        {
            "greeting": getattr(request.state, "greeting", None),
            "started": getattr(request.state, "started", False),
        }
    )


async def anything(request: Request) -> Response:
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    description: Dict[str, Any] = {
        "method": request.method,
        "path": request.url.path,
        "query": dict(request.query_params.multi_items()),
        "headers": dict(request.headers),
        "cookies": dict(request.cookies),
        "json": None,
        "form": None,
        "form_pairs": None,
        "body": None,
    }
    if content_type.startswith("application/json"):
        description["json"] = await request.json()
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        description["form"] = {k: v for k, v in form.items() if isinstance(v, str)}
        description["form_pairs"] = [[k, v] for k, v in form.multi_items() if isinstance(v, str)]
    elif body:
        description["body"] = body.decode("utf-8", "replace")
    status = int(request.query_params.get("status", "200"))
    return JSONResponse(description, status_code=status, headers={"x-method": request.method})


class AnyMethod:
    """``/anything`` as a plain ASGI endpoint: Starlette routes those with every
    method, custom ones (``PURGE``, ``PROPFIND``...) too."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        response = await anything(Request(scope, receive))
        await response(scope, receive, send)


async def upload(request: Request) -> Response:
    form = await request.form()
    fields: Dict[str, Any] = {}
    files = []
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields[name] = value
        else:
            files.append(describe_file(name, value.filename, value.content_type, await value.read()))
    return JSONResponse({"fields": fields, "files": files}, status_code=201)


async def set_cookies(request: Request) -> Response:
    response = JSONResponse({"set": dict(request.query_params)})
    for name, value in request.query_params.items():
        response.set_cookie(name, value)
    return response


async def set_cookie_attributes(request: Request) -> Response:
    """One cookie with every attribute: ``pref=dark`` for ``/api``, an hour,
    Secure, HttpOnly, SameSite=strict; and ``pref=light`` for ``/``."""
    response = JSONResponse({"set": ["pref"]})
    response.set_cookie("pref", "dark", max_age=3600, path="/api", secure=True, httponly=True, samesite="strict")
    response.set_cookie("pref", "light")
    return response


async def cookies(request: Request) -> Response:
    return JSONResponse(dict(request.cookies))


async def redirect(request: Request) -> Response:
    query = request.url.query
    return RedirectResponse("/hello" + (f"?{query}" if query else ""), status_code=307)


async def redirect_external(request: Request) -> Response:
    return RedirectResponse("/anything", status_code=302)


async def backend(request: Request) -> Response:
    return JSONResponse({"backend": current_backend()})


async def fail(request: Request) -> Response:
    raise RuntimeError("starlette route failed")


async def log(request: Request) -> Response:
    level = logging.getLevelName(request.query_params.get("level", "WARNING").upper())
    LOGGER.log(level, "log from the app: %s", request.query_params.get("text", ""))
    return PlainTextResponse("logged")


async def log_broken(request: Request) -> Response:
    """A log call with one argument too few: formatting it raises TypeError."""
    LOGGER.warning("broken log call: %s %s", "only one")  # noqa: PLE1206 - broken on purpose
    if request.query_params.get("then") == "raise":
        raise ValueError("the real error after a broken log call")
    return PlainTextResponse("logged badly")


async def log_mutated(request: Request) -> Response:
    """Logs a list, then changes it: the record must show it as it was."""
    items = ["first"]
    LOGGER.warning("items when logged: %s", items)
    items.append("added after logging")
    return PlainTextResponse("logged")


async def slow(request: Request) -> Response:
    await anyio.sleep(float(request.query_params.get("seconds", "0.1")))
    return PlainTextResponse("slept")


async def ws_echo(websocket: WebSocket) -> None:
    subprotocols = websocket.scope.get("subprotocols") or []
    await websocket.accept(subprotocol=subprotocols[0] if subprotocols else None)
    try:
        await echo_frames(websocket)
    except WebSocketDisconnect:
        return


async def ws_loop(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:  # no try/except: WebSocketDisconnect ends it when the client closes
        await websocket.send_text(await websocket.receive_text())


async def ws_headers(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_json(
        {
            "headers": dict(websocket.headers),
            "query": dict(websocket.query_params),
            "cookies": dict(websocket.cookies),
        }
    )
    try:
        await websocket.receive_text()
    except WebSocketDisconnect:
        return


async def ws_reject(websocket: WebSocket) -> None:
    await websocket.close(code=1008, reason="forbidden")


async def ws_deny(websocket: WebSocket) -> None:
    await websocket.send_denial_response(PlainTextResponse("go away", status_code=403))


routes = [
    Route("/hello", hello),
    Route("/echo", echo, methods=["POST"]),
    Route("/state", state),
    Route("/anything", AnyMethod()),
    Route("/upload", upload, methods=["POST"]),
    Route("/cookies/set", set_cookies),
    Route("/cookies/set-attributes", set_cookie_attributes),
    Route("/cookies", cookies),
    Route("/api/cookies", cookies),
    Route("/redirect", redirect),
    Route("/redirect/external", redirect_external, methods=["GET", "POST"]),
    Route("/backend", backend),
    Route("/raise", fail),
    Route("/log", log),
    Route("/log/broken", log_broken),
    Route("/log/mutated", log_mutated),
    Route("/slow", slow),
    WebSocketRoute("/ws", ws_echo),
    WebSocketRoute("/ws/loop", ws_loop),
    WebSocketRoute("/ws/headers", ws_headers),
    WebSocketRoute("/ws/reject", ws_reject),
    WebSocketRoute("/ws/deny", ws_deny),
]

app = Starlette(routes=routes, lifespan=lifespan)
