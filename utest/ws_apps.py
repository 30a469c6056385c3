"""Reusable WebSocket applications for the engine's WebSocket tests.

A plain module (not a conftest): ``from ws_apps import EchoApp``. Every app
is a real ASGI application; the recording ones keep what they saw in
attributes (plain lists and ``threading.Event``s, read from the test thread).

Plain ASGI 3 apps:

- ``EchoApp``              object app with lifespan (``state``), HTTP cookies
                           (``/set?name=value`` via ``apps.cookie_app``) and a
                           WebSocket echo that keeps the frame kind, records the
                           scope, every message and the disconnect, and obeys
                           commands sent as text frames (see its docstring).
- ``SilentApp``            accepts, never sends, ends on the disconnect.
- ``NeverAccepts``         never answers the handshake (records cancellation).
- ``RejectApp``            closes before accepting (code, reason).
- ``DenyApp``              answers the handshake with an HTTP denial response.
- ``IgnoresDisconnect``    accepts, then keeps calling receive() ignoring the
                           disconnect; ``mode="sleep"`` sleeps for ever instead.
- ``RaiseApp``             raises ``AppError`` at a chosen point.
- ``violating_app(kind)``  breaks the WebSocket protocol in one way (a kind of
                           ``testapps.faults.INVALID_WEBSOCKET_MESSAGES``).
- ``SendAfterCloseApp``    keeps sending after the client closed.

ASGI 2 (class) apps, the older seed's style:

- ``make_asgi2_echo()``    a fresh class echoing text/bytes, recording instances.
- ``SeedApp2``             the older seed's example app, verbatim.
- ``make_asgi2_reject()``  a fresh class closing before accept (code 4403).

Framework apps: ``make_starlette_app()``, ``make_fastapi_app()`` -> (app, record).

``echo_session(backend)``: an ``EchoApp`` and a session connected to it.
"""
from __future__ import annotations

import contextlib
import json
import threading
from contextlib import asynccontextmanager
from typing import Any, Dict, Iterator, List, Optional, Tuple

import anyio

from apps import EndRecorder, cookie_app
from RobotASGI.testclient import TestClient, WebSocketTestSession
from testapps.faults import INVALID_WEBSOCKET_MESSAGES


class AppError(Exception):
    """The exception the raising apps raise."""


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def header_dict(scope: dict) -> Dict[str, List[str]]:
    """``{name: [values...]}`` (latin-1 decoded) from a scope's headers."""
    result: Dict[str, List[str]] = {}
    for name, value in scope["headers"]:
        result.setdefault(name.decode("latin-1"), []).append(value.decode("latin-1"))
    return result


async def wait_for_disconnect(receive) -> dict:
    """Receive (and drop) messages until the client's disconnect, which it returns."""
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return message


async def _lifespan(scope: dict, receive, send, state: Optional[dict] = None) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            scope["state"].update(state or {})
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


# --------------------------------------------------------------------------
# plain ASGI 3 apps
# --------------------------------------------------------------------------

