"""Every benchmark of RobotASGI in one run, then a summary of the targets.

Run from the repository root::

    python -m bench            # full run
    python -m bench --quick    # smoke run of about a minute

Runs bench.http (GET, POST, 64 MB memory), bench.websocket (round trips, connect/close cycles,
idle CPU), bench.robot_level (GET keywords through robot) and bench.contracts (the cost of
OpenAPI validation per request, no target), each with its own interleaved rounds, prints
their tables, and ends with the table of targets: each one's limit, the value measured in
this run and MET / MISSED. See bench/README.rst.
"""

from __future__ import annotations

import argparse
import time
import traceback
from collections.abc import Callable

from bench import contracts, http, robot_level, websocket
from bench._common import TARGETS, environment_line, print_table

# Every target of the benchmark, in the order of the summary: key -> (what, limit as text).
EXPECTED_TARGETS = {
    "get_vs_starlette": ("GET tiny: RobotASGI vs Starlette TestClient (with)", "<= 0.35x"),
    "get_vs_floor": ("GET tiny: RobotASGI vs requests floor (canned adapter, trust_env=False)", "<= 1.6x"),
    "get_trace_cost": ("GET tiny: the ASGI trace's cost, RobotASGI with vs without it (trace=False)", "< 5%"),
    "ws_roundtrip": ("WebSocket round trip: RobotASGI vs Starlette TestClient (with)", "<= 0.3x"),
    "ws_idle": ("Idle open WebSocket session: RobotASGI CPU, % of one core", "< 2%"),
    "memory_stream": ("64 MB streamed download: RobotASGI peak RSS increase", "< 8 MB"),
    "memory_upload": ("64 MB generator upload: RobotASGI peak RSS increase", "< 8 MB"),
    "memory_whole": ("64 MB read whole: RobotASGI peak RSS increase / body size", "<= 1.2x"),
    "robot_level": ("Robot level: RobotASGI GET vs RequestsLibrary GET On Session (net ms/keyword)", "<= 0.5x"),
}


def print_targets() -> bool:
    """The summary table; True when every target was measured and met."""
    measured = {target.key: target for target in TARGETS}
    rows: list[list[str]] = []
    for key, (what, limit) in EXPECTED_TARGETS.items():
        target = measured.get(key)
        if target is None:
            rows.append([what, limit, "not measured", "NOT MEASURED"])
        else:
            rows.append([what, limit, f"{target.value:.2f}{target.unit}", "MET" if target.met else "MISSED"])
    print_table("Targets (values measured in this run)", ["target", "limit", "measured", "verdict"], rows)
    met = sum(row[3] == "MET" for row in rows)
    print(f"{met} of {len(rows)} targets met")
    return met == len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of about a minute (3 short rounds each)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per scenario (>= 3; default 5, --quick 3)")
    args = parser.parse_args(argv)
    common = (["--quick"] if args.quick else []) + (["--rounds", str(args.rounds)] if args.rounds else [])
    print(environment_line())
    started = time.perf_counter()
    parts: list[tuple[str, Callable[..., None]]] = [
        ("bench.http", http.main),
        ("bench.websocket", websocket.main),
        ("bench.robot_level", robot_level.main),
        ("bench.contracts", contracts.main),
    ]
    failed = []
    for name, run in parts:
        print(f"\n=== {name} {' '.join(common)}".rstrip())
        try:
            run(common, header=False)
        except Exception:  # one broken part must not hide the others' results
            failed.append(name)
            print(f"ERROR in {name}:")
            traceback.print_exc()
    print(f"\nTotal time: {time.perf_counter() - started:.0f} s")
    print_targets()
    if failed:
        print(f"Parts that failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
