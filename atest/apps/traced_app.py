"""A plain ASGI 3 app for the log checks of the ASGI trace and the app's traceback.

- ``GET /chain``: raises ``RuntimeError('could not load order 7')`` from a
  ``KeyError('order 7')`` raised while handling a ``ConnectionError('db
  down')``: an exception with a cause and a context.
- ``GET /long-token``: 200, a JSON body of about 400 bytes whose
  ``access_token`` (``TOKEN``) starts before byte 256 and ends after it: an
  ASGI trace keeps the first 256 bytes of a body, so it cuts the token.
- ``GET /long-text``: 200, ``text/plain``: 250 bytes of ``a``, then ``TOKEN``
  (a cut in the middle of a credential that is no field's value).
- ``POST /echo``: 200, the request body sent back with its content type.
- ``GET /ok``: 200 ``ok``.

``create_threaded_app()``: a Starlette app whose ``GET /raise`` raises in a
synchronous endpoint, run in anyio's worker thread (see there).
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

from testapps.faults import healthy_lifespan

#: A token that looks like one (masked by value once a suite has seen it).
TOKEN = "tok-7f3a9c2e5b8d41f6a0c3e9b2d5f8a1c4"


async def app(scope: Dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await healthy_lifespan(scope, receive, send)
        return
    path = scope["path"]
    if path == "/chain":
        load_order(7)
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    headers: List[Tuple[bytes, bytes]] = [(b"content-type", b"application/json")]
    if path == "/long-token":
        content = json.dumps({"padding": "p" * 220, "access_token": TOKEN, "tail": "t" * 120}).encode()
    elif path == "/long-text":
        content = ("a" * 250 + TOKEN).encode()
        headers = [(b"content-type", b"text/plain")]
    elif path == "/echo":
        content = body
        headers = [(name, value) for name, value in scope["headers"] if name == b"content-type"]
    else:
        content = b"ok"
        headers = [(b"content-type", b"text/plain")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": content})


def load_order(number: int) -> None:
    try:
        try:
            raise ConnectionError("db down")
        except ConnectionError:
            raise KeyError(f"order {number}")  # noqa: B904 - an implicit context, on purpose
    except KeyError as exc:
        raise RuntimeError(f"could not load order {number}") from exc


def create_threaded_app() -> Any:
    """A Starlette app whose ``GET /raise`` is a synchronous endpoint, which
    Starlette runs in anyio's worker threads: its exception comes back
    through anyio's (and asyncio's or trio's) frames. It raises
    ``LookupError('no such invoice')``."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    def fail(request: Request) -> Response:
        raise LookupError("no such invoice")

    return Starlette(routes=[Route("/raise", fail)])
