"""What the benchmarks share: the clients under test, interleaved rounds, the table printer
and the target verdicts. See bench/README.rst."""

from __future__ import annotations

import gc
import importlib.metadata
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable

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


def environment_line() -> str:
    """The first line of every benchmark's output."""
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in ("requests", "starlette", "anyio"))
    return (f"Python {sys.version.split()[0]}, {versions}, {os.cpu_count()} CPUs; "
            "ratios come from one run on a shared, noisy machine")


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


def verdict(target: str, value: float, limit: float, unit: str, strict: bool = False) -> str:
    met = value < limit if strict else value <= limit
    if met:
        return f"TARGET {target}: {value:.2f}{unit} -> MET"
    return f"TARGET {target}: {value:.2f}{unit} -> MISSED by {value - limit:.2f}{unit} ({value / limit:.2f}x the limit)"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "+".join("-" * (width + 2) for width in widths)
    print(f"\n{title}\n+{line}+")
    for row in [header, None, *rows]:
        if row is None:
            print(f"+{line}+")
            continue
        cells = [cell.rjust(width) if cell[:1].isdigit() else cell.ljust(width) for cell, width in zip(row, widths)]
        print("| " + " | ".join(cells) + " |")
    print(f"+{line}+")


__all__ = [
    "OLD_STARLETTE",
    "ROBOT",
    "ROBOT_IMPORT_ERROR",
    "STARLETTE",
    "OldStarletteClient",
    "RobotClient",
    "StarletteClient",
    "available_clients",
    "environment_line",
    "interleaved_rounds",
    "medians",
    "per_op_us",
    "print_table",
    "ratio",
    "verdict",
]
