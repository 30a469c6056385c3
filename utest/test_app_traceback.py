"""The app's traceback as the keywords log it: the app's frames only.

The app runs on the engine's loop thread and its exception is re-raised in
the caller's thread, so its traceback holds the caller's, the engine's and
anyio's frames too; the log shows the app's, outermost first.
"""
from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from RobotASGI.app_traceback import app_traceback
from RobotASGI.testclient import TestClient


def parse_order(body: bytes) -> Dict[str, Any]:
    return json.loads(body)  # raises json.JSONDecodeError for a body that is not JSON


async def order_app(scope: Dict[str, Any], receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    message = await receive()
    try:
        parse_order(message.get("body", b""))
    except ValueError as exc:
        raise RuntimeError("the order could not be read") from exc
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def frames(text: str) -> list:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("File ")]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_only_the_apps_frames_are_shown_the_outermost_first(backend):
    with TestClient(order_app, backend=backend) as client, pytest.raises(RuntimeError) as raised:
        client.post("/orders", data=b"not json")
    text = app_traceback(raised.value)
    assert text is not None
    shown = frames(text)
    assert all("/RobotASGI/" not in line and "anyio" not in line and "requests" not in line for line in shown)
    # the cause first, as Python prints it: parse_order's frame, json's, then the app's own
    assert text.startswith("Traceback (most recent call last):")
    assert "The above exception was the direct cause of the following exception:" in text
    assert text.endswith("RuntimeError: the order could not be read")
    cause, effect = text.split("The above exception was the direct cause")
    assert "in parse_order" in cause and "json.decoder.JSONDecodeError: Expecting value" in cause
    assert frames(effect)[-1].endswith("in order_app")
    assert frames(effect)[0].endswith("in order_app")  # nothing of the engine above the app


def test_an_exception_with_no_frame_of_the_app_has_no_app_traceback():
    assert app_traceback(KeyError("never raised")) is None


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_demo_app_is_an_app_though_it_ships_with_the_library(backend):
    from RobotASGI.demo import app as demo

    async def receive_fails(scope: Dict[str, Any], receive: Any, send: Any) -> None:
        async def failing_receive() -> Dict[str, Any]:
            raise ValueError("receive failed")

        await demo(scope, failing_receive, send)

    with pytest.raises(ValueError) as raised:
        TestClient(receive_fails, backend=backend).post("/echo", data=b"{}")
    text = app_traceback(raised.value)
    assert text is not None and "/RobotASGI/demo/" in text