class EchoApp:
    """ASGI 3 object: a WebSocket echo that records everything.

    Handshake: accepts with ``subprotocol`` (or, when ``subprotocol`` is
    ``"first"``, the first one the client offered) and ``accept_headers``.

    Then, for each ``websocket.receive``: recorded in ``received``; a text
    frame that is a command is obeyed, anything else is sent back in a frame
    of the same kind. Commands:

    - ``"!close <code> <reason...>"`` - send websocket.close and return
    - ``"!bytes <text>"``  - send ``<text>`` encoded in a binary frame
    - ``"!text <text>"``   - send ``<text>`` in a text frame
    - ``"!json"``          - send a JSON (text frame) description of the scope
    - ``"!raise <text>"``  - raise ``AppError(<text>)``

    ``websocket.disconnect`` is recorded in ``disconnects`` and ends the app.
    ``scopes`` holds each WebSocket scope, ``ended`` is set when a
    WebSocket connection's app call ends, ``raised`` holds what it raised.
    """

    def __init__(self, state: Optional[dict] = None, subprotocol: Optional[str] = None,
                 accept_headers: Optional[list] = None) -> None:
        self.state = state
        self.subprotocol = subprotocol
        self.accept_headers = accept_headers or []
        self.scopes: List[dict] = []
        self.received: List[dict] = []
        self.disconnects: List[dict] = []
        self.raised: List[BaseException] = []
        self.ended = threading.Event()

    @property
    def scope(self) -> dict:
        return self.scopes[-1]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(scope, receive, send, self.state)
            return
        if scope["type"] == "http":
            await cookie_app(scope, receive, send)
            return
        assert scope["type"] == "websocket"
        self.scopes.append(scope)
        try:
            await self._session(scope, receive, send)
        except BaseException as exc:
            self.raised.append(exc)
            raise
        finally:
            self.ended.set()

    async def _session(self, scope, receive, send) -> None:
        connect = await receive()
        assert connect["type"] == "websocket.connect", connect
        subprotocol = self.subprotocol
        if subprotocol == "first":
            subprotocol = scope["subprotocols"][0] if scope["subprotocols"] else None
        accept: dict = {"type": "websocket.accept", "headers": self.accept_headers}
        if subprotocol is not None:
            accept["subprotocol"] = subprotocol
        await send(accept)
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                self.disconnects.append(message)
                return
            self.received.append(message)
            text = message.get("text")
            if text is not None and text.startswith("!"):
                command, _, argument = text[1:].partition(" ")
                if command == "close":
                    code, _, reason = argument.partition(" ")
                    await send({"type": "websocket.close", "code": int(code), "reason": reason})
                    return
                if command == "bytes":
                    await send({"type": "websocket.send", "bytes": argument.encode("utf-8")})
                elif command == "text":
                    await send({"type": "websocket.send", "text": argument})
                elif command == "json":
                    await send({"type": "websocket.send", "text": json.dumps(
                        {"path": scope["path"], "headers": header_dict(scope)})})
                elif command == "raise":
                    raise AppError(argument)
                continue
            if text is not None:
                await send({"type": "websocket.send", "text": text})
            else:
                await send({"type": "websocket.send", "bytes": message["bytes"]})


@contextlib.contextmanager
def echo_session(backend: str, **options: Any) -> Iterator[Tuple["EchoApp", WebSocketTestSession]]:
    """A new :class:`EchoApp` (``options`` go to it) and a session connected to
    its ``/ws``: ``with echo_session(backend) as (app, ws):``."""
    app = EchoApp(**options)
    with TestClient(app, backend=backend).websocket_connect("/ws") as ws:
        yield app, ws


class SilentApp(EndRecorder):
    """Accepts, then never sends anything; it listens for the client's
    disconnect (recorded in ``disconnects``) and then ends.

    ``cancelled`` is set if it was cancelled instead, ``ended`` when it ends.
    """

    def __init__(self) -> None:
        super().__init__()
        self.disconnects: List[dict] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "websocket":
            return  # no lifespan support
        with self.recording_end():
            await receive()
            await send({"type": "websocket.accept"})
            self.disconnects.append(await wait_for_disconnect(receive))


class NeverAccepts(EndRecorder):
    """Never answers the handshake; records its end and cancellation."""

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "websocket":
            return
        with self.recording_end():
            await receive()
            await anyio.sleep_forever()


class RejectApp:
    """Closes the connection before accepting it."""

    def __init__(self, code: int = 4403, reason: str = "not allowed") -> None:
        self.code = code
        self.reason = reason

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        await send({"type": "websocket.close", "code": self.code, "reason": self.reason})


class DenyApp(EndRecorder):
    """Refuses the handshake with an HTTP response (websocket.http.response)."""

    def __init__(self, status: int = 403, chunks=(b'{"error": ', b'"forbidden"}'),
                 headers=((b"content-type", b"application/json"), (b"x-denied", b"yes"))) -> None:
        super().__init__()
        self.status = status
        self.chunks = list(chunks)
        self.headers = [list(h) for h in headers]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "websocket":
            return
        with self.recording_end():
            await receive()
            await send({"type": "websocket.http.response.start", "status": self.status, "headers": self.headers})
            for index, chunk in enumerate(self.chunks):
                await send({"type": "websocket.http.response.body", "body": chunk,
                            "more_body": index < len(self.chunks) - 1})


