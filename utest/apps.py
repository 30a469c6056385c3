"""Reusable ASGI applications for the engine's unit tests.

A plain module (not a conftest): test files import what they need from it,
e.g. ``from apps import echo_app``. The names below are stable; other test
files depend on them.

Plain ASGI apps (no framework):

- ``hello_app``          ASGI 3 function answering 200 ``Hello, world!``.
- ``echo_app``           ASGI 3 function answering a JSON description of the
                         request (method, path, raw_path, query_string,
                         root_path, scheme, headers, body, client, server).
- ``ScopeRecorder``      ASGI 3 object recording every scope (and body) it gets.
- ``HelloASGI2``         ASGI 2 class, as in the older seed document.
- ``router(...)``        a tiny path -> app dispatcher.
- ``redirect_app``       ``/redirect/<code>?to=<url>`` answers a redirect,
                         everything else is ``echo_app``.
- ``cookie_app``         ``/set?name=value`` sets a cookie, ``/delete?name``
                         expires it, everything else is ``echo_app``.
- ``LifespanApp``        ASGI 3 object implementing lifespan, recording events,
                         threads and event loops; configurable failure modes.

``EndRecorder``: a base for apps whose end the tests watch (``ended``, ``cancelled``).

Helpers: ``read_body``, ``send_text``, ``send_json``, ``current_runner``,
``decode_headers``.
"""
from __future__ import annotations

import contextlib
import json
import threading
from typing import Any, Awaitable, Callable, Iterable, Iterator
from urllib.parse import parse_qsl

import anyio
import sniffio

from testapps.faults import healthy_lifespan

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

async def read_body(receive: Receive) -> bytes:
    """Read the whole request body (all ``http.request`` messages)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        assert message["type"] == "http.request", message
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def send_text(
    send: Send,
    text: str | bytes,
    status: int = 200,
    headers: Iterable[tuple[bytes, bytes]] = (),
    content_type: bytes = b"text/plain; charset=utf-8",
) -> None:
    """Send a complete response with one body message."""
    body = text.encode("utf-8") if isinstance(text, str) else text
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode("latin-1")),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def send_json(
    send: Send,
    obj: Any,
    status: int = 200,
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    await send_text(
        send,
        json.dumps(obj).encode("utf-8"),
        status=status,
        headers=headers,
        content_type=b"application/json",
    )


def decode_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[list[str]]:
    """ASGI header pairs -> JSON-friendly ``[[name, value], ...]`` (latin-1)."""
    return [[n.decode("latin-1"), v.decode("latin-1")] for n, v in headers]


def current_runner() -> tuple[str, object]:
    """``(library name, event loop object)`` of the running async library.

    For asyncio the object is the running loop, for trio the run's TrioToken.
    The object itself (not its id) is returned so that callers keep it alive
    and identity comparisons cannot be fooled by a recycled id.
    """
    library = sniffio.current_async_library()
    if library == "asyncio":
        import asyncio

        return library, asyncio.get_running_loop()
    if library == "trio":
        import trio

        return library, trio.lowlevel.current_trio_token()
    return library, None


class EndRecorder:
    """A base for apps whose end a test watches: the app runs its work in
    ``with self.recording_end():``; ``ended`` is set when that ends in any way,
    ``cancelled`` too when it ended by cancellation."""

    def __init__(self) -> None:
        self.ended = threading.Event()
        self.cancelled = threading.Event()

    @contextlib.contextmanager
    def recording_end(self) -> Iterator[None]:
        try:
            yield
        except anyio.get_cancelled_exc_class():
            self.cancelled.set()
            raise
        finally:
            self.ended.set()


# --------------------------------------------------------------------------
# plain ASGI apps
# --------------------------------------------------------------------------

async def _refuse_lifespan(scope: Scope, receive: Receive, send: Send) -> bool:
    """Answer lifespan messages minimally; True when ``scope`` was lifespan."""
    if scope["type"] != "lifespan":
        return False
    await healthy_lifespan(scope, receive, send)
    return True


async def hello_app(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI 3: 200 ``Hello, world!`` (text/plain) for every HTTP request."""
    if await _refuse_lifespan(scope, receive, send):
        return
    assert scope["type"] == "http"
    await read_body(receive)
    await send_text(send, "Hello, world!")


