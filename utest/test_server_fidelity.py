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
