"""A Starlette app for concurrent requests and slow or leaving clients;
``create_app()`` builds a fresh one (its state is its own). It runs on asyncio
and trio (anyio's primitives only).

Concurrency:

- ``GET /barrier?n=N&timeout=S``: waits until ``N`` requests are inside at
  once, then answers ``{"arrived": i, "together": N}`` (``i``: 1 for the first
  in); 504 ``{"detail": "only K of N requests arrived together"}`` if they are
  not all in within ``S`` seconds (default 2). Requests sent one after the
  other can never pass it.
- ``POST /counter/unsafe`` and ``POST /counter/safe``: add 1 to a counter by
  reading it, waiting 50 ms (a database round trip) and writing it back -
  without a lock (concurrent increments are lost) or under one; answer the
  value written. ``GET /counter``: ``{"unsafe": N, "safe": M}``.
- ``POST /payments`` with an ``Idempotency-Key`` header and a JSON body: the
  first request with a key creates a payment (100 ms of work) and answers 201
  ``{"id": "pay-N", "amount": ...}``; a request with the same key while that
  one works answers 409 ``{"detail": "a request with this key is in
  progress"}``; afterwards the stored answer is replayed (201, the same id,
  header ``Idempotent-Replayed: true``). 400 without the header.
  ``GET /payments/count``: ``{"created": N}``.
- ``POST /jobs/{name}/run?ms=M``: runs the job ``name`` for ``M`` ms (default
  200) under a lock of its own, taken without waiting: 200 ``{"job": name}``,
  or 423 ``{"detail": "job <name> is already running"}`` while it runs.
  ``GET /jobs/{name}/started?timeout=S``: waits (``S`` seconds at most,
  default 2) until the job runs: ``{"running": true}``, else 504.
- ``GET /limited``: a rate limit of 3 requests per window: each request waits
  50 ms, then answers 200 ``{"n": i}``, or 429 with ``Retry-After: 60`` once 3
  were let through. ``POST /limited/reset`` opens a new window.
- ``GET /slow?ms=M``: answers ``{"slept_ms": M}`` after ``M`` ms (default 300).
- ``GET /cancelled``: ``{"count": N}``, how many ``/slow`` requests were
  cancelled (the client went away, or the request was cancelled).

``GET /backend``: ``{"backend": "asyncio" | "trio"}``.

Slow and leaving clients:

- ``POST /upload/timed?chunk_timeout=S``: reads the body as it comes
  (``request.stream()``), allowing each piece ``S`` seconds (default 0.2):
  200 ``{"received": N}``, or 408 ``{"detail": "upload too slow", "received":
  N}`` when a piece is late - an upload timeout.
- ``POST /upload/tracked``: reads the body as it comes; a client that leaves
  in the middle raises Starlette's ``ClientDisconnect``, which it catches:
  ``GET /upload/last`` then says ``{"complete": false, "received": N}``
  (``true`` and the size for a whole body).
- ``POST /upload/raw`` (and ``GET``, ``PUT``, ``PATCH``, ``DELETE``): the same as a plain ASGI endpoint looping on
  ``receive()`` until the body ends or ``http.disconnect`` comes; ``GET
  /upload/last`` then adds ``"endpoint": "raw"``.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional

import anyio
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .common import current_backend


class AnswerUnlessGone:
    """An endpoint that may have nobody to answer: Starlette routes an object
    that is not a function as a plain ASGI app, so this one answers only
    when its handler returns a response - never to a client that left."""

    def __init__(self, handler: Callable[[Request], Awaitable[Optional[Response]]]) -> None:
        self.handler = handler

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        response = await self.handler(Request(scope, receive))
        if response is not None:
            await response(scope, receive, send)


def create_app() -> Starlette:
    state: Dict[str, Any] = {
        "inside": 0,
        "unsafe": 0,
        "safe": 0,
        "payments": {},
        "created": 0,
        "limited": 0,
        "cancelled": 0,
        "upload": None,
    }
    arrivals: Dict[str, Any] = {"event": None, "n": None}
    counter_lock = anyio.Lock()
    job_locks: Dict[str, anyio.Lock] = {}

    async def barrier(request: Request) -> Response:
        wanted = int(request.query_params.get("n", "2"))
        timeout = float(request.query_params.get("timeout", "2"))
        if arrivals["event"] is None or arrivals["n"] != wanted:
            arrivals["event"], arrivals["n"] = anyio.Event(), wanted
        event = arrivals["event"]
        state["inside"] += 1
        arrived = state["inside"]
        if arrived >= wanted:
            event.set()
        try:
            with anyio.move_on_after(timeout):
                await event.wait()
        finally:
            state["inside"] -= 1
            if state["inside"] == 0:
                arrivals["event"] = None
        if not event.is_set():
            return JSONResponse({"detail": f"only {arrived} of {wanted} requests arrived together"}, status_code=504)
        return JSONResponse({"arrived": arrived, "together": wanted})

    async def add_one(name: str) -> int:
        value = state[name]
        await anyio.sleep(0.05)
        state[name] = value + 1
        return int(state[name])

    async def counter_unsafe(request: Request) -> Response:
        return JSONResponse({"value": await add_one("unsafe")})

    async def counter_safe(request: Request) -> Response:
        async with counter_lock:
            return JSONResponse({"value": await add_one("safe")})

    async def counter(request: Request) -> Response:
        return JSONResponse({"unsafe": state["unsafe"], "safe": state["safe"]})

    async def payments(request: Request) -> Response:
        key = request.headers.get("idempotency-key")
        if not key:
            return JSONResponse({"detail": "an Idempotency-Key header is required"}, status_code=400)
        body = await request.json()
        known = state["payments"].get(key)
        if known == "in progress":
            return JSONResponse({"detail": "a request with this key is in progress"}, status_code=409)
        if known is not None:
            return JSONResponse(known, status_code=201, headers={"Idempotent-Replayed": "true"})
        state["payments"][key] = "in progress"
        await anyio.sleep(0.1)
        state["created"] += 1
        payment = {"id": f"pay-{state['created']}", "amount": body.get("amount")}
        state["payments"][key] = payment
        return JSONResponse(payment, status_code=201)

    async def payments_count(request: Request) -> Response:
        return JSONResponse({"created": state["created"]})

    async def run_job(request: Request) -> Response:
        name = request.path_params["name"]
        lock = job_locks.setdefault(name, anyio.Lock())
        if lock.locked():
            return JSONResponse({"detail": f"job {name} is already running"}, status_code=423)
        async with lock:
            await anyio.sleep(int(request.query_params.get("ms", "200")) / 1000)
        return JSONResponse({"job": name})

    async def job_started(request: Request) -> Response:
        name = request.path_params["name"]
        timeout = float(request.query_params.get("timeout", "2"))
        with anyio.move_on_after(timeout):
            while not (name in job_locks and job_locks[name].locked()):
                await anyio.sleep(0.005)
            return JSONResponse({"running": True})
        return JSONResponse({"running": False}, status_code=504)

    async def backend(request: Request) -> Response:
        return JSONResponse({"backend": current_backend()})

    async def limited(request: Request) -> Response:
        await anyio.sleep(0.05)
        if state["limited"] >= 3:
            return JSONResponse({"detail": "rate limit exceeded"}, status_code=429, headers={"Retry-After": "60"})
        state["limited"] += 1
        return JSONResponse({"n": state["limited"]})

    async def limited_reset(request: Request) -> Response:
        state["limited"] = 0
        return JSONResponse({"reset": True})

    async def slow(request: Request) -> Response:
        milliseconds = int(request.query_params.get("ms", "300"))
        try:
            await anyio.sleep(milliseconds / 1000)
        except anyio.get_cancelled_exc_class():
            state["cancelled"] += 1
            raise
        return JSONResponse({"slept_ms": milliseconds})

    async def cancelled(request: Request) -> Response:
        return JSONResponse({"count": state["cancelled"]})

    async def upload_timed(request: Request) -> Response:
        chunk_timeout = float(request.query_params.get("chunk_timeout", "0.2"))
        received = 0
        pieces = request.stream().__aiter__()
        while True:
            with anyio.move_on_after(chunk_timeout) as waiting:
                try:
                    piece: Optional[bytes] = await pieces.__anext__()
                except StopAsyncIteration:
                    piece = None
            if waiting.cancelled_caught:
                return JSONResponse({"detail": "upload too slow", "received": received}, status_code=408)
            if piece is None:
                return JSONResponse({"received": received})
            received += len(piece)

    async def upload_tracked(request: Request) -> Optional[Response]:
        received = 0
        try:
            async for piece in request.stream():
                received += len(piece)
        except ClientDisconnect:
            state["upload"] = {"complete": False, "received": received}
            return None  # nobody to answer
        state["upload"] = {"complete": True, "received": received}
        return JSONResponse(state["upload"])

    async def upload_last(request: Request) -> Response:
        return JSONResponse(state["upload"])

    async def upload_raw(scope: Any, receive: Any, send: Any) -> None:
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                state["upload"] = {"complete": False, "received": received, "endpoint": "raw"}
                return
            received += len(message.get("body", b""))
            if not message.get("more_body", False):
                break
        state["upload"] = {"complete": True, "received": received, "endpoint": "raw"}
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"complete": true}'})

    class RawUpload:  # an object, not a function: Starlette calls it as a plain ASGI app
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            await upload_raw(scope, receive, send)

    upload_raw_endpoint = RawUpload()
    return Starlette(
        routes=[
            Route("/barrier", barrier),
            Route("/counter/unsafe", counter_unsafe, methods=["POST"]),
            Route("/counter/safe", counter_safe, methods=["POST"]),
            Route("/counter", counter),
            Route("/payments", payments, methods=["POST"]),
            Route("/payments/count", payments_count),
            Route("/jobs/{name}/run", run_job, methods=["POST"]),
            Route("/jobs/{name}/started", job_started),
            Route("/backend", backend),
            Route("/limited", limited),
            Route("/limited/reset", limited_reset, methods=["POST"]),
            Route("/slow", slow),
            Route("/cancelled", cancelled),
            Route("/upload/timed", upload_timed, methods=["POST"]),
            Route("/upload/tracked", AnswerUnlessGone(upload_tracked), methods=["POST"]),
            Route("/upload/last", upload_last),
            Route("/upload/raw", upload_raw_endpoint, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        ]
    )
