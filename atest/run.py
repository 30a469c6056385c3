"""Run RobotASGI's acceptance suites: ``python atest/run.py``.

Steps, each of which must succeed:

1. ``robot --dryrun`` over every suite (syntax, keyword names and arguments);
2. the suites for real with ``robot``;
3. the same suites again under ``pabot --processes 2`` (suites in parallel;
   ``pabot-ordering.txt`` keeps the order-dependent ``scopes/`` folder in one
   process);
4. ``expected_failures/`` and ``log_checks/``: tests that must FAIL (a Robot
   ``[Timeout]``, a failed automatic close), and tests whose log is checked.
   Their ``[Documentation]`` says what to expect - ``FAIL <message pattern>``
   or ``PASS``, then optionally lines that check what the test logged (see
   :class:`ExpectationChecker`) - and each is checked in ``output.xml`` with
   ``robot.api.ExecutionResult``;
5. ``examples/``: the example suites users read (``demo.robot`` and one per
   framework), with ``examples/`` on the path for their apps, and the Robot
   examples of ``README.rst`` and ``docs/`` (see :func:`documented_suites`).

Tests tagged ``subprocess`` are run only by another suite, in a process of its
own (``coverage.robot`` runs ``coverage/`` under ``coverage run``).

Tests tagged ``bug`` show library bugs; they are left out unless ``--bugs`` is
given, which runs only them (they pass once the bug is fixed).

Outputs go to ``atest/results/``. The last line printed is ``N passed, M
failed``: the tests of the real runs (steps 2-5) added up. The exit code is 0
only if every step succeeded.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Sequence, Tuple

from robot.api import ExecutionResult, ResultVisitor
from robot.result import TestCase, TestSuite  # type: ignore[import-untyped]
from robot.utils import Matcher  # type: ignore[import-untyped]

ATEST = Path(__file__).resolve().parent
ROOT = ATEST.parent
sys.path.insert(0, str(ROOT))  # testapps, shared with utest

from testapps.docs import code_blocks  # noqa: E402

RESULTS = ATEST / "results"
EXPECTED_FAILURES = ATEST / "expected_failures"
LOG_CHECKS = ATEST / "log_checks"
EXIT_CODE = ATEST / "exit_code"
ORDERING = ATEST / "pabot-ordering.txt"
EXAMPLES = ROOT / "examples"
#: The pages whose Robot Framework examples are run as suites.
DOCUMENTED = [ROOT / "README.rst", *sorted((ROOT / "docs").glob("*.rst"))]
COMMON = ["--pythonpath", str(ATEST), "--console", "dotted", "--loglevel", "DEBUG"]


def robot_env() -> Dict[str, str]:
    """The environment for Robot runs: this source tree first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run(name: str, command: Sequence[str], cwd: Path = ROOT) -> int:
    """Run one step; return its exit code."""
    print(f"\n=== {name}: {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=cwd, env=robot_env()).returncode


def counts(output: Path) -> Tuple[int, int]:
    """Passed and failed (skipped count as neither) tests in an output.xml."""
    total = ExecutionResult(str(output)).statistics.total
    return total.passed, total.failed


#: A line of a test's documentation that checks its log rather than its status.
LOG_CHECK = re.compile(r"^(NO )?(LOG|EXECUTION ERROR)(?: (TRACE|DEBUG|INFO|WARN|ERROR|FAIL))?(?: IN (.+?))?: (.*)$")


class ExpectationChecker(ResultVisitor):  # type: ignore[misc]
    """Compares each test's (and suite's) status and message with the
    ``FAIL <pattern>`` / ``PASS`` its documentation starts with, and the
    messages it logged with the checks on the lines that follow:

    - ``LOG <LEVEL>: text`` - a message of that level logged in the test (in
      any keyword, its setup or teardown included) contains ``text``;
      ``LOG <LEVEL> IN <keyword>: text`` - one logged by that keyword itself
      (not by a keyword it runs);
    - ``NO LOG: text`` - no message of the test, at any level, contains it;
    - ``EXECUTION ERROR <LEVEL>: text`` / ``NO EXECUTION ERROR: text`` - the
      same for the run's Execution Errors (Robot's warnings and errors).
    """

    def __init__(self, errors: Sequence[Any] = ()) -> None:
        self.matched = 0
        self.mismatches: List[str] = []
        self.errors = [(message.level, message.message, "") for message in errors]

    def visit_test(self, test: TestCase) -> None:
        self._check("Test", test.longname, test.doc, test.status, test.message, list(_messages(test)))

    def start_suite(self, suite: TestSuite) -> None:
        if suite.doc.startswith(("FAIL ", "PASS")):
            self._check("Suite", suite.longname, suite.doc, suite.status, suite.message, [])

    def _check(self, kind: str, name: str, doc: str, status: str, message: str, logged: List[Tuple[str, str, str]]) -> None:
        lines = doc.split("\n")
        checks = [match for match in map(LOG_CHECK.match, lines) if match]
        doc = "\n".join(line for line in lines if not LOG_CHECK.match(line))
        expected_status, _, pattern = doc.partition(" ")
        if expected_status not in ("FAIL", "PASS"):
            expected_status, pattern = "PASS", ""
        failures = []
        if status != expected_status:
            failures.append(f"{kind} '{name}' is {status}, expected {expected_status}: {message}")
        elif expected_status == "FAIL" and not Matcher(pattern, caseless=False, spaceless=False).match(message):
            failures.append(f"{kind} '{name}' failed with:\n{message}\nexpected:\n{pattern}")
        for check in checks:
            negated, where, level, keyword, text = check.groups()
            messages = logged if where == "LOG" else self.errors
            found = [m for lvl, m, kw in messages if text in m and level in (None, lvl) and keyword in (None, kw)]
            if bool(found) == bool(negated):
                what = "the test's log" if where == "LOG" else "Execution Errors"
                shown = "\n---\n".join(found if negated else [f"{lvl} in {kw}: {m:.300}" for lvl, m, kw in messages])
                failures.append(f"{kind} '{name}': {check.group(0)!r} does not hold in {what}:\n{shown}")
        self.mismatches += failures
        self.matched += not failures


def _messages(item: Any, keyword: str = "") -> Iterator[Tuple[str, str, str]]:
    """Every message logged in a test or keyword, its setup and teardown
    included: (level, text, the name of the keyword that logged it)."""
    setup = item.setup if getattr(item, "has_setup", False) else None  # reading .setup would create one
    teardown = item.teardown if getattr(item, "has_teardown", False) else None
    for part in (setup, *getattr(item, "body", ()), teardown):
        if part is None:
            continue
        if getattr(part, "type", None) == "MESSAGE":
            yield part.level, part.message, keyword
        else:
            yield from _messages(part, getattr(part, "name", None) or keyword)


def check_expectations(output: Path) -> Tuple[int, int]:
    result = ExecutionResult(str(output))
    checker = ExpectationChecker(result.errors.messages)
    result.visit(checker)
    for mismatch in checker.mismatches:
        print(f"EXPECTATION NOT MET: {mismatch}")
    return checker.matched, len(checker.mismatches)


def documented_suites(target: Path) -> Path:
    """Write the Robot Framework examples of :data:`DOCUMENTED` into ``target``
    as suite files, and return ``target``.

    Each ``.. code-block:: robotframework`` is a whole suite: it starts with a
    section header, and one without test cases gets a test, so that importing
    what it sets up is checked. A block right after a ``.. not-run: <why>``
    comment is left out (a RequestsLibrary suite, say).
    """
    target.mkdir(parents=True, exist_ok=True)
    for page in DOCUMENTED:
        for line, code in code_blocks(page, "robotframework"):
            where = f"{page.relative_to(ROOT)}:{line}"
            if not code.startswith("***"):
                raise ValueError(f"{where}: a Robot example must be a whole suite, starting with a section header")
            if "*** Test Cases ***" not in code:
                code += "\n*** Test Cases ***\nImporting What It Sets Up\n    No Operation\n"
            suite = target / f"{page.stem}_line_{line}.robot"
            suite.write_text(f"# {where}\n{code}", encoding="utf-8")
    return target


def exit_code_as_expected(robot: List[str], suite: str, exit_code: int, expected: Sequence[str]) -> bool:
    """Run ``suite`` alone: its exit code and console output must be as expected
    (a suite's close happens after output.xml has its test results; see each
    suite's doc)."""
    out = RESULTS / "exit_code" / Path(suite).stem
    result = subprocess.run(
        [*robot, *COMMON, "--outputdir", str(out), str(EXIT_CODE / suite)],
        capture_output=True, text=True, timeout=300, env=robot_env(),
    )
    output = result.stdout + result.stderr
    ok = result.returncode == exit_code and all(text in output for text in expected)
    print(f"{suite}: exit code {result.returncode}, " + ("as expected" if ok else f"NOT as expected:\n{output}"))
    return ok


def suite_close_failure_fails_the_run(robot: List[str]) -> bool:
    """A failed close of a suite's client must fail the run (see the suite's doc)."""
    return exit_code_as_expected(
        robot, "suite_close_failure.robot", 1, ["Closing ASGI client 'suite-faulty' failed", "1 failed"]
    )


def suite_close_of_an_unhandled_disconnect_passes(robot: List[str]) -> bool:
    """An app that does not catch a suite session's close fails nothing (see the suite's doc)."""
    return exit_code_as_expected(robot, "suite_close_unhandled_disconnect.robot", 0, ["1 passed, 0 failed"])


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bugs", action="store_true", help="run only the tests tagged 'bug' (known library bugs)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    shutil.rmtree(RESULTS, ignore_errors=True)
    RESULTS.mkdir(parents=True)
    robot = [sys.executable, "-m", "robot"]
    tags = ["--include", "bug"] if args.bugs else ["--exclude", "bug"]
    failures: List[str] = []
    passed = failed = 0

    if run("dry run", [*robot, "--dryrun", *COMMON, "--outputdir", str(RESULTS / "dryrun"), str(ATEST)]):
        failures.append("dry run")

    main_run = [*COMMON, *tags, "--exclude", "expected-failure", "--exclude", "log-check", "--exclude", "exit-code",
                "--exclude", "subprocess"]
    if run("robot", [*robot, *main_run, "--outputdir", str(RESULTS / "robot"), str(ATEST)]):
        failures.append("robot")
    if (RESULTS / "robot" / "output.xml").exists():
        p, f = counts(RESULTS / "robot" / "output.xml")
        passed, failed = passed + p, failed + f

    pabot_dir = RESULTS / "pabot"
    pabot_dir.mkdir()
    pabot = [sys.executable, "-m", "pabot.pabot", "--processes", "2", "--no-pabotlib", "--ordering", str(ORDERING),
             "--command", *robot, "--end-command"]
    if run("pabot", [*pabot, *main_run, "--outputdir", str(pabot_dir), str(ATEST)], cwd=pabot_dir):
        failures.append("pabot")
    if (pabot_dir / "output.xml").exists():
        p, f = counts(pabot_dir / "output.xml")
        passed, failed = passed + p, failed + f

    expected_dir = RESULTS / "expected_failures"
    run("expected failures and log checks",
        [*robot, *COMMON, *tags, "--outputdir", str(expected_dir), str(EXPECTED_FAILURES), str(LOG_CHECKS)])
    if (expected_dir / "output.xml").exists():
        p, f = check_expectations(expected_dir / "output.xml")
        passed, failed = passed + p, failed + f
        if f:
            failures.append("expected failures")
    elif not args.bugs:
        failures.append("expected failures (no output.xml)")

    if not args.bugs:
        examples_dir = RESULTS / "examples"
        documented = documented_suites(examples_dir / "documented")
        if run("examples", [*robot, "--pythonpath", str(EXAMPLES), "--console", "dotted", "--outputdir", str(examples_dir),
                            str(EXAMPLES), str(documented)]):
            failures.append("examples")
        if (examples_dir / "output.xml").exists():
            p, f = counts(examples_dir / "output.xml")
            passed, failed = passed + p, failed + f

        for name, check in (("suite close failure", suite_close_failure_fails_the_run),
                            ("suite close of an unhandled disconnect", suite_close_of_an_unhandled_disconnect_passes)):
            ok = check(robot)
            passed, failed = passed + ok, failed + (not ok)
            if not ok:
                failures.append(name)

    print(f"\nOutputs in {RESULTS}; took {time.monotonic() - started:.1f} s.")
    if failures:
        print(f"Failed steps: {', '.join(failures)}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failures or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
