"""What the benchmarks share: the clients under test, interleaved rounds, the table printer,
the target verdicts (recorded for the summary of ``python -m bench``) and the uvicorn server
on 127.0.0.1 that the real-server rows talk to. See bench/README.rst."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.metadata
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import requests

try:
    from RobotASGI.testclient import TestClient as RobotClient
except ImportError as error:  # the engine is optional so the scripts still run without it
    RobotClient = None  # type: ignore[assignment,misc]
    ROBOT_IMPORT_ERROR = f"{type(error).__name__}: {error}"
else:
    ROBOT_IMPORT_ERROR = ""

with warnings.catch_warnings():  # Starlette prefers httpx2 over httpx; the benchmark uses what is installed
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from starlette.testclient import TestClient as StarletteClient
from starlette_testclient import TestClient as OldStarletteClient

ROBOT = "RobotASGI TestClient (with)"
STARLETTE = "Starlette TestClient (with)"
OLD_STARLETTE = "starlette_testclient (with)"
HTTPX_ASGI = "httpx AsyncClient + ASGITransport"
UVICORN_HTTP = "uvicorn 127.0.0.1 + requests.Session"
UVICORN_WS = "uvicorn 127.0.0.1 + websockets sync client"
DIRECT = "direct ASGI call (one event loop)"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_START_SECONDS = 20.0
SERVER_STOP_SECONDS = 10.0

# Every request of the benchmarks goes to 127.0.0.1 only: make sure that no proxy settings
# in the environment route it elsewhere (requests and websockets read them), here and in the
# subprocesses that inherit this environment.
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = ",".join(filter(None, [os.environ.get(_name, ""), "127.0.0.1", "localhost"]))


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


async def complete_lifespan(receive: Receive, send: Send) -> None:
    """The benchmark apps' lifespan: startup and shutdown complete at once."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        else:
            await send({"type": "lifespan.shutdown.complete"})
            return


def add_common_arguments(parser: argparse.ArgumentParser, quick: str, scenarios: list[str]) -> None:
    """--quick (helped by `quick`), --rounds, --scenario (all or one of `scenarios`) and --only."""
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument("--rounds", type=int, help="interleaved rounds (>= 3; default 5, --quick 3)")
    parser.add_argument("--scenario", choices=["all", *scenarios], default="all")
    parser.add_argument("--only", default="", help="only clients whose label contains this text")


def start(parser: argparse.ArgumentParser, args: argparse.Namespace, header: bool) -> int:
    """The number of rounds (--rounds checked); prints the environment line (if `header`) and
    a note when RobotASGI's client cannot be imported."""
    rounds: int = args.rounds or (3 if args.quick else 5)
    if rounds < 3:
        parser.error("--rounds must be at least 3")
    if header:
        print(environment_line())
    if RobotClient is None:
        print(f"NOTE: skipping {ROBOT}: {ROBOT_IMPORT_ERROR}")
    return rounds


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def environment_line() -> str:
    """The first line of every benchmark's output."""
    names = ("requests", "anyio", "starlette", "starlette-testclient", "httpx", "uvicorn", "websockets", "robotframework")
    versions = ", ".join(f"{name} {_version(name)}" for name in names)
    http = "httptools" if _version("httptools") != "not installed" else "h11"
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"Python {sys.version.split()[0]}, {versions} (uvicorn HTTP: {http}), {os.cpu_count()} CPUs, "
            f"load average {load}; ratios come from one run on a shared, noisy machine")


def available_clients(names: list[str], only: str) -> list[str]:
    """`names` whose label contains `only` (any case), without RobotASGI's when it is not importable."""
    return [name for name in names if only.lower() in name.lower() and (name != ROBOT or RobotClient is not None)]


def per_op_us(operation: Callable[[], object], count: int) -> float:
    """Microseconds per call of `operation`, over `count` sequential calls after a gc.collect()."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(count):
        operation()
    return (time.perf_counter() - start) / count * 1e6


async def per_op_us_async(operation: Callable[[], Awaitable[object]], count: int) -> float:
    """Microseconds per await of `operation()`, over `count` sequential awaits after a gc.collect()."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(count):
        await operation()
    return (time.perf_counter() - start) / count * 1e6


