"""WebSocket failures (contract: "WebSocket half").

Timeouts (per call, session default, client default, handshake), assert_no_message, app
exceptions (unwrapped, same object, app traceback; raise_server_exceptions=False -> 1011), leaving
the block (disconnect 1000, cancellation of an app that ignores it, frameworks ending cleanly),
protocol violations -> ASGIProtocolError.
"""
from __future__ import annotations

import functools
import threading
import time
import traceback

import pytest

from RobotASGI.testclient import (
    ASGIProtocolError,
    ClientDisconnected,
    TestClient,
    TestClientError,
    UnexpectedMessage,
    WebSocketDisconnect,
    WebSocketTimeout,
)
from ws_apps import (
    AppError,
    EchoApp,
    IgnoresDisconnect,
    NeverAccepts,
    RaiseApp,
    SendAfterCloseApp,
    SilentApp,
    echo_session,
    make_fastapi_app,
    make_starlette_app,
    violating_app,
)

BOUND = 5.0

try:
    _GROUP = BaseExceptionGroup  # type: ignore[name-defined]
except NameError:  # pragma: no cover - Python < 3.11
    from exceptiongroup import BaseExceptionGroup as _GROUP


def timed(call):
    """(exception raised by call, seconds it took)."""
    start = time.monotonic()
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - returned to the test
        return exc, time.monotonic() - start
    return None, time.monotonic() - start


# --------------------------------------------------------------------------
# timeouts
# --------------------------------------------------------------------------

def test_receive_timeout_on_a_silent_app(backend):
    app = SilentApp()
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/ws") as ws:
        for receive in (ws.receive_text, ws.receive_bytes, ws.receive_json, ws.receive):
            exc, elapsed = timed(functools.partial(receive, timeout=0.3))
            assert isinstance(exc, WebSocketTimeout), exc
            assert isinstance(exc, TimeoutError) and isinstance(exc, TestClientError)
            assert 0.25 < elapsed < 3
    assert app.disconnects and app.disconnects[0]["code"] == 1000  # still open after the timeouts


def test_session_timeout_from_websocket_connect(backend):
    client = TestClient(SilentApp(), backend=backend)
    with client.websocket_connect("/ws", timeout=0.3) as ws:
        assert ws.timeout == 0.3
        exc, elapsed = timed(ws.receive_text)
        assert isinstance(exc, WebSocketTimeout)
        assert 0.25 < elapsed < 3


def test_session_timeout_from_the_client(backend):
    client = TestClient(SilentApp(), backend=backend, timeout=0.4)
    with client.websocket_connect("/ws") as ws:
        assert ws.timeout == 0.4
        exc, elapsed = timed(ws.receive_bytes)
        assert isinstance(exc, WebSocketTimeout)
        assert 0.35 < elapsed < 3


def test_per_call_timeout_wins_over_the_session_default(backend):
    client = TestClient(SilentApp(), backend=backend, timeout=60)
    with client.websocket_connect("/ws", timeout=30) as ws:
        exc, elapsed = timed(lambda: ws.receive_text(timeout=0.2))
        assert isinstance(exc, WebSocketTimeout)
        assert elapsed < 3


def test_receive_after_a_timeout_still_gets_later_messages(backend):
    with echo_session(backend) as (_, ws):
        with pytest.raises(WebSocketTimeout):
            ws.receive_text(timeout=0.1)
        ws.send_text("late")
        assert ws.receive_text(timeout=BOUND) == "late"


@pytest.mark.parametrize("where", ["connect", "client"])
def test_app_that_never_accepts(backend, where):
    app = NeverAccepts()
    if where == "connect":
        client = TestClient(app, backend=backend)
        session = client.websocket_connect("/ws", timeout=0.3)
    else:
        client = TestClient(app, backend=backend, timeout=0.3)
        session = client.websocket_connect("/ws")
    exc, elapsed = timed(session.__enter__)
    assert isinstance(exc, WebSocketTimeout), exc
    assert elapsed < 3
    assert app.cancelled.wait(BOUND), "the app that never accepted was not cancelled"


def test_never_accepts_inside_with_leaves_the_client_usable(backend):
    app = NeverAccepts()
    with TestClient(app, backend=backend, timeout=0.3) as client:
        for _ in range(2):
            with pytest.raises(WebSocketTimeout):
                with client.websocket_connect("/ws"):
                    pass  # pragma: no cover - not reached
        assert app.cancelled.wait(BOUND)


# --------------------------------------------------------------------------
# assert_no_message
# --------------------------------------------------------------------------