class IgnoresDisconnect(EndRecorder):
    """Accepts, then ignores the client's close.

    ``mode="loop"``: keeps calling receive() and dropping what it returns -
    the disconnect included - until the test sets ``release`` (so a test can
    always unblock it once it has measured what it wanted).
    ``mode="sleep"``: sleeps for ever after accepting.
    ``disconnects`` counts the disconnect messages it got; ``ended`` is set
    when it ends, ``cancelled`` when it was cancelled.
    """

    def __init__(self, mode: str = "loop") -> None:
        super().__init__()
        self.mode = mode
        self.release = threading.Event()
        self.disconnects = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "websocket":
            return
        with self.recording_end():
            await receive()
            await send({"type": "websocket.accept"})
            if self.mode == "sleep":
                await anyio.sleep_forever()
            while not self.release.is_set():
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    self.disconnects += 1


class RaiseApp:
    """Raises ``AppError(message)`` at ``when``:

    - ``"before-accept"``: on the connect, before answering it
    - ``"on-message"``: after accepting, on the first message received
    - ``"after-accept"``: right after accepting
    - ``"on-disconnect"``: when it receives the client's disconnect

    ``raised`` holds the exception object, ``ended`` is set in finally.
    """

    def __init__(self, when: str, message: str = "the app failed") -> None:
        self.when = when
        self.message = message
        self.raised: List[BaseException] = []
        self.ended = threading.Event()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "websocket":
            return
        try:
            await exploding_websocket_handler(self, receive, send)
        finally:
            self.ended.set()


async def exploding_websocket_handler(app: RaiseApp, receive, send) -> None:
    """RaiseApp's body; its name must appear in the traceback of the error."""
    await receive()
    if app.when != "before-accept":
        await send({"type": "websocket.accept"})
        if app.when != "after-accept":
            while True:
                message = await receive()
                if app.when == "on-message" or message["type"] == "websocket.disconnect":
                    break
    error = AppError(app.message)
    app.raised.append(error)
    raise error


def violating_app(kind: str, swallow: bool = False):
    """An ASGI 3 app sending ``testapps.faults.INVALID_WEBSOCKET_MESSAGES[kind]``
    and recording, in ``caught``, what its send() raised; with ``swallow`` it
    catches that error and waits for the disconnect instead."""
    messages = INVALID_WEBSOCKET_MESSAGES[kind]
    caught: List[BaseException] = []

    async def app(scope, receive, send) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        for message in messages:
            try:
                await send(dict(message))
            except Exception as exc:
                caught.append(exc)
                if not swallow:
                    raise
                with anyio.move_on_after(5):
                    await wait_for_disconnect(receive)
                return
        await anyio.sleep_forever()  # not reached when the engine refuses the message

    app.caught = caught  # type: ignore[attr-defined]
    return app


class SendAfterCloseApp(EndRecorder):
    """Accepts and waits for the client's disconnect, then tries to send:
    ``send_error`` is what that send() raised (ClientDisconnected expected);
    ``receives`` are the two messages receive() gave after the close."""

    def __init__(self) -> None:
        super().__init__()
        self.send_error: Optional[BaseException] = None
        self.receives: List[dict] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "websocket":
            return
        with self.recording_end():
            await receive()
            await send({"type": "websocket.accept"})
            self.receives.append(await wait_for_disconnect(receive))
            self.receives.append(await receive())
            try:
                await send({"type": "websocket.send", "text": "anyone there?"})
            except BaseException as exc:
                self.send_error = exc
                raise


# --------------------------------------------------------------------------
# ASGI 2 class apps (the older seed's style)
# --------------------------------------------------------------------------

