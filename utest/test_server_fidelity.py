"""Where the seed's client is silent, the engine behaves like a real server.

Found by running hostile apps and upstream apps against the engine and
against uvicorn (issue 9, "Like a real server").
"""
from __future__ import annotations

from typing import Any

import pytest

from RobotASGI.testclient import TestClient

# --------------------------------------------------------------------------
# 15. FileResponse("relative/path") works, as under uvicorn
# --------------------------------------------------------------------------


def test_fastapi_file_response_with_a_relative_path(backend, tmp_path, monkeypatch):
    from fastapi import FastAPI
    from fastapi.responses import FileResponse

    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "report.txt").write_bytes(b"quarterly numbers\n")
    monkeypatch.chdir(tmp_path)
    app = FastAPI()

    @app.get("/report")
    def report() -> Any:
        return FileResponse("static/report.txt")

    response = TestClient(app, backend=backend).get("/report")
    assert response.status_code == 200
    assert response.content == b"quarterly numbers\n"
    assert response.headers["content-length"] == "18"


def test_pathsend_with_a_missing_relative_file_raises_the_error(backend, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.pathsend", "path": "missing.txt"})

    with pytest.raises(FileNotFoundError, match="missing.txt"):
        TestClient(app, backend=backend).get("/")


# --------------------------------------------------------------------------
# 16. Error messages never cut a message mid-word without saying so
# --------------------------------------------------------------------------


def test_a_long_offending_message_is_cut_with_a_marker(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.bogus", "note": "n" * 300, "body": b"b" * 1000})

    with pytest.raises(ASGIProtocolError) as info:
        TestClient(app, backend=backend).get("/")
    message = str(info.value)
    assert "unknown message type 'http.response.bogus'" in message
    assert "... (222 more characters)" in message  # repr of the note: 302 characters, 80 shown
    assert "... (960 more bytes)" in message


def test_a_long_unexpected_websocket_message_is_cut_with_a_marker(backend):
    from RobotASGI.testclient import UnexpectedMessage

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "word " * 100})
        await receive()

    with TestClient(app, backend=backend).websocket_connect("/") as websocket:
        with pytest.raises(UnexpectedMessage) as info:
            websocket.receive_bytes()
    assert str(info.value).endswith("... (302 more characters).")


def test_short_values_are_shown_whole(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-name", "text, not bytes")]})

    with pytest.raises(ASGIProtocolError) as info:
        TestClient(app, backend=backend).get("/")
    assert "(b'x-name', 'text, not bytes')" in str(info.value)
    assert "more characters" not in str(info.value)


# --------------------------------------------------------------------------
# 10. Responses a real server would refuse are errors
# --------------------------------------------------------------------------


def answering(status: int, headers: Any, chunks: Any = (b"",)) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for index, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": index < len(chunks) - 1})

    return app


@pytest.mark.parametrize(
    "headers, words",
    [
        ([(b"x-note", b"ok\r\nset-cookie: admin=1")], ("x-note", "CR (0x0d)", "position 2")),
        ([(b"x-note", b"line\nbreak")], ("x-note", "LF (0x0a)")),
        ([(b"x-note", b"nul\x00byte")], ("x-note", "NUL (0x00)")),
        ([(b"x-note", b"bell\x07")], ("x-note", "a control character (0x07)")),
        ([(b"bad name", b"value")], ("b'bad name'", "not an HTTP token")),
        ([(b"x-colon:", b"value")], ("b'x-colon:'", "not an HTTP token")),
        ([(b"", b"value")], ("b''", "not an HTTP token")),
    ],
)
def test_forbidden_response_headers_are_protocol_errors(backend, headers, words):
    from RobotASGI.testclient import ASGIProtocolError

    with pytest.raises(ASGIProtocolError) as info:
        TestClient(answering(200, headers, [b"fine"]), backend=backend).get("/")
    for word in words:
        assert word in str(info.value)


def test_tab_and_latin1_bytes_in_header_values_are_allowed(backend):
    app = answering(200, [(b"x-tab", b"a\tb"), (b"x-latin", "caf\u00e9".encode("latin-1"))], [b"ok"])
    response = TestClient(app, backend=backend).get("/")
    assert response.headers["x-tab"] == "a\tb"
    assert response.headers["x-latin"] == "caf\u00e9"


def test_forbidden_trailer_header_is_a_protocol_error(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [], "trailers": True})
        await send({"type": "http.response.body", "body": b"data"})
        await send({"type": "http.response.trailers", "headers": [(b"x-checksum", b"1\r\n2")]})

    with pytest.raises(ASGIProtocolError, match="x-checksum"):
        TestClient(app, backend=backend).get("/")


