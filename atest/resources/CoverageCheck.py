"""Reads a coverage data file: which lines of a source file ran.

The lines to check are marked in the source with ``# coverage: <marker>``.
"""
from __future__ import annotations

import os
from typing import List, Set

from coverage import CoverageData
from robot.api.deco import keyword, library


@library(scope="GLOBAL", auto_keywords=False)
class CoverageCheck:
    @keyword
    def lines_should_have_run(self, data_file: str, source: str, marker: str) -> None:
        """Fails unless every line of ``source`` marked ``# coverage: <marker>`` ran."""
        marked, ran = _marked(source, marker), _ran(data_file, source)
        missing = sorted(marked - ran)
        if missing:
            raise AssertionError(f"Lines {missing} of {source} (marked '{marker}') did not run; lines that ran: {sorted(ran)}.")

    @keyword
    def lines_should_not_have_run(self, data_file: str, source: str, marker: str) -> None:
        """Fails if a line of ``source`` marked ``# coverage: <marker>`` ran."""
        ran = sorted(_marked(source, marker) & _ran(data_file, source))
        if ran:
            raise AssertionError(f"Lines {ran} of {source} (marked '{marker}') ran.")


def _marked(source: str, marker: str) -> Set[int]:
    with open(source, encoding="utf-8") as file:
        lines = {number for number, line in enumerate(file, 1) if line.rstrip().endswith(f"# coverage: {marker}")}
    if not lines:
        raise AssertionError(f"No line of {source} is marked '# coverage: {marker}'.")
    return lines


def _ran(data_file: str, source: str) -> Set[int]:
    data = CoverageData(basename=data_file)
    data.read()
    wanted = os.path.realpath(source)
    measured: List[str] = [name for name in data.measured_files() if os.path.realpath(name) == wanted]
    if not measured:
        raise AssertionError(f"{data_file} has no data for {source}; it measured: {sorted(data.measured_files())}.")
    return set(data.lines(measured[0]) or ())
