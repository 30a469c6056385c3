"""Streamed responses written in plain ASGI: every case of the event-stream
rules, line protocols, chunks, and what an app does when its client leaves.

Each ``http.response.body`` message is a chunk the client reads on its own,
so the chunks below are exactly where the body is cut.

- ``GET /sse/spec``: an event stream in 15 chunks - a byte order mark split over
  two chunks, a comment, ``data:first`` (no space) and a blank line with CRLF;
  an event ``price`` with CR line ends whose last CR ends a chunk and whose LF
  starts the next; a field without a colon (``data`` alone, an empty data line)
  and ``data:  line`` (one space dropped); ``id: 42`` and ``retry: 1500``; an id
  holding NUL and ``retry: 2s`` (both ignored); an event with no data (``event:
  ping``, ``id: 43``: not dispatched); an unknown field; a keep-alive comment; an
  event split in the middle of a field; and at the end ``data: never
  dispatched`` without its blank line.
- ``GET /sse/ticks?count=N&then=hang|end|raise``: N events ``tick`` (``id`` i,
  data ``{"n": i}``), then: wait for the disconnect (recorded in :data:`SEEN`
  as ``ticks: disconnected``), end the body, or raise ``RuntimeError('ticker
  broke')``
- ``GET /sse/ignore-disconnect``: one event, then a ``: ping`` comment every 20
  ms without ever calling ``receive()``: after a disconnect its ``send()``
  raises, which ends it
- ``GET /sse/raise-on-disconnect``: one event, then on the disconnect raises
  ``ValueError('cleanup failed after the disconnect')``
- ``GET /sse/denied``: 401 ``{"detail": "token expired"}`` (JSON), and a
  second chunk that never ends the body
- ``GET /sse/token``: one event whose data is ``{"access_token": "sse-token-..."}``
- ``GET /lines``: NDJSON over chunks - ``{"id": 1, "name": "a"}``, then ``{"id": 2}``
  split in two chunks and ended with CRLF, then ``not json``, then
  ``{"id": 3}`` without a line end at the end of the body
- ``GET /lines/partial``: ``{"id": 1}`` and the start of a second line, ``{"id": 2``,
  then nothing until the client goes away
- ``GET /lines/latin1``: ``café`` in ISO-8859-1 (``charset=iso-8859-1``); ``GET
  /lines/binary``: a line of bytes that are not UTF-8
- ``GET /chunks``: ``part 1``, ``part 2``, ``part 3``, then the end of the body
- ``GET /chunks/raise``: ``partial``, then raises ``RuntimeError('stream broke')``
- ``GET /seen``: :data:`SEEN` as JSON (``DELETE /seen`` empties it)
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Dict, List
from urllib.parse import parse_qs

import anyio

from testapps.faults import healthy_lifespan

Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]

#: What the endpoints saw of their clients, oldest first.
SEEN: List[str] = []

SPEC_CHUNKS = [
    b"\xef\xbb",
    b"\xbf: stream start\n",
    b"data:first\r\n\r\n",
    b'event: price\rdata: {"symbol": "ACME", "price": 12.5}\r',
    b"\n\r",
    b"data: multi\ndata\ndata:  line\n\n",
    b"id: 42\nretry: 1500\ndata: with id\n\n",
    b"id: bad\x00id\nretry: 2s\ndata: kept\n\n",
    b"event: ping\nid: 43\n\n",
    b"unknown: field\ndata: after ping\n\n",
    b": keep-alive\n\n",
    b"event: note\ndata: spl",
    b"it across chunks\r\n",
    b"\r\n",
    b"data: never dispatched",
]

SSE_HEADERS = [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-store")]


async def app(scope: Dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await healthy_lifespan(scope, receive, send)
        return
    query = {key: values[-1] for key, values in parse_qs(scope["query_string"].decode()).items()}
    route = ROUTES.get((scope["method"], scope["path"]))
    if route is None:
        await _whole(send, 404, b"not found", b"text/plain")
        return
    await route(query, receive, send)


async def _start(send: Send, status: int = 200, headers: Any = None) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers or SSE_HEADERS})


async def _chunk(send: Send, data: bytes, more: bool = True) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": more})


async def _whole(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await _start(send, status, [(b"content-type", content_type)])
    await _chunk(send, body, more=False)


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def spec(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send)
    for chunk in SPEC_CHUNKS:
        await _chunk(send, chunk)
    await _chunk(send, b"", more=False)


async def ticks(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send)
    for number in range(1, int(query.get("count", "3")) + 1):
        await _chunk(send, f'event: tick\nid: {number}\ndata: {{"n": {number}}}\n\n'.encode())
    then = query.get("then", "hang")
    if then == "end":
        await _chunk(send, b"", more=False)
    elif then == "raise":
        raise RuntimeError("ticker broke")
    else:
        await _wait_for_disconnect(receive)
        SEEN.append("ticks: disconnected")


async def ignore_disconnect(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send)
    await _chunk(send, b"data: hello\n\n")
    while True:
        await anyio.sleep(0.02)
        await _chunk(send, b": ping\n\n")


async def raise_on_disconnect(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send)
    await _chunk(send, b"data: hello\n\n")
    await _wait_for_disconnect(receive)
    raise ValueError("cleanup failed after the disconnect")


async def denied(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send, 401, [(b"content-type", b"application/json")])
    await _chunk(send, b'{"detail": "token expired"}')
    await _wait_for_disconnect(receive)
    SEEN.append("denied: disconnected")


async def token(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send)
    await _chunk(send, b'data: {"access_token": "sse-token-5f2b9c0d7e", "user": "qa"}\n\n')
    await _wait_for_disconnect(receive)


async def lines(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send, 200, [(b"content-type", b"application/x-ndjson")])
    for chunk in (b'{"id": 1, "name": "a"}\n{"id"', b": 2}\r\n", b"not json\n", b'{"id": 3}'):
        await _chunk(send, chunk)
    await _chunk(send, b"", more=False)


async def lines_partial(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send, 200, [(b"content-type", b"application/x-ndjson")])
    await _chunk(send, b'{"id": 1}\n{"id": 2')
    await _wait_for_disconnect(receive)


async def lines_latin1(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _whole(send, 200, "café\n".encode("iso-8859-1"), b"text/plain; charset=iso-8859-1")


async def lines_binary(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _whole(send, 200, b"\xff\xfe\x00binary\n", b"application/octet-stream")


async def chunks(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send, 200, [(b"content-type", b"text/plain; charset=utf-8")])
    for number in (1, 2, 3):
        await _chunk(send, f"part {number}".encode())
    await _chunk(send, b"", more=False)


async def chunks_raise(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _start(send, 200, [(b"content-type", b"text/plain; charset=utf-8")])
    await _chunk(send, b"partial")
    raise RuntimeError("stream broke")


async def seen(query: Dict[str, str], receive: Receive, send: Send) -> None:
    await _whole(send, 200, json.dumps(SEEN).encode(), b"application/json")


async def forget(query: Dict[str, str], receive: Receive, send: Send) -> None:
    SEEN.clear()
    await _whole(send, 200, b"[]", b"application/json")


ROUTES = {
    ("GET", "/sse/spec"): spec,
    ("GET", "/sse/ticks"): ticks,
    ("GET", "/sse/ignore-disconnect"): ignore_disconnect,
    ("GET", "/sse/raise-on-disconnect"): raise_on_disconnect,
    ("GET", "/sse/denied"): denied,
    ("GET", "/sse/token"): token,
    ("GET", "/lines"): lines,
    ("GET", "/lines/partial"): lines_partial,
    ("GET", "/lines/latin1"): lines_latin1,
    ("GET", "/lines/binary"): lines_binary,
    ("GET", "/chunks"): chunks,
    ("GET", "/chunks/raise"): chunks_raise,
    ("GET", "/seen"): seen,
    ("DELETE", "/seen"): forget,
}