def make_asgi2_echo():
    """A fresh ASGI 2 class: echoes text and bytes, records its instances
    (``Echo.instances``), each with ``scope``, ``received`` and ``disconnect``."""

    class Echo:
        instances: List["Echo"] = []

        def __init__(self, scope) -> None:
            self.scope = scope
            self.received: List[dict] = []
            self.disconnect: Optional[dict] = None
            Echo.instances.append(self)

        async def __call__(self, receive, send) -> None:
            if self.scope["type"] != "websocket":
                return
            await receive()
            await send({"type": "websocket.accept"})
            while True:
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    self.disconnect = message
                    return
                self.received.append(message)
                if message.get("text") is not None:
                    if message["text"].startswith("!close"):
                        await send({"type": "websocket.close", "code": 4000, "reason": "asgi2 bye"})
                        return
                    await send({"type": "websocket.send", "text": message["text"]})
                else:
                    await send({"type": "websocket.send", "bytes": message["bytes"]})

    return Echo


def make_asgi2_reject():
    """A fresh ASGI 2 class closing the connection before accepting it."""

    class Reject:
        def __init__(self, scope) -> None:
            self.scope = scope

        async def __call__(self, receive, send) -> None:
            if self.scope["type"] != "websocket":
                return
            await receive()
            await send({"type": "websocket.close", "code": 4403, "reason": "class says no"})

    return Reject


# The older seed document's example app, verbatim (plus the lifespan guard the
# document's app does not need because its client has no lifespan).
from starlette.websockets import WebSocket  # noqa: E402


class SeedApp2:
    def __init__(self, scope):
        self.scope = scope

    async def __call__(self, receive, send):
        websocket = WebSocket(self.scope, receive=receive, send=send)
        await websocket.accept()
        await websocket.send_text('Hello, world!')
        await websocket.close()


async def seed_app3(scope, receive, send):
    """The newer seed document's example app, verbatim."""
    assert scope['type'] == 'websocket'
    websocket = WebSocket(scope, receive=receive, send=send)
    await websocket.accept()
    await websocket.send_text('Hello, world!')
    await websocket.close()


# --------------------------------------------------------------------------
# Starlette
# --------------------------------------------------------------------------

