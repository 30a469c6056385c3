"""Iterable and file request bodies: read ahead of the app by a bounded window.

The producer (the caller's thread, or a feeder thread for a streamed request)
reads the body; the app's ``receive()`` takes chunks from the window on the
loop. What must hold whatever the speed of either side: every chunk arrives
once, in order; memory stays within the window; user code never runs on the
app's loop; the body stops when the app stops reading.
"""
from __future__ import annotations

import threading
import time
import tracemalloc
from typing import Any, Iterator, List

import anyio
import pytest
import requests

from RobotASGI.testclient import ASGITimeout, TestClient
from RobotASGI.testclient.body import WINDOW

CHUNK = 64 * 1024


def numbered(count: int, size: int = CHUNK, pause: float = 0.0) -> Iterator[bytes]:
    """Distinct chunks, each starting with its number."""
    for number in range(count):
        if pause:
            time.sleep(pause)
        yield number.to_bytes(4, "big") + bytes(size - 4)


class Reader:
    """Reads the body chunk by chunk (sleeping ``pause`` per chunk, stopping
    after ``stop_after`` chunks) and answers with the chunk numbers it saw."""

    def __init__(self, pause: float = 0.0, stop_after: int = -1) -> None:
        self.pause = pause
        self.stop_after = stop_after
        self.numbers: List[int] = []
        self.messages: List[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        pending = b""
        while True:
            message = await receive()
            self.messages.append(message["type"])
            if message["type"] == "http.disconnect":
                return
            pending += message.get("body", b"")
            while len(pending) >= CHUNK:
                self.numbers.append(int.from_bytes(pending[:4], "big"))
                pending = pending[CHUNK:]
            if self.pause:
                await anyio.sleep(self.pause)
            if not message.get("more_body") or len(self.numbers) == self.stop_after:
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(len(self.numbers)).encode()})


@pytest.mark.parametrize("producer_pause, reader_pause", [(0, 0), (0.002, 0), (0, 0.002)])
def test_every_chunk_arrives_once_in_order(backend, producer_pause, reader_pause):
    app = Reader(pause=reader_pause)
    with TestClient(app, backend=backend) as client:
        response = client.post("/", data=numbered(100, pause=producer_pause))
    assert response.text == "100"
    assert app.numbers == list(range(100))


def test_outside_with_and_streamed(backend):
    app = Reader()
    assert TestClient(app, backend=backend).post("/", data=numbered(40)).text == "40"
    assert app.numbers == list(range(40))
    app = Reader()
    with TestClient(app, backend=backend) as client:
        response = client.post("/", data=numbered(40), stream=True)  # read by a feeder thread
        assert response.content == b"40"
    assert app.numbers == list(range(40))


def test_memory_stays_within_the_window(backend):
    # 64 MiB of distinct chunks to an app that reads slower than the producer.
    count = (64 << 20) // CHUNK
    app = Reader()
    with TestClient(app, backend=backend) as client:
        client.post("/", data=numbered(8))  # warm up
        app.numbers.clear()
        tracemalloc.start()
        try:
            response = client.post("/", data=numbered(count))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert response.text == str(count)
    assert peak < WINDOW + 2 * (1 << 20), f"peak {peak / (1 << 20):.1f} MiB for a {WINDOW >> 20} MiB window"


def test_an_app_that_stops_reading_stops_the_producer(backend):
    taken: List[int] = []

    def body() -> Iterator[bytes]:
        for number, chunk in enumerate(numbered(10_000)):
            taken.append(number)
            yield chunk

    app = Reader(stop_after=3)
    with TestClient(app, backend=backend) as client:
        assert client.post("/", data=body()).text == "3"
    assert app.numbers == [0, 1, 2]
    # the producer ran ahead by at most a window, and stopped
    assert len(taken) <= WINDOW // CHUNK + 4
    count = len(taken)
    time.sleep(0.1)
    assert len(taken) == count


def test_a_slow_generator_never_stalls_the_loop(backend):
    # While one request's generator blocks, another request on the same
    # client (and loop) is answered at once.
    release = threading.Event()

    def blocking_body() -> Iterator[bytes]:
        yield b"first"
        release.wait(10)
        yield b"second"

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    with TestClient(app, backend=backend) as client:
        outcome: List[Any] = []
        thread = threading.Thread(target=lambda: outcome.append(client.post("/", data=blocking_body())))
        thread.start()
        time.sleep(0.1)
        started = time.monotonic()
        assert client.get("/").status_code == 200
        assert time.monotonic() - started < 1
        release.set()
        thread.join(10)
    assert outcome[0].content == b"firstsecond"


def test_a_generator_that_raises_fails_the_request_and_disconnects_the_app(backend):
    class Broken(Exception):
        pass

    def body() -> Iterator[bytes]:
        yield b"part"
        raise Broken("the upload source failed")

    app = Reader()
    with TestClient(app, backend=backend) as client:
        with pytest.raises(Broken, match="the upload source failed"):
            client.post("/", data=body())
        for _ in range(100):
            if "http.disconnect" in app.messages:
                break
            time.sleep(0.01)
    assert app.messages[-1] == "http.disconnect"


def test_an_upload_the_app_never_reads_times_out(backend):
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await anyio.sleep(30)

    with TestClient(app, backend=backend) as client:
        started = time.monotonic()
        with pytest.raises(ASGITimeout):
            client.post("/", data=numbered(1000), timeout=0.5)
        assert time.monotonic() - started < 3
        with pytest.raises(requests.Timeout):
            client.post("/", data=numbered(1000), timeout=0.2)
