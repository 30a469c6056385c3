"""Robot-level benchmark: RobotASGI's ``GET`` keyword against RequestsLibrary's ``GET On Session``
on a real uvicorn server, both net of Robot Framework's own per-keyword cost.

Run from the repository root::

    python -m bench.robot_level [--quick] [--rounds N] [--keywords N]

Generates three suites into a temporary directory, each one test of N keyword calls (500 by
default), and runs each with ``python -m robot --output NONE --log NONE --report NONE`` in
interleaved rounds. See bench/README.rst.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from bench._common import ROOT, environment_line, interleaved_rounds, print_table, ratio, uvicorn_server, verdict

NOOP = "No Operation (Robot's own per-keyword cost)"
ROBOTASGI = "RobotASGI GET (in-process, demo app)"
REQUESTS = "RequestsLibrary GET On Session (uvicorn 127.0.0.1, demo app)"
DEMO_APP = "RobotASGI.demo:app"
ROBOT_TARGET_RATIO = 0.5
RUN_TIMEOUT_SECONDS = 300

SUITES = {
    NOOP: """\
*** Test Cases ***
Keywords
{calls}
""",
    ROBOTASGI: """\
*** Settings ***
Library           RobotASGI
Suite Setup       Open ASGI Client    {app}

*** Test Cases ***
Keywords
{calls}
""",
    REQUESTS: """\
*** Settings ***
Library           RequestsLibrary
Suite Setup       Create Session    demo    ${{URL}}

*** Test Cases ***
Keywords
{calls}
""",
}
CALLS = {NOOP: "No Operation", ROBOTASGI: "GET    /hello", REQUESTS: "GET On Session    demo    /hello"}

# A listener that times the test body alone (start_test -> end_test): the Suite Setup (library
# import, Open ASGI Client / Create Session) and Robot's start-up are then left out.
LISTENER = '''\
import json
import time


class BodyTimer:
    ROBOT_LISTENER_API_VERSION = 3

    def __init__(self, path):
        self.path = path
        self.tests = []

    def start_test(self, data, result):
        self.start = time.perf_counter()

    def end_test(self, data, result):
        seconds = time.perf_counter() - self.start
        self.tests.append({"seconds": seconds, "status": result.status, "message": result.message})

    def close(self):
        with open(self.path, "w") as out:
            json.dump(self.tests, out)
'''


@dataclass
class Run:
    """One `robot` run: its whole wall time and the test body's."""

    wall: float
    body: float


def write_suites(directory: str, keywords: int) -> dict[str, str]:
    paths: dict[str, str] = {}
    for index, (name, template) in enumerate(SUITES.items()):
        calls = "\n".join(f"    {CALLS[name]}" for _ in range(keywords))
        path = os.path.join(directory, f"suite{index}.robot")
        with open(path, "w") as suite:
            suite.write(template.format(calls=calls, app=DEMO_APP))
        paths[name] = path
    with open(os.path.join(directory, "BodyTimer.py"), "w") as listener:
        listener.write(LISTENER)
    return paths


def run_robot(suite: str, directory: str, url: str) -> Run:
    """``python -m robot --output NONE --log NONE --report NONE`` on `suite`, timed."""
    times = os.path.join(directory, "times.json")
    if os.path.exists(times):
        os.remove(times)
    listener = os.path.join(directory, "BodyTimer.py")
    command = [
        sys.executable, "-m", "robot", "--output", "NONE", "--log", "NONE", "--report", "NONE",
        "--listener", f"{listener}:{times}", "--variable", f"URL:{url}", suite,
    ]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS)
    wall = time.perf_counter() - start
    with open(times) if os.path.exists(times) else open(os.devnull) as out:
        tests = json.loads(out.read() or "[]")
    if done.returncode or len(tests) != 1 or tests[0]["status"] != "PASS":
        detail = tests[0]["message"] if tests else (done.stderr or done.stdout).strip()[-300:]
        raise RuntimeError(f"robot {os.path.basename(suite)} failed (rc={done.returncode}): {detail}")
    return Run(wall, tests[0]["seconds"])


def main(argv: list[str] | None = None, header: bool = True) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.robot_level", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (>= 3; default 5, --quick 3)")
    parser.add_argument("--keywords", type=int, default=500, help="keyword calls per suite (default 500)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 5)
    if rounds < 3:
        parser.error("--rounds must be at least 3")
    n = args.keywords
    if header:
        print(environment_line())
    runs: dict[str, list[Run]] = {name: [] for name in SUITES}
    with tempfile.TemporaryDirectory(prefix="bench-robot-") as directory, uvicorn_server(DEMO_APP) as server:
        paths = write_suites(directory, n)
        for path in paths.values():  # check and warm-up (imports, .pyc files, page cache)
            run_robot(path, directory, server.url)

        def measure(name: str) -> float:
            run = run_robot(paths[name], directory, server.url)
            runs[name].append(run)
            return run.body

        interleaved_rounds({name: lambda name=name: measure(name) for name in SUITES}, rounds)  # type: ignore[misc]
    body = {name: statistics.median(run.body for run in runs[name]) for name in SUITES}
    wall = {name: statistics.median(run.wall for run in runs[name]) for name in SUITES}
    net = {name: (body[name] - body[NOOP]) / n * 1000 for name in SUITES}
    net_wall = {name: (wall[name] - wall[NOOP]) / n * 1000 for name in SUITES}
    rows = [
        [
            name,
            f"{wall[name]:.2f}",
            f"{body[name]:.3f}",
            f"{min(r.body for r in runs[name]):.3f}-{max(r.body for r in runs[name]):.3f}",
            f"{body[name] / n * 1000:.3f}",
            f"{net[name]:.3f}" if name != NOOP else "-",
            f"{net_wall[name]:.3f}" if name != NOOP else "-",
            ratio(net[name], net[REQUESTS]) if name != NOOP else "-",
        ]
        for name in SUITES
    ]
    print_table(
        f"Robot level: one test of {n} keyword calls per suite, `python -m robot --output NONE --log NONE "
        f"--report NONE`, {rounds} interleaved rounds (medians)",
        [
            "suite",
            "robot run s",
            "test body s",
            "body range s",
            "ms/keyword",
            "ms/keyword net of No Operation",
            "net from whole runs",
            "vs RequestsLibrary (net)",
        ],
        rows,
    )
    target = f"Robot level: {ROBOTASGI} net <= {ROBOT_TARGET_RATIO}x {REQUESTS} net"
    print(verdict(target, net[ROBOTASGI] / net[REQUESTS], ROBOT_TARGET_RATIO, "x", key="robot_level"))


if __name__ == "__main__":
    main()
