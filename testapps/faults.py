"""Misbehaving ASGI applications, one per fault of the fault matrices.

``utest/test_fault_matrix.py`` drives them through the Python API and
``atest/fault_matrix.robot`` through the keywords (as
``testapps.faults:<name>``); other tests of both suites use them too.

Every app is a plain ASGI 3 callable built with :func:`faulty`: the fault
happens on every HTTP path / WebSocket path except :data:`HEALTHY_PATH`
(``/ok``), which always works - ``GET /ok`` answers ``200 ok`` and a
WebSocket to ``/ok`` echoes text and bytes frames - so a test can show the
client is still usable after the fault. Lifespan works normally unless the
app is a ``lifespan_*`` one, whose fault is in the lifespan protocol (its
HTTP and WebSocket routes are then all healthy).

The apps only use ``anyio`` for sleeping, so they run on asyncio and trio.
The exception they raise is :class:`AppFault`.

HTTP
    raise_before_response_start, raise_mid_body, never_answer (neither a
    request nor a WebSocket handshake), answer_then_hang_in_background,
    return_without_answering, return_mid_body, stream_forever (a tight loop
    of ``send()``), stream_forever_bytewise, stream_forever_slowly (an event
    every 10 ms), ignore_client_disconnect, non_utf8_text_body,
    non_utf8_json_body, ``invalid_<kind>`` for each kind of
    :data:`INVALID_HTTP_MESSAGES`, invalid_message_swallowed,
    block_event_loop.
WebSocket
    ws_raise_before_accept, ws_raise_after_accept, ws_raise_on_message,
    ws_never_accept, ws_never_answer, ws_close_before_accept,
    ws_close_while_client_waits, ws_return_without_accepting,
    ws_return_without_closing, ws_ignore_client_disconnect,
    ws_ignore_client_disconnect_sleeping, ws_close_then_hang,
    ws_stream_forever (a tight loop of ``send()``), ws_stream_forever_slowly
    (a frame every 10 ms), ws_bytes_to_text_receive, ``ws_invalid_<kind>``
    for each kind of :data:`INVALID_WEBSOCKET_MESSAGES`.
Lifespan
    lifespan_startup_raises, lifespan_startup_failed,
    lifespan_startup_never_answers, lifespan_shutdown_raises,
    lifespan_shutdown_failed, lifespan_shutdown_never_answers,
    lifespan_invalid_message, lifespan_return_without_answering.
Not faults
    healthy_app (every path works), stream_until_disconnect (a long poll:
    one chunk, then waits for http.disconnect).
Not apps, for the import-string checks
    :data:`NUMBER` (an int), :data:`STARTUP_FAILURE` and
    :data:`SHUTDOWN_FAILURE` (strs), :func:`wsgi_app` (a WSGI function),
    :func:`failing_factory` (a factory that raises :class:`AppFault`).
"""
from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

import anyio

Scope = Dict[str, Any]
Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]
Handler = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The path that always works, on every app of this module.
HEALTHY_PATH = "/ok"
#: What ``GET /ok`` answers.
HEALTHY_BODY = b"ok"
#: Not UTF-8, though the apps say it is: "café " in latin-1 and a lone 0xff.
NON_UTF8 = b"caf\xe9 \xff"
#: The message of ``lifespan.startup.failed`` (lifespan_startup_failed).
STARTUP_FAILURE = "database unreachable"
#: The message of ``lifespan.shutdown.failed`` (lifespan_shutdown_failed).
SHUTDOWN_FAILURE = "could not flush the cache"
#: How long the WebSocket apps that act "while the client waits" wait first:
#: long enough for the client (a keyword call, in Robot) to be waiting by then.
CLIENT_WAITING = 0.1


class AppFault(Exception):
    """The exception the faulty apps raise."""


# --------------------------------------------------------------------------
# the healthy parts
# --------------------------------------------------------------------------

async def healthy_http(scope: Scope, receive: Receive, send: Send) -> None:
    """``200 ok`` (text/plain)."""
    await _start(send)
    await send({"type": "http.response.body", "body": HEALTHY_BODY})


