"""Streaming with Litestar: ``ServerSentEvent`` and ``Stream``
(``create_app()`` builds a fresh app).

- ``GET /ticks?count=N``: ``ServerSentEvent`` with ``event_type="tick"``,
  ``event_id=7``, ``retry_duration=1500`` and a ``comment_message``; its data are
  ``tick 1`` ... ``tick N`` (3 by default), then the end of the body
- ``GET /ticks/json``: ``ServerSentEvent`` of dictionaries (Litestar sends each as
  JSON data): ``{"n": 1}``, ``{"n": 2}``
- ``GET /log``: ``Stream`` of text lines ``line 1`` ... ``line 3`` (``text/plain``)
"""
from __future__ import annotations

from typing import AsyncIterator

from litestar import Litestar, get
from litestar.response import ServerSentEvent, Stream
from litestar.response.sse import ServerSentEventMessage

from .litestar_app import logging_config


def create_app() -> Litestar:
    @get("/ticks")
    async def ticks(count: int = 3) -> ServerSentEvent:
        async def generate() -> AsyncIterator[str]:
            for number in range(1, count + 1):
                yield f"tick {number}"

        return ServerSentEvent(generate(), event_type="tick", event_id=7, retry_duration=1500,
                               comment_message="litestar says hi")

    @get("/ticks/json")
    async def ticks_json() -> ServerSentEvent:
        async def generate() -> AsyncIterator[ServerSentEventMessage]:
            for number in (1, 2):
                yield ServerSentEventMessage(data=f'{{"n": {number}}}', event="tick")

        return ServerSentEvent(generate())

    @get("/log")
    async def log() -> Stream:
        async def lines() -> AsyncIterator[str]:
            for number in (1, 2, 3):
                yield f"line {number}\n"

        return Stream(lines(), media_type="text/plain")

    return Litestar(route_handlers=[ticks, ticks_json, log], logging_config=logging_config())


