"""The code examples of the reStructuredText pages, for the tests that run them
(utest/test_docs.py runs the Python ones, atest/run.py the Robot Framework suites)."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import List, Tuple

_DIRECTIVE = re.compile(r"^(\s*)\.\. code-block:: *(\S+)\s*$")
#: A comment right before a block leaves it out: ``.. not-run: <why>``.
NOT_RUN = ".. not-run:"


def code_blocks(path: Path, language: str) -> List[Tuple[int, str]]:
    """``(line number, code)`` of each ``.. code-block:: <language>`` in ``path``,
    dedented, without its directive options, and without the blocks that a
    ``.. not-run: <why>`` comment precedes."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    for number, line in enumerate(lines):
        match = _DIRECTIVE.match(line)
        if not match or match.group(2) != language:
            continue
        before = [text for text in lines[:number] if text.strip()]
        if before and before[-1].startswith(NOT_RUN):
            continue
        indent = len(match.group(1))
        body: List[str] = []
        for following in lines[number + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            if not body and following.strip().startswith(":"):  # a directive option
                continue
            body.append(following)
        blocks.append((number + 1, textwrap.dedent("\n".join(body)).strip("\n") + "\n"))
    return blocks
