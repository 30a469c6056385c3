"""An open WebSocket session (contract: "WebSocket half").

send_text / send_bytes / send_json (text and binary frames), receive_text / receive_bytes /
receive_json, raw send() / receive(), close(code, reason); the wrong kind of frame ->
UnexpectedMessage; bad arguments -> TypeError / ValueError; the app closing; several sessions at
once; an idle session costs no CPU.
"""
from __future__ import annotations

import time

import pytest

from RobotASGI.testclient import (
    TestClient,
    UnexpectedMessage,
    WebSocketDisconnect,
)
from ws_apps import EchoApp, SilentApp, echo_session, make_asgi2_echo, make_fastapi_app, make_starlette_app

BOUND = 5.0


# --------------------------------------------------------------------------
# sending and receiving, frame kinds
# --------------------------------------------------------------------------

def test_send_text_is_a_text_frame(backend):
    with echo_session(backend) as (app, ws):
        ws.send_text("héllo ✓")
        assert ws.receive_text() == "héllo ✓"
    (message,) = app.received
    assert message["type"] == "websocket.receive"
    assert message["text"] == "héllo ✓"
    assert message.get("bytes") is None


def test_send_bytes_is_a_binary_frame(backend):
    with echo_session(backend) as (app, ws):
        ws.send_bytes(b"\x00\xffbinary")
        assert ws.receive_bytes() == b"\x00\xffbinary"
        ws.send_bytes(bytearray(b"from a bytearray"))
        received = ws.receive_bytes()
        assert received == b"from a bytearray" and type(received) is bytes
    assert [m["bytes"] for m in app.received] == [b"\x00\xffbinary", b"from a bytearray"]
    assert all(m.get("text") is None for m in app.received)
    assert all(type(m["bytes"]) is bytes for m in app.received)