def test_assert_no_message_when_nothing_comes(backend):
    client = TestClient(SilentApp(), backend=backend)
    with client.websocket_connect("/ws") as ws:
        exc, elapsed = timed(lambda: ws.assert_no_message(0.2))
        assert exc is None
        assert 0.15 < elapsed < 2


def test_assert_no_message_when_something_comes(backend):
    with echo_session(backend) as (_, ws):
        ws.send_text("!text surprise")
        exc, elapsed = timed(lambda: ws.assert_no_message(1.0))
        assert isinstance(exc, UnexpectedMessage), exc
        assert "surprise" in str(exc)
        assert elapsed < 2
        assert ws.receive_text() == "surprise"  # still there to be received
        ws.send_bytes(b"\x01")
        with pytest.raises(UnexpectedMessage) as info:
            ws.assert_no_message(1.0)
        assert "binary" in str(info.value)
        assert ws.receive_bytes() == b"\x01"
        ws.assert_no_message(0.05)


def test_assert_no_message_when_the_app_closes(backend):
    with echo_session(backend) as (_, ws):
        ws.send_text("!close 4001 closing")
        with pytest.raises(UnexpectedMessage) as info:
            ws.assert_no_message(1.0)
        assert "close" in str(info.value)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
        assert (closed.value.code, closed.value.reason) == (4001, "closing")


# --------------------------------------------------------------------------
# app exceptions
# --------------------------------------------------------------------------

def assert_app_error(exc, app_raised, function_name):
    assert type(exc) is AppError, repr(exc)
    assert not isinstance(exc, _GROUP)
    assert exc is app_raised
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    assert function_name in text


def test_app_exception_on_the_next_receive(backend):
    app = RaiseApp("on-message", "bad message")
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/ws") as ws:
        ws.send_text("x")
        with pytest.raises(AppError) as info:
            ws.receive_text()
    assert str(info.value) == "bad message"
    assert_app_error(info.value, app.raised[0], "exploding_websocket_handler")


def test_app_exception_on_the_next_send(backend):
    app = RaiseApp("after-accept", "failed on its own")
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/ws") as ws:
        assert app.ended.wait(BOUND)
        time.sleep(0.2)  # the engine notes the end right after the app's finally
        with pytest.raises(AppError) as info:
            ws.send_text("x")
    assert_app_error(info.value, app.raised[0], "exploding_websocket_handler")


def test_app_exception_on_leaving_the_block(backend):
    app = RaiseApp("on-disconnect", "failed while closing")
    client = TestClient(app, backend=backend)
    with pytest.raises(AppError) as info:
        with client.websocket_connect("/ws") as ws:
            ws.assert_no_message(0.05)
    assert_app_error(info.value, app.raised[0], "exploding_websocket_handler")


def test_app_exception_before_accept(backend):
    app = RaiseApp("before-accept", "refused by raising")
    client = TestClient(app, backend=backend)
    with pytest.raises(AppError) as info:
        with client.websocket_connect("/ws"):
            pass  # pragma: no cover - not reached
    assert_app_error(info.value, app.raised[0], "exploding_websocket_handler")


def test_app_exception_inside_with(backend):
    app = RaiseApp("on-message", "inside with")
    with TestClient(app, backend=backend) as client:
        with client.websocket_connect("/ws") as ws:
            ws.send_text("x")
            with pytest.raises(AppError) as info:
                ws.receive_text()
        assert_app_error(info.value, app.raised[0], "exploding_websocket_handler")
        # the client (and its loop) still serves new sessions
        with pytest.raises(AppError):
            with client.websocket_connect("/ws") as ws:
                ws.send_text("again")
                ws.receive_text()


def test_exception_is_raised_once(backend):
    app = RaiseApp("on-message")
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/ws") as ws:  # leaving the block must not raise it again
        ws.send_text("x")
        with pytest.raises(AppError):
            ws.receive_text()


@pytest.mark.parametrize("framework, make_app", [("starlette", make_starlette_app), ("fastapi", make_fastapi_app)])
def test_framework_endpoint_exception(backend, framework, make_app):
    app, _ = make_app()
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/raise") as ws:
        ws.send_text("x")
        with pytest.raises(AppError) as info:
            ws.receive_text()
    assert str(info.value) == f"{framework} endpoint failed"
    assert not isinstance(info.value, _GROUP)
    assert f"{framework}_raising_endpoint" in "".join(traceback.format_tb(info.value.__traceback__))


@pytest.mark.parametrize("when", ["on-message", "before-accept"])
def test_raise_server_exceptions_false_gives_1011(backend, when):
    app = RaiseApp(when)
    client = TestClient(app, backend=backend, raise_server_exceptions=False)
    if when == "before-accept":
        with pytest.raises(WebSocketDisconnect) as info:
            client.websocket_connect("/ws").__enter__()
    else:
        with client.websocket_connect("/ws") as ws:  # leaving the block does not raise either
            ws.send_text("x")
            with pytest.raises(WebSocketDisconnect) as info:
                ws.receive_text()
    assert type(info.value) is WebSocketDisconnect
    assert info.value.code == 1011


