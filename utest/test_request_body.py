"""Request bodies reach the app as ASGI ``http.request`` messages (contract: "Request bodies").

- bytes / str -> one message; generators and file objects -> several messages
  (more_body True ... False), read lazily and never held whole;
- after the body, ``receive()`` waits until the response is complete and then
  returns ``http.disconnect``.
"""
from __future__ import annotations

import hashlib
import os
import time

import anyio
import pytest
import urllib3
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from RobotASGI.testclient import TestClient

TIMEOUT = 10  # generous bound so that no test can hang


def make_client(app, backend, **kwargs):
    return TestClient(app, backend=backend, timeout=TIMEOUT, **kwargs)


class BodyRecorder:
    """Plain ASGI 3 app: records every message receive() returns until the body is complete."""

    def __init__(self, on_message=None):
        self.messages: list[dict] = []
        self.on_message = on_message

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return  # no lifespan support
        while True:
            message = await receive()
            self.messages.append(message)
            if self.on_message is not None:
                self.on_message(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages)

    def assert_well_formed_stream(self):
        """All messages are http.request, more_body True on all but the last, False on the last."""
        assert [m["type"] for m in self.messages] == ["http.request"] * len(self.messages)
        assert all(isinstance(m.get("body", b""), bytes) for m in self.messages)
        assert [m.get("more_body", False) for m in self.messages[:-1]] == [True] * (len(self.messages) - 1)
        assert self.messages[-1].get("more_body", False) is False


# --------------------------------------------------------------------------- small bodies


@pytest.mark.parametrize(("method", "data", "body"), [
    pytest.param("POST", b"hello bytes", b"hello bytes", id="bytes-body-is-one-message"),
    pytest.param("GET", None, b"", id="empty-body-is-one-message-with-empty-bytes"),
    pytest.param("POST", b"", b"", id="empty-bytes-post-is-one-message-with-empty-bytes"),
])
def test_small_body_is_one_message(backend, method, data, body):
    app = BodyRecorder()
    response = make_client(app, backend).request(method, "/", data=data)
    assert response.status_code == 200
    (message,) = app.messages
    assert message["type"] == "http.request"
    assert message["body"] == body
    assert message.get("more_body", False) is False


def test_ascii_str_body_arrives_as_bytes(backend):
    app = BodyRecorder()
    make_client(app, backend).post("/", data="hello text")
    app.assert_well_formed_stream()
    assert app.body == b"hello text"


@pytest.mark.skipif(urllib3.__version__.startswith("1."), reason="urllib3 1.x sends str bodies as latin-1")
def test_non_ascii_str_body_is_utf8_and_matches_content_length(backend):
    # requests + urllib3 2.x encode str bodies as UTF-8 and compute Content-Length from that.
    headers_seen = {}

    async def app(scope, receive, send):
        headers_seen.update({k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]})
        await BodyRecorder.__call__(recorder, scope, receive, send)

    recorder = BodyRecorder()
    make_client(app, backend).post("/", data="h\u00e9llo \u20ac")
    recorder.assert_well_formed_stream()
    assert recorder.body == "h\u00e9llo \u20ac".encode("utf-8")
    assert headers_seen["content-length"] == str(len(recorder.body))


@pytest.mark.skipif(not urllib3.__version__.startswith("1."), reason="urllib3 2.x sends str bodies as UTF-8")
def test_str_body_is_latin1_with_urllib3_1(backend):
    # requests + urllib3 1.x hand str bodies to http.client, which sends latin-1
    # and refuses other text; the engine does the same, with a clear message.
    recorder = BodyRecorder()
    make_client(recorder, backend).post("/", data="h\u00e9llo")
    assert recorder.body == "h\u00e9llo".encode("latin-1")
    with pytest.raises(ValueError, match="not latin-1 text"):
        make_client(recorder, backend).post("/", data="price: \u20ac")


def test_json_body_arrives_whole(backend):
    app = BodyRecorder()
    make_client(app, backend).post("/", json={"a": [1, 2, 3]})
    app.assert_well_formed_stream()
    assert app.body == b'{"a": [1, 2, 3]}'


# --------------------------------------------------------------------------- streamed bodies


def test_generator_body_arrives_as_several_messages(backend):
    chunks = [f"chunk-{i:03d};".encode() * 20 for i in range(50)]
    app = BodyRecorder()
    response = make_client(app, backend).post("/", data=(c for c in chunks))
    assert response.status_code == 200
    app.assert_well_formed_stream()
    assert len(app.messages) >= 2
    assert app.body == b"".join(chunks)