def test_send_json_text_mode(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    data = {"name": "Zoë", "items": [1, 2.5, None, True], "nested": {"k": "v"}}
    with client.websocket_connect("/ws") as ws:
        ws.send_json(data)
        assert ws.receive_json() == data
        ws.send_json(data, mode="text")
        assert ws.receive_json(mode="text") == data
    for message in app.received:
        assert message.get("bytes") is None
        assert isinstance(message["text"], str)
        import json

        assert json.loads(message["text"]) == data


def test_send_json_binary_mode(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    data = {"name": "Zoë", "list": [1, 2, 3]}
    with client.websocket_connect("/ws") as ws:
        ws.send_json(data, mode="binary")
        assert ws.receive_json(mode="binary") == data
    (message,) = app.received
    assert message.get("text") is None
    import json

    assert json.loads(message["bytes"].decode("utf-8")) == data


def test_receive_json_from_a_binary_frame_the_app_sent(backend):
    with echo_session(backend) as (_, ws):
        ws.send_text('!bytes {"a": [1, 2]}')
        assert ws.receive_json(mode="binary") == {"a": [1, 2]}
        ws.send_text('!text {"b": "c"}')
        assert ws.receive_json() == {"b": "c"}


def test_raw_send_and_receive(backend):
    with echo_session(backend) as (_, ws):
        ws.send({"type": "websocket.receive", "text": "raw text"})
        assert ws.receive() == {"type": "websocket.send", "text": "raw text"}
        ws.send({"type": "websocket.receive", "bytes": b"raw bytes"})
        message = ws.receive(timeout=BOUND)
        assert message["type"] == "websocket.send"
        assert message["bytes"] == b"raw bytes"
        assert message.get("text") is None


def test_order_is_kept(backend):
    with echo_session(backend) as (_, ws):
        for i in range(50):
            if i % 2:
                ws.send_bytes(str(i).encode())
            else:
                ws.send_text(str(i))
        for i in range(50):
            if i % 2:
                assert ws.receive_bytes() == str(i).encode()
            else:
                assert ws.receive_text() == str(i)


def test_large_message(backend):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    payload = bytes(range(256)) * 8192  # 2 MiB
    with client.websocket_connect("/ws") as ws:
        ws.send_bytes(payload)
        assert ws.receive_bytes() == payload


# --------------------------------------------------------------------------
# closing from the client
# --------------------------------------------------------------------------

def test_close_with_code_and_reason_reaches_the_app(backend):
    with echo_session(backend) as (app, ws):
        ws.send_text("before")
        assert ws.receive_text() == "before"
        ws.close(4100, "client leaving")
        assert app.ended.wait(BOUND)
    assert app.disconnects == [{"type": "websocket.disconnect", "code": 4100, "reason": "client leaving"}]


def test_close_default_code(backend):
    with echo_session(backend) as (app, ws):
        ws.close()
        assert app.ended.wait(BOUND)
    (message,) = app.disconnects
    assert message["code"] == 1000


def test_close_reaches_an_asgi2_class_app(backend):
    Echo = make_asgi2_echo()
    client = TestClient(Echo, backend=backend)
    with client.websocket_connect("/ws") as ws:
        ws.send_text("x")
        assert ws.receive_text() == "x"
        ws.close(4200, "bye class")
        deadline = time.monotonic() + BOUND
        while Echo.instances[0].disconnect is None and time.monotonic() < deadline:
            time.sleep(0.01)
    assert Echo.instances[0].disconnect == {"type": "websocket.disconnect", "code": 4200, "reason": "bye class"}


def test_starlette_endpoint_sees_the_close_code(backend):
    app, record = make_starlette_app()
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/endpoint") as ws:
        ws.send_text("hello")
        assert ws.receive_text() == "HELLO"
        ws.close(4321)
        deadline = time.monotonic() + BOUND
        while not record["endpoint_closed"] and time.monotonic() < deadline:
            time.sleep(0.01)
    assert record["endpoint_closed"] == [4321]


def test_calls_after_the_client_closed(backend):
    with echo_session(backend) as (_, ws):
        ws.close()
        with pytest.raises(WebSocketDisconnect):
            ws.send_text("too late")
        with pytest.raises(WebSocketDisconnect):
            ws.receive_text(timeout=BOUND)
        ws.close()  # closing twice is harmless


# --------------------------------------------------------------------------
# the wrong kind of frame
# --------------------------------------------------------------------------

def test_receive_text_when_bytes_arrived(backend):
    with echo_session(backend) as (_, ws):
        ws.send_bytes(b"binary payload")
        with pytest.raises(UnexpectedMessage) as info:
            ws.receive_text()
        text = str(info.value)
        assert "binary" in text and "binary payload" in text
        assert isinstance(info.value, AssertionError)
        ws.send_text("still open")
        assert ws.receive_text() == "still open"


def test_receive_bytes_when_text_arrived(backend):
    with echo_session(backend) as (_, ws):
        ws.send_text("some text")
        with pytest.raises(UnexpectedMessage) as info:
            ws.receive_bytes()
        assert "text" in str(info.value) and "some text" in str(info.value)


def test_receive_json_in_the_wrong_mode(backend):
    with echo_session(backend) as (_, ws):
        ws.send_json({"a": 1}, mode="binary")
        with pytest.raises(UnexpectedMessage) as info:
            ws.receive_json()
        assert "binary" in str(info.value)
        ws.send_json({"a": 1})
        with pytest.raises(UnexpectedMessage) as info:
            ws.receive_json(mode="binary")
        assert "text" in str(info.value)


# --------------------------------------------------------------------------
# bad arguments
# --------------------------------------------------------------------------

def test_bad_arguments(backend):
    with echo_session(backend) as (app, ws):
        with pytest.raises(TypeError) as info:
            ws.send_text(b"x")
        assert "str" in str(info.value)
        with pytest.raises(TypeError) as info:
            ws.send_bytes("x")
        assert "bytes" in str(info.value)
        with pytest.raises(ValueError) as info:
            ws.send_json({"a": 1}, mode="xml")
        assert "'text'" in str(info.value) and "'binary'" in str(info.value) and "xml" in str(info.value)
        with pytest.raises(ValueError) as info:
            ws.receive_json(mode="xml")
        assert "'text'" in str(info.value) and "'binary'" in str(info.value)
        # nothing bad reached the app; the session still works
        ws.send_text("fine")
        assert ws.receive_text() == "fine"
    assert [m["text"] for m in app.received] == ["fine"]


@pytest.mark.parametrize("option", ["data", "json", "files", "no_such_option"])
def test_unknown_option_to_websocket_connect(backend, option):
    app = EchoApp()
    client = TestClient(app, backend=backend)
    with pytest.raises(TypeError) as info:
        client.websocket_connect("/ws", **{option: b"x"})
    text = str(info.value)
    assert option in text
    assert "params" in text and "headers" in text  # names what is accepted
    assert app.scopes == []


# --------------------------------------------------------------------------
# the app closes
# --------------------------------------------------------------------------

def test_app_close_raises_on_the_next_receive(backend):
    with echo_session(backend) as (_, ws):
        ws.send_text("!close 4001 goodbye now")
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert (info.value.code, info.value.reason) == (4001, "goodbye now")
        for receive in (ws.receive_bytes, ws.receive_json, ws.receive_text):
            with pytest.raises(WebSocketDisconnect) as info:
                receive()
            assert (info.value.code, info.value.reason) == (4001, "goodbye now")
        with pytest.raises(WebSocketDisconnect):
            ws.send_text("anyone?")
        with pytest.raises(WebSocketDisconnect):
            ws.send_bytes(b"anyone?")


def test_app_close_after_a_message(backend):
    with echo_session(backend) as (_, ws):
        ws.send_text("!text last words")
        ws.send_text("!close 1001 going away")
        assert ws.receive_text() == "last words"
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert (info.value.code, info.value.reason) == (1001, "going away")


def test_raw_receive_returns_the_close_once(backend):
    with echo_session(backend) as (_, ws):
        ws.send_text("!close 4002 raw")
        message = ws.receive()
        assert message["type"] == "websocket.close"
        assert (message["code"], message["reason"]) == (4002, "raw")
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive(timeout=BOUND)
        assert info.value.code == 4002


def test_asgi2_app_close(backend):
    Echo = make_asgi2_echo()
    client = TestClient(Echo, backend=backend)
    with client.websocket_connect("/ws") as ws:
        ws.send_text("!close")
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_text()
        assert (info.value.code, info.value.reason) == (4000, "asgi2 bye")
        with pytest.raises(WebSocketDisconnect):
            ws.send_text("x")


def test_fastapi_json_round_trip_and_close(backend):
    app, _ = make_fastapi_app()
    client = TestClient(app, backend=backend)
    with client.websocket_connect("/json") as ws:
        ws.send_json({"a": [1, 2]})
        assert ws.receive_json() == {"echo": {"a": [1, 2]}}
        ws.send_json({"b": "ü"}, mode="binary")
        assert ws.receive_json(mode="binary") == {"echo": {"b": "ü"}}
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_json()
        assert info.value.code == 1000


# --------------------------------------------------------------------------
# several sessions at once
# --------------------------------------------------------------------------

def test_several_sessions_on_one_client(backend):
    app = EchoApp()
    with TestClient(app, backend=backend) as client:
        with client.websocket_connect("/one") as one, client.websocket_connect("/two") as two:
            with client.websocket_connect("/three") as three:
                one.send_text("1a")
                two.send_bytes(b"2a")
                three.send_text("3a")
                two.send_text("2b")
                assert three.receive_text() == "3a"
                assert two.receive_bytes() == b"2a"
                assert one.receive_text() == "1a"
                assert two.receive_text() == "2b"
                one.close(4001, "one done")
                two.send_text("!json")
                assert two.receive_json()["path"] == "/two"
                three.send_text("3b")
                assert three.receive_text() == "3b"
                with pytest.raises(WebSocketDisconnect):
                    one.send_text("closed")
            with pytest.raises(WebSocketDisconnect):  # that session was left
                three.send_text("after the block")
    by_path = {scope["path"]: i for i, scope in enumerate(app.scopes)}
    assert set(by_path) == {"/one", "/two", "/three"}
    codes = sorted(m["code"] for m in app.disconnects)
    assert codes == [1000, 1000, 4001]


def test_several_sessions_mixed_frameworks(backend):
    starlette_app, _ = make_starlette_app()
    fastapi_app, record = make_fastapi_app()
    with TestClient(starlette_app, backend=backend) as s_client, TestClient(fastapi_app, backend=backend) as f_client:
        with s_client.websocket_connect("/echo") as a, s_client.websocket_connect("/endpoint") as b, \
                f_client.websocket_connect("/items/7") as c:
            assert c.receive_json()["item_id"] == "7"
            a.send_text("x")
            b.send_text("y")
            c.send_text("z")
            assert c.receive_text() == "7:z"
            assert b.receive_text() == "Y"
            assert a.receive_text() == "x"
            b.close()
            a.send_text("still")
            c.send_text("here")
            assert a.receive_text() == "still"
            assert c.receive_text() == "7:here"
    assert record["items_disconnect"] == 1000


# --------------------------------------------------------------------------
# no busy waiting
# --------------------------------------------------------------------------

IDLE_CPU_LIMIT = 0.2


@pytest.mark.parametrize("inside_with", [False, True], ids=["own-loop", "client-loop"])
def test_idle_session_costs_no_cpu(backend, inside_with):
    app = SilentApp()
    client = TestClient(app, backend=backend)
    if inside_with:
        client.__enter__()
    try:
        with client.websocket_connect("/ws") as ws:
            time.sleep(0.1)  # let the handshake settle
            cpu_start = time.process_time()
            time.sleep(1.0)
            cpu = time.process_time() - cpu_start
            ws.assert_no_message(0.05)
        print(f"idle CPU over 1 s ({backend}, {'client loop' if inside_with else 'own loop'}): {cpu:.4f} s")
        assert cpu < IDLE_CPU_LIMIT, f"an idle session used {cpu:.3f} s of CPU in 1 s"
        assert app.disconnects and app.disconnects[0]["code"] == 1000
    finally:
        if inside_with:
            client.__exit__(None, None, None)
