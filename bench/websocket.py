"""WebSocket benchmark of RobotASGI's TestClient against Starlette's test clients, a real
uvicorn server with the websockets package's sync client, and the app called directly.

Run from the repository root::

    python -m bench.websocket [--quick] [--rounds N] [--scenario {all,roundtrip,connect,idle}] [--only TEXT]

Everything but the uvicorn rows runs in-process (no sockets); uvicorn serves the same app on
127.0.0.1 from a subprocess. See bench/README.rst.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack
from typing import Any

import anyio
from websockets.sync.client import ClientConnection, connect

from bench._common import (
    DIRECT,
    OLD_STARLETTE,
    ROBOT,
    ROBOT_IMPORT_ERROR,
    STARLETTE,
    UVICORN_WS,
    Message,
    OldStarletteClient,
    Receive,
    RobotClient,
    Scope,
    Send,
    Server,
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

CLIENTS = [ROBOT, STARLETTE, OLD_STARLETTE, UVICORN_WS, DIRECT]
IDLE_CLIENTS = [ROBOT, STARLETTE, OLD_STARLETTE, UVICORN_WS]
APP = "bench.websocket:app"  # what uvicorn serves: the same app object the in-process clients call
BASELINE = "no client (process baseline)"

TEXT = "hello, websocket"
IDLE_SECONDS = 2.0
SETTLE_SECONDS = 0.2
ROBOT_TARGET_RATIO = 0.3
ROBOT_TARGET_IDLE_PERCENT = 2.0



# --------------------------------------------------------------------------- the ASGI app


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Plain ASGI 3 app: lifespan; WebSocket /echo echoes every frame, /silent never sends after accept."""
    if scope["type"] == "lifespan":
        await complete_lifespan(receive, send)
        return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    message = await receive()
    assert message["type"] == "websocket.connect", message
    await send({"type": "websocket.accept"})
    echo = scope["path"] == "/echo"
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if not echo:
            continue
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": message["text"]})
        else:
            await send({"type": "websocket.send", "bytes": message["bytes"]})


# --------------------------------------------------------------------------- clients


class WebsocketsSession:
    """A connection of the websockets package's sync client, with the test clients' method names
    (bound directly: no extra call per frame)."""

    def __init__(self, connection: ClientConnection) -> None:
        self.send_text = connection.send
        self.receive_text = connection.recv


