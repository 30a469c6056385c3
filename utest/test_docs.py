"""The documentation is true: README.rst and the guide in docs/.

- every keyword of the library has its place in the guide (docs/keywords.rst);
- the README is a front page: short, with every library setting;
- the Python examples of README.rst and docs/engine.rst run, as written;
- the Python snippets of the framework recipes are excerpts of the running
  apps in examples/;
- the pages render without a warning, and their relative links lead to files.

The Robot Framework examples are suites: ``atest/run.py`` runs them.
"""
from __future__ import annotations

import ast
import io
import re
import textwrap
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

from testapps.docs import code_blocks

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.rst"
DOCS = ROOT / "docs"
GUIDE = DOCS / "keywords.rst"
PAGES = [README, ROOT / "CHANGELOG.rst", ROOT / "bench" / "README.rst", ROOT / "atest" / "README.rst", *sorted(DOCS.glob("*.rst"))]
#: Pages whose Python examples are tests to run, each block with the names of the blocks before it.
RUNNABLE = [README, DOCS / "engine.rst"]
#: Pages whose Python snippets are excerpts of the apps in examples/.
EXCERPTS = [DOCS / "frameworks.rst"]

# -- the guide ------------------------------------------------------------------------


def test_every_keyword_has_its_place_in_the_guide():
    from robot.libdocpkg import LibraryDocumentation

    guide = GUIDE.read_text(encoding="utf-8")
    names = [keyword.name for keyword in LibraryDocumentation("RobotASGI").keywords]
    assert len(names) >= 60
    # as a literal of its own, or followed by its arguments: ``Get Cookie    name``
    missing = [name for name in names if not re.search("``" + re.escape(name) + "(``|    )", guide)]
    assert missing == []


def test_the_readme_is_a_front_page():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    for marker in (".. main-command", ".. test-command"):
        assert marker in text.splitlines()


def test_the_readme_names_every_library_setting():
    from robot.libdocpkg import LibraryDocumentation

    text = README.read_text(encoding="utf-8")
    settings = text[text.index("Library settings"):]
    arguments = [argument.name for argument in LibraryDocumentation("RobotASGI").inits[0].args]
    assert len(arguments) == 7
    assert [name for name in arguments if f"``{name}``" not in settings] == []


# -- the examples -----------------------------------------------------------------------


def _python_tests(page: Path) -> List[Tuple[str, Callable[[], Any]]]:
    """The ``test_*`` functions of the page's Python blocks, run in order: each
    block sees the names the blocks before it defined, as a reader does."""
    names: Dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    tests: List[Tuple[str, Callable[[], Any]]] = []
    for line, code in code_blocks(page, "python"):
        namespace = dict(names)
        exec(compile(code, f"{page.name}:{line}", "exec"), namespace)  # noqa: S102 - our own documentation
        for node in ast.parse(code).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                tests.append((f"{page.name}:{line} {node.name}", namespace[node.name]))
        names.update(namespace)
    return tests


@pytest.mark.parametrize("page", RUNNABLE, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_the_python_examples_run(page: Path):
    tests = _python_tests(page)
    assert tests, f"{page.name} shows no test to run"
    titles = [title.split(" ")[-1] for title, _ in tests]
    assert len(titles) == len(set(titles)), "each example test has a name of its own"
    for title, test in tests:
        try:
            test()
        except Exception as exc:
            raise AssertionError(f"the example {title} fails: {type(exc).__name__}: {exc}") from exc


def literal_blocks(path: Path) -> List[Tuple[int, str]]:
    """``(line number, text)`` of each literal block (after a paragraph ending in ``::``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    for number, line in enumerate(lines):
        if not line.rstrip().endswith("::") or line.lstrip().startswith(".."):
            continue
        indent = len(line) - len(line.lstrip())
        body: List[str] = []
        for following in lines[number + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        blocks.append((number + 1, textwrap.dedent("\n".join(body)).strip("\n") + "\n"))
    return blocks


@pytest.mark.parametrize("page", EXCERPTS, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_the_framework_snippets_are_excerpts_of_running_examples(page: Path):
    """Each Python block and literal block is lines of a file in examples/ (as
    they stand there, but for a common indentation)."""
    sources = [
        path.read_text(encoding="utf-8").splitlines()
        for path in (ROOT / "examples").rglob("*")
        if path.suffix in (".py", ".robot")
    ]

    def found(snippet: str) -> bool:
        size = len(snippet.splitlines())
        return any(
            textwrap.dedent("\n".join(lines[start:start + size])).strip("\n") + "\n" == snippet
            for lines in sources
            for start in range(len(lines) - size + 1)
        )

    blocks = code_blocks(page, "python") + literal_blocks(page)
    assert len(blocks) >= 5
    assert [f"{page.name}:{line}" for line, code in blocks if not found(code)] == []


def test_every_python_block_is_run_or_an_excerpt():
    pages = [page for page in PAGES if code_blocks(page, "python")]
    assert sorted(pages) == sorted(RUNNABLE + EXCERPTS)


# -- rendering --------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_the_page_renders_without_a_warning(page: Path):
    docutils_core = pytest.importorskip("docutils.core")
    pytest.importorskip("pygments")
    warnings = io.StringIO()
    docutils_core.publish_doctree(
        page.read_text(encoding="utf-8"),
        source_path=str(page),
        settings_overrides={"report_level": 2, "halt_level": 5, "warning_stream": warnings},
    )
    assert warnings.getvalue() == ""


_LINK = re.compile(r"`[^`<]*<([^>`]+)>`_")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_relative_links_lead_to_files(page: Path):
    targets = _LINK.findall(page.read_text(encoding="utf-8"))
    local = [target for target in targets if "://" not in target and not target.startswith("mailto:")]
    assert [target for target in local if not (page.parent / target.split("#")[0]).exists()] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_no_paragraph_line_starts_with_a_dash(page: Path):
    """A dash that wraps to the start of a line reads as a list item to some
    renderers: keep it at the end of the line before."""
    broken, previous, in_list = [], "", False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text:
            in_list = False
        elif text.startswith("- "):
            if previous and not in_list and not previous.startswith("* "):
                broken.append(f"{page.name}:{number}: {text[:40]}")
            in_list = True
        previous = text
    assert broken == []
