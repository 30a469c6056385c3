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