async def healthy_websocket(scope: Scope, receive: Receive, send: Send) -> None:
    """Accept, echo text and bytes frames, end on the disconnect."""
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
        else:
            await send({"type": "websocket.send", "bytes": message.get("bytes") or b""})


async def healthy_lifespan(scope: Scope, receive: Receive, send: Send) -> None:
    """Startup and shutdown complete at once."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def faulty(http: Optional[Handler] = None, websocket: Optional[Handler] = None,
           lifespan: Optional[Handler] = None, name: str = "") -> Handler:
    """An ASGI 3 app: the given handlers off ``/ok``, healthy ones elsewhere."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await (lifespan or healthy_lifespan)(scope, receive, send)
        elif scope.get("path") == HEALTHY_PATH:
            await (healthy_http if kind == "http" else healthy_websocket)(scope, receive, send)
        elif kind == "http":
            await (http or healthy_http)(scope, receive, send)
        else:
            await (websocket or healthy_websocket)(scope, receive, send)

    app.__name__ = app.__qualname__ = name or "faulty_app"
    return app


async def _start(send: Send, content_type: bytes = b"text/plain; charset=utf-8") -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]})


# --------------------------------------------------------------------------
# HTTP faults
# --------------------------------------------------------------------------

async def _raise_before_response_start(scope: Scope, receive: Receive, send: Send) -> None:
    raise AppFault("raised before the response started")


async def _raise_mid_body(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send)
    await send({"type": "http.response.body", "body": b"first chunk;", "more_body": True})
    await anyio.sleep(0.01)
    raise AppFault("raised in the middle of the response body")


async def _never_answer(scope: Scope, receive: Receive, send: Send) -> None:
    await anyio.sleep_forever()


async def _answer_then_hang_in_background(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send)
    await send({"type": "http.response.body", "body": b"answered"})
    await anyio.sleep_forever()  # a "background task" that never ends


async def _return_without_answering(scope: Scope, receive: Receive, send: Send) -> None:
    return


async def _return_mid_body(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send)
    await send({"type": "http.response.body", "body": b"partial", "more_body": True})


async def _stream_forever(scope: Scope, receive: Receive, send: Send) -> None:
    """The tight loop an ``async def gen(): while True: yield chunk`` endpoint
    makes: nothing but ``send()`` ever awaits."""
    await _start(send, content_type=b"application/octet-stream")
    chunk = b"x" * 1024
    while True:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})


async def _stream_forever_slowly(scope: Scope, receive: Receive, send: Send) -> None:
    """An endless server-sent-events stream: one event every 10 ms."""
    await _start(send, content_type=b"text/event-stream")
    number = 0
    while True:
        number += 1
        await send({"type": "http.response.body", "body": b"data: %d\n\n" % number, "more_body": True})
        await anyio.sleep(0.01)


async def _stream_forever_bytewise(scope: Scope, receive: Receive, send: Send) -> None:
    """Like :func:`_stream_forever`, one byte a message."""
    await _start(send, content_type=b"application/octet-stream")
    while True:
        await send({"type": "http.response.body", "body": b"x", "more_body": True})


async def _ignore_client_disconnect(scope: Scope, receive: Receive, send: Send) -> None:
    """Streams, swallowing ClientDisconnected and never looking at receive()."""
    await _start(send, content_type=b"text/event-stream")
    while True:
        try:
            await send({"type": "http.response.body", "body": b"data: tick\n\n", "more_body": True})
        except OSError:
            pass  # the client went away - ignored
        await anyio.sleep(0.01)


async def _non_utf8_text_body(scope: Scope, receive: Receive, send: Send) -> None:
    await _start(send)
    await send({"type": "http.response.body", "body": NON_UTF8})


async def _non_utf8_json_body(scope: Scope, receive: Receive, send: Send) -> None:
    """A JSON string whose bytes are not UTF-8, declared UTF-8."""
    await _start(send, content_type=b"application/json; charset=utf-8")
    await send({"type": "http.response.body", "body": b'"' + NON_UTF8 + b'"'})


