"""Streaming with Starlette: ``StreamingResponse`` and sse-starlette's
``EventSourceResponse``; ``create_app()`` builds a fresh app with its own
subscriber count.

- ``GET /prices?count=N``: sse-starlette events ``price`` (``id`` 1..N, ``retry``
  2000 on the first, JSON data ``{"symbol": "ACME", "price": 10 + n}``), a ping
  comment every 0.2 s, then no more events until the client goes away;
  ``GET /subscribers`` counts the streams still open and those that saw their
  client leave (``{"open": 0, "left": 1}``)
- ``GET /prices/then-fail``: one event, then the generator raises
  ``LookupError('price feed lost')``
- ``GET /orders/export``: ``StreamingResponse`` of NDJSON, one order per chunk
  (``{"id": 1, "item": "apple"}``, ...; ``?count=N``, 3 by default), then the end
- ``GET /download``: ``StreamingResponse`` of three byte chunks: ``\x00\x01``,
  ``part two``, ``\xff``
"""
from __future__ import annotations

import json
from typing import Any, AsyncIterator, Dict

import anyio
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


def create_app() -> Starlette:
    subscribers: Dict[str, int] = {"open": 0, "left": 0}

    async def prices(request: Request) -> Response:
        count = int(request.query_params.get("count", "3"))

        async def feed() -> AsyncIterator[ServerSentEvent]:
            subscribers["open"] += 1
            try:
                for number in range(1, count + 1):
                    yield ServerSentEvent(
                        json.dumps({"symbol": "ACME", "price": 10 + number}),
                        event="price",
                        id=str(number),
                        retry=2000 if number == 1 else None,
                    )
                await anyio.sleep_forever()
            finally:  # sse-starlette cancels the generator when the client leaves
                subscribers["open"] -= 1
                subscribers["left"] += 1

        return EventSourceResponse(feed(), ping=0.2)

    async def prices_then_fail(request: Request) -> Response:
        async def feed() -> AsyncIterator[Dict[str, Any]]:
            yield {"event": "price", "data": "1"}
            raise LookupError("price feed lost")

        return EventSourceResponse(feed())

    async def subscriber_count(request: Request) -> Response:
        return JSONResponse(subscribers)

    async def export(request: Request) -> Response:
        count = int(request.query_params.get("count", "3"))
        items = ["apple", "pear", "plum", "fig"]

        async def orders() -> AsyncIterator[bytes]:
            for number in range(1, count + 1):
                yield (json.dumps({"id": number, "item": items[(number - 1) % len(items)]}) + "\n").encode()

        return StreamingResponse(orders(), media_type="application/x-ndjson")

    async def download(request: Request) -> Response:
        async def parts() -> AsyncIterator[bytes]:
            for part in (b"\x00\x01", b"part two", b"\xff"):
                yield part

        return StreamingResponse(parts(), media_type="application/octet-stream")

    return Starlette(
        routes=[
            Route("/prices", prices),
            Route("/prices/then-fail", prices_then_fail),
            Route("/subscribers", subscriber_count),
            Route("/orders/export", export),
            Route("/download", download),
        ]
    )
