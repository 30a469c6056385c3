"""The fault matrix: what the test client does when the application misbehaves.

Each row below is one fault, played by an app of ``testapps.faults`` (named in
the "app" column), and one test, ``test_fault[<backend>-<id>-<mode>]``, run
on both anyio backends and - for HTTP and WebSocket rows - both inside
``with TestClient(app) as client:`` ("with": one loop, lifespan) and outside
it ("bare": a loop per request or session). Lifespan rows enter the block
themselves ("lifespan").

Every row checks four things:

1. the expected error type and a fragment of its message (for rows where
   nothing is wrong from the client's point of view - "no error" - the
   fragment is looked for in what the action returned);
2. it happened within the bound (seconds; hang guards, not speed claims:
   the timeouts given to the client are 0.5 s);
3. the same client is still usable: ``GET /ok`` and a WebSocket echo on
   ``/ok`` of the same app work (inside the same ``with`` block in "with"
   mode). Lifespan rows leave the block, so the follow-up runs on the same
   client outside ``with`` and on a brand-new ``with TestClient(...)``;
4. the next test is unaffected: every thread the row started has ended.

Rows marked "isolated" run in a child Python process (killed past the
row's bound): an app that sends in a tight loop used to leave a runaway
event-loop thread behind (100% CPU, memory without limit), which would
poison the rest of the test run; the WebSocket one makes the client buffer
a few hundred MB. Rows whose status is "xfail: engine bug" are strict
xfails whose reason names the bug; they pass once it is fixed.

The table is :data:`FAULT_MATRIX`; ``render_table()`` makes this text from
it and ``test_docstring_table_mirrors_the_matrix`` keeps the two in sync.

FAULT MATRIX
| id | fault | app | what the test does | expected | bound | status |
|---|---|---|---|---|---|---|
| http-raise-before-start | raise before the response starts | raise_before_response_start | GET /fault | AppFault: 'raised before the response started' | 5 s | pass |
| http-raise-before-start-500 | raise before the response starts (raise_server_exceptions=False) | raise_before_response_start | GET /fault -> status and text | no error; '500 Internal Server Error' | 5 s | pass |
| http-raise-mid-body | raise in the middle of a streamed body | raise_mid_body | GET /fault | AppFault: 'raised in the middle of the response body' | 5 s | pass |
| http-raise-mid-body-stream | raise in the middle of a streamed body | raise_mid_body | GET /fault stream=True, iter_content to the end | AppFault: 'raised in the middle of the response body' | 5 s | pass |
| http-raise-mid-body-500 | raise in the middle of a streamed body (raise_server_exceptions=False) | raise_mid_body | GET /fault -> status and text | no error; '200 first chunk;' | 5 s | pass |
| http-never-answer | never answer | never_answer | GET /fault timeout=0.5 | ASGITimeout: 'did not answer GET http://testserver/fault within 0.5 s' | 5 s | pass |
| http-never-answer-stream | never answer | never_answer | GET /fault stream=True timeout=0.5 | ASGITimeout: 'did not answer GET http://testserver/fault within 0.5 s' | 5 s | pass |
| http-block-event-loop | never answer: a synchronous sleep (1.5 s) blocks the event loop | block_event_loop | GET /fault timeout=0.5 | ASGITimeout: 'within 0.5 s' | 8 s | pass |
| http-answer-then-hang | answer, then hang in a background task | answer_then_hang_in_background | GET /fault timeout=0.5 | ASGITimeout: 'did not finish GET http://testserver/fault within 0.5 s' ... 'it sent its whole response, then kept running', not 'did not answer' | 5 s | pass |
| http-answer-then-hang-stream | answer, then hang in a background task | answer_then_hang_in_background | GET /fault stream=True timeout=0.5, read all, close | no error; 'answered' | 5 s | pass |
| http-invalid-body-before-start | invalid message: body before start | invalid_body_before_start | GET /fault | ASGIProtocolError: 'http.response.body sent before http.response.start' ... "'type': 'http.response.body'" | 5 s | pass |
| http-invalid-start-twice | invalid message: start twice | invalid_start_twice | GET /fault | ASGIProtocolError: 'http.response.start sent twice' ... "'type': 'http.response.start'" | 5 s | pass |
| http-invalid-str-body | invalid message: str body | invalid_str_body | GET /fault | ASGIProtocolError: 'the body must be bytes, not str' ... "'type': 'http.response.body'" | 5 s | pass |
| http-invalid-non-int-status | invalid message: non-int status | invalid_non_int_status | GET /fault | ASGIProtocolError: "the status must be an int from 100 to 599, not '200'" ... "'type': 'http.response.start'" | 5 s | pass |
| http-invalid-non-bytes-header | invalid message: non-bytes header | invalid_non_bytes_header | GET /fault | ASGIProtocolError: 'header names and values must be bytes' ... "'type': 'http.response.start'" | 5 s | pass |
| http-invalid-unknown-type | invalid message: unknown message type | invalid_unknown_message_type | GET /fault | ASGIProtocolError: "unknown message type 'http.response.bogus'" | 5 s | pass |
| http-invalid-non-dict | invalid message: not a dict | invalid_non_dict_message | GET /fault | ASGIProtocolError: 'a message must be a dict' ... 'tuple' | 5 s | pass |
| http-invalid-after-complete | invalid message: body after the response was complete | invalid_message_after_response_complete | GET /fault | ASGIProtocolError: 'http.response.body sent after the response body was complete' | 5 s | pass |
| http-invalid-trailers | invalid message: trailers not announced | invalid_trailers_not_announced | GET /fault | ASGIProtocolError: 'http.response.trailers sent without trailers=True' | 5 s | pass |
| http-invalid-swallowed | invalid message, swallowed by the app (which then answers 200) | invalid_message_swallowed | GET /fault | ASGIProtocolError: 'http.response.body sent before http.response.start' | 5 s | pass |
| http-return-without-answering | return without answering | return_without_answering | GET /fault | ASGIProtocolError: 'returned without sending http.response.start' | 5 s | pass |
| http-return-mid-body | return without answering: in the middle of the body | return_mid_body | GET /fault | ASGIProtocolError: 'returned before the response was complete' | 5 s | pass |
| http-ignore-disconnect | ignore the client's disconnect | ignore_client_disconnect | GET /fault stream=True, read 3 chunks, close | no error; 'closed after 3 chunks' | 6 s | pass |
| http-stream-forever | stream forever (tight loop of send()) | stream_forever | GET /fault timeout=0.5 (isolated) | ASGITimeout: 'did not finish GET http://testserver/fault within 0.5 s' ... 'then no end of the body', not 'did not answer' | 5 s | pass |
| http-stream-forever-stream | stream forever (tight loop of send()) | stream_forever | GET /fault stream=True, read 3 chunks, close | no error; 'closed after 3 chunks' | 5 s | pass |
| http-sse-forever | stream forever (an event every 10 ms) | stream_forever_slowly | GET /fault timeout=0.5 | ASGITimeout: 'did not finish GET http://testserver/fault within 0.5 s' ... 'then no end of the body', not 'did not answer' | 5 s | pass |
| http-sse-forever-stream | stream forever (an event every 10 ms) | stream_forever_slowly | GET /fault stream=True, read 3 chunks, close | no error; 'closed after 3 chunks' | 5 s | pass |
| http-non-utf8-text | a body that is not UTF-8 to a text receive | non_utf8_text_body | GET /fault -> response.text | no error; 'caf� �' | 5 s | pass |
| ws-raise-before-accept | raise before the response starts (before accept) | ws_raise_before_accept | websocket_connect /fault | AppFault: 'raised before accepting the WebSocket' | 5 s | pass |
| ws-raise-while-waiting | raise while the client waits | ws_raise_after_accept | connect, receive_text | AppFault: 'raised while the client waited for a message' | 5 s | pass |
| ws-raise-while-waiting-1011 | raise while the client waits (raise_server_exceptions=False) | ws_raise_after_accept | connect, receive_text | WebSocketDisconnect: 'code 1011' | 5 s | pass |
| ws-never-accept | never answer the handshake | ws_never_accept | websocket_connect /fault timeout=0.5 | WebSocketTimeout: 'did not accept or refuse the WebSocket connection' | 5 s | pass |
| ws-never-answer | never answer a message | ws_never_answer | connect, send_text, receive_text timeout=0.5 | WebSocketTimeout: 'Nothing arrived from the application within 0.5 s' | 5 s | pass |
| ws-close-before-accept | close a WebSocket before accepting | ws_close_before_accept | websocket_connect /fault | WebSocketDisconnect: 'closed with code 4403: not allowed' | 5 s | pass |
| ws-close-while-waiting | close a WebSocket while the client waits | ws_close_while_client_waits | connect, receive_text | WebSocketDisconnect: 'closed with code 4001: going away' | 5 s | pass |
| ws-return-without-accepting | return without answering the handshake | ws_return_without_accepting | websocket_connect /fault | ASGIProtocolError: 'returned without accepting or closing the WebSocket' | 5 s | pass |
| ws-return-without-closing | return without closing | ws_return_without_closing | connect, receive_text | WebSocketDisconnect: 'code 1006' ... 'ended without closing' | 5 s | pass |
| ws-invalid-send-before-accept | invalid message: send before accept | ws_invalid_send_before_accept | connect, wait 0.2 s, leave the block | ASGIProtocolError: 'websocket.send before websocket.accept' | 5 s | pass |
| ws-invalid-text-and-bytes | invalid message: both text and bytes | ws_invalid_text_and_bytes | connect, wait 0.2 s, leave the block | ASGIProtocolError: "exactly one of 'text' or 'bytes'" | 5 s | pass |
| ws-invalid-neither | invalid message: neither text nor bytes | ws_invalid_neither_text_nor_bytes | connect, wait 0.2 s, leave the block | ASGIProtocolError: "exactly one of 'text' or 'bytes'" | 5 s | pass |
| ws-invalid-str-in-bytes | invalid message: str in bytes | ws_invalid_str_in_bytes | connect, wait 0.2 s, leave the block | ASGIProtocolError: "'bytes' must be bytes, not str" | 5 s | pass |
| ws-invalid-unknown-type | invalid message: unknown message type | ws_invalid_unknown_message_type | connect, wait 0.2 s, leave the block | ASGIProtocolError: "unexpected message type 'websocket.bogus'" | 5 s | pass |
| ws-invalid-after-close | invalid message: send after close | ws_invalid_message_after_close | connect, wait 0.2 s, leave the block | ASGIProtocolError: 'websocket.send after the connection was closed' | 5 s | pass |
| ws-invalid-subprotocol | invalid message: accept a subprotocol not offered | ws_invalid_unoffered_subprotocol | websocket_connect /fault subprotocols=['chat'] | ASGIProtocolError: "accepted subprotocol 'never-offered', which the client did not offer" | 5 s | pass |
| ws-ignore-disconnect | ignore the client's disconnect (keeps calling receive) | ws_ignore_client_disconnect | connect, send_text, leave the block | no error; 'left the block' | 5 s | pass |
| ws-ignore-disconnect-sleeping | ignore the client's disconnect (never calls receive) | ws_ignore_client_disconnect_sleeping | connect, send_text, leave the block | no error; 'left the block' | 5 s | pass |
| ws-close-then-hang | answer (and close), then hang | ws_close_then_hang | connect, receive_text, leave the block | no error; 'bye' | 5 s | pass |
| ws-stream-forever | stream forever (tight loop of send()) | ws_stream_forever | connect, receive 3 messages, leave the block (isolated) | no error; 'message 3' | 8 s | pass |
| ws-bytes-to-text | send a body that is not UTF-8 to a text receive | ws_bytes_to_text_receive | connect, receive_text | UnexpectedMessage: 'Expected a text message, but the application sent a binary message' ... 'xff' | 5 s | pass |
| lifespan-startup-raises | raise in lifespan startup | lifespan_startup_raises | with TestClient(app): GET /ok | AppFault: 'startup exploded' | 5 s | pass |
| lifespan-startup-failed | send startup.failed | lifespan_startup_failed | with TestClient(app): GET /ok | LifespanStartupError: 'Lifespan startup failed: database unreachable' | 5 s | pass |
| lifespan-startup-hangs | never answer lifespan startup | lifespan_startup_never_answers | client.timeout=0.5; with TestClient(app): GET /ok | LifespanStartupError: 'did not answer lifespan.startup within 0.5 s' | 5 s | pass |
| lifespan-shutdown-raises | raise in lifespan shutdown | lifespan_shutdown_raises | with TestClient(app): GET /ok | AppFault: 'shutdown exploded' | 5 s | pass |
| lifespan-shutdown-failed | send shutdown.failed | lifespan_shutdown_failed | with TestClient(app): GET /ok | LifespanShutdownError: 'Lifespan shutdown failed: could not flush the cache' | 5 s | pass |
| lifespan-shutdown-hangs | never answer lifespan shutdown | lifespan_shutdown_never_answers | client.timeout=0.5; with TestClient(app): GET /ok | LifespanShutdownError: 'did not answer lifespan.shutdown within 0.5 s' | 5 s | pass |
| lifespan-invalid-message | invalid message in lifespan | lifespan_invalid_message | with TestClient(app): GET /ok | LifespanStartupError: 'unexpected lifespan message' ... 'lifespan.startup.bogus' | 5 s | pass |
| lifespan-return-without-answering | return without answering lifespan | lifespan_return_without_answering | with TestClient(app): GET /ok | no error; 'lifespan_supported=False' | 5 s | pass |
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
import traceback
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

from RobotASGI.testclient import (
    ASGIProtocolError,
    ASGITimeout,
    LifespanShutdownError,
    LifespanStartupError,
    TestClient,
    UnexpectedMessage,
    WebSocketDisconnect,
    WebSocketTimeout,
)
from testapps import faults
from testapps.faults import AppFault

#: The timeout the rows give the client for the faulty call.
FAULT_TIMEOUT = 0.5
#: The client's own timeout: generous, for the follow-up on the healthy route.
CLIENT_TIMEOUT = 10.0
#: How long the threads a row started may take to end after it.
THREAD_GRACE = 5.0
#: Hard limit for a row run in a child process (start-up included).
ISOLATED_LIMIT = 90.0

FAULT_PATH = "/fault"
HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------
# what the test does (the "action" of a row): action(client) -> result
# --------------------------------------------------------------------------

def get(client: TestClient) -> Any:
    return client.get(FAULT_PATH, timeout=FAULT_TIMEOUT)


def get_status_and_text(client: TestClient) -> str:
    response = client.get(FAULT_PATH, timeout=FAULT_TIMEOUT)
    return f"{response.status_code} {response.text}"


def get_text(client: TestClient) -> str:
    return client.get(FAULT_PATH, timeout=FAULT_TIMEOUT).text


def get_stream(client: TestClient) -> Any:
    return client.get(FAULT_PATH, stream=True, timeout=FAULT_TIMEOUT)


def stream_all(client: TestClient) -> str:
    with client.get(FAULT_PATH, stream=True, timeout=FAULT_TIMEOUT) as response:
        return b"".join(response.iter_content(None)).decode("utf-8", "replace")


def stream_three_then_close(client: TestClient) -> str:
    response = client.get(FAULT_PATH, stream=True, timeout=FAULT_TIMEOUT)
    try:
        chunks = response.iter_content(None)
        for _ in range(3):
            next(chunks)
    finally:
        response.close()
    return "closed after 3 chunks"


def ws_connect(client: TestClient) -> str:
    with client.websocket_connect(FAULT_PATH, timeout=FAULT_TIMEOUT):
        return "connected"


def ws_connect_offering_chat(client: TestClient) -> str:
    with client.websocket_connect(FAULT_PATH, subprotocols=["chat"], timeout=FAULT_TIMEOUT):
        return "connected"


def ws_receive_text(client: TestClient) -> str:
    with client.websocket_connect(FAULT_PATH, timeout=FAULT_TIMEOUT) as websocket:
        return websocket.receive_text()


def ws_send_receive_text(client: TestClient) -> str:
    with client.websocket_connect(FAULT_PATH, timeout=FAULT_TIMEOUT) as websocket:
        websocket.send_text("hello?")
        return websocket.receive_text()


def ws_wait_then_leave(client: TestClient) -> str:
    with client.websocket_connect(FAULT_PATH, timeout=FAULT_TIMEOUT):
        time.sleep(0.2)  # the app breaks the protocol meanwhile
    return "left the block"


def ws_send_then_leave(client: TestClient) -> str:
    with client.websocket_connect(FAULT_PATH, timeout=FAULT_TIMEOUT) as websocket:
        websocket.send_text("hello")
    return "left the block"


def ws_receive_three_then_leave(client: TestClient) -> str:
    with client.websocket_connect(FAULT_PATH, timeout=FAULT_TIMEOUT) as websocket:
        return [websocket.receive_text() for _ in range(3)][-1]


def lifespan_block(client: TestClient) -> str:
    with client:
        client.get(faults.HEALTHY_PATH)
        return f"lifespan_supported={client.lifespan_supported}"


def lifespan_block_short_timeout(client: TestClient) -> str:
    client.timeout = FAULT_TIMEOUT
    try:
        return lifespan_block(client)
    finally:
        client.timeout = CLIENT_TIMEOUT


# --------------------------------------------------------------------------
# the matrix
# --------------------------------------------------------------------------

HTTP_MODES = ("with", "bare")
LIFESPAN_MODES = ("lifespan",)


def row(id: str, fault: str, app: str, action: Callable[[TestClient], Any], does: str,
        error: Optional[type], fragment: Any, bound: float = 5.0, *, client: Optional[dict] = None,
        modes: Tuple[str, ...] = HTTP_MODES, isolated: bool = False, xfail: Optional[str] = None,
        not_fragment: Optional[str] = None) -> Dict[str, Any]:
    """One row of the matrix (``fragment``: a str, or a tuple of str that must all appear;
    ``not_fragment``: a misleading text the message must not contain)."""
    fragments = (fragment,) if isinstance(fragment, str) else tuple(fragment)
    return {
        "id": id, "fault": fault, "app": app, "action": action, "does": does, "error": error,
        "fragments": fragments, "not_fragments": (not_fragment,) if not_fragment else (), "bound": bound,
        "client": dict(client or {}), "modes": modes, "isolated": isolated, "xfail": xfail,
    }


GET = "GET /fault"
GET_TIMEOUT = "GET /fault timeout=0.5"
STREAM_3 = "GET /fault stream=True, read 3 chunks, close"
WS_LEAVE_LATER = "connect, wait 0.2 s, leave the block"
NO_RSE = {"raise_server_exceptions": False}

#: What a stream=False timeout says once the app has started its response.
DID_NOT_FINISH = "did not finish GET http://testserver/fault within 0.5 s"

FAULT_MATRIX: List[Dict[str, Any]] = [
    # ---- HTTP -----------------------------------------------------------
    row("http-raise-before-start", "raise before the response starts", "raise_before_response_start",
        get, GET, AppFault, "raised before the response started"),
    row("http-raise-before-start-500", "raise before the response starts (raise_server_exceptions=False)",
        "raise_before_response_start", get_status_and_text, "GET /fault -> status and text",
        None, "500 Internal Server Error", client=NO_RSE),
    row("http-raise-mid-body", "raise in the middle of a streamed body", "raise_mid_body",
        get, GET, AppFault, "raised in the middle of the response body"),
    row("http-raise-mid-body-stream", "raise in the middle of a streamed body", "raise_mid_body",
        stream_all, "GET /fault stream=True, iter_content to the end", AppFault,
        "raised in the middle of the response body"),
    row("http-raise-mid-body-500", "raise in the middle of a streamed body (raise_server_exceptions=False)",
        "raise_mid_body", get_status_and_text, "GET /fault -> status and text", None, "200 first chunk;",
        client=NO_RSE),
    row("http-never-answer", "never answer", "never_answer", get, GET_TIMEOUT,
        ASGITimeout, "did not answer GET http://testserver/fault within 0.5 s"),
    row("http-never-answer-stream", "never answer", "never_answer", get_stream,
        "GET /fault stream=True timeout=0.5", ASGITimeout, "did not answer GET http://testserver/fault within 0.5 s"),
    row("http-block-event-loop", "never answer: a synchronous sleep (1.5 s) blocks the event loop",
        "block_event_loop", get, GET_TIMEOUT, ASGITimeout, "within 0.5 s", 8.0),
    row("http-answer-then-hang", "answer, then hang in a background task", "answer_then_hang_in_background",
        get, GET_TIMEOUT, ASGITimeout, (DID_NOT_FINISH, "it sent its whole response, then kept running"),
        not_fragment="did not answer"),
    row("http-answer-then-hang-stream", "answer, then hang in a background task", "answer_then_hang_in_background",
        stream_all, "GET /fault stream=True timeout=0.5, read all, close", None, "answered"),
    row("http-invalid-body-before-start", "invalid message: body before start", "invalid_body_before_start",
        get, GET, ASGIProtocolError,
        ("http.response.body sent before http.response.start", "'type': 'http.response.body'")),
    row("http-invalid-start-twice", "invalid message: start twice", "invalid_start_twice", get, GET,
        ASGIProtocolError, ("http.response.start sent twice", "'type': 'http.response.start'")),
    row("http-invalid-str-body", "invalid message: str body", "invalid_str_body", get, GET,
        ASGIProtocolError, ("the body must be bytes, not str", "'type': 'http.response.body'")),
    row("http-invalid-non-int-status", "invalid message: non-int status", "invalid_non_int_status", get, GET,
        ASGIProtocolError, ("the status must be an int from 100 to 599, not '200'", "'type': 'http.response.start'")),
    row("http-invalid-non-bytes-header", "invalid message: non-bytes header", "invalid_non_bytes_header", get, GET,
        ASGIProtocolError, ("header names and values must be bytes", "'type': 'http.response.start'")),
    row("http-invalid-unknown-type", "invalid message: unknown message type", "invalid_unknown_message_type",
        get, GET, ASGIProtocolError, "unknown message type 'http.response.bogus'"),
    row("http-invalid-non-dict", "invalid message: not a dict", "invalid_non_dict_message", get, GET,
        ASGIProtocolError, ("a message must be a dict", "tuple")),
    row("http-invalid-after-complete", "invalid message: body after the response was complete",
        "invalid_message_after_response_complete", get, GET, ASGIProtocolError,
        "http.response.body sent after the response body was complete"),
    row("http-invalid-trailers", "invalid message: trailers not announced", "invalid_trailers_not_announced",
        get, GET, ASGIProtocolError, "http.response.trailers sent without trailers=True"),
    row("http-invalid-swallowed", "invalid message, swallowed by the app (which then answers 200)",
        "invalid_message_swallowed", get, GET, ASGIProtocolError,
        "http.response.body sent before http.response.start"),
    row("http-return-without-answering", "return without answering", "return_without_answering", get, GET,
        ASGIProtocolError, "returned without sending http.response.start"),
    row("http-return-mid-body", "return without answering: in the middle of the body", "return_mid_body",
        get, GET, ASGIProtocolError, "returned before the response was complete"),
    row("http-ignore-disconnect", "ignore the client's disconnect", "ignore_client_disconnect",
        stream_three_then_close, STREAM_3, None, "closed after 3 chunks", 6.0),
    # Isolated: were the app's tight loop never to yield again, its loop thread
    # would spin for ever (100% CPU, memory without limit) and poison the run.
    row("http-stream-forever", "stream forever (tight loop of send())", "stream_forever", get, GET_TIMEOUT,
        ASGITimeout, (DID_NOT_FINISH, "then no end of the body"), isolated=True, not_fragment="did not answer"),
    row("http-stream-forever-stream", "stream forever (tight loop of send())", "stream_forever",
        stream_three_then_close, STREAM_3, None, "closed after 3 chunks"),
    row("http-sse-forever", "stream forever (an event every 10 ms)", "stream_forever_slowly", get, GET_TIMEOUT,
        ASGITimeout, (DID_NOT_FINISH, "then no end of the body"), not_fragment="did not answer"),
    row("http-sse-forever-stream", "stream forever (an event every 10 ms)", "stream_forever_slowly",
        stream_three_then_close, STREAM_3, None, "closed after 3 chunks"),
    row("http-non-utf8-text", "a body that is not UTF-8 to a text receive", "non_utf8_text_body", get_text,
        "GET /fault -> response.text", None, "caf\ufffd \ufffd"),
    # ---- WebSocket --------------------------------------------------------
    row("ws-raise-before-accept", "raise before the response starts (before accept)", "ws_raise_before_accept",
        ws_connect, "websocket_connect /fault", AppFault, "raised before accepting the WebSocket"),
    row("ws-raise-while-waiting", "raise while the client waits", "ws_raise_after_accept", ws_receive_text,
        "connect, receive_text", AppFault, "raised while the client waited for a message"),
    row("ws-raise-while-waiting-1011", "raise while the client waits (raise_server_exceptions=False)",
        "ws_raise_after_accept", ws_receive_text, "connect, receive_text", WebSocketDisconnect, "code 1011",
        client=NO_RSE),
    row("ws-never-accept", "never answer the handshake", "ws_never_accept", ws_connect,
        "websocket_connect /fault timeout=0.5", WebSocketTimeout, "did not accept or refuse the WebSocket connection"),
    row("ws-never-answer", "never answer a message", "ws_never_answer", ws_send_receive_text,
        "connect, send_text, receive_text timeout=0.5", WebSocketTimeout,
        "Nothing arrived from the application within 0.5 s"),
    row("ws-close-before-accept", "close a WebSocket before accepting", "ws_close_before_accept", ws_connect,
        "websocket_connect /fault", WebSocketDisconnect, "closed with code 4403: not allowed"),
    row("ws-close-while-waiting", "close a WebSocket while the client waits", "ws_close_while_client_waits",
        ws_receive_text, "connect, receive_text", WebSocketDisconnect, "closed with code 4001: going away"),
    row("ws-return-without-accepting", "return without answering the handshake", "ws_return_without_accepting",
        ws_connect, "websocket_connect /fault", ASGIProtocolError,
        "returned without accepting or closing the WebSocket"),
    row("ws-return-without-closing", "return without closing", "ws_return_without_closing", ws_receive_text,
        "connect, receive_text", WebSocketDisconnect, ("code 1006", "ended without closing")),
    row("ws-invalid-send-before-accept", "invalid message: send before accept", "ws_invalid_send_before_accept",
        ws_wait_then_leave, WS_LEAVE_LATER, ASGIProtocolError, "websocket.send before websocket.accept"),
    row("ws-invalid-text-and-bytes", "invalid message: both text and bytes", "ws_invalid_text_and_bytes",
        ws_wait_then_leave, WS_LEAVE_LATER, ASGIProtocolError, "exactly one of 'text' or 'bytes'"),
    row("ws-invalid-neither", "invalid message: neither text nor bytes", "ws_invalid_neither_text_nor_bytes",
        ws_wait_then_leave, WS_LEAVE_LATER, ASGIProtocolError, "exactly one of 'text' or 'bytes'"),
    row("ws-invalid-str-in-bytes", "invalid message: str in bytes", "ws_invalid_str_in_bytes",
        ws_wait_then_leave, WS_LEAVE_LATER, ASGIProtocolError, "'bytes' must be bytes, not str"),
    row("ws-invalid-unknown-type", "invalid message: unknown message type", "ws_invalid_unknown_message_type",
        ws_wait_then_leave, WS_LEAVE_LATER, ASGIProtocolError, "unexpected message type 'websocket.bogus'"),
    row("ws-invalid-after-close", "invalid message: send after close", "ws_invalid_message_after_close",
        ws_wait_then_leave, WS_LEAVE_LATER, ASGIProtocolError, "websocket.send after the connection was closed"),
    row("ws-invalid-subprotocol", "invalid message: accept a subprotocol not offered",
        "ws_invalid_unoffered_subprotocol", ws_connect_offering_chat,
        "websocket_connect /fault subprotocols=['chat']", ASGIProtocolError,
        "accepted subprotocol 'never-offered', which the client did not offer"),
    row("ws-ignore-disconnect", "ignore the client's disconnect (keeps calling receive)",
        "ws_ignore_client_disconnect", ws_send_then_leave, "connect, send_text, leave the block",
        None, "left the block"),
    row("ws-ignore-disconnect-sleeping", "ignore the client's disconnect (never calls receive)",
        "ws_ignore_client_disconnect_sleeping", ws_send_then_leave, "connect, send_text, leave the block",
        None, "left the block"),
    row("ws-close-then-hang", "answer (and close), then hang", "ws_close_then_hang", ws_receive_text,
        "connect, receive_text, leave the block", None, "bye"),
    # Isolated: the app buffers ~16 MB of payload (~300 MB of messages) before
    # it waits - see test_leaks.test_unread_endless_stream_memory_is_bounded.
    row("ws-stream-forever", "stream forever (tight loop of send())", "ws_stream_forever",
        ws_receive_three_then_leave, "connect, receive 3 messages, leave the block", None, "message 3", 8.0,
        isolated=True),
    row("ws-bytes-to-text", "send a body that is not UTF-8 to a text receive", "ws_bytes_to_text_receive",
        ws_receive_text, "connect, receive_text", UnexpectedMessage,
        ("Expected a text message, but the application sent a binary message", "xff")),
    # ---- lifespan -----------------------------------------------------------
    row("lifespan-startup-raises", "raise in lifespan startup", "lifespan_startup_raises", lifespan_block,
        "with TestClient(app): GET /ok", AppFault, "startup exploded", modes=LIFESPAN_MODES),
    row("lifespan-startup-failed", "send startup.failed", "lifespan_startup_failed", lifespan_block,
        "with TestClient(app): GET /ok", LifespanStartupError, "Lifespan startup failed: database unreachable",
        modes=LIFESPAN_MODES),
    row("lifespan-startup-hangs", "never answer lifespan startup", "lifespan_startup_never_answers",
        lifespan_block_short_timeout, "client.timeout=0.5; with TestClient(app): GET /ok", LifespanStartupError,
        "did not answer lifespan.startup within 0.5 s", modes=LIFESPAN_MODES),
    row("lifespan-shutdown-raises", "raise in lifespan shutdown", "lifespan_shutdown_raises", lifespan_block,
        "with TestClient(app): GET /ok", AppFault, "shutdown exploded", modes=LIFESPAN_MODES),
    row("lifespan-shutdown-failed", "send shutdown.failed", "lifespan_shutdown_failed", lifespan_block,
        "with TestClient(app): GET /ok", LifespanShutdownError,
        "Lifespan shutdown failed: could not flush the cache", modes=LIFESPAN_MODES),
    row("lifespan-shutdown-hangs", "never answer lifespan shutdown", "lifespan_shutdown_never_answers",
        lifespan_block_short_timeout, "client.timeout=0.5; with TestClient(app): GET /ok", LifespanShutdownError,
        "did not answer lifespan.shutdown within 0.5 s", modes=LIFESPAN_MODES),
    row("lifespan-invalid-message", "invalid message in lifespan", "lifespan_invalid_message", lifespan_block,
        "with TestClient(app): GET /ok", LifespanStartupError,
        ("unexpected lifespan message", "lifespan.startup.bogus"), modes=LIFESPAN_MODES),
    row("lifespan-return-without-answering", "return without answering lifespan",
        "lifespan_return_without_answering", lifespan_block, "with TestClient(app): GET /ok", None,
        "lifespan_supported=False", modes=LIFESPAN_MODES),
]

ROWS: Dict[str, Dict[str, Any]] = {entry["id"]: entry for entry in FAULT_MATRIX}
assert len(ROWS) == len(FAULT_MATRIX), "duplicate row ids"


def expected_text(entry: Dict[str, Any]) -> str:
    fragments = " ... ".join(repr(fragment) for fragment in entry["fragments"])
    fragments += "".join(f", not {fragment!r}" for fragment in entry["not_fragments"])
    if entry["error"] is None:
        return f"no error; {fragments}"
    return f"{entry['error'].__name__}: {fragments}"


def render_table(rows: List[Dict[str, Any]] = FAULT_MATRIX) -> str:
    """The matrix as a markdown table (what the module docstring shows)."""
    lines = ["| id | fault | app | what the test does | expected | bound | status |",
             "|---|---|---|---|---|---|---|"]
    for entry in rows:
        does = entry["does"] + (" (isolated)" if entry["isolated"] else "")
        status = "xfail: engine bug" if entry["xfail"] else "pass"
        lines.append(f"| {entry['id']} | {entry['fault']} | {entry['app']} | {does} | {expected_text(entry)} "
                     f"| {entry['bound']:g} s | {status} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# running one row
# --------------------------------------------------------------------------

def _new_threads(before: set) -> List[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.ident not in before and thread.is_alive()]


def _wait_for_threads(before: set, grace: float = THREAD_GRACE) -> List[str]:
    """Names of threads started since ``before`` still alive after ``grace`` s."""
    deadline = time.monotonic() + grace
    while True:
        left = _new_threads(before)
        if not left or time.monotonic() > deadline:
            return [thread.name for thread in left]
        time.sleep(0.02)


def check_follow_up(client: TestClient) -> None:
    """The client still works: GET /ok and a WebSocket echo on /ok."""
    response = client.get(faults.HEALTHY_PATH)
    assert (response.status_code, response.content) == (200, faults.HEALTHY_BODY)
    with client.websocket_connect(faults.HEALTHY_PATH) as websocket:
        websocket.send_text("ping")
        assert websocket.receive_text(timeout=CLIENT_TIMEOUT) == "ping"


def check_row(row_id: str, backend: str, mode: str) -> str:
    """Run one row and assert everything it promises; a one-line summary."""
    entry = ROWS[row_id]
    app = getattr(faults, entry["app"])
    threads_before = {thread.ident for thread in threading.enumerate()}
    client = TestClient(app, backend=backend, timeout=CLIENT_TIMEOUT, **entry["client"])
    with contextlib.ExitStack() as stack:
        if mode == "with":
            stack.enter_context(client)  # leaving it must work too: lifespan shutdown after the fault
        try:
            error, result, elapsed = _run_action(entry, client)
            _verify(entry, error, result, elapsed)
            follow_up_start = time.monotonic()
            if mode == "lifespan":
                assert not client.is_open  # the client left its block; it still works outside one ...
            check_follow_up(client)
        except BaseException:
            if _EXIT_ON_FAILURE:  # isolated: do not wait for a broken loop to clean up
                _die(1)
            raise
    if mode == "lifespan":
        # ... and a new client, with lifespan, works too.
        with TestClient(faults.healthy_app, backend=backend, timeout=CLIENT_TIMEOUT) as fresh:
            check_follow_up(fresh)
    follow_up = time.monotonic() - follow_up_start
    assert follow_up < entry["bound"], f"the follow-up took {follow_up:.2f} s"

    left = _wait_for_threads(threads_before)
    assert not left, f"threads still running {THREAD_GRACE:g} s after the row: {left}"
    outcome = type(error).__name__ if error is not None else "no error"
    return f"{row_id} [{backend}/{mode}]: {outcome} in {elapsed:.2f} s"


def _run_action(entry: Dict[str, Any], client: TestClient) -> Tuple[Optional[BaseException], Any, float]:
    """(error raised, result, seconds) of the row's action."""
    watchdog = None
    if _EXIT_ON_FAILURE:  # isolated: a child past the bound is a failure already - do not wait longer
        watchdog = threading.Timer(entry["bound"] + 0.25, _die, (2, f"the action was still running after its "
                                                                  f"bound of {entry['bound']:g} s"))
        watchdog.daemon = True
        watchdog.start()
    error: Optional[BaseException] = None
    result: Any = None
    start = time.monotonic()
    try:
        result = entry["action"](client)
    except Exception as exc:  # what the row is about
        error = exc
    elapsed = time.monotonic() - start
    if watchdog is not None:
        watchdog.cancel()
    if isinstance(result, contextlib.AbstractContextManager):  # a streamed response
        result.close()
    return error, result, elapsed