def describe_request(scope: Scope, body: bytes) -> dict:
    """The JSON document ``echo_app`` answers with."""
    return {
        "method": scope["method"],
        "scheme": scope["scheme"],
        "path": scope["path"],
        "raw_path": scope["raw_path"].decode("latin-1"),
        "query_string": scope["query_string"].decode("latin-1"),
        "query": parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True),
        "root_path": scope.get("root_path", ""),
        "headers": decode_headers(scope["headers"]),
        "body": body.decode("latin-1"),
        "client": list(scope["client"]) if scope.get("client") else None,
        "server": list(scope["server"]) if scope.get("server") else None,
    }


def header_values(description: dict, name: str) -> list[str]:
    """All values of header ``name`` (lower-case) in an ``echo_app`` answer."""
    return [v for n, v in description["headers"] if n == name]


async def echo_app(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI 3: answers a JSON description of the request (see describe_request)."""
    if await _refuse_lifespan(scope, receive, send):
        return
    body = await read_body(receive)
    await send_json(send, describe_request(scope, body))


class ScopeRecorder:
    """ASGI 3 object app: records each HTTP scope and body, answers 200 ``ok``.

    ``recorder.scopes`` holds the scope dicts as received (the same objects),
    ``recorder.bodies`` the request bodies. ``recorder.scope`` is the last one.
    """

    def __init__(self) -> None:
        self.scopes: list[dict] = []
        self.bodies: list[bytes] = []

    @property
    def scope(self) -> dict:
        return self.scopes[-1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if await _refuse_lifespan(scope, receive, send):
            return
        self.scopes.append(scope)
        self.bodies.append(await read_body(receive))
        await send_text(send, "ok")


class HelloASGI2:
    """ASGI 2 class app, as in the older seed: ``App(scope)`` then ``await app(receive, send)``.

    Answers ``Hello, world!`` followed by the path it was constructed with.
    """

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    async def __call__(self, receive: Receive, send: Send) -> None:
        if await _refuse_lifespan(self.scope, receive, send):
            return
        await read_body(receive)
        await send_text(send, "Hello, world! " + self.scope["path"])


def router(routes: dict[str, ASGIApp], default: ASGIApp = echo_app) -> ASGIApp:
    """An ASGI 3 app dispatching HTTP requests on the exact ``scope["path"]``
    (without root_path considerations); lifespan is answered by ``default``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _refuse_lifespan(scope, receive, send)
            return
        target = routes.get(scope["path"], default)
        await target(scope, receive, send)

    return app


async def redirect_app(scope: Scope, receive: Receive, send: Send) -> None:
    """``/redirect/<code>?to=<location>`` -> redirect with that status code.

    ``to`` defaults to ``/target``. Every other path is ``echo_app``.
    """
    if await _refuse_lifespan(scope, receive, send):
        return
    path = scope["path"]
    if path.startswith("/redirect/"):
        await read_body(receive)
        code = int(path.rsplit("/", 1)[1])
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        location = query.get("to", "/target")
        await send_text(
            send,
            b"",
            status=code,
            headers=[(b"location", location.encode("latin-1"))],
        )
        return
    await echo_app(scope, receive, send)


async def cookie_app(scope: Scope, receive: Receive, send: Send) -> None:
    """``/set?name=value&...`` sets one cookie per pair (Path=/),
    ``/delete?name`` expires cookie ``name``; everything else is ``echo_app``."""
    if await _refuse_lifespan(scope, receive, send):
        return
    query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    if scope["path"] == "/set":
        await read_body(receive)
        headers = [
            (b"set-cookie", f"{name}={value}; Path=/".encode("latin-1"))
            for name, value in query
        ]
        await send_text(send, "set", headers=headers)
        return
    if scope["path"] == "/delete":
        await read_body(receive)
        headers = [
            (
                b"set-cookie",
                f"{name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0".encode(
                    "latin-1"
                ),
            )
            for name, _ in query
        ]
        await send_text(send, "deleted", headers=headers)
        return
    await echo_app(scope, receive, send)


# --------------------------------------------------------------------------
# lifespan
# --------------------------------------------------------------------------

class LifespanApp:
    """ASGI 3 object app with lifespan support, recording what happens.

    Attributes filled while running:
      ``events``           e.g. ["startup", "request", "request", "shutdown"]
      ``threads``          {event: [threading.get_ident(), ...]}
      ``runners``          {event: [(library, loop-or-token), ...]}
      ``request_states``   the ``scope["state"]`` dict seen by each request
      ``lifespan_scope``   the lifespan scope

    ``state`` (dict) is merged into the lifespan ``scope["state"]`` at startup.

    HTTP requests answer JSON ``{"state_keys": [...]}`` and, when the path is
    ``/mutate``, first do ``state["counter"] = 99``, ``state["added"] = True``
    and ``state["shared"].append("mutated")`` on their ``scope["state"]``.

    ``startup`` / ``shutdown`` choose the answer to each lifespan message:
      "complete"  (default) the normal answer
      "failed"    ``lifespan.<x>.failed`` with ``message``
      "raise"     raise ``RuntimeError(message)`` after receiving the message
      "hang"      never answer (sleeps until cancelled)
    """

    def __init__(
        self,
        state: dict | None = None,
        startup: str = "complete",
        shutdown: str = "complete",
        message: str = "lifespan went wrong",
    ) -> None:
        self.state = state or {}
        self.startup = startup
        self.shutdown = shutdown
        self.message = message
        self.events: list[str] = []
        self.threads: dict[str, list[int]] = {}
        self.runners: dict[str, list[tuple[str, object]]] = {}
        self.request_states: list[dict] = []
        self.lifespan_scope: dict | None = None

    def _record(self, event: str) -> None:
        self.events.append(event)
        self.threads.setdefault(event, []).append(threading.get_ident())
        self.runners.setdefault(event, []).append(current_runner())

    async def _answer(self, send: Send, phase: str, mode: str) -> None:
        if mode == "complete":
            await send({"type": f"lifespan.{phase}.complete"})
        elif mode == "failed":
            await send({"type": f"lifespan.{phase}.failed", "message": self.message})
        elif mode == "raise":
            raise RuntimeError(self.message)
        elif mode == "hang":
            await anyio.sleep_forever()
        else:  # pragma: no cover - test bug
            raise ValueError(mode)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            self.lifespan_scope = scope
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self._record("startup")
                    scope["state"].update(self.state)
                    await self._answer(send, "startup", self.startup)
                    if self.startup == "failed":
                        return
                elif message["type"] == "lifespan.shutdown":
                    self._record("shutdown")
                    await self._answer(send, "shutdown", self.shutdown)
                    return
        assert scope["type"] == "http"
        self._record("request")
        state = scope["state"]
        self.request_states.append(state)
        await read_body(receive)
        if scope["path"] == "/mutate":
            state["counter"] = 99
            state["added"] = True
            state["shared"].append("mutated")
        await send_json(
            send,
            {
                "state_keys": sorted(state),
                "counter": state.get("counter"),
                "shared": state.get("shared"),
            },
        )


async def lifespan_unsupported_raising(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI 3 app that raises on the lifespan scope before calling receive()."""
    if scope["type"] == "lifespan":
        raise RuntimeError("this app does not do lifespan")
    await hello_app(scope, receive, send)


async def lifespan_unsupported_returning(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI 3 app that returns on the lifespan scope without calling receive()."""
    if scope["type"] == "lifespan":
        return
    await hello_app(scope, receive, send)
