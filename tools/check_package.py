"""Build the package and check it is what users install: ``python tools/check_package.py``.

1. ``python -m build`` makes an sdist and a wheel from this checkout;
2. ``twine check`` reads their metadata as PyPI will (the README renders);
3. the wheel holds the package, ``RobotASGI/py.typed`` and the license, and
   nothing of the tests, benchmarks, tools or examples;
4. the wheel, installed in a fresh virtual environment (its three runtime
   dependencies from the package index, nothing of this checkout on the path),
   runs the example suite against the demo app that ships with it, on the newest
   Robot Framework and again on the first 7.x (7.0.x).

Work happens in a temporary directory; the exit code is 0 only if every step
succeeded.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path
from typing import List, Sequence

ROOT = Path(__file__).resolve().parents[1]
#: Top-level folders of the checkout that must never be installed.
NOT_SHIPPED = ("utest/", "atest/", "bench/", "tools/", "examples/", "testapps/")


def run(command: Sequence[str], cwd: Path = ROOT, env: "dict[str, str] | None" = None) -> None:
    print("+ " + " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], check=True, cwd=cwd, env=env)


def wheel_problems(wheel: Path) -> List[str]:
    """What is wrong with the wheel's contents (nothing: an empty list)."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    problems = [f"the wheel holds {name}, which is not part of the package" for name in names if name.startswith(NOT_SHIPPED)]
    for needed in ("RobotASGI/__init__.py", "RobotASGI/library.py", "RobotASGI/testclient/__init__.py", "RobotASGI/py.typed"):
        if needed not in names:
            problems.append(f"the wheel lacks {needed}")
    if not any(name.endswith(".dist-info/LICENSE") or "/licenses/" in name for name in names):
        problems.append("the wheel's metadata lacks the LICENSE file")
    return problems


#: The first Robot Framework 7 release line, which the demo suite also runs on.
FIRST_RF7 = "robotframework~=7.0.0"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="robotasgi-package-") as work:
        work_dir = Path(work)
        dist = work_dir / "dist"
        run([sys.executable, "-m", "build", "--outdir", dist, ROOT])
        artifacts = sorted(dist.iterdir())
        run([sys.executable, "-m", "twine", "check", "--strict", *artifacts])
        wheel = next(path for path in artifacts if path.suffix == ".whl")
        problems = wheel_problems(wheel)
        if problems:
            print("\n".join(f"check_package: {problem}" for problem in problems), file=sys.stderr)
            return 1
        print(f"check_package: {wheel.name} holds the package, py.typed and the license, and no tests")
        env_dir = work_dir / "venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        run([python, "-m", "pip", "install", "--quiet", wheel])
        clean = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
        # Run from the temporary directory, so that only the installed package can be imported.
        run([python, "-m", "robot", "--outputdir", work_dir / "results", "--console", "dotted",
             ROOT / "examples" / "demo.robot"], cwd=work_dir, env=clean)
        print("check_package: the installed wheel runs examples/demo.robot")
        # lowest_versions.py covers Robot Framework 6.1 and the main run the newest; the
        # first 7.x reads some argument types differently from both (a converter change
        # once passed them and failed here), so the demo suite runs on it too.
        run([python, "-m", "pip", "install", "--quiet", FIRST_RF7])
        run([python, "-c", "import robot; print('check_package: Robot Framework', robot.__version__)"], env=clean)
        run([python, "-m", "robot", "--outputdir", work_dir / "results-rf7.0", "--console", "dotted",
             ROOT / "examples" / "demo.robot"], cwd=work_dir, env=clean)
        print(f"check_package: the installed wheel runs examples/demo.robot with {FIRST_RF7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