def make_starlette_app(state: Optional[dict] = None):
    """A Starlette app and the dict its endpoints record into.

    Routes: ``/echo`` (function: accepts the first offered subprotocol,
    echoes text), ``/endpoint`` (WebSocketEndpoint, encoding "text": echoes
    upper-cased, records the close code), ``/info`` (sends a JSON description
    of the request, state included), ``/deny`` (send_denial_response 403
    "no"), ``/reject`` (close 4001 before accept), ``/loop`` (loops on
    receive_text, records how it ended), ``/raise`` (raises AppError on the
    first message), ``/bytes`` (echoes bytes, JSON in binary frames).
    """
    from starlette.applications import Starlette
    from starlette.endpoints import WebSocketEndpoint
    from starlette.responses import PlainTextResponse
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocketDisconnect

    record: Dict[str, Any] = {"loop_ended": threading.Event(), "endpoint_closed": []}

    async def echo(websocket: WebSocket) -> None:
        offered = websocket.scope["subprotocols"]
        await websocket.accept(subprotocol=offered[0] if offered else None,
                               headers=[(b"x-starlette", b"echo")])
        while True:
            try:
                text = await websocket.receive_text()
            except WebSocketDisconnect as exc:
                record["echo_disconnect"] = (exc.code, exc.reason)
                return
            await websocket.send_text(text)

    class Endpoint(WebSocketEndpoint):
        encoding = "text"

        async def on_receive(self, websocket: WebSocket, data: Any) -> None:
            await websocket.send_text(data.upper())

        async def on_disconnect(self, websocket: WebSocket, close_code: int) -> None:
            record["endpoint_closed"].append(close_code)

    async def info(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json({
            "url": str(websocket.url),
            "path": websocket.url.path,
            "query": dict(websocket.query_params),
            "cookies": websocket.cookies,
            "authorization": websocket.headers.get("authorization"),
            "x_custom": websocket.headers.get("x-custom"),
            "state": {k: v for k, v in websocket.scope["state"].items()},
        })
        await websocket.close()

    async def deny(websocket: WebSocket) -> None:
        await websocket.send_denial_response(PlainTextResponse("no", status_code=403))

    async def reject(websocket: WebSocket) -> None:
        await websocket.close(code=4001, reason="starlette says no")

    async def loop(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.receive_text()
        except BaseException as exc:
            record["loop_exit"] = exc
            raise
        finally:
            record["loop_ended"].set()

    async def starlette_raising_endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.receive_text()
        raise AppError("starlette endpoint failed")

    async def binary(websocket: WebSocket) -> None:
        await websocket.accept()
        data = await websocket.receive_json(mode="binary")
        await websocket.send_json({"got": data}, mode="binary")
        raw = await websocket.receive_bytes()
        await websocket.send_bytes(raw[::-1])
        await websocket.close(code=4002, reason="done")

    @asynccontextmanager
    async def lifespan(app):
        yield dict(state or {})

    app = Starlette(
        routes=[
            WebSocketRoute("/echo", echo),
            WebSocketRoute("/endpoint", Endpoint),
            WebSocketRoute("/info", info),
            WebSocketRoute("/deny", deny),
            WebSocketRoute("/reject", reject),
            WebSocketRoute("/loop", loop),
            WebSocketRoute("/raise", starlette_raising_endpoint),
            WebSocketRoute("/bytes", binary),
        ],
        lifespan=lifespan,
    )
    return app, record


# --------------------------------------------------------------------------
# FastAPI
# --------------------------------------------------------------------------

def make_fastapi_app():
    """A FastAPI app and the dict its endpoints record into.

    ``/items/{item_id}``: query ``q``, cookie ``session``, header
    ``x-token``; sends them as JSON, then echoes text as ``"<item_id>:<text>"``
    until the client leaves (records ``items_disconnect`` = close code).
    ``/json``: echoes JSON, text or binary frames (``{"echo": data}``).
    ``/raise``: raises AppError on the first message.
    ``/reject``: raises WebSocketException(1008, "bad token") before accept.
    ``/loop``: loops on receive_text (records ``loop_ended``).
    """
    from fastapi import Cookie, FastAPI, Header, WebSocketDisconnect, WebSocketException

    app = FastAPI()
    record: Dict[str, Any] = {"loop_ended": threading.Event()}

    @app.get("/login")
    async def login():
        from fastapi.responses import JSONResponse

        response = JSONResponse({"ok": True})
        response.set_cookie("session", "from-http")
        return response

    @app.websocket("/items/{item_id}")
    async def items(websocket: WebSocket, item_id: str, q: Optional[str] = None,
                    session: Optional[str] = Cookie(None), x_token: Optional[str] = Header(None)):
        await websocket.accept()
        await websocket.send_json({"item_id": item_id, "q": q, "session": session, "x_token": x_token})
        try:
            while True:
                text = await websocket.receive_text()
                await websocket.send_text(f"{item_id}:{text}")
        except WebSocketDisconnect as exc:
            record["items_disconnect"] = exc.code

    @app.websocket("/json")
    async def json_echo(websocket: WebSocket):
        await websocket.accept()
        data = await websocket.receive_json()
        await websocket.send_json({"echo": data})
        data = await websocket.receive_json(mode="binary")
        await websocket.send_json({"echo": data}, mode="binary")
        await websocket.close()

    @app.websocket("/raise")
    async def fastapi_raising_endpoint(websocket: WebSocket):
        await websocket.accept()
        await websocket.receive_text()
        raise AppError("fastapi endpoint failed")

    @app.websocket("/reject")
    async def reject(websocket: WebSocket):
        raise WebSocketException(code=1008, reason="bad token")

    @app.websocket("/loop")
    async def loop(websocket: WebSocket):
        await websocket.accept()
        try:
            while True:
                await websocket.receive_text()
        finally:
            record["loop_ended"].set()

    return app, record
