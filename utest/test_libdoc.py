"""The keyword documentation builds, and every keyword carries an example.

The README documents the command: ``python -m robot.libdoc RobotASGI docs/RobotASGI.html``.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXPECTED_KEYWORDS = {
    "Open ASGI Client", "Switch ASGI Client", "Close ASGI Client", "Close All ASGI Clients", "Get ASGI Aliases",
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
    "Status Should Be", "Request Should Be Successful",
    "Websocket Connect", "Send Text", "Send Bytes", "Send Json", "Receive Text", "Receive Bytes", "Receive Json",
    "Close Websocket", "Switch Websocket", "Websocket Should Receive Nothing", "Websocket Should Be Closed",
    "Response Should Match OpenAPI", "Get OpenAPI Coverage", "Log OpenAPI Coverage", "Json Should Match Schema",
    "Override Dependency", "Set App Attribute",
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
    client and ``websocket=`` a session on every other keyword."""
    arguments = {k["name"]: [arg["name"] for arg in k["args"]] for k in spec["keywords"]}
    assert sorted(name for name, args in arguments.items() if "alias" in args) == ["Open ASGI Client", "Websocket Connect"]
    uses_a_client = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "Websocket Connect",
                     "Switch ASGI Client", "Close ASGI Client"]
    assert [name for name in uses_a_client if "client" not in arguments[name]] == []
    uses_a_session = [name for name in arguments if name != "Websocket Connect" and (
        "websocket" in name.lower() or name.startswith(("Send ", "Receive ")))]
    assert len(uses_a_session) == 11
    assert [name for name in uses_a_session if "websocket" not in arguments[name]] == []


def test_the_introduction_covers_scopes_timeouts_and_logging(spec):
    intro = spec["doc"]
    for section in ("Clients, sessions and scopes", "Timeouts", "Contract testing", "Test doubles",
                    "Logging and credentials", "Example"):
        assert section in intro


def test_import_arguments_are_documented(spec):
    init = spec["inits"][0]
    assert {arg["name"] for arg in init["args"]} == {"timeout", "auto_close", "log_body_limit", "mask_headers"}
    assert "auto_close" in init["doc"]


def test_importing_the_engine_does_not_load_robot():
    code = "import sys, RobotASGI.testclient; print(any(m == 'robot' or m.startswith('robot.') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.stdout.strip() == "False", result.stderr
