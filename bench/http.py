"""HTTP benchmark of RobotASGI's TestClient against Starlette's test clients.

Run from the repository root::

    python -m bench.http [--quick] [--rounds N] [--scenario {all,get,post,memory}] [--only TEXT]

Everything runs in-process (no sockets, no server). See bench/README.rst.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import ExitStack
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from bench._common import (
    OLD_STARLETTE,
    ROBOT,
    ROBOT_IMPORT_ERROR,
    STARLETTE,
    OldStarletteClient,
    RobotClient,
    StarletteClient,
    available_clients,
    environment_line,
    interleaved_rounds,
    medians,
    per_op_us,
    print_table,
    ratio,
    verdict,
)

STARLETTE_NO_WITH = "Starlette TestClient (no with)"
FLOOR_ENV = "requests floor (trust_env=True)"
FLOOR = "requests floor (trust_env=False)"
CLIENTS = [ROBOT, STARLETTE, STARLETTE_NO_WITH, OLD_STARLETTE, FLOOR_ENV, FLOOR]
MEMORY_CLIENTS = [ROBOT, STARLETTE, OLD_STARLETTE]

TINY = b"ok"
CHUNK = b"x" * 65536  # the one preallocated 64 KiB chunk yielded by the uploader
MB = 1024 * 1024
BIG = 64 * MB
PAYLOAD = {"items": [{"id": i, "name": f"item-{i:03d}", "tags": ["a", "b"]} for i in range(22)]}
ROBOT_TARGET_RATIO = 0.35
ROBOT_TARGET_MB = 8.0

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Request = Callable[[], Any]


# --------------------------------------------------------------------------- the ASGI app


async def _respond(send: Send, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Plain ASGI 3 app: / tiny text, /echo echoes the body, /upload discards it, /big?n=N streams N bytes."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
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
    """Open client `name` inside `stack`; return it and the URL prefix its requests need."""
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
    session = stack.enter_context(requests.Session())
    session.trust_env = name == FLOOR_ENV
    session.mount("http://", CannedAdapter())
    return session, "http://testserver"


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


def run_timing(
    title: str,
    make_request: Callable[[Any, str], Request],
    check: Callable[[Any], None],
    names: list[str],
    rounds: int,
    count: int,
) -> None:
    """Interleaved rounds (A B C A B C ...) of `count` sequential requests per client; median per client."""
    with ExitStack() as stack:
        measures: dict[str, Callable[[], float]] = {}
        for name in names:
            request = make_request(*open_client(name, stack))
            check(request())
            per_op_us(request, max(20, count // 10))  # warm-up
            # a fresh event loop + thread per request is slow: fewer requests keep the round short
            n = max(10, count // 10) if name == STARLETTE_NO_WITH else count
            measures[name] = lambda request=request, n=n: per_op_us(request, n)  # type: ignore[misc]
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
    if ROBOT in median and reference:
        value = median[ROBOT] / reference
        print(verdict(f"{ROBOT} <= {ROBOT_TARGET_RATIO}x {STARLETTE}", value, ROBOT_TARGET_RATIO, "x"))


# --------------------------------------------------------------------------- memory scenario


def body_chunks(size: int) -> Iterator[bytes]:
    for _ in range(size // len(CHUNK)):
        yield CHUNK


def transfer(client: Any, case: str, size: int) -> None:
    """One `case` transfer of `size` bytes; requests-style clients and httpx-style (Starlette) clients."""
    is_httpx = isinstance(client, StarletteClient)
    received = 0
    if case == "stream":
        if is_httpx:
            with client.stream("GET", f"/big?n={size}") as response:
                for chunk in response.iter_bytes(65536):
                    received += len(chunk)
        else:
            with client.get(f"/big?n={size}", stream=True) as response:
                for chunk in response.iter_content(65536):
                    received += len(chunk)
    elif case == "upload":
        if is_httpx:
            response = client.post("/upload", content=body_chunks(size))
        else:
            response = client.post("/upload", data=body_chunks(size))
        assert response.status_code == 200, response.status_code
        received = int(response.text)
    else:
        response = client.get(f"/big?n={size}")
        received = len(response.content)
    assert received == size, f"{case}: got {received} bytes, expected {size}"


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
    """Entry point of a fresh subprocess: one 64 MB transfer; prints one JSON line."""
    with ExitStack() as stack:
        client, _ = open_client(name, stack)
        transfer(client, case, MB)  # warm-up: imports, event loop, code paths
        gc.collect()
        result: dict[str, Any] = {}
        if mode == "rss":
            result["reset"] = reset_peak_rss()
            baseline = vm_kb("VmHWM")  # == VmRSS right after a reset; else the high-water mark so far
            start = time.perf_counter()
            transfer(client, case, BIG)
            result["seconds"] = time.perf_counter() - start
            result["rss_mb"] = max(0, vm_kb("VmHWM") - baseline) / 1024
        else:
            tracemalloc.start()
            transfer(client, case, BIG)
            result["traced_mb"] = tracemalloc.get_traced_memory()[1] / MB
            tracemalloc.stop()
    print(json.dumps(result))


def run_memory_child(name: str, case: str, mode: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.http", "--mem-child", name, case, mode]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        return {"error": tail[0] if tail else f"exit status {done.returncode}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_memory(names: list[str]) -> None:
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
                    f"{result['traced_mb']:.1f}",
                    f"{result['rss_mb'] * MB / BIG:.2f}x",
                    f"{result['seconds']:.2f}",
                ]
            )
    method = "VmHWM reset via /proc/self/clear_refs" if resets == {True} else "VmHWM vs the high-water mark before"
    print_table(
        f"Memory, 64 MB body, one fresh subprocess per cell (peak RSS: {method})",
        ["case", "client", "peak RSS +MB", "tracemalloc peak MB", "RSS / body size", "seconds"],
        rows,
    )
    for case in ("stream", "upload"):
        result = results.get((case, ROBOT), {})
        if "rss_mb" in result:
            print(verdict(f"{ROBOT} {case} peak RSS increase < {ROBOT_TARGET_MB} MB", result["rss_mb"], ROBOT_TARGET_MB, " MB", strict=True))


# --------------------------------------------------------------------------- output and main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of fewer requests")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (>= 3; default 5, --quick 3)")
    parser.add_argument("--scenario", choices=["all", "get", "post", "memory"], default="all")
    parser.add_argument("--only", default="", help="only clients whose label contains this text")
    parser.add_argument("--mem-child", nargs=3, metavar=("CLIENT", "CASE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.mem_child:
        memory_child(*args.mem_child)
        return
    rounds = args.rounds or (3 if args.quick else 5)
    if rounds < 3:
        parser.error("--rounds must be at least 3")
    count = 300 if args.quick else 2000
    print(environment_line())
    if RobotClient is None:
        print(f"NOTE: skipping {ROBOT}: {ROBOT_IMPORT_ERROR}")
    if args.scenario in ("all", "get"):
        run_timing("GET tiny (2 bytes text/plain)", get_tiny, check_get_tiny, available_clients(CLIENTS, args.only), rounds, count)
    if args.scenario in ("all", "post"):
        size = len(json.dumps(PAYLOAD))
        run_timing(f"POST {size} B JSON echo", post_echo, check_post_echo, available_clients(CLIENTS, args.only), rounds, count)
    if args.scenario in ("all", "memory"):
        run_memory(available_clients(MEMORY_CLIENTS, args.only))


if __name__ == "__main__":
    main()
