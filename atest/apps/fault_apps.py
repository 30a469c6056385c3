"""Misbehaving ASGI apps, one per fault, for ``fault_matrix.robot``.

Every app is a plain ASGI 3 callable made by :func:`app_with`: the fault
happens on every path except ``/ok``, which always works - ``GET /ok``
answers ``200 ok`` and a WebSocket to ``/ok`` echoes text - so a test can
show that the client that met the fault still serves a healthy route.
Lifespan works normally except in the ``lifespan_*`` apps, whose fault is in
the lifespan protocol (all their HTTP and WebSocket routes are healthy).
``healthy`` has no fault at all. The apps use only ``anyio`` to wait, so
they run on asyncio and trio. The exception they raise is ``AppFault``.

HTTP
    ``raise_before_start``, ``raise_mid_body``, ``never_answers``,
    ``answers_then_hangs`` (a "background task" that never ends after the
    response), ``returns_without_answering``, ``returns_mid_body``,
    ``ignores_disconnect`` (streams, swallowing ``ClientDisconnected``),
    ``streams_forever`` (an event every 10 ms), ``streams_forever_tight``
    (``send()`` in a loop that never sleeps), ``not_utf8`` (a body
    declared UTF-8 that is not), and one ``invalid_<kind>`` app per kind of
    invalid HTTP message in :data:`INVALID_HTTP`.
WebSocket
    ``ws_raise_before_accept``, ``ws_raise_while_waiting``,
    ``ws_never_accepts``, ``ws_never_sends``, ``ws_close_before_accept``,
    ``ws_close_while_waiting``, ``ws_returns_without_accepting``,
    ``ws_returns_without_closing``, ``ws_ignores_disconnect`` (calls
    ``receive()`` again and again after the disconnect),
    ``ws_ignores_disconnect_asleep`` (never calls ``receive()`` again),
    ``ws_close_then_hangs``, ``ws_streams_forever`` (a frame every 10 ms),
    ``ws_not_utf8`` (a binary frame that is not UTF-8, then echoes), and one
    ``ws_invalid_<kind>`` app per kind in :data:`INVALID_WEBSOCKET`.
Lifespan
    ``lifespan_startup_raises``, ``lifespan_startup_failed``,
    ``lifespan_startup_hangs``, ``lifespan_shutdown_raises``,
    ``lifespan_shutdown_failed``, ``lifespan_shutdown_hangs``,
    ``lifespan_invalid_message``, ``lifespan_returns`` (returns at once:
    no lifespan support, which is allowed).
Not apps, for ``bad_input.robot``
    ``NUMBER`` (an int), ``wsgi_app`` (a WSGI function), ``failing_factory()``
    (a factory that raises ``AppFault``). ``raises_on_import`` and
    ``missing_dependency`` are modules of their own that cannot be imported.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, MutableMapping, Optional, Tuple

import anyio

Message = MutableMapping[str, Any]
Scope = Dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Handler = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Not UTF-8: "café" in latin-1, then a lone 0xff.
NOT_UTF8 = b"caf\xe9 \xff"


class AppFault(Exception):
    """The exception the faulty apps raise."""


# -- the healthy parts ----------------------------------------------------------
async def healthy_http(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": b"ok"})


async def healthy_websocket(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    await _echo(receive, send)


async def _echo(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": message["text"]})


async def healthy_lifespan(scope: Scope, receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def app_with(http: Optional[Handler] = None, websocket: Optional[Handler] = None, lifespan: Optional[Handler] = None) -> Handler:
    """An app with these faulty handlers off ``/ok`` and healthy ones elsewhere."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await (lifespan or healthy_lifespan)(scope, receive, send)
        elif scope.get("path") == "/ok":
            await (healthy_http if scope["type"] == "http" else healthy_websocket)(scope, receive, send)
        elif scope["type"] == "http":
            await (http or healthy_http)(scope, receive, send)
        else:
            await (websocket or healthy_websocket)(scope, receive, send)

    return app


async def _start(send: Send, content_type: bytes = b"text/plain; charset=utf-8") -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})


# -- HTTP -----------------------------------------------------------------------
async def _raise_before_start(scope: Scope, receive: Receive, send: Send) -> None:
    raise AppFault("raised before the response started")


async def _raise_mid_body(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send)
    await send({"type": "http.response.body", "body": b"first chunk;", "more_body": True})
    await anyio.sleep(0.01)
    raise AppFault("raised in the middle of the body")


async def _never_answers(scope: Scope, receive: Receive, send: Send) -> None:
    await anyio.sleep_forever()