def interleaved_rounds(measures: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Call every measure once per round, in turn (A B C A B C ...), so that slow drifts of the
    machine hit every client alike; return each one's samples."""
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, measure in measures.items():
            samples[name].append(measure())
    return samples


def medians(samples: dict[str, list[float]]) -> dict[str, float]:
    return {name: statistics.median(values) for name, values in samples.items()}


def ratio(value: float, reference: float | None) -> str:
    return f"{value / reference:.2f}x" if reference else "n/a"


@dataclass
class Target:
    """One target checked in this process: what, the limit, the measured value, the verdict."""

    key: str
    description: str
    value: float
    limit: float
    unit: str
    strict: bool
    met: bool


#: Every target checked so far in this process, in order (``python -m bench`` summarises them).
TARGETS: list[Target] = []


def verdict(target: str, value: float, limit: float, unit: str, strict: bool = False, key: str = "") -> str:
    """The TARGET line for `value` against `limit` (``<`` if `strict`, else ``<=``); recorded in TARGETS."""
    met = value < limit if strict else value <= limit
    TARGETS.append(Target(key or target, target, value, limit, unit, strict, met))
    if met:
        return f"TARGET {target}: {value:.2f}{unit} -> MET"
    return f"TARGET {target}: {value:.2f}{unit} -> MISSED by {value - limit:.2f}{unit} ({value / limit:.2f}x the limit)"


NUMBER = re.compile(r"[\d.]+(-[\d.]+)?( ?MB|x|%)?")  # right-aligned cells: 12.5, 1.0-2.5, 0.35x, 8 MB, 2%


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "+".join("-" * (width + 2) for width in widths)
    print(f"\n{title}\n+{line}+")
    for row in [header, None, *rows]:
        if row is None:
            print(f"+{line}+")
            continue
        cells = [cell.rjust(width) if NUMBER.fullmatch(cell) else cell.ljust(width) for cell, width in zip(row, widths)]
        print("| " + " | ".join(cells) + " |")
    print(f"+{line}+")


# --------------------------------------------------------------------------- uvicorn on 127.0.0.1


@dataclass
class Server:
    """A uvicorn server process listening on 127.0.0.1:`port`."""

    port: int
    process: subprocess.Popen  # type: ignore[type-arg]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_until_serving(server: Server, log: str) -> None:
    """Bounded readiness loop: an HTTP request answered (any status) means lifespan startup is
    done and uvicorn serves; the server dying or SERVER_START_SECONDS passing is an error."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    with requests.Session() as session:
        session.trust_env = False
        while True:
            if server.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with status {server.process.returncode}: {_tail(log)}")
            try:
                session.get(server.url + "/", timeout=1.0)
                return
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not answer within {SERVER_START_SECONDS:g} s: {_tail(log)}") from None
                time.sleep(0.05)


def _tail(path: str) -> str:
    with open(path, errors="replace") as log:
        lines = log.read().strip().splitlines()
    return lines[-1] if lines else "(no output)"


@contextlib.contextmanager
def uvicorn_server(app: str) -> Iterator[Server]:
    """Serve the ASGI app `app` (``module:attribute``) with uvicorn in a subprocess on 127.0.0.1.

    The port is free by construction: this process binds 127.0.0.1:0, listens, and hands the
    listening socket to the server process (``python -m bench._server APP FD``), so there is
    no window in which another process could take the port. The server is always stopped
    (SIGTERM, then SIGKILL after SERVER_STOP_SECONDS) when the block is left.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with listener, tempfile.NamedTemporaryFile("w+", prefix="bench-uvicorn-", suffix=".log") as log:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        port = listener.getsockname()[1]
        command = [sys.executable, "-m", "bench._server", app, str(listener.fileno())]
        process = subprocess.Popen(
            command, cwd=ROOT, pass_fds=[listener.fileno()], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            listener.close()  # the server process holds its own copy now
            server = Server(port, process)
            _wait_until_serving(server, log.name)
            yield server
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(SERVER_STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


__all__ = [
    "add_common_arguments",
    "available_clients",
    "complete_lifespan",
    "DIRECT",
    "environment_line",
    "HTTPX_ASGI",
    "interleaved_rounds",
    "medians",
    "Message",
    "OLD_STARLETTE",
    "OldStarletteClient",
    "per_op_us",
    "per_op_us_async",
    "print_table",
    "ratio",
    "Receive",
    "ROBOT",
    "ROBOT_IMPORT_ERROR",
    "RobotClient",
    "ROOT",
    "Scope",
    "Send",
    "Server",
    "STARLETTE",
    "StarletteClient",
    "start",
    "Target",
    "TARGETS",
    "UVICORN_HTTP",
    "uvicorn_server",
    "UVICORN_WS",
    "verdict",
]
