"""ASGI protocol violations by the app (contract: "Protocol violations").

Each violation -> ASGIProtocolError (also a RuntimeError) whose message names the violation
and the offending message type, raised from the request call even if the app swallowed it.
Never a bare AssertionError / KeyError. The client stays usable afterwards.
"""
from __future__ import annotations

import pytest

from RobotASGI.testclient import ASGIProtocolError, TestClient, TestClientError

TIMEOUT = 10

START = {"type": "http.response.start", "status": 200, "headers": []}
BODY = {"type": "http.response.body", "body": b"ok", "more_body": False}


def make_app(script, seen=None):
    """Plain ASGI app: /bad sends the messages of `script` in order; /ok answers normally.

    `seen` (list) collects the exceptions send() raised inside the app, if the app catches them.
    """

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return  # no lifespan support
        if scope["path"] == "/ok":
            await send(START)
            await send(BODY)
            return
        for message in script:
            if seen is None:
                await send(message)
            else:
                try:
                    await send(message)
                except Exception as exc:  # noqa: BLE001 - recording what send() raised
                    seen.append(exc)

    return app


# (id, script, substrings that must all be in the message (case-insensitive),
#  alternatives of which at least one must be in it)
VIOLATIONS = [
    ("body-before-start", [BODY], ["http.response.body"], ["start"]),
    ("two-starts", [START, START], ["http.response.start"], ["twice", "already", "second", "more than once", "two", "again", "after", "duplicate", "multiple"]),
    ("str-body", [START, {"type": "http.response.body", "body": "text"}], ["http.response.body"], ["bytes", "str"]),
    ("str-status", [{"type": "http.response.start", "status": "200", "headers": []}, BODY],
     ["http.response.start"], ["status"]),
    ("str-header-name", [{"type": "http.response.start", "status": 200, "headers": [("x-name", b"v")]}, BODY],
     ["http.response.start"], ["header"]),
    ("str-header-value", [{"type": "http.response.start", "status": 200, "headers": [(b"x-name", "v")]}, BODY],
     ["http.response.start"], ["header"]),
    ("unknown-type", [START, {"type": "http.response.nonsense"}], ["http.response.nonsense"], ["unknown", "unexpected", "invalid", "unsupported", "not"]),
    ("body-after-final-body", [START, BODY, {"type": "http.response.body", "body": b"more"}],
     ["http.response.body"], ["after", "complete", "finished", "already", "ended"]),
    ("start-after-final-body", [START, BODY, START], ["http.response.start"], ["after", "complete", "finished", "already", "ended", "twice"]),
    ("start-missing-status", [{"type": "http.response.start", "headers": []}, BODY], ["http.response.start"], ["status"]),
    ("message-without-type", [{"status": 200, "headers": []}, BODY], [], ["type"]),
    ("message-not-a-dict", [None], [], ["dict", "mapping", "message"]),
    ("headers-none", [{"type": "http.response.start", "status": 200, "headers": None}, BODY],
     ["http.response.start"], ["header"]),
    ("body-none", [START, {"type": "http.response.body", "body": None}], ["http.response.body"], ["bytes"]),
    ("trailers-not-announced", [START, BODY, {"type": "http.response.trailers", "headers": [], "more_trailers": False}],
     ["http.response.trailers"], ["trailers"]),
    ("websocket-message-on-http", [{"type": "websocket.accept"}], ["websocket.accept"], ["unknown", "unexpected", "invalid", "http"]),
]


def _check_message(exc, must, any_of):
    text = str(exc).lower()
    for needle in must:
        assert needle.lower() in text, f"{needle!r} not named in {str(exc)!r}"
    if any_of:
        assert any(n.lower() in text for n in any_of), f"none of {any_of} in {str(exc)!r}"


def _assert_protocol_error(call):
    with pytest.raises(Exception) as info:
        call()
    exc = info.value
    assert isinstance(exc, ASGIProtocolError), f"expected ASGIProtocolError, got {exc!r}"
    assert isinstance(exc, RuntimeError)
    assert isinstance(exc, TestClientError)
    return exc


