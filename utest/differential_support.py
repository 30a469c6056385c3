"""Helpers for ``test_differential.py``: the engine against a real uvicorn.

- ``RecordingApp``     a plain ASGI 3 app that records every http and websocket
                       scope and the whole request body, and answers 200
                       ``recorded``. At lifespan startup it stores
                       ``{"recorder": "differential"}`` in the lifespan state.
- ``UvicornServer``    uvicorn serving an app on 127.0.0.1 from a background
                       thread with its own event loop (loopback only).
- ``Side``             one place a request can be sent: uvicorn through a
                       ``requests.Session`` or the engine's ``TestClient``.
- ``comparable()``     the part of a recorded exchange both sides must agree on.
- ``raw_websocket_handshake()``  a WebSocket opening handshake over a socket,
                       for uvicorn (the engine is driven by websocket_connect).
"""
from __future__ import annotations

import asyncio
import base64
import copy
import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

import requests

#: What the recording app puts in the lifespan state at startup.
LIFESPAN_STATE = {"recorder": "differential"}
RESPONSE_BODY = b"recorded"

#: The extensions the engine advertises (API contract); uvicorn's differ.
ENGINE_HTTP_EXTENSIONS = {
    "http.response.debug": {},
    "http.response.template": {},
    "http.response.trailers": {},
    "http.response.pathsend": {},
}
ENGINE_WEBSOCKET_EXTENSIONS = {"websocket.http.response": {}}


@dataclass
class Record:
    """One connection as the app saw it."""

    scope: Dict[str, Any]
    body: bytes = b""
    #: more_body of each http.request message, in order.
    more_body: List[bool] = field(default_factory=list)
    #: True when receive() returned http.disconnect before the body was complete.
    disconnected_early: bool = False


