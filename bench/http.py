"""HTTP benchmark of RobotASGI's TestClient against Starlette's test clients, httpx's
ASGITransport, a real uvicorn server and two floors.

Run from the repository root::

    python -m bench.http [--quick] [--rounds N] [--scenario {all,get,trace,post,upload,memory}] [--only TEXT]

Everything but the uvicorn rows runs in-process (no sockets); uvicorn serves the same app on
127.0.0.1 from a subprocess. See bench/README.rst.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack
from typing import Any

import anyio
import httpx
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from bench._common import (
    DIRECT,
    HTTPX_ASGI,
    OLD_STARLETTE,
    ROBOT,
    ROBOT_IMPORT_ERROR,
    ROOT,
    STARLETTE,
    UVICORN_HTTP,
    Message,
    OldStarletteClient,
    Receive,
    RobotClient,
    Scope,
    Send,
    StarletteClient,
    add_common_arguments,
    available_clients,
    complete_lifespan,
    interleaved_rounds,
    medians,
    per_op_us,
    per_op_us_async,
    print_table,
    ratio,
    start,
    uvicorn_server,
    verdict,
)

STARLETTE_NO_WITH = "Starlette TestClient (no with)"
FLOOR_ENV = "requests floor (trust_env=True)"
FLOOR = "requests floor (trust_env=False)"
CLIENTS = [ROBOT, STARLETTE, STARLETTE_NO_WITH, OLD_STARLETTE, HTTPX_ASGI, UVICORN_HTTP, DIRECT, FLOOR_ENV, FLOOR]
MEMORY_CLIENTS = [ROBOT, STARLETTE, OLD_STARLETTE, HTTPX_ASGI, UVICORN_HTTP, DIRECT]
APP = "bench.http:app"  # what uvicorn serves: the same app object the in-process clients call

TINY = b"ok"
CHUNK = b"x" * 65536  # the one preallocated 64 KiB chunk yielded by the uploader
MB = 1024 * 1024
BIG = 64 * MB
PAYLOAD = {"items": [{"id": i, "name": f"item-{i:03d}", "tags": ["a", "b"]} for i in range(22)]}
ROBOT_TARGET_RATIO = 0.35
ROBOT_TARGET_FLOOR_RATIO = 2.5  # unpinned: the two threads of a request may run on two CPUs
ROBOT_TARGET_PINNED_RATIO = 1.8  # the whole process pinned to one CPU (taskset -c 0)
PINNED_CLIENTS = [ROBOT, HTTPX_ASGI, FLOOR]
ROBOT_TARGET_MB = 8.0
ROBOT_TARGET_WHOLE = 1.2  # peak RSS increase reading a body whole, as a multiple of the body
ROBOT_TARGET_UPLOAD = 1.5  # generator upload time, as a multiple of starlette-testclient's
UPLOAD_CLIENTS = [ROBOT, OLD_STARLETTE, STARLETTE, HTTPX_ASGI, UVICORN_HTTP, DIRECT]
UPLOAD_SIZES = (16 * MB, 64 * MB)

Request = Callable[[], Any]


# --------------------------------------------------------------------------- the ASGI app


async def _respond(send: Send, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Plain ASGI 3 app: / tiny text, /echo echoes the body, /upload discards it, /big?n=N streams N bytes."""
    if scope["type"] == "lifespan":
        await complete_lifespan(receive, send)
        return
    path = scope["path"]
    if path in ("/echo", "/upload"):
        chunks: list[bytes] = []
        received = 0
        more_body = True
        while more_body:
            message = await receive()
            body = message.get("body", b"")
            received += len(body)
            if path == "/echo":
                chunks.append(body)
            more_body = message.get("more_body", False)
        if path == "/echo":
            await _respond(send, b"".join(chunks), b"application/json")
        else:
            await _respond(send, str(received).encode(), b"text/plain")
    elif path == "/big":
        size = int(scope["query_string"].decode().partition("=")[2])
        headers = [(b"content-type", b"application/octet-stream"), (b"content-length", str(size).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for _ in range(size // len(CHUNK)):  # a new object per chunk, so that holding chunks costs memory
            await send({"type": "http.response.body", "body": b"x" * len(CHUNK), "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    else:
        await _respond(send, TINY, b"text/plain")


# --------------------------------------------------------------------------- clients


class CannedAdapter(BaseAdapter):
    """Transport adapter answering without any I/O: measures the cost of requests itself."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        body = request.body if isinstance(request.body, bytes) else TINY
        response = requests.Response()
        response.status_code = 200
        response.reason = "OK"
        response.headers = CaseInsensitiveDict(
            {"content-type": "application/json" if request.body else "text/plain", "content-length": str(len(body))}
        )
        response.raw = io.BytesIO(body)
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        response.connection = self  # type: ignore[assignment]
        return response

    def close(self) -> None:
        pass


def open_client(name: str, stack: ExitStack) -> tuple[Any, str]:
    """Open synchronous client `name` inside `stack`; return it and the URL prefix its requests need.

    The async rows (httpx's AsyncClient, the direct call) open theirs inside each event loop."""
    if name == ROBOT:
        if RobotClient is None:
            raise RuntimeError(f"RobotASGI.testclient is not importable: {ROBOT_IMPORT_ERROR}")
        return stack.enter_context(RobotClient(app)), ""
    if name == STARLETTE:
        return stack.enter_context(StarletteClient(app)), ""
    if name == STARLETTE_NO_WITH:
        client = StarletteClient(app)
        stack.callback(client.close)
        return client, ""
    if name == OLD_STARLETTE:
        return stack.enter_context(OldStarletteClient(app)), ""
    if name == UVICORN_HTTP:
        server = stack.enter_context(uvicorn_server(APP))
        return stack.enter_context(requests.Session()), server.url  # a default session, as RequestsLibrary's
    if name in (FLOOR, FLOOR_ENV):
        session = stack.enter_context(requests.Session())
        session.trust_env = name == FLOOR_ENV
        session.mount("http://", CannedAdapter())
        return session, "http://testserver"
    raise ValueError(f"{name} has no synchronous client")


def httpx_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


class DirectResponse:
    """What the direct call keeps of a response: enough for the checks."""

    __slots__ = ("content", "status_code")

    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code = status_code
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode()

    def json(self) -> Any:
        return json.loads(self.content)


def http_scope(method: str, path: str, query: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver"), *(headers or [])],
        "client": ("testclient", 50000),
        "server": ("testserver", 80),
    }


async def direct_request(method: str, path: str, body: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None) -> DirectResponse:
    """The floor: build the scope, call the app coroutine, collect what it sends. No client at all."""
    request_sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal request_sent
        if request_sent:
            return {"type": "http.disconnect"}
        request_sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        else:
            chunks.append(message.get("body", b""))

    await app(http_scope(method, path, headers=headers), receive, send)
    return DirectResponse(status, b"".join(chunks))


# --------------------------------------------------------------------------- timing scenarios


def get_tiny(client: Any, prefix: str) -> Request:
    def request() -> Any:
        return client.get(prefix + "/")

    return request


def check_get_tiny(response: Any) -> None:
    assert response.status_code == 200 and response.content == TINY, (response.status_code, response.content[:100])


def post_echo(client: Any, prefix: str) -> Request:
    def request() -> Any:
        return client.post(prefix + "/echo", json=PAYLOAD)

    return request


def check_post_echo(response: Any) -> None:
    assert response.status_code == 200 and response.json() == PAYLOAD, (response.status_code, response.content[:100])


JSON_HEADERS = [(b"content-type", b"application/json")]


def direct_get_tiny() -> Awaitable[DirectResponse]:
    return direct_request("GET", "/")


def direct_post_echo() -> Awaitable[DirectResponse]:
    body = json.dumps(PAYLOAD).encode()  # the encoding every client does
    return direct_request("POST", "/echo", body, [*JSON_HEADERS, (b"content-length", str(len(body)).encode())])


SCENARIOS: dict[str, tuple[Callable[[Any, str], Request], Callable[[], Awaitable[DirectResponse]], Callable[[Any], None]]] = {
    "get": (get_tiny, direct_get_tiny, check_get_tiny),
    "post": (post_echo, direct_post_echo, check_post_echo),
}


async def httpx_block(scenario: str, count: int) -> float:
    """One round of httpx's AsyncClient over ASGITransport: the client is opened in this event
    loop (anyio.run per round), checked once, then `count` awaited requests are timed."""
    make_request, _, check = SCENARIOS[scenario]
    async with httpx_client() as client:
        request = make_request(client, "")
        check(await request())
        return await per_op_us_async(request, count)


async def direct_block(scenario: str, count: int) -> float:
    """One round of the direct-call floor: `count` app calls inside this one event loop."""
    _, request, check = SCENARIOS[scenario]
    check(await request())
    return await per_op_us_async(request, count)


def make_measure(name: str, scenario: str, stack: ExitStack) -> Callable[[int], float]:
    """Open client `name` (once, inside `stack`), check one response; return a function timing
    `n` sequential requests in microseconds per request."""
    if name == HTTPX_ASGI:
        return lambda n: anyio.run(httpx_block, scenario, n)
    if name == DIRECT:
        return lambda n: anyio.run(direct_block, scenario, n)
    make_request, _, check = SCENARIOS[scenario]
    request = make_request(*open_client(name, stack))
    check(request())
    return lambda n: per_op_us(request, n)


def run_timing(title: str, scenario: str, names: list[str], rounds: int, count: int, pinned: bool = False) -> None:
    """Interleaved rounds (A B C A B C ...) of `count` sequential requests per client; median per client.
    `pinned`: this process runs on one CPU (see run_pinned)."""
    with ExitStack() as stack:
        measures: dict[str, Callable[[], float]] = {}
        for name in names:
            measure = make_measure(name, scenario, stack)
            measure(max(20, count // 10))  # warm-up
            # a fresh event loop + thread per request is slow: fewer requests keep the round short
            n = max(10, count // 10) if name == STARLETTE_NO_WITH else count
            measures[name] = lambda measure=measure, n=n: measure(n)  # type: ignore[misc]
        samples = interleaved_rounds(measures, rounds)
    median = medians(samples)
    reference, floor = median.get(STARLETTE), median.get(FLOOR)
    rows = [
        [
            name,
            f"{median[name]:.1f}",
            f"{min(samples[name]):.1f}-{max(samples[name]):.1f}",
            ratio(median[name], reference),
            ratio(median[name], floor),
        ]
        for name in names
    ]
    print_table(
        f"{title}: {rounds} interleaved rounds of {count} requests (no-with client: {max(10, count // 10)})",
        ["client", "us/request (median)", "range over rounds", f"vs {STARLETTE}", f"vs {FLOOR}"],
        rows,
    )
    if scenario != "get" or ROBOT not in median:
        return
    if reference:
        value = median[ROBOT] / reference
        target = f"GET: {ROBOT} <= {ROBOT_TARGET_RATIO}x {STARLETTE}"
        print(verdict(target, value, ROBOT_TARGET_RATIO, "x", key="get_vs_starlette"))
    if floor:
        value = median[ROBOT] / floor
        limit = ROBOT_TARGET_PINNED_RATIO if pinned else ROBOT_TARGET_FLOOR_RATIO
        where = "pinned to one CPU" if pinned else "unpinned"
        target = f"GET {where}: {ROBOT} <= {limit}x {FLOOR}"
        print(verdict(target, value, limit, "x", key="get_vs_floor_pinned" if pinned else "get_vs_floor"))


def run_pinned(only: str, rounds: int, quick: bool) -> None:
    """The GET timing again in a child process pinned to one CPU, as `taskset -c 0` pins a
    whole robot run: the request's two threads then hand over on one CPU, with no cross-CPU
    wake-up. Its tables and target line are printed here."""
    command = [sys.executable, "-m", "bench.http", "--pinned-child", "--rounds", str(rounds), "--only", only]
    if quick:
        command.append("--quick")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    print(done.stdout.rstrip())
    if done.returncode:
        print(f"(pinned run failed: {(done.stderr or '').strip().splitlines()[-1:]})")
        return
    for line in done.stdout.splitlines():  # record the child's target in this process's summary
        match = re.match(r"TARGET GET pinned to one CPU: .* ([\d.]+)x -> ", line)
        if match:
            verdict(f"GET pinned to one CPU: {ROBOT} <= {ROBOT_TARGET_PINNED_RATIO}x {FLOOR}", float(match.group(1)),
                    ROBOT_TARGET_PINNED_RATIO, "x", key="get_vs_floor_pinned")


# --------------------------------------------------------------------------- ASGI trace cost

TRACE_ON = f"{ROBOT}, ASGI trace on (default)"
TRACE_OFF = f"{ROBOT}, trace=False"
ROBOT_TARGET_TRACE_PERCENT = 5.0


def run_trace_cost(rounds: int, count: int) -> None:
    """GET tiny on two RobotASGI clients of the same kind in one run, one recording the ASGI
    trace (the default) and one not (``TestClient(app, trace=False)``): what recording costs
    per request. A few percent is far less than the noise between rounds on a shared machine,
    so the clients are compared in many short pairs of blocks - measured back to back, which
    of the two goes first alternating - and the cost is the median of the pairs' differences,
    which slow drifts of the machine do not move."""
    if RobotClient is None:
        return
    pairs, block = rounds * 8, max(50, count // 4)
    with ExitStack() as stack:
        requests_by_name: dict[str, Callable[[], Any]] = {}
        for name, trace in ((TRACE_ON, True), (TRACE_OFF, False)):
            client = stack.enter_context(RobotClient(app, trace=trace))
            request = get_tiny(client, "")
            response = request()
            check_get_tiny(response)
            if (response.asgi_trace is not None) is not trace:
                raise RuntimeError(f"{name}: asgi_trace is {response.asgi_trace!r}")
            per_op_us(request, max(20, count // 10))  # warm-up
            requests_by_name[name] = request
        samples: dict[str, list[float]] = {TRACE_ON: [], TRACE_OFF: []}
        for pair in range(pairs):
            order = (TRACE_ON, TRACE_OFF) if pair % 2 == 0 else (TRACE_OFF, TRACE_ON)
            for name in order:
                samples[name].append(per_op_us(requests_by_name[name], block))
        rendered = _render_cost(stack)
    recording = _recording_cost()
    median = medians(samples)
    paired = [(on - off) / off * 100 for on, off in zip(samples[TRACE_ON], samples[TRACE_OFF])]
    cost = statistics.median(paired)
    rows = [
        [name, f"{median[name]:.1f}", f"{min(samples[name]):.1f}-{max(samples[name]):.1f}", ratio(median[name], median[TRACE_OFF])]
        for name in (TRACE_ON, TRACE_OFF)
    ]
    print_table(
        f"GET tiny, ASGI trace on/off: {pairs} pairs of blocks of {block} requests, alternating which goes first",
        ["client", "us/request (median)", "range over blocks", "vs trace=False"],
        rows,
    )
    print(
        f"Recording the trace, end to end: {cost:+.1f}% per GET (median of the pairs' differences; quartiles "
        f"{_quartiles(paired)}), {median[TRACE_ON] - median[TRACE_OFF]:+.1f} us by the medians."
    )
    print(
        f"Recording alone (the engine's trace calls for one GET, in a loop): {recording:.2f} us, "
        f"{recording / median[TRACE_OFF] * 100:.1f}% of a GET without the trace."
    )
    if rendered is not None:
        print(f"Rendering one GET's trace for the Robot log, masked (a failing keyword, or trace=always): {rendered:.1f} us.")
    print(verdict(f"GET: the ASGI trace's cost, {TRACE_ON} vs {TRACE_OFF}", cost, ROBOT_TARGET_TRACE_PERCENT, "%", strict=True,
                  key="get_trace_cost"))


def _quartiles(values: list[float]) -> str:
    low, _, high = statistics.quantiles(values, n=4)
    return f"{low:+.1f}% to {high:+.1f}%"


def _recording_cost() -> float:
    """Microseconds of what the engine does for a traced GET that an untraced one skips: a
    trace made for the scope, the request and the two response messages recorded, the end."""
    from RobotASGI.testclient.trace import ASGITrace

    scope = http_scope("GET", "/")
    messages = [
        {"type": "http.request", "body": b"", "more_body": False},
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain"), (b"content-length", b"2")]},
        {"type": "http.response.body", "body": TINY},
    ]

    def one_get() -> None:
        trace = ASGITrace(scope)
        trace.record("receive", messages[0])
        trace.record("send", messages[1])
        trace.record("send", messages[2])
        trace.end("the app returned")

    return per_op_us(one_get, 20000)


def _render_cost(stack: ExitStack) -> float | None:
    """Microseconds to render one GET's trace as the library logs it (masked), or None
    without the keyword layer's dependencies."""
    try:
        from RobotASGI.exchange_log import ExchangeLog, Masker
    except ImportError:
        return None
    client = stack.enter_context(RobotClient(app))
    trace = client.get("/").asgi_trace
    log = ExchangeLog(Masker(), 2000)
    log.trace(trace)
    return per_op_us(lambda: log.trace(trace), 2000)


# --------------------------------------------------------------------------- memory scenario


#: Whether uploads yield a new chunk object each time, as a file or a network source does, so
#: that a client holding chunks costs memory (the memory scenario); else the one preallocated
#: CHUNK (the timing scenario: the cost of the transfer itself).
FRESH_CHUNKS = False


def _chunk() -> bytes:
    return b"x" * len(CHUNK) if FRESH_CHUNKS else CHUNK


def body_chunks(size: int) -> Iterator[bytes]:
    for _ in range(size // len(CHUNK)):
        yield _chunk()


async def async_body_chunks(size: int) -> AsyncIterator[bytes]:
    for _ in range(size // len(CHUNK)):
        yield _chunk()


def transfer(name: str, client: Any, prefix: str, case: str, size: int) -> None:
    """One `case` transfer of `size` bytes with client `name`."""
    if name == HTTPX_ASGI:
        received = anyio.run(httpx_transfer, case, size)
    elif name == DIRECT:
        received = anyio.run(direct_transfer, case, size)
    elif name in (STARLETTE, STARLETTE_NO_WITH):
        received = httpx_sync_transfer(client, case, size)
    else:
        received = requests_transfer(client, prefix, case, size)
    assert received == size, f"{case}: got {received} bytes, expected {size}"


def requests_transfer(client: Any, prefix: str, case: str, size: int) -> int:
    received = 0
    if case == "stream":
        with client.get(f"{prefix}/big?n={size}", stream=True) as response:
            for chunk in response.iter_content(65536):
                received += len(chunk)
    elif case == "upload":
        response = client.post(f"{prefix}/upload", data=body_chunks(size))
        assert response.status_code == 200, response.status_code
        received = int(response.text)
    else:
        response = client.get(f"{prefix}/big?n={size}")
        received = len(response.content)
    return received


def httpx_sync_transfer(client: Any, case: str, size: int) -> int:
    received = 0
    if case == "stream":
        with client.stream("GET", f"/big?n={size}") as response:
            for chunk in response.iter_bytes(65536):
                received += len(chunk)
    elif case == "upload":
        response = client.post("/upload", content=body_chunks(size))
        assert response.status_code == 200, response.status_code
        received = int(response.text)
    else:
        response = client.get(f"/big?n={size}")
        received = len(response.content)
    return received


async def httpx_transfer(case: str, size: int) -> int:
    received = 0
    async with httpx_client() as client:
        if case == "stream":
            async with client.stream("GET", f"/big?n={size}") as response:
                async for chunk in response.aiter_bytes(65536):
                    received += len(chunk)
        elif case == "upload":
            response = await client.post("/upload", content=async_body_chunks(size))
            assert response.status_code == 200, response.status_code
            received = int(response.text)
        else:
            response = await client.get(f"/big?n={size}")
            received = len(response.content)
    return received


async def direct_transfer(case: str, size: int) -> int:
    """The floor: the app called directly; the streamed body is counted and dropped, the
    uploaded one fed chunk by chunk from the generator, the whole one written into one
    bytearray preallocated from content-length (the least a whole read can take)."""
    received = 0
    whole = bytearray()
    chunks = body_chunks(size)

    async def receive() -> Message:
        if case != "upload":
            return {"type": "http.request", "body": b"", "more_body": False}
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: Message) -> None:
        nonlocal received, whole
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message["status"]
            if case == "whole":
                length = dict(message["headers"])[b"content-length"]
                whole = bytearray(int(length))
            return
        body = message.get("body", b"")
        if case == "whole":
            whole[received : received + len(body)] = body
        if case == "upload":
            received = int(body or received)
        else:
            received += len(body)

    if case == "upload":
        await app(http_scope("POST", "/upload", headers=[(b"transfer-encoding", b"chunked")]), receive, send)
    else:
        await app(http_scope("GET", "/big", f"n={size}".encode()), receive, send)
    return received


def vm_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        match = re.search(rf"^{field}:\s+(\d+) kB", status.read(), re.MULTILINE)
    assert match, field
    return int(match.group(1))


def reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def memory_child(name: str, case: str, mode: str) -> None:
    """Entry point of a fresh subprocess: one 64 MB transfer; prints one JSON line.

    Only this process is measured: uvicorn's server runs in a process of its own. Uploaded
    chunks are new objects, as from a file, so a client that holds them pays for it."""
    global FRESH_CHUNKS
    FRESH_CHUNKS = True
    with ExitStack() as stack:
        client, prefix = (None, "") if name in (HTTPX_ASGI, DIRECT) else open_client(name, stack)
        transfer(name, client, prefix, case, MB)  # warm-up: imports, event loop, code paths
        gc.collect()
        result: dict[str, Any] = {}
        if mode == "rss":
            result["reset"] = reset_peak_rss()
            baseline = vm_kb("VmHWM")  # == VmRSS right after a reset; else the high-water mark so far
            start = time.perf_counter()
            transfer(name, client, prefix, case, BIG)
            result["seconds"] = time.perf_counter() - start
            result["rss_mb"] = max(0, vm_kb("VmHWM") - baseline) / 1024
        else:
            tracemalloc.start()
            transfer(name, client, prefix, case, BIG)
            result["traced_mb"] = tracemalloc.get_traced_memory()[1] / MB
            tracemalloc.stop()
    print(json.dumps(result))


def run_memory_child(name: str, case: str, mode: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.http", "--mem-child", name, case, mode]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        return {"error": tail[0] if tail else f"exit status {done.returncode}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_memory(names: list[str], trace: bool = True) -> None:
    cases = {
        "stream": "GET 64 MB, stream=True, iter_content(65536)",
        "upload": "POST 64 MB generator body (64 KiB chunks)",
        "whole": "GET 64 MB, stream=False, .content",
    }
    rows: list[list[str]] = []
    results: dict[tuple[str, str], dict[str, Any]] = {}
    resets: set[bool] = set()
    for case, description in cases.items():
        for name in names:
            result = run_memory_child(name, case, "rss")
            if "error" not in result:
                resets.add(result["reset"])
                if trace:
                    result.update(run_memory_child(name, case, "trace"))
            results[case, name] = result
            if "error" in result:
                rows.append([description, name, "ERROR", result["error"][:60], "", ""])
                continue
            rows.append(
                [
                    description,
                    name,
                    f"{result['rss_mb']:.1f}",
                    f"{result['traced_mb']:.1f}" if "traced_mb" in result else "-",
                    f"{result['rss_mb'] * MB / BIG:.2f}x",
                    f"{result['seconds']:.2f}",
                ]
            )
    method = "VmHWM reset via /proc/self/clear_refs" if resets == {True} else "VmHWM vs the high-water mark before"
    print_table(
        f"Memory, 64 MB body, one fresh subprocess per cell, client process only (peak RSS: {method})",
        ["case", "client", "peak RSS +MB", "tracemalloc peak MB", "RSS / body size", "seconds"],
        rows,
    )
    for case, what in (("stream", "64 MB streamed download"), ("upload", "64 MB generator upload")):
        result = results.get((case, ROBOT), {})
        if "rss_mb" in result:
            target = f"{what}: {ROBOT} peak RSS increase < {ROBOT_TARGET_MB:g} MB"
            print(verdict(target, result["rss_mb"], ROBOT_TARGET_MB, " MB", strict=True, key=f"memory_{case}"))
    result = results.get(("whole", ROBOT), {})
    if "rss_mb" in result:
        target = f"64 MB read whole: {ROBOT} peak RSS increase <= {ROBOT_TARGET_WHOLE:g}x the body"
        print(verdict(target, result["rss_mb"] * MB / BIG, ROBOT_TARGET_WHOLE, "x", key="memory_whole"))


# --------------------------------------------------------------------------- upload timing


def run_upload_timing(names: list[str], rounds: int, quick: bool) -> None:
    """POST a generator body of 64 KiB chunks (16 MiB and 64 MiB): interleaved rounds of a few
    uploads per client, median time per upload, ratios to starlette-testclient (which iterates
    the body on the app's own loop: the fastest a requests-based client can be, at the cost of
    a blocking generator stalling the app)."""
    for size in UPLOAD_SIZES:
        count = 3 if quick else 10
        with ExitStack() as stack:
            measures: dict[str, Callable[[], float]] = {}
            for name in names:
                client, prefix = (None, "") if name in (HTTPX_ASGI, DIRECT) else open_client(name, stack)

                def measure(
                    name: str = name, client: Any = client, prefix: str = prefix, size: int = size, count: int = count
                ) -> float:
                    gc.collect()
                    started = time.perf_counter()
                    for _ in range(count):
                        transfer(name, client, prefix, "upload", size)
                    return (time.perf_counter() - started) / count * 1e3

                measure()  # warm up
                measures[name] = measure
            samples = interleaved_rounds(measures, rounds)
        median = medians(samples)
        reference = median.get(OLD_STARLETTE)
        rows = [
            [name, f"{median[name]:.2f}", f"{min(samples[name]):.2f}-{max(samples[name]):.2f}", ratio(median[name], reference)]
            for name in names
        ]
        print_table(
            f"POST {size // MB} MiB generator body (64 KiB chunks): {rounds} interleaved rounds of {count} uploads",
            ["client", "ms/upload (median)", "range over rounds", f"vs {OLD_STARLETTE}"],
            rows,
        )
        if ROBOT in median and reference:
            target = f"{size // MB} MiB generator upload: {ROBOT} <= {ROBOT_TARGET_UPLOAD}x {OLD_STARLETTE}"
            print(verdict(target, median[ROBOT] / reference, ROBOT_TARGET_UPLOAD, "x", key=f"upload_{size // MB}"))


# --------------------------------------------------------------------------- output and main


def main(argv: list[str] | None = None, header: bool = True) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http", description=__doc__.splitlines()[0])
    add_common_arguments(parser, "3 rounds of fewer requests, no tracemalloc pass", ["get", "trace", "post", "upload", "memory"])
    parser.add_argument("--mem-child", nargs=3, metavar=("CLIENT", "CASE", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--pinned-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.mem_child:
        memory_child(*args.mem_child)
        return
    count = 300 if args.quick else 2000
    if args.pinned_child:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})  # every thread started from now on inherits it
        rounds = start(parser, args, header=False)
        title = f"GET tiny (2 bytes text/plain), the process pinned to CPU {cpu}"
        run_timing(title, "get", available_clients(PINNED_CLIENTS, args.only), rounds, count, pinned=True)
        return
    rounds = start(parser, args, header)
    if args.scenario in ("all", "get"):
        run_timing("GET tiny (2 bytes text/plain)", "get", available_clients(CLIENTS, args.only), rounds, count)
        if hasattr(os, "sched_setaffinity"):
            run_pinned(args.only, rounds, args.quick)
    if args.scenario in ("all", "trace") and ROBOT in available_clients([ROBOT], args.only):
        run_trace_cost(rounds, count)
    if args.scenario in ("all", "post"):
        size = len(json.dumps(PAYLOAD))
        run_timing(f"POST {size} B JSON echo", "post", available_clients(CLIENTS, args.only), rounds, count)
    if args.scenario in ("all", "upload"):
        run_upload_timing(available_clients(UPLOAD_CLIENTS, args.only), rounds, args.quick)
    if args.scenario in ("all", "memory"):
        run_memory(available_clients(MEMORY_CLIENTS, args.only), trace=not args.quick)


if __name__ == "__main__":
    main()