@pytest.mark.parametrize("name,script,must,any_of", VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_violation_raises_protocol_error(backend, name, script, must, any_of):
    client = TestClient(make_app(script), backend=backend, timeout=TIMEOUT)
    exc = _assert_protocol_error(lambda: client.get("/bad"))
    _check_message(exc, must, any_of)
    # the client stays usable
    response = client.get("/ok")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.parametrize("name,script,must,any_of", VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_violation_raises_protocol_error_inside_with(backend, name, script, must, any_of):
    with TestClient(make_app(script), backend=backend, timeout=TIMEOUT) as client:
        exc = _assert_protocol_error(lambda: client.get("/bad"))
        _check_message(exc, must, any_of)
        assert client.get("/ok").content == b"ok"


# Violations that happen before the response is complete (the streamed read must see them).
IN_RESPONSE = [v for v in VIOLATIONS if "after-final-body" not in v[0]]


@pytest.mark.parametrize("name,script,must,any_of", IN_RESPONSE, ids=[v[0] for v in IN_RESPONSE])
def test_violation_raises_protocol_error_with_stream(backend, name, script, must, any_of):
    client = TestClient(make_app(script), backend=backend, timeout=TIMEOUT)

    def call():
        with client.get("/bad", stream=True) as response:
            response.content  # noqa: B018 - read the whole body

    exc = _assert_protocol_error(call)
    _check_message(exc, must, any_of)
    assert client.get("/ok").content == b"ok"


def test_send_raises_protocol_error_into_the_app(backend):
    seen: list = []
    client = TestClient(make_app([BODY, START, BODY], seen=seen), backend=backend, timeout=TIMEOUT)
    # The app swallowed the error and then answered correctly: still an error of the app.
    exc = _assert_protocol_error(lambda: client.get("/bad"))
    assert len(seen) == 1
    assert isinstance(seen[0], ASGIProtocolError)
    assert "http.response.body" in str(exc)


def test_swallowed_error_in_the_middle_of_a_valid_response_is_still_raised(backend):
    seen: list = []
    script = [START, {"type": "http.response.body", "body": "not bytes", "more_body": True}, BODY]
    client = TestClient(make_app(script, seen=seen), backend=backend, timeout=TIMEOUT)
    exc = _assert_protocol_error(lambda: client.get("/bad"))
    assert [type(e) for e in seen] == [type(exc)]
    assert "http.response.body" in str(exc)
    assert client.get("/ok").content == b"ok"


def test_app_catching_error_and_returning_nothing_raises(backend):
    seen: list = []
    client = TestClient(make_app([BODY], seen=seen), backend=backend, timeout=TIMEOUT)
    _assert_protocol_error(lambda: client.get("/bad"))
    assert len(seen) == 1 and isinstance(seen[0], ASGIProtocolError)


def test_returning_without_sending_anything_raises(backend):
    client = TestClient(make_app([]), backend=backend, timeout=TIMEOUT)
    exc = _assert_protocol_error(lambda: client.get("/bad"))
    assert "http.response.start" in str(exc)
    assert client.get("/ok").content == b"ok"


def test_returning_without_sending_anything_gives_500_without_raise(backend):
    client = TestClient(make_app([]), backend=backend, timeout=TIMEOUT, raise_server_exceptions=False)
    response = client.get("/bad")
    assert response.status_code == 500
    assert response.content == b"Internal Server Error"
    assert response.headers["content-type"].startswith("text/plain")
    assert client.get("/ok").content == b"ok"


def test_returning_after_start_without_final_body_raises(backend):
    client = TestClient(make_app([START]), backend=backend, timeout=TIMEOUT)
    exc = _assert_protocol_error(lambda: client.get("/bad"))
    text = str(exc).lower()
    assert "http.response.body" in text or "complet" in text or "final" in text, str(exc)
    assert client.get("/ok").content == b"ok"


def test_returning_after_partial_body_without_final_body_raises(backend):
    partial = {"type": "http.response.body", "body": b"part", "more_body": True}
    client = TestClient(make_app([START, partial]), backend=backend, timeout=TIMEOUT)
    _assert_protocol_error(lambda: client.get("/bad"))
    assert client.get("/ok").content == b"ok"


def test_returning_without_announced_trailers_raises(backend):
    start = {"type": "http.response.start", "status": 200, "headers": [], "trailers": True}
    client = TestClient(make_app([start, BODY]), backend=backend, timeout=TIMEOUT)
    exc = _assert_protocol_error(lambda: client.get("/bad"))
    assert "trailers" in str(exc)
    assert client.get("/ok").content == b"ok"


def test_protocol_error_message_is_not_an_assertion_error_on_asgi2_app(backend):
    class App:
        def __init__(self, scope):
            self.scope = scope

        async def __call__(self, receive, send):
            if self.scope["type"] != "http":
                return
            await send(BODY)

    client = TestClient(App, backend=backend, timeout=TIMEOUT)
    exc = _assert_protocol_error(lambda: client.get("/"))
    assert "http.response.body" in str(exc)