class RecordingApp:
    """Records scopes and bodies; thread-safe enough for sequential requests."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.records: List[Record] = []
        self._lock = threading.Lock()

    def take(self) -> Record:
        """The single record made since the last take()."""
        with self._lock:
            records, self.records = self.records, []
        assert len(records) == 1, f"{self.name}: expected one recorded connection, got {len(records)}"
        return records[0]

    def clear(self) -> None:
        with self._lock:
            self.records = []

    def _add(self, record: Record) -> None:
        with self._lock:
            self.records.append(record)

    async def __call__(self, scope, receive, send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    scope["state"].update(LIFESPAN_STATE)
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        elif kind == "http":
            record = Record(copy.deepcopy(scope))
            chunks = []
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    record.disconnected_early = True
                    break
                chunks.append(bytes(message.get("body", b"")))
                record.more_body.append(bool(message.get("more_body", False)))
                if not record.more_body[-1]:
                    break
            record.body = b"".join(chunks)
            self._add(record)
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/plain"),
                        (b"content-length", str(len(RESPONSE_BODY)).encode("ascii")),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": RESPONSE_BODY})
        elif kind == "websocket":
            message = await receive()
            assert message["type"] == "websocket.connect", message
            self._add(Record(copy.deepcopy(scope)))
            await send({"type": "websocket.accept"})
            while (await receive())["type"] != "websocket.disconnect":
                pass
        else:  # pragma: no cover - neither server sends anything else
            raise RuntimeError(f"unexpected scope type {kind!r}")


# --------------------------------------------------------------------------
# uvicorn in a thread
# --------------------------------------------------------------------------

class UvicornServer:
    """uvicorn on 127.0.0.1 (a free port), in a thread with its own loop."""

    def __init__(self, app: RecordingApp, root_path: str = "") -> None:
        import uvicorn

        self.app = app
        self.root_path = root_path
        # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted connections
        # only then; without it every keep-alive request waits ~40 ms for a
        # delayed ACK (uvicorn writes the response start and body apart).
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            root_path=root_path,
            lifespan="on",
            log_level="warning",
            # Pinned: httptools (uvicorn[standard]) would be picked by "auto"
            # where installed; h11 is what a plain `pip install uvicorn` has.
            http="h11",
            # X-Forwarded-* from 127.0.0.1 would otherwise rewrite client/scheme.
            proxy_headers=False,
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"uvicorn{root_path or '/'}", daemon=True)
        self.error: Optional[BaseException] = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def websockets_supported(self) -> bool:
        return getattr(self.server.config, "ws_protocol_class", None) is not None

    def _run(self) -> None:
        try:
            asyncio.run(self.server.serve(sockets=[self._socket]))
        except BaseException as exc:  # pragma: no cover - reported by start()
            self.error = exc

    def start(self, timeout: float = 10.0) -> "UvicornServer":
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if self.error is not None or not self._thread.is_alive():
                raise RuntimeError(f"uvicorn did not start: {self.error!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"uvicorn did not start within {timeout} s")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self._thread.join(timeout)
        self._socket.close()
        assert not self._thread.is_alive(), "uvicorn did not stop in time"


# --------------------------------------------------------------------------
# comparing
# --------------------------------------------------------------------------

_BOUNDARY = re.compile(rb"multipart/[\w.+-]+;\s*boundary=([^;\s]+)")


def header_pairs(scope: Dict[str, Any]) -> List[Tuple[bytes, bytes]]:
    return [(bytes(name), bytes(value)) for name, value in scope["headers"]]


def comparable(record: Record, *, websocket: bool = False) -> Dict[str, Any]:
    """What the engine and uvicorn must agree on, for one recorded connection.

    Left out (each checked on its own in the tests): ``client``, ``server``,
    the ``host`` header's value, ``state``, ``extensions`` and
    ``asgi["spec_version"]``. For a websocket the headers of the opening
    handshake are left out too (see ``HANDSHAKE_HEADERS``).

    A multipart body's boundary is random for each prepared request: it is
    replaced with ``BOUNDARY`` in the content-type header and the body.
    """
    scope = record.scope
    view = {key: value for key, value in scope.items() if key not in ("client", "server", "state", "extensions", "asgi")}
    view["asgi.version"] = scope["asgi"]["version"]
    headers = header_pairs(scope)
    view["host headers"] = [index for index, (name, _) in enumerate(headers) if name == b"host"]
    headers = [(name, value) for name, value in headers if name != b"host"]
    if websocket:
        headers = [(name, value) for name, value in headers if name not in HANDSHAKE_HEADERS]
        view["subprotocols"] = list(scope.get("subprotocols", []))
    body = record.body
    for name, value in headers:
        match = _BOUNDARY.match(value) if name == b"content-type" else None
        if match:
            boundary = match.group(1)
            body = body.replace(boundary, b"BOUNDARY")
            headers = [(n, v.replace(boundary, b"BOUNDARY") if n == b"content-type" else v) for n, v in headers]
            break
    view["headers"] = headers
    if not websocket:
        view["body"] = body
        # How a body is split into http.request messages depends on the
        # network (uvicorn) or on the body's kind (engine); what must hold on
        # both: every message but the last has more_body, the last has not,
        # and no disconnect came before the end of the body.
        flags = record.more_body
        view["more_body ends False, all others True"] = bool(flags) and flags[-1] is False and all(flags[:-1])
        view["disconnected early"] = record.disconnected_early
    return view


#: Headers of the WebSocket opening handshake. Each implementation
#: (the engine, uvicorn with wsproto or with websockets) puts them in the
#: scope its own way - wsproto leaves them out - and sec-websocket-key is
#: random; the subprotocols they carry are compared as scope["subprotocols"].
HANDSHAKE_HEADERS = frozenset(
    {
        b"connection",
        b"upgrade",
        b"sec-websocket-key",
        b"sec-websocket-version",
        b"sec-websocket-protocol",
        b"sec-websocket-extensions",
    }
)


# --------------------------------------------------------------------------
# sending
# --------------------------------------------------------------------------

def close_bodies(kwargs: Dict[str, Any]) -> None:
    """Close the file objects a request was sent with."""
    data = kwargs.get("data")
    if hasattr(data, "close"):
        data.close()


def raw_websocket_handshake(
    server: UvicornServer,
    path: str,
    *,
    params: Any = None,
    headers: Any = None,
    subprotocols: Optional[List[str]] = None,
    timeout: float = 10.0,
) -> bytes:
    """Open a WebSocket on uvicorn as the engine does on its app, then drop it.

    The handshake request is the one requests prepares for ``GET url``
    (params, session default headers - with the engine's ``User-Agent:
    testclient`` - and the given headers), minus
    ``connection`` and ``content-length``, plus the upgrade headers - what
    the API contract says the engine puts in its websocket scope.
    Returns the status line of uvicorn's answer.
    """
    session = requests.Session()
    session.trust_env = False
    session.headers["User-Agent"] = "testclient"
    prepared = session.prepare_request(requests.Request("GET", server.base_url + path, params=params, headers=headers))
    lines = [f"GET {prepared.path_url} HTTP/1.1", f"Host: 127.0.0.1:{server.port}"]
    for name, value in prepared.headers.items():
        if name.lower() in ("connection", "content-length"):
            continue
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        lines.append(f"{name}: {text}")
    lines += [
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Key: " + base64.b64encode(os.urandom(16)).decode("ascii"),
        "Sec-WebSocket-Version: 13",
    ]
    if subprotocols:
        lines.append("Sec-WebSocket-Protocol: " + ", ".join(subprotocols))
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0]


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True