def test_list_iterator_body_arrives_as_several_messages(backend):
    chunks = [b"a" * 100, b"b" * 100, b"c" * 100]
    app = BodyRecorder()
    make_client(app, backend).post("/", data=iter(chunks))
    app.assert_well_formed_stream()
    assert len(app.messages) >= 2
    assert app.body == b"".join(chunks)


def test_generator_of_str_chunks_arrives_as_bytes(backend):
    app = BodyRecorder()
    make_client(app, backend).post("/", data=(s for s in ["abc", "def", "ghi"]))
    app.assert_well_formed_stream()
    assert app.body == b"abcdefghi"


def test_empty_generator_body_ends_with_more_body_false(backend):
    app = BodyRecorder()
    make_client(app, backend).post("/", data=(c for c in []))
    app.assert_well_formed_stream()
    assert app.body == b""


def test_file_body_arrives_as_several_messages(backend, tmp_path):
    payload = os.urandom(4 * 1024 * 1024)
    path = tmp_path / "upload.bin"
    path.write_bytes(payload)
    app = BodyRecorder()
    with open(path, "rb") as f:
        response = make_client(app, backend).post("/", data=f)
    assert response.status_code == 200
    app.assert_well_formed_stream()
    assert len([m for m in app.messages if m.get("body")]) >= 2
    assert app.body == payload


def test_large_generator_upload_is_consumed_lazily(backend):
    """64 MB upload: the generator must not run far ahead of what the app has received."""
    chunk_size = 1024 * 1024
    n_chunks = 64
    chunk = b"x" * chunk_size
    yielded = [0]

    def generate():
        for _ in range(n_chunks):
            yielded[0] += 1
            yield chunk

    # (bytes received by the app so far, chunks yielded by the generator at that moment)
    progress: list[tuple[int, int]] = []
    received = [0]

    async def app(scope, receive, send):
        while True:
            message = await receive()
            received[0] += len(message.get("body", b""))
            progress.append((received[0], yielded[0]))
            if not message.get("more_body", False):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(received[0]).encode()})

    response = make_client(app, backend).post("/", data=generate())
    assert response.status_code == 200
    assert response.content == str(n_chunks * chunk_size).encode()
    assert yielded[0] == n_chunks
    assert len(progress) >= 16, "a 64 MB body must reach the app in many messages"
    # How far the generator was ahead of the app at each message: bounded by a few chunks,
    # i.e. production and consumption interleave and the body is never held whole.
    max_ahead = max(y * chunk_size - r for r, y in progress)
    assert max_ahead <= 8 * chunk_size, f"generator ran {max_ahead} bytes ahead of the app"
    # The first message arrived while most of the generator was still unconsumed.
    assert progress[0][1] <= 8


def test_receive_cancelled_by_app_timeout_loses_no_body_chunk(backend):
    """An app reading the body with a short timeout around receive() still sees every byte."""

    def slow_generator():
        for piece in (b"alpha-", b"beta-", b"gamma"):
            time.sleep(0.15)
            yield piece

    seen: list = []

    async def app(scope, receive, send):
        done = False
        with anyio.fail_after(5):
            while not done:
                with anyio.move_on_after(0.03):
                    message = await receive()
                    seen.append(message)
                    done = not message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"".join(m["body"] for m in seen)})

    response = make_client(app, backend).post("/", data=slow_generator())
    assert response.content == b"alpha-beta-gamma"
    assert seen[-1].get("more_body", False) is False


# --------------------------------------------------------------------------- disconnect after body


def test_receive_after_body_returns_disconnect_only_after_response_complete(backend):
    events: list = []

    async def app(scope, receive, send):
        while True:
            message = await receive()
            if not message.get("more_body", False):
                break

        async def watch_receive():
            msg = await receive()
            events.append(("received", msg["type"]))

        await send({"type": "http.response.start", "status": 200, "headers": []})
        async with anyio.create_task_group() as tg:
            tg.start_soon(watch_receive)
            await send({"type": "http.response.body", "body": b"part1", "more_body": True})
            await anyio.sleep(0.3)
            events.append("final-body-sending")
            await send({"type": "http.response.body", "body": b"part2", "more_body": False})
            events.append("final-body-sent")
            # The watcher must be woken by the completed response; bound the wait.
            with anyio.fail_after(5):
                while not any(isinstance(e, tuple) for e in events):
                    await anyio.sleep(0.01)

    response = make_client(app, backend).post("/", data=b"payload")
    assert response.content == b"part1part2"
    assert ("received", "http.disconnect") in events
    assert events.index(("received", "http.disconnect")) > events.index("final-body-sending")


