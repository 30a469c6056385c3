"""Run the unit tests against the lowest supported runtime versions.

The main test run installs the newest releases; this one builds a separate
virtual environment pinned to the oldest versions setup.cfg accepts -
robotframework 6.1, requests 2.28 (so urllib3 1.x) and anyio 3.7 - with test
frameworks that still work on them, installs the project, and runs utest.

That environment has no optional extra either: it also runs the acceptance
suites of the ``openapi`` extra (:data:`WITHOUT_EXTRAS`), where
``contracts_without_extra.robot`` checks that each entry point says which
extra to install and ``contracts.robot`` skips with a message.

    python tools/lowest_versions.py [--venv DIR] [pytest arguments...]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import venv
from pathlib import Path
from typing import List, Sequence

ROOT = Path(__file__).resolve().parents[1]

#: The lowest runtime versions setup.cfg's install_requires allow.
RUNTIME_FLOOR = ["robotframework==6.1.1", "requests==2.28.0", "anyio==3.7.1"]

#: What the unit tests need, at versions that run on those floors: trio 0.22
#: is the last anyio 3.7 supports, FastAPI 0.115/Starlette 0.41 the last pair
#: that accepts anyio 3.
TEST_TOOLS = [
    "pytest>=7",
    "pytest-timeout",
    "trio==0.22.2",
    "starlette==0.41.3",
    "fastapi==0.115.6",
    "python-multipart",
    "jinja2",
    "hypothesis",
    "uvicorn",
    "wsproto",
]


#: The Robot suites that must pass (or skip, saying why) without the openapi extra.
WITHOUT_EXTRAS = ["atest/contracts_without_extra.robot", "atest/contracts.robot"]


def run(command: Sequence[str]) -> None:
    print("+ " + " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-lowest", help="where to build the environment")
    args, pytest_args = parser.parse_known_args(argv)
    if not (args.venv / "bin" / "python").exists() and not (args.venv / "Scripts" / "python.exe").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(args.venv)
    python = str(args.venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([python, "-m", "pip", "install", "--quiet", *RUNTIME_FLOOR, *TEST_TOOLS])
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT)])
    run([python, "-c", "from importlib.metadata import version; print('lowest versions:', ', '.join("
         "f'{name} {version(name)}' for name in ('robotframework', 'requests', 'anyio', 'urllib3', 'trio')))"])
    utest = subprocess.run([python, "-m", "pytest", "utest", "-q", *pytest_args], cwd=ROOT).returncode
    print("+ the openapi suites, without the extra", flush=True)
    atest = subprocess.run(
        [python, "-m", "robot", "--pythonpath", ".", "--pythonpath", "atest", "--console", "dotted",
         "--outputdir", str(ROOT / "atest" / "results" / "without_extras"), *WITHOUT_EXTRAS],
        cwd=ROOT,
    ).returncode
    return utest or atest


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
