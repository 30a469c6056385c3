"""Streaming with FastAPI, checked against its own OpenAPI document
(``create_app()`` builds a fresh app).

- ``GET /events?topic=T``: sse-starlette ``EventSourceResponse``: events
  ``update`` with JSON data ``{"topic": T, "n": n}`` for n = 1, 2, then ``done``
  with data ``bye``, then the end of the body
- ``GET /events/accepted``: the same stream answered with status 202, which
  the operation does not declare in the OpenAPI document
- ``POST /completions``: a JSON body ``{"prompt": str}``; streams the words of
  ``echo: <prompt>`` as NDJSON lines ``{"token": word}``, one per chunk, then
  ``{"done": true}``; a missing prompt is FastAPI's 422
"""
from __future__ import annotations

import json
from typing import Any, AsyncIterator, Dict

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sse_starlette import EventSourceResponse


class Prompt(BaseModel):
    prompt: str


def create_app() -> FastAPI:
    app = FastAPI(title="RobotASGI streams")

    async def updates(topic: str) -> AsyncIterator[Dict[str, Any]]:
        for number in (1, 2):
            yield {"event": "update", "data": json.dumps({"topic": topic, "n": number})}
        yield {"event": "done", "data": "bye"}

    @app.get("/events")
    async def events(topic: str = "news") -> EventSourceResponse:
        return EventSourceResponse(updates(topic))

    @app.get("/events/accepted")
    async def events_accepted() -> EventSourceResponse:
        return EventSourceResponse(updates("late"), status_code=202)

    @app.post("/completions")
    async def completions(body: Prompt) -> StreamingResponse:
        async def tokens() -> AsyncIterator[bytes]:
            for word in f"echo: {body.prompt}".split():
                yield (json.dumps({"token": word}) + "\n").encode()
            yield b'{"done": true}\n'

        return StreamingResponse(tokens(), media_type="application/x-ndjson")

    return app