def _verify(entry: Dict[str, Any], error: Optional[BaseException], result: Any, elapsed: float) -> None:
    assert elapsed < entry["bound"], f"took {elapsed:.2f} s, bound {entry['bound']} s (error: {error!r})"
    expected = entry["error"]
    if expected is None:
        assert error is None, f"expected no error, got {error!r}"
        for fragment in entry["fragments"]:
            assert fragment in str(result), f"{fragment!r} not in the result {result!r}"
        return
    assert error is not None, f"expected {expected.__name__}, but the action returned {result!r}"
    assert isinstance(error, expected), (
        f"expected {expected.__name__}, got {type(error).__name__}: {error}\n"
        + "".join(traceback.format_exception(type(error), error, error.__traceback__)))
    for fragment in entry["fragments"]:
        assert fragment in str(error), f"{fragment!r} not in the message {str(error)!r}"
    for fragment in entry["not_fragments"]:
        assert fragment not in str(error), f"the message says {fragment!r}, which is not what happened: {error}"


#: Set in an isolated row's child process.
_EXIT_ON_FAILURE = False


def _die(status: int, text: str = "") -> None:
    if text:
        print(text, flush=True)
    else:
        traceback.print_exc()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _child(row_id: str, backend: str, mode: str) -> None:
    """Entry point of an isolated row's child process: exit 0 iff it passed."""
    global _EXIT_ON_FAILURE
    _EXIT_ON_FAILURE = True
    try:
        print(check_row(row_id, backend, mode), flush=True)
    except BaseException:
        _die(1)
    _die(0, " ")  # never wait for a runaway daemon thread


