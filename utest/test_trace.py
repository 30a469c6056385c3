"""The ASGI trace: what the app received and sent, in order, bounded, on
responses, sessions and the errors a request raises."""
from __future__ import annotations

from typing import Any

import anyio
import pytest
import requests

from RobotASGI.testclient import ASGIProtocolError, ASGITimeout, TestClient
from RobotASGI.testclient.trace import BODY_BYTES, MAX_EVENTS


async def not_found(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await receive()
    await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"detail": "Not Found"}'})


def test_a_response_carries_the_trace_of_its_exchange(backend):
    with TestClient(not_found, backend=backend) as client:
        response = client.post("/items?page=2", json={"name": "widget"})
    trace = response.asgi_trace
    steps = [(event.direction, event.type) for event in trace.events]
    assert steps == [
        ("scope", "http"),
        ("receive", "http.request"),
        ("send", "http.response.start"),
        ("send", "http.response.body"),
        ("end", "the app returned"),
    ]
    scope = trace.events[0].details
    assert (scope["method"], scope["path"], scope["query_string"]) == ("POST", "/items", b"page=2")
    assert ("content-type", "application/json") in scope["headers"]
    offsets = [event.offset for event in trace.events]
    assert offsets == sorted(offsets)
    assert trace.events[1].details["body"] == b'{"name": "widget"}'
    assert trace.events[2].details["status"] == 404
    text = trace.format()
    assert text.startswith("ASGI trace of POST /items?page=2: 4 steps in ")
    assert "http.response.start status=404 headers: content-type: application/json" in text
    assert "body 23 bytes b'{\"detail\": \"Not Found\"}'" in text


def test_header_values_and_bodies_can_be_rendered_by_the_caller(backend):
    response = TestClient(not_found, backend=backend).get("/", headers={"Authorization": "Bearer s3cret"})
    text = response.asgi_trace.format(
        header=lambda name, value: "*****" if name == "authorization" else value,
        body=lambda data, size: f"<{size} hidden>",
    )
    assert "authorization: *****" in text and "s3cret" not in text
    assert "body 23 bytes <23 hidden>" in text


def test_a_trace_is_bounded(backend):
    async def chatty(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(MAX_EVENTS + 50):
            await send({"type": "http.response.body", "body": b"x" * 10_000, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    response = TestClient(chatty, backend=backend).get("/")
    trace = response.asgi_trace
    assert len(response.content) == (MAX_EVENTS + 50) * 10_000
    assert len(trace.events) == MAX_EVENTS + 1  # the scope, then the last messages
    assert trace.dropped == 53  # the request, the start, the first body messages
    assert trace.events[-1].direction == "end"
    body = trace.events[-3].details
    assert body["size"] == 10_000 and len(body["body"]) == BODY_BYTES
    assert "(53 earlier messages left out)" in trace.format()
    assert f"... ({10_000 - BODY_BYTES} more bytes)" in trace.format()


def test_a_timeout_carries_the_trace(backend):
    async def stalls(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        await anyio.sleep(30)

    with pytest.raises(ASGITimeout) as timed_out:
        TestClient(stalls, backend=backend).get("/", timeout=0.3)
    text = timed_out.value.asgi_trace.format()
    assert "http.response.body more_body=True body 7 bytes b'partial'" in text
    assert text.rstrip().endswith("the app was cancelled (a timeout, or the client went away)")


def test_the_apps_own_exception_carries_the_trace(backend):
    class Boom(Exception):
        pass

    async def raises(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await receive()
        raise Boom("database is down")

    with pytest.raises(Boom) as raised:
        TestClient(raises, backend=backend).get("/")
    assert raised.value.asgi_trace.ending == "the app raised Boom: database is down"


def test_a_protocol_violation_carries_the_trace(backend):
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.body", "body": b"too early"})

    with pytest.raises(ASGIProtocolError) as violation:
        TestClient(broken, backend=backend).get("/")
    trace = violation.value.asgi_trace
    assert [event.type for event in trace.events[1:]][0] == "http.response.body"
    assert trace.ending.startswith("the app broke the ASGI protocol: ASGI protocol violation: http.response.body sent before")


def test_a_streamed_response_trace_grows_as_the_app_sends(backend):
    async def stream(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for part in (b"one", b"two"):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    with TestClient(stream, backend=backend) as client:
        response = client.get("/", stream=True)
        assert response.content == b"onetwo"
    assert [event.details.get("body") for event in response.asgi_trace.events if event.type == "http.response.body"] == [
        b"one", b"two", b""
    ]


def test_a_connection_cut_off_carries_the_trace(backend):
    async def forever(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        await anyio.sleep(30)

    client = TestClient(forever, backend=backend)
    client.open()
    response = client.get("/", stream=True)
    next(response.iter_content(None))
    client.close()
    with pytest.raises(requests.ConnectionError) as cut:
        assert response.content is None  # not reached: reading the body raises
    assert cut.value.asgi_trace.events[-1].direction == "end"


def test_a_websocket_session_has_a_trace(backend):
    async def echo(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        await send({"type": "websocket.accept", "subprotocol": "chat"})
        message = await receive()
        await send({"type": "websocket.send", "text": message["text"].upper()})
        await send({"type": "websocket.close", "code": 4000, "reason": "done"})

    client = TestClient(echo, backend=backend)
    session = client.websocket_connect("/ws", subprotocols=["chat"])
    assert session.asgi_trace is None
    with session:
        session.send_text("hi")
        assert session.receive_text() == "HI"
    steps = [(event.direction, event.type) for event in session.asgi_trace.events]
    assert steps[:5] == [
        ("scope", "websocket"),
        ("receive", "websocket.connect"),
        ("send", "websocket.accept"),
        ("receive", "websocket.receive"),
        ("send", "websocket.send"),
    ]
    assert session.asgi_trace.events[0].details["subprotocols"] == ["chat"]
    assert "websocket.close code=4000 reason='done'" in session.asgi_trace.format()


def test_a_client_may_record_no_trace(backend):
    class Boom(Exception):
        pass

    async def raises(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        raise Boom("no trace")

    client = TestClient(not_found, backend=backend, trace=False)
    assert client.get("/").asgi_trace is None
    with pytest.raises(Boom) as raised:
        TestClient(raises, backend=backend, trace=False).get("/")
    assert not hasattr(raised.value, "asgi_trace")
