"""WebSocket benchmark of RobotASGI's TestClient against Starlette's test clients.

Run from the repository root::

    python -m bench.websocket [--quick] [--rounds N] [--scenario {all,roundtrip,connect,idle}] [--only TEXT]

Everything runs in-process (no sockets, no server). See bench/README.rst.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import ExitStack
from typing import Any

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

CLIENTS = [ROBOT, STARLETTE, OLD_STARLETTE]
BASELINE = "no client (process baseline)"

TEXT = "hello, websocket"
IDLE_SECONDS = 2.0
SETTLE_SECONDS = 0.2
ROBOT_TARGET_RATIO = 0.3
ROBOT_TARGET_IDLE_PERCENT = 2.0

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


# --------------------------------------------------------------------------- the ASGI app


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Plain ASGI 3 app: lifespan; WebSocket /echo echoes every frame, /silent never sends after accept."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
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


def open_client(name: str, stack: ExitStack) -> Any:
    """Open client `name` inside `stack` (always as `with client:`, so lifespan runs)."""
    if name == ROBOT:
        if RobotClient is None:
            raise RuntimeError(f"RobotASGI.testclient is not importable: {ROBOT_IMPORT_ERROR}")
        return stack.enter_context(RobotClient(app))
    if name == STARLETTE:
        return stack.enter_context(StarletteClient(app))
    return stack.enter_context(OldStarletteClient(app))


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


def run_timing(
    title: str,
    unit: str,
    measure: Callable[[Any, int], float],
    names: list[str],
    rounds: int,
    count: int,
) -> None:
    """Interleaved rounds (A B C A B C ...) of `count` operations per client; median per client."""
    with ExitStack() as stack:
        measures: dict[str, Callable[[], float]] = {}
        for name in names:
            client = open_client(name, stack)
            measure(client, max(20, count // 10))  # check and warm-up
            measures[name] = lambda client=client: measure(client, count)  # type: ignore[misc]
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
    if measure is round_trips and ROBOT in median and reference:
        value = median[ROBOT] / reference
        print(verdict(f"{ROBOT} round trip <= {ROBOT_TARGET_RATIO}x {STARLETTE}", value, ROBOT_TARGET_RATIO, "x"))


# --------------------------------------------------------------------------- idle CPU scenario


def idle_cpu(name: str) -> tuple[float, float]:
    """CPU seconds used by the whole process (every thread) and wall seconds, while one session
    to the silent app stays open for IDLE_SECONDS; nothing else is open meanwhile."""
    with ExitStack() as stack:
        if name != BASELINE:
            client = open_client(name, stack)
            websocket = stack.enter_context(client.websocket_connect("/silent"))
            websocket.send_text(TEXT)  # the app reads it and stays silent
        time.sleep(SETTLE_SECONDS)
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        time.sleep(IDLE_SECONDS)
        cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    return cpu, wall


def run_idle(names: list[str]) -> None:
    rows: list[list[str]] = []
    percents: dict[str, float] = {}
    for name in [BASELINE, *names]:
        cpu, wall = idle_cpu(name)
        percents[name] = cpu / wall * 100
        rows.append([name, f"{percents[name]:.2f}", f"{cpu * 1000:.1f}", f"{wall:.2f}"])
    print_table(
        f"Idle CPU: one open session with a silent app for {IDLE_SECONDS:g} s, one client at a time "
        "(time.process_time, all threads)",
        ["client", "CPU % of one core", "CPU ms", "wall s"],
        rows,
    )
    if ROBOT in percents:
        target = f"{ROBOT} idle CPU < {ROBOT_TARGET_IDLE_PERCENT:g}% of one core"
        print(verdict(target, percents[ROBOT], ROBOT_TARGET_IDLE_PERCENT, "%", strict=True))


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.websocket", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of fewer operations")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (>= 3; default 5, --quick 3)")
    parser.add_argument("--scenario", choices=["all", "roundtrip", "connect", "idle"], default="all")
    parser.add_argument("--only", default="", help="only clients whose label contains this text")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 5)
    if rounds < 3:
        parser.error("--rounds must be at least 3")
    names = available_clients(CLIENTS, args.only)
    print(environment_line())
    if RobotClient is None:
        print(f"NOTE: skipping {ROBOT}: {ROBOT_IMPORT_ERROR}")
    if args.scenario in ("all", "roundtrip"):
        count = 300 if args.quick else 2000
        title = f"WebSocket round trip (send_text + receive_text, {len(TEXT)} chars, echo app, one open session)"
        run_timing(title, "round trip", round_trips, names, rounds, count)
    if args.scenario in ("all", "connect"):
        count = 50 if args.quick else 300
        title = "WebSocket connect/accept/close cycle (websocket_connect -> accept -> leave the block)"
        run_timing(title, "cycle", connect_cycles, names, rounds, count)
    if args.scenario in ("all", "idle"):
        run_idle(names)


if __name__ == "__main__":
    main()