def run_isolated(row_id: str, backend: str, mode: str) -> None:
    """``check_row`` in a child process, killed after :data:`ISOLATED_LIMIT` s."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.path.dirname(HERE), HERE, env.get("PYTHONPATH")]))
    code = f"import test_fault_matrix as m; m._child({row_id!r}, {backend!r}, {mode!r})"
    try:
        proc = subprocess.run([sys.executable, "-c", code], cwd=HERE, env=env, capture_output=True, text=True,
                              timeout=ISOLATED_LIMIT)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the isolated row did not end within {ISOLATED_LIMIT:g} s:\n{exc.stdout}\n{exc.stderr}")
    if proc.returncode != 0:
        pytest.fail(f"the isolated row failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr[-4000:]}")
    print(proc.stdout.strip())


# --------------------------------------------------------------------------
# the tests
# --------------------------------------------------------------------------

def _cases() -> List[Any]:
    cases = []
    for entry in FAULT_MATRIX:
        marks = [pytest.mark.xfail(strict=True, reason=entry["xfail"])] if entry["xfail"] else []
        for mode in entry["modes"]:
            cases.append(pytest.param(entry["id"], mode, id=f"{entry['id']}-{mode}", marks=marks))
    return cases


@pytest.mark.parametrize(("row_id", "mode"), _cases())
def test_fault(row_id: str, mode: str, backend: str) -> None:
    if ROWS[row_id]["isolated"]:
        run_isolated(row_id, backend, mode)
    else:
        print(check_row(row_id, backend, mode))


def test_docstring_table_mirrors_the_matrix() -> None:
    table = __doc__.split("FAULT MATRIX\n", 1)[1].strip()
    assert table == render_table(), "the module docstring's table is out of date; paste render_table() there"


def test_every_row_names_an_app_of_testapps_faults() -> None:
    for entry in FAULT_MATRIX:
        assert callable(getattr(faults, entry["app"], None)), entry["app"]


def test_matrix_covers_the_issue_faults() -> None:
    """Each fault the issue lists has at least one row."""
    listed = " / ".join(entry["fault"] for entry in FAULT_MATRIX)
    for wanted in [
        "raise before the response starts", "raise in the middle of a streamed body", "never answer",
        "answer, then hang in a background task", "invalid message", "return without answering",
        "close a WebSocket while the client waits", "ignore the client's disconnect", "raise in lifespan startup",
        "send startup.failed", "raise in lifespan shutdown", "send shutdown.failed", "stream forever",
        "a body that is not UTF-8 to a text receive", "send a body that is not UTF-8 to a text receive",
    ]:
        assert wanted in listed, wanted