class WebsocketsClient:
    """The websockets package's sync client against a uvicorn server on 127.0.0.1, shaped like
    the test clients (``websocket_connect(path)``): what a Robot suite uses with a real server."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.url = f"ws://127.0.0.1:{server.port}"

    @contextlib.contextmanager
    def websocket_connect(self, path: str) -> Iterator[WebsocketsSession]:
        with connect(self.url + path, proxy=None) as connection:  # proxy=None: loopback, never a proxy
            yield WebsocketsSession(connection)


def open_client(name: str, stack: ExitStack) -> Any:
    """Open client `name` inside `stack` (the test clients as `with client:`, so lifespan runs;
    uvicorn runs lifespan itself)."""
    if name == ROBOT:
        if RobotClient is None:
            raise RuntimeError(f"RobotASGI.testclient is not importable: {ROBOT_IMPORT_ERROR}")
        return stack.enter_context(RobotClient(app))
    if name == STARLETTE:
        return stack.enter_context(StarletteClient(app))
    if name == OLD_STARLETTE:
        return stack.enter_context(OldStarletteClient(app))
    if name == UVICORN_WS:
        return WebsocketsClient(stack.enter_context(uvicorn_server(APP)))
    raise ValueError(f"{name} has no synchronous client")


# --------------------------------------------------------------------------- the direct floor


WEBSOCKET_SCOPE: Scope = {
    "type": "websocket",
    "asgi": {"version": "3.0", "spec_version": "2.3"},
    "http_version": "1.1",
    "scheme": "ws",
    "path": "/echo",
    "raw_path": b"/echo",
    "query_string": b"",
    "root_path": "",
    "headers": [(b"host", b"testserver")],
    "client": ("testclient", 50000),
    "server": ("testserver", 80),
    "subprotocols": [],
}


@contextlib.asynccontextmanager
async def direct_session() -> Any:
    """The app coroutine run as a task of this event loop, fed and read through two unbounded
    memory streams: the least any in-process client can do. Yields (to_app, from_app)."""
    to_app, app_receive = anyio.create_memory_object_stream[Message](math.inf)
    app_send, from_app = anyio.create_memory_object_stream[Message](math.inf)
    async with anyio.create_task_group() as tasks, to_app, from_app, app_receive, app_send:
        tasks.start_soon(app, dict(WEBSOCKET_SCOPE), app_receive.receive, app_send.send)
        await to_app.send({"type": "websocket.connect"})
        accepted = await from_app.receive()
        assert accepted["type"] == "websocket.accept", accepted
        yield to_app, from_app
        await to_app.send({"type": "websocket.disconnect", "code": 1000})


async def direct_round_trips(count: int) -> float:
    async with direct_session() as (to_app, from_app):
        message = {"type": "websocket.receive", "text": TEXT}

        async def round_trip() -> None:
            await to_app.send(message)
            await from_app.receive()

        await to_app.send(message)
        check_echo((await from_app.receive())["text"])
        microseconds = await per_op_us_async(round_trip, count)
        await to_app.send(message)
        check_echo((await from_app.receive())["text"])
    return microseconds


async def direct_connect_cycles(count: int) -> float:
    async def cycle() -> None:
        async with direct_session():
            pass

    return await per_op_us_async(cycle, count)


DIRECT_MEASURES: dict[str, Callable[[int], Awaitable[float]]] = {
    "roundtrip": direct_round_trips,
    "connect": direct_connect_cycles,
}


# --------------------------------------------------------------------------- timing scenarios


def round_trips(client: Any, count: int) -> float:
    """Microseconds per send_text + receive_text, `count` of them in one session opened for the block.

    A session is open only while it is measured: starlette_testclient's app-side receive()
    polls with anyio.sleep(0), so an idle session of it left open would slow the other clients.
    """
    with client.websocket_connect("/echo") as websocket:
        websocket.send_text(TEXT)
        check_echo(websocket.receive_text())

        def round_trip() -> None:
            websocket.send_text(TEXT)
            websocket.receive_text()

        microseconds = per_op_us(round_trip, count)
        websocket.send_text(TEXT)
        check_echo(websocket.receive_text())
    return microseconds


def check_echo(received: str) -> None:
    assert received == TEXT, received


def connect_cycles(client: Any, count: int) -> float:
    """Microseconds per websocket_connect -> accept -> leaving the block (client close, app ends)."""

    def cycle() -> None:
        with client.websocket_connect("/echo"):
            pass

    return per_op_us(cycle, count)


MEASURES: dict[str, Callable[[Any, int], float]] = {"roundtrip": round_trips, "connect": connect_cycles}


def make_measure(name: str, scenario: str, stack: ExitStack) -> Callable[[int], float]:
    """Open client `name` (once, inside `stack`); return a function timing `n` operations in
    microseconds per operation. The direct floor runs each call in an event loop of its own."""
    if name == DIRECT:
        return lambda n: anyio.run(DIRECT_MEASURES[scenario], n)
    client = open_client(name, stack)
    return lambda n: MEASURES[scenario](client, n)


def run_timing(title: str, unit: str, scenario: str, names: list[str], rounds: int, count: int) -> None:
    """Interleaved rounds (A B C A B C ...) of `count` operations per client; median per client.
    The direct floor runs each round in one event loop of its own (anyio.run)."""
    with ExitStack() as stack:
        measures: dict[str, Callable[[], float]] = {}
        for name in names:
            measure = make_measure(name, scenario, stack)
            measure(max(20, count // 10))  # check and warm-up
            measures[name] = lambda measure=measure: measure(count)  # type: ignore[misc]
        samples = interleaved_rounds(measures, rounds)
    median = medians(samples)
    reference = median.get(STARLETTE)
    rows = [
        [name, f"{median[name]:.1f}", f"{min(samples[name]):.1f}-{max(samples[name]):.1f}", ratio(median[name], reference)]
        for name in names
    ]
    print_table(
        f"{title}: {rounds} interleaved rounds of {count} {unit}s",
        ["client", f"us/{unit} (median)", "range over rounds", f"vs {STARLETTE}"],
        rows,
    )
    if scenario == "roundtrip" and ROBOT in median and reference:
        value = median[ROBOT] / reference
        target = f"WebSocket round trip: {ROBOT} <= {ROBOT_TARGET_RATIO}x {STARLETTE}"
        print(verdict(target, value, ROBOT_TARGET_RATIO, "x", key="ws_roundtrip"))


# --------------------------------------------------------------------------- idle CPU scenario


def idle_cpu(name: str) -> tuple[float, float, float | None]:
    """CPU seconds used by the whole process (every thread), wall seconds, and for uvicorn the
    CPU seconds of the server process, while one session to the silent app stays open for
    IDLE_SECONDS; nothing else is open meanwhile."""
    with ExitStack() as stack:
        server: Server | None = None
        if name != BASELINE:
            client = open_client(name, stack)
            server = getattr(client, "server", None)
            websocket = stack.enter_context(client.websocket_connect("/silent"))
            websocket.send_text(TEXT)  # the app reads it and stays silent
        time.sleep(SETTLE_SECONDS)
        server_start = server.cpu_seconds() if server else 0.0
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        time.sleep(IDLE_SECONDS)
        cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
        server_cpu = server.cpu_seconds() - server_start if server else None
    return cpu, wall, server_cpu


def run_idle(names: list[str]) -> None:
    rows: list[list[str]] = []
    percents: dict[str, float] = {}
    for name in [BASELINE, *names]:
        cpu, wall, server_cpu = idle_cpu(name)
        percents[name] = cpu / wall * 100
        server = "-" if server_cpu is None else f"{server_cpu / wall * 100:.2f}"
        rows.append([name, f"{percents[name]:.2f}", f"{cpu * 1000:.1f}", f"{wall:.2f}", server])
    print_table(
        f"Idle CPU: one open session with a silent app for {IDLE_SECONDS:g} s, one client at a time "
        "(time.process_time, all threads of this process)",
        ["client", "CPU % of one core", "CPU ms", "wall s", "server process CPU %"],
        rows,
    )
    if ROBOT in percents:
        target = f"Idle open WebSocket: {ROBOT} CPU < {ROBOT_TARGET_IDLE_PERCENT:g}% of one core"
        print(verdict(target, percents[ROBOT], ROBOT_TARGET_IDLE_PERCENT, "%", strict=True, key="ws_idle"))


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None, header: bool = True) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.websocket", description=__doc__.splitlines()[0])
    add_common_arguments(parser, "3 rounds of fewer operations", ["roundtrip", "connect", "idle"])
    args = parser.parse_args(argv)
    rounds = start(parser, args, header)
    names = available_clients(CLIENTS, args.only)
    if args.scenario in ("all", "roundtrip"):
        count = 300 if args.quick else 2000
        title = f"WebSocket round trip (send_text + receive_text, {len(TEXT)} chars, echo app, one open session)"
        run_timing(title, "round trip", "roundtrip", names, rounds, count)
    if args.scenario in ("all", "connect"):
        count = 50 if args.quick else 300
        title = "WebSocket connect/accept/close cycle (websocket_connect -> accept -> leave the block)"
        run_timing(title, "cycle", "connect", names, rounds, count)
    if args.scenario in ("all", "idle"):
        run_idle(available_clients(IDLE_CLIENTS, args.only))


if __name__ == "__main__":
    main()