def _invalid_http(*messages: Any, swallow: bool = False) -> Handler:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        for message in messages:
            if swallow:
                try:
                    await send(message)
                except Exception:
                    pass
            else:
                await send(message)
        if swallow:  # and then answer as if nothing happened
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"all fine?"})
    return handler


_START = {"type": "http.response.start", "status": 200, "headers": []}
_BODY = {"type": "http.response.body", "body": b"body"}

#: kind -> the messages the app sends, in order (the last one is invalid).
INVALID_HTTP_MESSAGES: Dict[str, Tuple[Any, ...]] = {
    "body_before_start": (_BODY,),
    "start_twice": (_START, _START),
    "str_body": (_START, {"type": "http.response.body", "body": "not bytes"}),
    "non_int_status": ({"type": "http.response.start", "status": "200", "headers": []},),
    "non_bytes_header": ({"type": "http.response.start", "status": 200, "headers": [("x-name", "str value")]},),
    "unknown_message_type": ({"type": "http.response.bogus"},),
    "non_dict_message": (("http.response.start", 200),),
    "message_after_response_complete": (_START, _BODY, _BODY),
    "trailers_not_announced": (_START, _BODY, {"type": "http.response.trailers", "headers": []}),
}


async def _block_event_loop(scope: Scope, receive: Receive, send: Send) -> None:
    """A synchronous sleep in async code: the event loop is blocked for 1.5 s."""
    time.sleep(1.5)
    await _start(send)
    await send({"type": "http.response.body", "body": b"late"})


async def _stream_until_disconnect(scope: Scope, receive: Receive, send: Send) -> None:
    """A long poll: one chunk, then nothing until the client goes away."""
    await _start(send, content_type=b"text/event-stream")
    await send({"type": "http.response.body", "body": b"data: first\n\n", "more_body": True})
    while (await receive())["type"] != "http.disconnect":
        pass


# --------------------------------------------------------------------------
# WebSocket faults
# --------------------------------------------------------------------------