def test_receive_after_body_waits_while_response_is_incomplete(backend):
    """While the response is still open, a receive() after the body must not return."""
    results: dict = {}

    async def app(scope, receive, send):
        await receive()  # the (empty) body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        with anyio.move_on_after(0.3) as scope_:
            results["early"] = await receive()
        results["waited"] = scope_.cancel_called
        await send({"type": "http.response.body", "body": b"done"})
        with anyio.fail_after(5):
            results["after"] = await receive()

    response = make_client(app, backend).get("/")
    assert response.content == b"done"
    assert "early" not in results
    assert results["waited"] is True
    assert results["after"]["type"] == "http.disconnect"


def test_receive_after_streamed_body_returns_disconnect(backend):
    messages: list = []

    async def app(scope, receive, send):
        while True:
            message = await receive()
            messages.append(message)
            if not message.get("more_body", False):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        with anyio.fail_after(5):
            messages.append(await receive())

    make_client(app, backend).post("/", data=(c for c in [b"a", b"b", b"c"]))
    assert messages[-1]["type"] == "http.disconnect"
    assert b"".join(m.get("body", b"") for m in messages[:-1]) == b"abc"


def test_streamed_body_inside_with_block(backend):
    app = BodyRecorder()
    chunks = [bytes([65 + i]) * 1000 for i in range(20)]
    with make_client(app, backend) as client:
        client.post("/", data=(c for c in chunks))
        first = list(app.messages)
        app.messages.clear()
        client.post("/", data=(c for c in chunks))
    for messages in (first, app.messages):
        assert len(messages) >= 2
        assert b"".join(m["body"] for m in messages) == b"".join(chunks)
        assert messages[-1].get("more_body", False) is False


# --------------------------------------------------------------------------- frameworks


def _upload_chunks():
    return [bytes([i % 256]) * 4096 for i in range(50)]


def test_starlette_request_stream_with_generator_upload(backend):
    chunks = _upload_chunks()
    expected = b"".join(chunks)

    async def endpoint(request: Request):
        digest = hashlib.sha256()
        total = 0
        pieces = 0
        async for piece in request.stream():
            if piece:
                pieces += 1
            digest.update(piece)
            total += len(piece)
        return JSONResponse({"total": total, "pieces": pieces, "sha": digest.hexdigest()})

    app = Starlette(routes=[Route("/upload", endpoint, methods=["POST"])])
    response = make_client(app, backend).post("/upload", data=(c for c in chunks))
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == len(expected)
    assert data["sha"] == hashlib.sha256(expected).hexdigest()
    assert data["pieces"] >= 2


def test_fastapi_request_body_with_generator_upload(backend):
    chunks = _upload_chunks()
    expected = b"".join(chunks)
    app = FastAPI()

    @app.post("/upload")
    async def upload(request: Request):
        body = await request.body()
        return {"len": len(body), "sha": hashlib.sha256(body).hexdigest()}

    response = make_client(app, backend).post("/upload", data=(c for c in chunks))
    assert response.status_code == 200
    assert response.json() == {"len": len(expected), "sha": hashlib.sha256(expected).hexdigest()}


def test_fastapi_request_body_with_file_upload(backend, tmp_path):
    payload = os.urandom(300_000)
    path = tmp_path / "f.bin"
    path.write_bytes(payload)
    app = FastAPI()

    @app.put("/upload")
    async def upload(request: Request):
        body = await request.body()
        return {"len": len(body), "sha": hashlib.sha256(body).hexdigest()}

    with open(path, "rb") as f:
        response = make_client(app, backend).put("/upload", data=f)
    assert response.json() == {"len": len(payload), "sha": hashlib.sha256(payload).hexdigest()}


def test_generator_exception_propagates_from_the_call(backend):
    """A body generator that raises: like with a real server, its error surfaces from the call."""

    class Boom(Exception):
        pass

    def generate():
        yield b"first"
        raise Boom("generator failed")

    app = BodyRecorder()
    start = time.monotonic()
    with pytest.raises(Boom):
        make_client(app, backend).post("/", data=generate())
    assert time.monotonic() - start < 5