async def _answers_then_hangs(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send)
    await send({"type": "http.response.body", "body": b"answered"})
    await anyio.sleep_forever()  # a background task that never ends


async def _returns_without_answering(scope: Scope, receive: Receive, send: Send) -> None:
    return


async def _returns_mid_body(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send)
    await send({"type": "http.response.body", "body": b"partial", "more_body": True})


async def _ignores_disconnect(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send, b"text/event-stream")
    while True:
        try:
            await send({"type": "http.response.body", "body": b"data: tick\n\n", "more_body": True})
        except OSError:
            pass  # the client went away: ignored
        await anyio.sleep(0.01)


async def _streams_forever(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send, b"text/event-stream")
    number = 0
    while True:
        number += 1
        await send({"type": "http.response.body", "body": b"data: %d\n\n" % number, "more_body": True})
        await anyio.sleep(0.01)


async def _streams_forever_tight(scope: Scope, receive: Receive, send: Send) -> None:
    """What ``async def gen(): while True: yield chunk`` makes: only ``send()`` awaits."""
    await _start(send, b"application/octet-stream")
    while True:
        await send({"type": "http.response.body", "body": b"x" * 1024, "more_body": True})


async def _not_utf8(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send, b"application/json; charset=utf-8")
    await send({"type": "http.response.body", "body": b'"' + NOT_UTF8 + b'"'})


_START = {"type": "http.response.start", "status": 200, "headers": []}
_BODY = {"type": "http.response.body", "body": b"body"}

#: kind -> the messages the app sends, in order; the last one is invalid.
INVALID_HTTP: Dict[str, Tuple[Any, ...]] = {
    "body_before_start": (_BODY,),
    "start_twice": (_START, _START),
    "str_body": (_START, {"type": "http.response.body", "body": "not bytes"}),
    "str_status": ({"type": "http.response.start", "status": "200", "headers": []},),
    "str_header": ({"type": "http.response.start", "status": 200, "headers": [("x-name", "str value")]},),
    "unknown_type": ({"type": "http.response.bogus"},),
    "not_a_dict": (("http.response.start", 200),),
    "body_after_complete": (_START, _BODY, _BODY),
    "trailers_not_announced": (_START, _BODY, {"type": "http.response.trailers", "headers": []}),
}


def _sends(*messages: Any) -> Handler:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
        for message in messages:
            await send(message)
        await anyio.sleep_forever()  # not reached: the invalid message raises

    return handler


raise_before_start = app_with(http=_raise_before_start)
raise_mid_body = app_with(http=_raise_mid_body)
never_answers = app_with(http=_never_answers)
answers_then_hangs = app_with(http=_answers_then_hangs)
returns_without_answering = app_with(http=_returns_without_answering)
returns_mid_body = app_with(http=_returns_mid_body)
ignores_disconnect = app_with(http=_ignores_disconnect)
streams_forever = app_with(http=_streams_forever)
streams_forever_tight = app_with(http=_streams_forever_tight)
not_utf8 = app_with(http=_not_utf8)
for _kind, _messages in INVALID_HTTP.items():
    globals()[f"invalid_{_kind}"] = app_with(http=_sends(*_messages))


