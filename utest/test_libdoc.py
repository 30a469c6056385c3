"""The keyword documentation builds, and every keyword carries an example.

docs/index.rst documents the command: ``python -m robot.libdoc RobotASGI docs/RobotASGI.html``.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXPECTED_KEYWORDS = {
    "Open ASGI Client", "Switch ASGI Client", "Close ASGI Client", "Close All ASGI Clients", "Get ASGI Aliases",
    "Update ASGI Client", "Get Cookies", "Get Cookie", "Add Cookie", "Delete All Cookies",
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "Send Request", "Start Request", "Wait For Response",
    "Status Should Be", "Request Should Be Successful",
    "Websocket Connect", "Send Text", "Send Bytes", "Send Json", "Receive Text", "Receive Bytes", "Receive Json",
    "Close Websocket", "Switch Websocket", "Websocket Should Receive Nothing", "Websocket Should Be Closed",
    "Response Should Match OpenAPI", "Get OpenAPI Coverage", "Log OpenAPI Coverage", "Json Should Match Schema",
    "Override Dependency", "Set App Attribute",
    "Open Stream", "Receive Event", "Receive Line", "Receive Chunk", "Stream Should Receive Nothing",
    "Stream Should Be Finished", "Switch Stream", "Close Stream",
    "Receive Json Until", "Receive Text Until", "Receive Message", "Drain Websocket",
}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("libdoc")
    html, spec_file = out / "RobotASGI.html", out / "RobotASGI.json"
    for target in (html, spec_file):
        result = subprocess.run(
            [sys.executable, "-m", "robot.libdoc", "RobotASGI", str(target)],
            capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert "Open ASGI Client" in html.read_text(encoding="utf-8")
    return json.loads(spec_file.read_text(encoding="utf-8"))


def test_the_documented_keywords_exist(spec):
    names = {keyword["name"] for keyword in spec["keywords"]}
    assert EXPECTED_KEYWORDS <= names, EXPECTED_KEYWORDS - names


def test_every_keyword_has_a_docstring_with_an_example_table(spec):
    missing = [k["name"] for k in spec["keywords"] if "<table" not in k["doc"]]
    assert missing == []


def test_keyword_arguments_are_typed_for_conversion(spec):
    untyped = [
        f"{k['name']}: {arg['name']}"
        for k in spec["keywords"]
        for arg in k["args"]
        if arg["kind"] in ("POSITIONAL_OR_NAMED", "NAMED_ONLY") and not arg["type"] and arg["name"] not in ("json", "data", "expected", "app")
    ]
    assert untyped == []


def test_alias_names_only_what_an_opening_keyword_creates(spec):
    """``alias=`` names what an opening keyword creates; ``client=`` picks a
    client, ``websocket=`` a session and ``stream=`` a stream on every other keyword."""
    arguments = {k["name"]: [arg["name"] for arg in k["args"]] for k in spec["keywords"]}
    assert sorted(name for name, args in arguments.items() if "alias" in args) == [
        "Open ASGI Client", "Open Stream", "Start Request", "Websocket Connect"
    ]
    uses_a_client = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "Send Request", "Start Request",
                     "Websocket Connect",
                     "Switch ASGI Client", "Update ASGI Client", "Close ASGI Client", "Get Cookies", "Get Cookie",
                     "Add Cookie", "Delete All Cookies", "Open Stream"]
    assert [name for name in uses_a_client if "client" not in arguments[name]] == []
    uses_a_stream = [name for name in arguments if name != "Open Stream" and (
        "stream" in name.lower() or name in ("Receive Event", "Receive Line", "Receive Chunk"))]
    assert len(uses_a_stream) == 7
    assert [name for name in uses_a_stream if "stream" not in arguments[name]] == []
    uses_a_session = [name for name in arguments if name not in ("Websocket Connect", "Send Request", *uses_a_stream) and (
        "websocket" in name.lower() or name.startswith(("Send ", "Receive ")))]
    assert len(uses_a_session) == 15
    assert [name for name in uses_a_session if "websocket" not in arguments[name]] == []


def test_the_verbs_that_send_a_body_take_the_pacing_arguments_last(spec):
    arguments = {k["name"]: [arg["name"] for arg in k["args"]] for k in spec["keywords"]}
    pacing = ["chunk_size", "chunk_delay", "disconnect_after"]
    for name in ("GET", "POST", "PUT", "PATCH", "DELETE", "Send Request"):
        assert arguments[name][-3:] == pacing, name
    assert arguments["Start Request"][-4:] == [*pacing, "alias"]
    for name in ("HEAD", "OPTIONS"):
        assert not set(pacing) & set(arguments[name]), name


def test_the_introduction_covers_scopes_timeouts_and_logging(spec):
    intro = spec["doc"]
    for section in ("Clients, sessions and scopes", "Timeouts", "Streams and Server-Sent Events",
                    "WebSocket dialogues", "Contract testing", "Test doubles", "Logging and credentials",
                    "What only an in-process library can show", "Example"):
        assert section in intro


def test_import_arguments_are_documented(spec):
    init = spec["inits"][0]
    assert {arg["name"] for arg in init["args"]} == {
        "timeout", "auto_close", "log_body_limit", "mask_headers", "mask_fields", "app_log_warnings", "trace"
    }
    for name in ("auto_close", "mask_fields", "app_log_warnings", "trace"):
        assert name in init["doc"]


def test_importing_the_engine_does_not_load_robot():
    code = "import sys, RobotASGI.testclient; print(any(m == 'robot' or m.startswith('robot.') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.stdout.strip() == "False", result.stderr


@pytest.fixture(scope="module")
def html_docs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The docs as the generated HTML page holds them (already formatted)."""
    html = tmp_path_factory.mktemp("libdoc-html") / "RobotASGI.html"
    result = subprocess.run(
        [sys.executable, "-m", "robot.libdoc", "RobotASGI", str(html)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in html.read_text(encoding="utf-8").splitlines() if line.startswith("libdoc = "))
    return json.loads(line[len("libdoc = "):].rstrip(";"))


def _formatted_docs(data: dict) -> list:
    return [data["doc"]] + [init["doc"] for init in data["inits"]] + [keyword["doc"] for keyword in data["keywords"]]


def test_robot_section_headers_render_as_written(html_docs):
    """``*** Settings ***`` in an example must not turn into bold ``* Settings *``."""
    intro = html_docs["doc"]
    assert "*** Settings ***" in intro and "*** Test Cases ***" in intro
    assert [doc[:80] for doc in _formatted_docs(html_docs) if "<b>*</b>" in doc] == []


def test_the_auto_close_table_renders_every_row(html_docs):
    intro = html_docs["doc"]
    table = intro[intro.index("<table", intro.index("auto_close")):]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == 4  # the heading and TEST, SUITE, MANUAL
    assert "<td><code>MANUAL</code></td>" in table


def test_every_table_row_in_the_docs_is_one_libdoc_reads_as_a_row():
    """A line that looks like a table row but that Robot's formatter does not
    take for one (``|| `` at its end, say) silently becomes preformatted text."""
    from robot.libdocpkg import LibraryDocumentation

    library = LibraryDocumentation("RobotASGI")
    docs = [("introduction", library.doc)] + [(init.name, init.doc) for init in library.inits]
    docs += [(keyword.name, keyword.doc) for keyword in library.keywords]
    row = re.compile(r"^\| (.* |)\|$")
    broken = [
        f"{name}: {line}"
        for name, doc in docs
        for line in (raw.strip() for raw in doc.splitlines())
        if line.startswith("|") and " | " in line and not row.match(line)
    ]
    assert broken == []


def test_no_paragraph_turns_into_a_list_midway():
    """Robot's formatter starts a list at any line that begins with ``- ``:
    a dash that wraps to the start of a line in the middle of a paragraph
    makes the rest of it a list item."""
    from robot.libdocpkg import LibraryDocumentation

    library = LibraryDocumentation("RobotASGI")
    docs = [("introduction", library.doc)] + [(init.name, init.doc) for init in library.inits]
    docs += [(keyword.name, keyword.doc) for keyword in library.keywords]
    broken = []
    for name, doc in docs:
        previous, in_list = "", False
        for line in (raw.strip() for raw in doc.splitlines()):
            if not line:
                in_list = False
            elif line.startswith("- "):
                if previous and not in_list:
                    broken.append(f"{name}: {previous} / {line}")
                in_list = True
            previous = line
    assert broken == []