async def _ws_raise_before_accept(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    raise AppFault("raised before accepting the WebSocket")


async def _ws_raise_after_accept(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await anyio.sleep(CLIENT_WAITING)
    raise AppFault("raised while the client waited for a message")


async def _ws_raise_on_message(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    message = await receive()
    raise AppFault(f"websocket handler failed on {message.get('text')!r}")


async def _ws_never_accept(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await anyio.sleep_forever()


async def _ws_never_answer(scope: Scope, receive: Receive, send: Send) -> None:
    """Accepts, then reads (and ignores) everything, never sending a frame."""
    await receive()
    await send({"type": "websocket.accept"})
    while (await receive())["type"] != "websocket.disconnect":
        pass


async def _ws_close_before_accept(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.close", "code": 4403, "reason": "not allowed"})


async def _ws_close_while_client_waits(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await anyio.sleep(CLIENT_WAITING)
    await send({"type": "websocket.close", "code": 4001, "reason": "going away"})


async def _ws_return_without_accepting(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()


async def _ws_return_without_closing(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await anyio.sleep(CLIENT_WAITING)


async def _ws_ignore_client_disconnect(scope: Scope, receive: Receive, send: Send) -> None:
    """Keeps calling receive() after websocket.disconnect, as a buggy loop does."""
    await receive()
    await send({"type": "websocket.accept"})
    while True:
        await receive()


async def _ws_ignore_client_disconnect_sleeping(scope: Scope, receive: Receive, send: Send) -> None:
    """Never calls receive() again after accepting."""
    await receive()
    await send({"type": "websocket.accept"})
    await anyio.sleep_forever()


async def _ws_close_then_hang(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": "bye"})
    await send({"type": "websocket.close", "code": 1000})
    await anyio.sleep_forever()  # cleanup that never ends


def _ws_stream(pause: float) -> Handler:
    """Sends numbered text frames for ever, ``pause`` seconds apart; with no
    pause, in a tight loop (nothing but send() awaits)."""

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        number = 0
        while True:
            number += 1
            await send({"type": "websocket.send", "text": f"message {number}"})
            if pause:
                await anyio.sleep(pause)
    return handler


async def _ws_bytes_to_text_receive(scope: Scope, receive: Receive, send: Send) -> None:
    """A binary frame that is not UTF-8, then an echo."""
    await receive()
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "bytes": NON_UTF8})
    await _echo(receive, send)


_ACCEPT = {"type": "websocket.accept"}
_WS_CLOSE = {"type": "websocket.close", "code": 1000}

#: kind -> the messages the app sends after websocket.connect (the last one is invalid).
INVALID_WEBSOCKET_MESSAGES: Dict[str, Tuple[Any, ...]] = {
    "send_before_accept": ({"type": "websocket.send", "text": "too early"},),
    "accept_twice": (_ACCEPT, _ACCEPT),
    "text_and_bytes": (_ACCEPT, {"type": "websocket.send", "text": "a", "bytes": b"b"}),
    "neither_text_nor_bytes": (_ACCEPT, {"type": "websocket.send"}),
    "str_in_bytes": (_ACCEPT, {"type": "websocket.send", "bytes": "not bytes"}),
    "str_close_code": (_ACCEPT, {"type": "websocket.close", "code": "1000"}),
    "unknown_message_type": (_ACCEPT, {"type": "websocket.bogus"}),
    "message_after_close": (_ACCEPT, _WS_CLOSE, {"type": "websocket.send", "text": "late"}),
    "unoffered_subprotocol": ({"type": "websocket.accept", "subprotocol": "never-offered"},),
}


def _invalid_websocket(*messages: Any) -> Handler:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        for message in messages:
            await send(message)
        await anyio.sleep_forever()  # (not reached: the last send raises)
    return handler


# --------------------------------------------------------------------------
# lifespan faults (HTTP and WebSocket routes are all healthy)
# --------------------------------------------------------------------------

async def _lifespan_startup_raises(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()  # lifespan.startup
    raise AppFault("startup exploded")


async def _lifespan_startup_failed(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "lifespan.startup.failed", "message": STARTUP_FAILURE})


async def _lifespan_startup_never_answers(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await anyio.sleep_forever()


async def _started(receive: Receive, send: Send) -> None:
    """Complete the startup, then wait for lifespan.shutdown."""
    await receive()
    await send({"type": "lifespan.startup.complete"})
    await receive()


async def _lifespan_shutdown_raises(scope: Scope, receive: Receive, send: Send) -> None:
    await _started(receive, send)
    raise AppFault("shutdown exploded")


async def _lifespan_shutdown_failed(scope: Scope, receive: Receive, send: Send) -> None:
    await _started(receive, send)
    await send({"type": "lifespan.shutdown.failed", "message": SHUTDOWN_FAILURE})


async def _lifespan_shutdown_never_answers(scope: Scope, receive: Receive, send: Send) -> None:
    await _started(receive, send)
    await anyio.sleep_forever()


async def _lifespan_invalid_message(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    await send({"type": "lifespan.startup.bogus"})


async def _lifespan_return_without_answering(scope: Scope, receive: Receive, send: Send) -> None:
    return  # = no lifespan support: the client goes on without it


# --------------------------------------------------------------------------
# the apps
# --------------------------------------------------------------------------

raise_before_response_start = faulty(http=_raise_before_response_start, name="raise_before_response_start")
raise_mid_body = faulty(http=_raise_mid_body, name="raise_mid_body")
never_answer = faulty(http=_never_answer, websocket=_ws_never_accept, name="never_answer")
answer_then_hang_in_background = faulty(http=_answer_then_hang_in_background, name="answer_then_hang_in_background")
return_without_answering = faulty(http=_return_without_answering, name="return_without_answering")
return_mid_body = faulty(http=_return_mid_body, name="return_mid_body")
stream_forever = faulty(http=_stream_forever, name="stream_forever")
stream_forever_bytewise = faulty(http=_stream_forever_bytewise, name="stream_forever_bytewise")
stream_forever_slowly = faulty(http=_stream_forever_slowly, name="stream_forever_slowly")
ignore_client_disconnect = faulty(http=_ignore_client_disconnect, name="ignore_client_disconnect")
non_utf8_text_body = faulty(http=_non_utf8_text_body, name="non_utf8_text_body")
non_utf8_json_body = faulty(http=_non_utf8_json_body, name="non_utf8_json_body")
invalid_message_swallowed = faulty(http=_invalid_http(_BODY, swallow=True), name="invalid_message_swallowed")
block_event_loop = faulty(http=_block_event_loop, name="block_event_loop")
for _kind, _messages in INVALID_HTTP_MESSAGES.items():
    globals()[f"invalid_{_kind}"] = faulty(http=_invalid_http(*_messages), name=f"invalid_{_kind}")

ws_raise_before_accept = faulty(websocket=_ws_raise_before_accept, name="ws_raise_before_accept")
ws_raise_after_accept = faulty(websocket=_ws_raise_after_accept, name="ws_raise_after_accept")
ws_raise_on_message = faulty(websocket=_ws_raise_on_message, name="ws_raise_on_message")
ws_never_accept = faulty(websocket=_ws_never_accept, name="ws_never_accept")
ws_never_answer = faulty(websocket=_ws_never_answer, name="ws_never_answer")
ws_close_before_accept = faulty(websocket=_ws_close_before_accept, name="ws_close_before_accept")
ws_close_while_client_waits = faulty(websocket=_ws_close_while_client_waits, name="ws_close_while_client_waits")
ws_return_without_accepting = faulty(websocket=_ws_return_without_accepting, name="ws_return_without_accepting")
ws_return_without_closing = faulty(websocket=_ws_return_without_closing, name="ws_return_without_closing")
ws_ignore_client_disconnect = faulty(websocket=_ws_ignore_client_disconnect, name="ws_ignore_client_disconnect")
ws_ignore_client_disconnect_sleeping = faulty(
    websocket=_ws_ignore_client_disconnect_sleeping, name="ws_ignore_client_disconnect_sleeping")
ws_close_then_hang = faulty(websocket=_ws_close_then_hang, name="ws_close_then_hang")
ws_stream_forever = faulty(websocket=_ws_stream(0), name="ws_stream_forever")
ws_stream_forever_slowly = faulty(websocket=_ws_stream(0.01), name="ws_stream_forever_slowly")
ws_bytes_to_text_receive = faulty(websocket=_ws_bytes_to_text_receive, name="ws_bytes_to_text_receive")
for _kind, _messages in INVALID_WEBSOCKET_MESSAGES.items():
    globals()[f"ws_invalid_{_kind}"] = faulty(websocket=_invalid_websocket(*_messages), name=f"ws_invalid_{_kind}")

lifespan_startup_raises = faulty(lifespan=_lifespan_startup_raises, name="lifespan_startup_raises")
lifespan_startup_failed = faulty(lifespan=_lifespan_startup_failed, name="lifespan_startup_failed")
lifespan_startup_never_answers = faulty(
    lifespan=_lifespan_startup_never_answers, name="lifespan_startup_never_answers")
lifespan_shutdown_raises = faulty(lifespan=_lifespan_shutdown_raises, name="lifespan_shutdown_raises")
lifespan_shutdown_failed = faulty(lifespan=_lifespan_shutdown_failed, name="lifespan_shutdown_failed")
lifespan_shutdown_never_answers = faulty(
    lifespan=_lifespan_shutdown_never_answers, name="lifespan_shutdown_never_answers")
lifespan_invalid_message = faulty(lifespan=_lifespan_invalid_message, name="lifespan_invalid_message")
lifespan_return_without_answering = faulty(
    lifespan=_lifespan_return_without_answering, name="lifespan_return_without_answering")

#: A fully healthy app (every path works), for "a new client works" checks.
healthy_app = faulty(name="healthy_app")
#: Not a fault: streams until the client closes the response (used by test_leaks).
stream_until_disconnect = faulty(http=_stream_until_disconnect, name="stream_until_disconnect")


# --------------------------------------------------------------------------
# not apps, for the import-string checks
# --------------------------------------------------------------------------

#: Not an ASGI app: an int.
NUMBER = 42


def failing_factory(name: str = "app") -> Handler:
    """A factory that raises."""
    raise AppFault(f"cannot build the {name}")


def wsgi_app(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Any:
    """A WSGI app, not an ASGI one."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"WSGI, not ASGI"]
