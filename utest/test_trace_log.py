"""What the Robot log shows of an exchange's ASGI trace and of an app's
traceback: credentials masked (a body cut short included), nothing else
rewritten, only the frames of the app and its framework."""
from __future__ import annotations

import json

import pytest
import requests

from RobotASGI.app_traceback import app_traceback, full_traceback, is_hidden
from RobotASGI.exchange_log import ExchangeLog
from RobotASGI.masking import MASK, Masker
from RobotASGI.testclient import TestClient
from RobotASGI.testclient.trace import BODY_BYTES

TOKEN = "tok-7f3a9c2e5b8d41f6a0c3e9b2d5f8a1c4"


def log() -> ExchangeLog:
    return ExchangeLog(Masker(), 2000)


# -- a body cut short ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, shown",
    [
        ('{"user": "qa", "password": "hunt', f'{{"user": "qa", "password": {MASK}'),
        ('{"user": "qa", "password": ', '{"user": "qa", "password": '),
        ('{"token": {"a": "b", "c": [1, 2', f'{{"token": {MASK}'),
        ('{"token": {"a": "b"}, "next": "visible', f'{{"token": {MASK}, "next": "visible'),
        ('[["user", "qa"], ["password", "hu', f'[["user", "qa"], ["password", {MASK}'),
        ('{"note": "password", "other": "x', '{"note": "password", "other": "x'),
        ('{"password": "*****", "name": "Rob', '{"password": "*****", "name": "Rob'),
        ("plain text without fields", "plain text without fields"),
    ],
)
def test_a_cut_text_masks_a_masked_field_the_cut_leaves_open(text, shown):
    assert Masker().cut(text) == shown


def test_a_cut_text_leaves_out_an_end_that_starts_a_remembered_credential():
    masker = Masker()
    masker.remember([TOKEN])
    assert masker.cut("a" * 10 + TOKEN[:12]) == "a" * 10
    assert masker.cut("a" * 10 + "tok") == "a" * 10  # even its first characters
    assert masker.cut("a" * 10 + "xyz") == "a" * 10 + "xyz"  # nothing else is cut


# -- a body as the trace shows it ----------------------------------------------------------


def test_a_whole_json_body_has_its_masked_fields_masked_and_the_rest_as_is():
    shown = log().trace_body(b'{"user":"qa","password":"hunter2","n":[1,2]}', 44)
    assert json.loads(eval(shown)) == {"user": "qa", "password": MASK, "n": [1, 2]}
    assert log().trace_body(b'{"user":"qa","n":[1,2]}', 23) == repr('{"user":"qa","n":[1,2]}')  # not reformatted


def test_a_whole_form_body_has_its_masked_fields_masked():
    assert log().trace_body(b"username=qa&password=hunter2", 28) == repr(f"username=qa&password={MASK}")


def test_a_cut_body_says_its_whole_size():
    assert log().trace_body(b'{"padding": "xxx', 400) == repr('{"padding": "xxx') + "... (400 bytes in all)"
    assert log().trace_body("hello", 9) == repr("hello") + "... (9 characters in all)"


def test_a_character_the_cut_split_is_left_out():
    assert log().trace_body("Grüße".encode()[:3], 7) == repr("Gr") + "... (7 bytes in all)"


def test_binary_data_is_shown_as_bytes_and_a_multipart_body_only_named():
    assert log().trace_body(b"\xff\x00\x01", 3) == repr(b"\xff\x00\x01")
    multipart = b'--boundary\r\nContent-Disposition: form-data; name="password"\r\n\r\nhunter2\r\n--boundary--\r\n'
    assert log().trace_body(multipart, len(multipart)) == f"(multipart/form-data body, {len(multipart)} bytes)"


async def _token_app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = json.dumps({"padding": "p" * 220, "access_token": TOKEN, "tail": "t" * 120}).encode()
    await receive()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json"), (b"set-cookie", b"session=s3cr3t-session; Path=/")]})
    await send({"type": "http.response.body", "body": body})


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_real_trace_is_masked_by_place_and_by_value(backend):
    masker = Masker()
    masker.remember(["Bearer abc-123-secret-xyz"])
    with TestClient(_token_app, backend=backend) as client:
        response = client.post(
            "/login?api_key=k-123456789&page=2",
            json={"user": "qa", "password": "hunter2"},
            headers={"Authorization": "Bearer abc-123-secret-xyz", "X-Request-Id": "r-1"},
        )
    text = ExchangeLog(masker, 2000).trace(response.asgi_trace)
    for secret in ("hunter2", "abc-123-secret-xyz", "k-123456789", "s3cr3t-session", TOKEN, TOKEN[:8]):
        assert secret not in text
    assert f"authorization: {MASK}" in text and "x-request-id: r-1" in text
    assert f"set-cookie: session={MASK}; Path=/" in text
    assert f"?api_key={MASK}&page=2" in text
    assert '"access_token": *****' in text and f"... ({len(response.content)} bytes in all)" in text
    assert "end     the app returned" in text
    assert len(response.content) > BODY_BYTES


# -- the app's traceback ------------------------------------------------------------------


async def _raising_app(scope, receive, send):
    if scope["type"] == "http":
        _lookup("order 7")


def _lookup(key: str) -> None:
    try:
        {}[key]
    except KeyError as exc:
        raise RuntimeError(f"could not load {key}") from exc


def _error(app, backend: str) -> BaseException:
    with TestClient(app, backend=backend) as client:
        with pytest.raises(Exception) as caught:
            client.get("/")
    return caught.value


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_app_traceback_keeps_only_the_app_frames_of_every_link(backend):
    error = _error(_raising_app, backend)
    text = app_traceback(error)
    assert text is not None
    frames = [line for line in text.splitlines() if line.startswith('  File "')]
    assert frames and all(__file__ in line for line in frames), text
    assert "KeyError: 'order 7'" in text and "RuntimeError: could not load order 7" in text
    assert "The above exception was the direct cause of the following exception" in text
    full = full_traceback(error)
    assert "RobotASGI/testclient/task.py" in full and "requests/sessions.py" in full


def test_an_error_that_did_not_come_through_the_app_has_no_app_traceback():
    try:
        json.loads("{not json")
    except ValueError as exc:
        assert app_traceback(exc) is None
    with pytest.raises(requests.ConnectionError) as caught:
        requests.Session().get("http://127.0.0.1:9", timeout=0.5)
    assert app_traceback(caught.value) is None


@pytest.mark.parametrize(
    "path, hidden",
    [
        (requests.__file__, True),
        (pytest.importorskip("anyio").__file__, True),
        (pytest.importorskip("trio").__file__, True),
        (json.__file__, False),
        (pytest.importorskip("asyncio").__file__, True),
        (pytest.importorskip("threading").__file__, True),
        (pytest.importorskip("concurrent.futures").__file__, True),
        (pytest.importorskip("starlette").__file__, False),
        (pytest.importorskip("RobotASGI.testclient").__file__, True),
        (pytest.importorskip("RobotASGI.demo.app").__file__, False),
        (__file__, False),
    ],
)
def test_which_frames_are_hidden(path, hidden):
    assert is_hidden(path) is hidden
