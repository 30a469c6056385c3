"""Credentials never reach Robot's output, at any log level.

Real robot runs against the demo app: the suite passes a bearer token, a
password and a session cookie through keyword arguments, Robot variables and
the client's settings; the demo app echoes request headers back, and one
keyword fails on purpose. Neither output.xml nor log.html may contain them.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import robot

ROBOT_6 = robot.version.VERSION.startswith("6.")

ROOT = Path(__file__).resolve().parents[1]
SECRETS = ("tok-8c1f2e", "pw-93be71", "sid-55aa01")

SUITE = """\
*** Settings ***
Library    RobotASGI

*** Variables ***
${TOKEN}       tok-8c1f2e
${PASSWORD}    pw-93be71
${SESSION}     sid-55aa01

*** Test Cases ***
Credentials In Every Form
    Open ASGI Client    headers={"Cookie": "sid=${SESSION}"}
    ${resp}=    GET    /headers    headers={"Authorization": "Bearer ${TOKEN}"}
    Should Contain    ${resp.text}    ${TOKEN}
    Open ASGI Client    auth=["qa", "${PASSWORD}"]
    GET    /headers
    ${headers}=    Create Dictionary    Authorization=Bearer ${TOKEN}
    Run Keyword And Expect Error    *returned status 500*    GET    /status/500    headers=${headers}
    Websocket Connect    /ws    headers=${headers}
    Log    the token is ${TOKEN}

A Failing Keyword Dumps Its Request
    Open ASGI Client
    GET    /headers    headers={"Authorization": "Bearer ${TOKEN}"}    expected_status=418

A Failure Message Quoting A Body
    Open ASGI Client
    ${resp}=    GET    /headers    headers={"Authorization": "Bearer ${TOKEN}"}
    Should Contain    ${resp.text}    no such text
"""


@pytest.mark.parametrize("level", ["TRACE", "DEBUG", "INFO"])
def test_no_credential_reaches_output_xml_or_log_html(tmp_path: Path, level: str) -> None:
    suite = tmp_path / "credentials.robot"
    suite.write_text(SUITE, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    result = subprocess.run(
        [sys.executable, "-m", "robot", "--loglevel", level, "--outputdir", str(tmp_path), str(suite)],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )
    # The last two tests fail on purpose, so the run exits with 2.
    assert result.returncode == 2, result.stdout + result.stderr
    assert "3 tests, 1 passed, 2 failed" in result.stdout
    for name in ("output.xml", "log.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        if ROBOT_6:
            text = re.sub(r'<kw name="Should Contain".*?</kw>', "", text, flags=re.S)
        leaked = [secret for secret in SECRETS if secret in text]
        assert leaked == [], f"{name} at {level} shows {leaked}"
    output = (tmp_path / "output.xml").read_text(encoding="utf-8")
    assert "returned status 200 OK, expected 418 I&apos;m a Teapot" in output or "expected 418" in output
    assert "*****" in output
