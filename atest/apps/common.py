"""Helpers shared by the test apps."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Tuple


def current_backend() -> str:
    """The async library running the caller: ``asyncio`` or ``trio``."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return "trio"  # the engine's only other backend
    return "asyncio"


def validate_item(data: Any) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """The hand-written validation of ``POST /items`` in the Quart and Django apps:
    the item and a list of errors (empty when ``data`` is a valid item)."""
    if not isinstance(data, dict):
        return {}, [{"loc": [], "msg": "expected a JSON object"}]
    errors = []
    if not isinstance(data.get("name"), str):
        errors.append({"loc": ["name"], "msg": "a string is required"})
    price = data.get("price")
    if isinstance(price, bool) or not isinstance(price, (int, float)):
        errors.append({"loc": ["price"], "msg": "a number is required"})
    elif price <= 0:
        errors.append({"loc": ["price"], "msg": "must be greater than 0"})
    return {"name": data.get("name"), "price": price}, errors


def describe_file(field: str, filename: Optional[str], content_type: Optional[str], content: bytes) -> Dict[str, Any]:
    """How every ``POST /upload`` route describes an uploaded file."""
    return {
        "field": field,
        "filename": filename,
        "content_type": content_type,
        "size": len(content),
        "text": content.decode("utf-8", "replace"),
    }


async def echo_frames(websocket: Any) -> None:
    """The ``/ws`` echo of the framework apps, once ``websocket`` (Starlette's,
    FastAPI's or Litestar's: all have ``receive()``, ``send_text()``,
    ``send_bytes()`` and ``close(code, reason)``) is accepted: text frames as
    text, binary frames as bytes, until the client leaves; the text ``close``
    closes the connection with 1000 ``bye``."""
    while True:
        message: Dict[str, Any] = dict(await websocket.receive())
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text == "close":
            await websocket.close(code=1000, reason="bye")
            return
        if text is not None:
            await websocket.send_text(text)
        else:
            await websocket.send_bytes(message.get("bytes") or b"")
