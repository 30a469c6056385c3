"""A small Quart notes app, tested in-process by ``examples/quart.robot``.

- ``before_serving`` loads the notes (``app.config["NOTES"]``), ``after_serving``
  records that the app stopped (:data:`STOPPED`): RobotASGI runs both, as a
  server does, when it opens and closes the client
- ``POST /login`` with the form ``user``: keeps the user in Quart's signed
  cookie session; ``GET /notes``: the user's notes, 401 before the login
- ``POST /notes`` with JSON ``{"text": ...}``: 201 with the note
- ``GET /crash``: raises ``ValueError('notes are corrupt')``
- WebSocket ``/ws/shout``: sends every text back in upper case
"""
from __future__ import annotations

from typing import Any, Dict, List

from quart import Quart, jsonify, request, session, websocket

#: How many times the app stopped (lifespan shutdown).
STOPPED: List[str] = []


def create_app(propagate_exceptions: bool = True) -> Quart:
    """``propagate_exceptions=True`` lets an exception in a route reach the
    server - RobotASGI fails the keyword with it - instead of Quart's 500 page."""
    app = Quart(__name__)
    app.secret_key = "an-example-not-a-secret"
    app.config["PROPAGATE_EXCEPTIONS"] = propagate_exceptions

    @app.before_serving
    async def load_notes() -> None:
        app.config["NOTES"] = {}

    @app.after_serving
    async def stop() -> None:
        STOPPED.append(app.name)

    @app.post("/login")
    async def login() -> Any:
        form = await request.form
        session["user"] = form["user"]
        return jsonify({"user": form["user"]})

    @app.get("/notes")
    async def list_notes() -> Any:
        if "user" not in session:
            return jsonify({"detail": "log in first"}), 401
        notes: Dict[str, List[str]] = app.config["NOTES"]
        return jsonify(notes.get(session["user"], []))

    @app.post("/notes")
    async def add_note() -> Any:
        if "user" not in session:
            return jsonify({"detail": "log in first"}), 401
        text = (await request.get_json())["text"]
        app.config["NOTES"].setdefault(session["user"], []).append(text)
        return jsonify({"text": text}), 201

    @app.get("/crash")
    async def crash() -> Any:
        raise ValueError("notes are corrupt")

    @app.websocket("/ws/shout")
    async def shout() -> None:
        while True:
            await websocket.send((await websocket.receive()).upper())

    return app