# -- WebSocket ------------------------------------------------------------------
async def _ws_raise_before_accept(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    raise AppFault("raised before accepting")


async def _ws_raise_while_waiting(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await anyio.sleep(0.1)  # the client is waiting in Receive Text by now
    raise AppFault("raised while the client waited")


async def _ws_never_accepts(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await anyio.sleep_forever()


async def _ws_never_sends(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    while (await receive())["type"] != "websocket.disconnect":
        pass


async def _ws_close_before_accept(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.close", "code": 4403, "reason": "not allowed"})


async def _ws_close_while_waiting(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await anyio.sleep(0.1)  # the client is waiting in Receive Text by now
    await send({"type": "websocket.close", "code": 4001, "reason": "going away"})


async def _ws_returns_without_accepting(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()


async def _ws_returns_without_closing(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await anyio.sleep(0.1)


async def _ws_ignores_disconnect(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    while True:
        await receive()  # websocket.disconnect, again and again: ignored


async def _ws_ignores_disconnect_asleep(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await anyio.sleep_forever()


async def _ws_close_then_hangs(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": "bye"})
    await send({"type": "websocket.close", "code": 1000})
    await anyio.sleep_forever()  # clean-up that never ends


async def _ws_streams_forever(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    number = 0
    while True:
        number += 1
        await send({"type": "websocket.send", "text": f"message {number}"})
        await anyio.sleep(0.01)


async def _ws_not_utf8(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "bytes": NOT_UTF8})
    await _echo(receive, send)


_ACCEPT = {"type": "websocket.accept"}

#: kind -> the messages the app sends after websocket.connect; the last one is invalid.
INVALID_WEBSOCKET: Dict[str, Tuple[Any, ...]] = {
    "send_before_accept": ({"type": "websocket.send", "text": "too early"},),
    "accept_twice": (_ACCEPT, _ACCEPT),
    "text_and_bytes": (_ACCEPT, {"type": "websocket.send", "text": "a", "bytes": b"b"}),
    "neither_text_nor_bytes": (_ACCEPT, {"type": "websocket.send"}),
    "str_in_bytes": (_ACCEPT, {"type": "websocket.send", "bytes": "not bytes"}),
    "str_close_code": (_ACCEPT, {"type": "websocket.close", "code": "1000"}),
    "unknown_type": (_ACCEPT, {"type": "websocket.bogus"}),
    "send_after_close": (_ACCEPT, {"type": "websocket.close", "code": 1000}, {"type": "websocket.send", "text": "late"}),
    "unoffered_subprotocol": ({"type": "websocket.accept", "subprotocol": "never-offered"},),
}

ws_raise_before_accept = app_with(websocket=_ws_raise_before_accept)
ws_raise_while_waiting = app_with(websocket=_ws_raise_while_waiting)
ws_never_accepts = app_with(websocket=_ws_never_accepts)
ws_never_sends = app_with(websocket=_ws_never_sends)
ws_close_before_accept = app_with(websocket=_ws_close_before_accept)
ws_close_while_waiting = app_with(websocket=_ws_close_while_waiting)
ws_returns_without_accepting = app_with(websocket=_ws_returns_without_accepting)
ws_returns_without_closing = app_with(websocket=_ws_returns_without_closing)
ws_ignores_disconnect = app_with(websocket=_ws_ignores_disconnect)
ws_ignores_disconnect_asleep = app_with(websocket=_ws_ignores_disconnect_asleep)
ws_close_then_hangs = app_with(websocket=_ws_close_then_hangs)
ws_streams_forever = app_with(websocket=_ws_streams_forever)
ws_not_utf8 = app_with(websocket=_ws_not_utf8)
for _kind, _messages in INVALID_WEBSOCKET.items():
    globals()[f"ws_invalid_{_kind}"] = app_with(websocket=_sends(*_messages))


# -- lifespan -------------------------------------------------------------------
async def _startup_raises(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()  # lifespan.startup
    raise AppFault("startup exploded")


async def _startup_failed(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "lifespan.startup.failed", "message": "database unreachable"})


async def _startup_hangs(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await anyio.sleep_forever()


async def _started(receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "lifespan.startup.complete"})
    await receive()  # lifespan.shutdown


async def _shutdown_raises(scope: Scope, receive: Receive, send: Send) -> None:
    await _started(receive, send)
    raise AppFault("shutdown exploded")


async def _shutdown_failed(scope: Scope, receive: Receive, send: Send) -> None:
    await _started(receive, send)
    await send({"type": "lifespan.shutdown.failed", "message": "could not flush the cache"})


async def _shutdown_hangs(scope: Scope, receive: Receive, send: Send) -> None:
    await _started(receive, send)
    await anyio.sleep_forever()


async def _lifespan_returns(scope: Scope, receive: Receive, send: Send) -> None:
    return


async def _lifespan_invalid_message(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "lifespan.startup.bogus"})


lifespan_startup_raises = app_with(lifespan=_startup_raises)
lifespan_startup_failed = app_with(lifespan=_startup_failed)
lifespan_startup_hangs = app_with(lifespan=_startup_hangs)
lifespan_shutdown_raises = app_with(lifespan=_shutdown_raises)
lifespan_shutdown_failed = app_with(lifespan=_shutdown_failed)
lifespan_shutdown_hangs = app_with(lifespan=_shutdown_hangs)
lifespan_invalid_message = app_with(lifespan=_lifespan_invalid_message)
lifespan_returns = app_with(lifespan=_lifespan_returns)

healthy = app_with()


# -- for the bad import strings of bad_input.robot --------------------------------
#: Not an ASGI app: an int.
NUMBER = 42


def failing_factory(name: str = "app") -> Handler:
    """A factory that raises."""
    raise AppFault(f"cannot build the {name}")


def wsgi_app(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """A WSGI app, not an ASGI one."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"WSGI"]