def test_raise_server_exceptions_false_on_leaving(backend):
    # contract: app exceptions surface on leaving the block; with
    # raise_server_exceptions=False they become WebSocketDisconnect(1011)
    app = RaiseApp("on-disconnect")
    client = TestClient(app, backend=backend, raise_server_exceptions=False)
    with pytest.raises(WebSocketDisconnect) as info:
        with client.websocket_connect("/ws"):
            pass
    assert type(info.value) is WebSocketDisconnect
    assert info.value.code == 1011
    assert app.ended.is_set() and app.raised


# --------------------------------------------------------------------------
# leaving the block
# --------------------------------------------------------------------------

def test_leaving_the_block_sends_disconnect_1000(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    exc, elapsed = timed(lambda: _echo_once(client))
    assert exc is None
    assert app.ended.is_set()  # the app had ended when the block was left
    (message,) = app.disconnects
    assert message["type"] == "websocket.disconnect"
    assert message["code"] == 1000
    assert message.get("reason") in ("", None)
    assert elapsed < BOUND


def _echo_once(client):
    with client.websocket_connect("/ws") as ws:
        ws.send_text("x")
        assert ws.receive_text() == "x"


def test_app_sending_after_the_client_closed_gets_client_disconnected(backend):
    app = SendAfterCloseApp()
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/ws") as ws:
        ws.close(4000, "leaving")
    assert app.ended.wait(BOUND)
    assert isinstance(app.send_error, ClientDisconnected) and isinstance(app.send_error, OSError)
    assert app.receives == [{"type": "websocket.disconnect", "code": 4000, "reason": "leaving"}] * 2


def test_app_sleeping_after_the_disconnect_is_cancelled(backend):
    app = IgnoresDisconnect("sleep")
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/ws") as ws:
        start = time.monotonic()
        ws.__exit__(None, None, None)
        elapsed = time.monotonic() - start
    assert elapsed < 5
    assert app.cancelled.is_set()
    assert app.ended.is_set()  # its finally block ran


def test_app_looping_on_receive_ignoring_the_disconnect_is_cancelled(backend):
    app = IgnoresDisconnect("loop")
    client = TestClient(app, backend=backend)
    client.__enter__()  # on the client's loop: a blocked loop would block every later request
    session = client.websocket_connect("/ws")
    session.__enter__()
    outcome = {}

    def leave():
        outcome["exc"], outcome["elapsed"] = timed(lambda: session.__exit__(None, None, None))

    leaver = threading.Thread(target=leave, daemon=True)
    leaver.start()
    leaver.join(5)
    left_in_time = not leaver.is_alive()
    ended_by_then = app.ended.is_set()
    app.release.set()  # unblock the app whatever happened, so nothing spins after the test
    leaver.join(30)
    client.__exit__(None, None, None)
    assert left_in_time, "leaving the block hung on an app ignoring the disconnect"
    assert outcome["exc"] is None
    assert outcome["elapsed"] < 5
    assert ended_by_then, "the app's finally block did not run"
    assert app.cancelled.is_set()
    assert app.disconnects >= 1


@pytest.mark.parametrize("framework", ["starlette", "fastapi"])
def test_framework_endpoint_not_catching_the_disconnect_raises_on_leaving(backend, framework):
    # The seed: "any exceptions that occur within the application are always
    # raised by the test client" - the framework's WebSocketDisconnect too.
    from starlette.websockets import WebSocketDisconnect as StarletteDisconnect

    if framework == "starlette":
        app, record = make_starlette_app()
    else:
        app, record = make_fastapi_app()
    client = TestClient(app, backend=backend)
    session = client.websocket_connect("/loop")
    start = time.monotonic()
    with pytest.raises(StarletteDisconnect) as left:
        with session as ws:
            ws.send_text("one")
            ws.assert_no_message(0.05)
            start = time.monotonic()
    assert time.monotonic() - start < 5
    assert left.value.code == 1000
    assert record["loop_ended"].is_set()
    assert session.is_unhandled_disconnect(left.value)
    if framework == "starlette":
        assert record["loop_exit"] is left.value  # the app's own exception, not a cancellation


@pytest.mark.parametrize("framework", ["starlette", "fastapi"])
def test_framework_endpoint_not_catching_the_disconnect_without_raise_server_exceptions(backend, framework):
    app, record = make_starlette_app() if framework == "starlette" else make_fastapi_app()
    client = TestClient(app, backend=backend, raise_server_exceptions=False)
    with client.websocket_connect("/loop") as ws:
        ws.send_text("one")
    assert record["loop_ended"].is_set()


def test_any_exception_after_the_client_closed_is_raised_on_leaving(backend):
    async def app(scope, receive, send):
        await receive()
        await send({"type": "websocket.accept"})
        message = await receive()
        assert message["type"] == "websocket.disconnect"
        raise AppError(f"cleanup after close {message['code']} failed")

    session = TestClient(app, backend=backend).websocket_connect("/ws")
    with pytest.raises(AppError, match="cleanup after close 4000 failed") as left:
        with session as ws:
            ws.close(4000)
    assert not session.is_unhandled_disconnect(left.value)


def test_send_after_the_client_closed_is_not_an_error(backend):
    # ClientDisconnected is the engine's own "the client went away" (an
    # OSError out of send()): an app letting it through failed at nothing.
    sent = threading.Event()

    async def app(scope, receive, send):
        await receive()
        await send({"type": "websocket.accept"})
        assert (await receive())["type"] == "websocket.disconnect"
        sent.set()
        await send({"type": "websocket.send", "text": "too late"})  # raises ClientDisconnected

    with TestClient(app, backend=backend).websocket_connect("/ws") as ws:
        ws.close()
    assert sent.is_set()


# --------------------------------------------------------------------------
# protocol violations
# --------------------------------------------------------------------------

VIOLATION_WORDS = {
    "send_before_accept": ("websocket.send", "accept"),
    "text_and_bytes": ("text", "bytes"),
    "neither_text_nor_bytes": ("text", "bytes"),
    "str_in_bytes": ("bytes", "str"),
    "unknown_message_type": ("websocket.bogus",),
    "message_after_close": ("websocket.send", "close"),
    "unoffered_subprotocol": ("never-offered", "subprotocol"),
}


@pytest.mark.parametrize("kind", sorted(VIOLATION_WORDS))
def test_protocol_violation(backend, kind):
    app = violating_app(kind)
    client = TestClient(app, backend=backend)
    with pytest.raises(ASGIProtocolError) as info:
        with client.websocket_connect("/ws", subprotocols=["chat"], timeout=BOUND) as ws:
            ws.receive()  # the protocol error (or, for "message_after_close", the close message)
    exc = info.value
    assert isinstance(exc, RuntimeError) and isinstance(exc, TestClientError)
    assert not isinstance(exc, (AssertionError, KeyError))
    for word in VIOLATION_WORDS[kind]:
        assert word in str(exc), (word, str(exc))
    # the app itself got the ASGIProtocolError from its send()
    assert len(app.caught) == 1 and isinstance(app.caught[0], ASGIProtocolError)


@pytest.mark.parametrize("kind", ["unknown_message_type", "str_in_bytes"])
def test_swallowed_protocol_violation_is_still_raised_on_leaving(backend, kind):
    app = violating_app(kind, swallow=True)
    client = TestClient(app, backend=backend)
    with pytest.raises(ASGIProtocolError) as info:
        with client.websocket_connect("/ws"):
            pass
    for word in VIOLATION_WORDS[kind]:
        assert word in str(info.value)
    assert isinstance(app.caught[0], ASGIProtocolError)


@pytest.mark.parametrize("call", ["receive", "send"])
@pytest.mark.parametrize("kind", ["unknown_message_type", "str_in_bytes", "send_before_accept"])
def test_swallowed_protocol_violation_on_the_next_call(backend, kind, call):
    app = violating_app(kind, swallow=True)
    client = TestClient(app, backend=backend)

    def session():
        with client.websocket_connect("/ws", timeout=0.5) as ws:
            time.sleep(0.1)  # the app has sent its bad message by now
            if call == "receive":
                ws.receive()
            else:
                ws.send_text("next")

    exc, elapsed = timed(session)
    assert isinstance(exc, ASGIProtocolError), repr(exc)  # not a timeout, not lost
    for word in VIOLATION_WORDS[kind]:
        assert word in str(exc)
    assert elapsed < BOUND


def test_messages_sent_before_the_app_failed_are_received_first(backend):
    """Like a real connection: frames already sent arrive, then the failure."""

    async def app(scope, receive, send):
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "ready"})
        await send({"type": "websocket.send", "text": "steady"})
        raise RuntimeError("crashed after two frames")

    with pytest.raises(RuntimeError, match="crashed after two frames"):
        with TestClient(app, backend=backend).websocket_connect("/", timeout=5) as websocket:
            assert websocket.receive_text() == "ready"
            assert websocket.receive_text() == "steady"
            websocket.receive_text()