def test_forbidden_websocket_accept_header_is_a_protocol_error(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept", "headers": [(b"x-session", b"a\r\nb")]})

    with pytest.raises(ASGIProtocolError, match="x-session"):
        with TestClient(app, backend=backend).websocket_connect("/"):
            pass


def test_forbidden_websocket_denial_header_is_a_protocol_error(backend):
    from RobotASGI.testclient import ASGIProtocolError

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.http.response.start", "status": 403, "headers": [(b"x-why", b"\n")]})
        await send({"type": "websocket.http.response.body", "body": b"no"})

    with pytest.raises(ASGIProtocolError, match="x-why"):
        with TestClient(app, backend=backend).websocket_connect("/"):
            pass


@pytest.mark.parametrize("stream", [False, True])
def test_a_body_longer_than_its_content_length_is_a_protocol_error(backend, stream):
    from RobotASGI.testclient import ASGIProtocolError

    app = answering(200, [(b"content-length", b"5")], [b"abc", b"defg"])
    with pytest.raises(ASGIProtocolError) as info:
        response = TestClient(app, backend=backend).get("/", stream=stream)
        assert response.content is None  # not reached: reading the body raises
    assert "longer than its content-length: 5 bytes declared, 7 sent so far" in str(info.value)


@pytest.mark.parametrize("stream", [False, True])
def test_a_body_shorter_than_its_content_length_is_a_protocol_error(backend, stream):
    from RobotASGI.testclient import ASGIProtocolError

    app = answering(200, [(b"content-length", b"10")], [b"abc", b"def"])
    with pytest.raises(ASGIProtocolError) as info:
        response = TestClient(app, backend=backend).get("/", stream=stream)
        assert response.content is None  # not reached: reading the body raises
    assert "shorter than its content-length: 10 bytes declared, 6 sent" in str(info.value)


def test_a_content_length_that_is_not_a_number_is_a_protocol_error(backend):
    from RobotASGI.testclient import ASGIProtocolError

    with pytest.raises(ASGIProtocolError, match="content-length b'ten' is not a number"):
        TestClient(answering(200, [(b"content-length", b"ten")]), backend=backend).get("/")
    with pytest.raises(ASGIProtocolError, match="two content-length headers disagree: 1 and 2"):
        TestClient(answering(200, [(b"content-length", b"1"), (b"content-length", b"2")], [b"x"]), backend=backend).get("/")


@pytest.mark.parametrize("status", [204, 304])
def test_bodiless_statuses_are_not_held_to_their_content_length(backend, status):
    response = TestClient(answering(status, [(b"content-length", b"42")]), backend=backend).get("/")
    assert response.status_code == status
    assert response.content == b""


def test_head_is_not_held_to_the_content_length(backend):
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    app = Starlette(routes=[Route("/", lambda request: PlainTextResponse("twelve bytes"), methods=["GET", "HEAD"])])
    response = TestClient(app, backend=backend).head("/")
    assert response.headers["content-length"] == "12"
    assert response.content == b""


def test_a_correct_content_length_passes_across_chunks_and_pathsend(backend, tmp_path):
    target = tmp_path / "file.bin"
    target.write_bytes(b"z" * 70_000)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"70000")]})
        await send({"type": "http.response.pathsend", "path": str(target)})

    assert len(TestClient(app, backend=backend).get("/").content) == 70_000
    app2 = answering(200, [(b"content-length", b"6")], [b"ab", b"cd", b"ef"])
    assert TestClient(app2, backend=backend).get("/").content == b"abcdef"
