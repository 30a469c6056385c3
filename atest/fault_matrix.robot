*** Settings ***
Documentation     The fault matrix through the keywords: one test per row, one app
...               per fault (``testapps/faults.py``). Each row makes one keyword
...               call against a misbehaving app and checks three things:
...
...               1. the call fails with a message saying what happened (checked
...               with ``Run Keyword And Expect Error``; ``PASS`` where nothing is
...               wrong from the client's side, e.g. an app that ignores the
...               client's disconnect is cancelled after a grace period);
...               2. it failed within the row's bound, in seconds (``Get Time
...               epoch`` before and after, so to the second); the calls that wait
...               are given ``timeout=500ms``;
...               3. the client that met the fault still serves the app's healthy
...               route: ``GET /ok`` and a WebSocket echo on ``/ok``. Where the
...               fault leaves no client (lifespan startup or shutdown failed), a
...               fresh client of a healthy app does.
...
...               Then the test ends and its client and sessions are closed
...               automatically: a close that failed would fail the row. The next
...               row's Test Setup checks nothing was left over: no alias open, no
...               event-loop thread beyond those running when the suite started.
...               The last tests check that once more and that this table lists
...               exactly the tests of the suite.
...
...               Rows are written ``app | expected | bound | keyword call...``;
...               helper keywords prefix some calls: `On Websocket` connects to
...               ``/fault`` first, `Without Server Exceptions` opens the client
...               with ``raise_server_exceptions=False``, `Open Faulty Client` and
...               `Open And Close Faulty Client` open (and close) the client
...               themselves, `After GET` sends ``GET /fault`` first. An ``=`` in an
...               expected message is written ``\\=`` (the template takes named
...               arguments). Apps run on ``asyncio``; ``--variable BACKEND:trio``
...               runs the matrix on trio.
...
...               A Robot ``[Timeout]`` interrupting a keyword that waits on a
...               faulty app (a request, a WebSocket receive, a handshake) fails
...               the test, which no keyword can catch: that is in
...               ``expected_failures/timeouts.robot``, and an automatic close that
...               fails (lifespan shutdown) in
...               ``expected_failures/close_failures.robot``.
...
...               Tests tagged ``bug`` are known library bugs (see each one's
...               documentation), run only by ``atest/run.py --bugs``.
...
...               | = test (fault) = | = app = | = keyword call = | = expected = | = bound = |
...               | HTTP Raise Before The Response Starts | raise_before_response_start | GET | AppFault with the app's message | 3 s |
...               | HTTP Raise Before The Response Starts Without Server Exceptions | raise_before_response_start | GET | status 500 Internal Server Error | 3 s |
...               | HTTP Raise In The Middle Of A Streamed Body | raise_mid_body | GET | AppFault with the app's message | 3 s |
...               | HTTP Never Answer | never_answer | GET timeout=500ms | ASGITimeout: did not answer within 0.5 s | 3 s |
...               | HTTP Answer Then Hang In A Background Task | answer_then_hang_in_background | GET timeout=500ms | ASGITimeout within 0.5 s | 3 s |
...               | HTTP Answer Then Hang Is Not Reported As Unanswered | answer_then_hang_in_background | GET timeout=500ms | bug: not "did not answer" | 3 s |
...               | HTTP Invalid Message: Body Before Start | invalid_body_before_start | GET | ASGIProtocolError naming the message | 3 s |
...               | HTTP Invalid Message: Start Twice | invalid_start_twice | GET | ASGIProtocolError naming the message | 3 s |
...               | HTTP Invalid Message: Str Body | invalid_str_body | GET | ASGIProtocolError naming the message | 3 s |
...               | HTTP Invalid Message: Str Status | invalid_non_int_status | GET | ASGIProtocolError naming the message | 3 s |
...               | HTTP Invalid Message: Str Header | invalid_non_bytes_header | GET | ASGIProtocolError naming the message | 3 s |
...               | HTTP Invalid Message: Unknown Type | invalid_unknown_message_type | GET | ASGIProtocolError naming the message | 3 s |
...               | HTTP Invalid Message: Not A Dict | invalid_non_dict_message | GET | ASGIProtocolError naming the message | 3 s |
...               | HTTP Invalid Message: Body After The Response Was Complete | invalid_message_after_response_complete | GET | ASGIProtocolError naming the message | 3 s |
...               | HTTP Invalid Message: Trailers Not Announced | invalid_trailers_not_announced | GET | ASGIProtocolError naming the message | 3 s |
...               | HTTP Return Without Answering | return_without_answering | GET | ASGIProtocolError: returned without http.response.start | 3 s |
...               | HTTP Return In The Middle Of The Body | return_mid_body | GET | ASGIProtocolError: returned before the response was complete | 3 s |
...               | HTTP Ignore The Client's Disconnect | ignore_client_disconnect | GET timeout=500ms | ASGITimeout within 0.5 s | 3 s |
...               | HTTP Stream Forever | stream_forever_slowly | GET timeout=500ms | ASGITimeout within 0.5 s | 3 s |
...               | HTTP Endless Stream Is Not Reported As Unanswered | stream_forever_slowly | GET timeout=500ms | bug: not "did not answer" | 3 s |
...               | HTTP Stream Forever Without Ever Sleeping | stream_forever | GET timeout=500ms (child process) | bug: ASGITimeout within 0.5 s, client usable | 3 s |
...               | HTTP Body That Is Not UTF-8 Is Named As Such | non_utf8_json_body | GET, Response Json Should Be | bug: says the body is not UTF-8 | 3 s |
...               | WebSocket Raise Before Accepting | ws_raise_before_accept | Websocket Connect | AppFault with the app's message | 3 s |
...               | WebSocket Raise While The Client Waits | ws_raise_after_accept | Receive Text | AppFault with the app's message | 3 s |
...               | WebSocket Raise While The Client Waits Without Server Exceptions | ws_raise_after_accept | Receive Text | closed with code 1011 and the exception | 3 s |
...               | WebSocket Never Accept | ws_never_accept | Websocket Connect timeout=500ms | not accepted or refused within 0.5 s | 3 s |
...               | WebSocket Never Answer Receive Text | ws_never_answer | Receive Text timeout=500ms | nothing arrived within 0.5 s | 3 s |
...               | WebSocket Never Answer Receive Bytes | ws_never_answer | Receive Bytes timeout=500ms | nothing arrived within 0.5 s | 3 s |
...               | WebSocket Never Answer Receive Json | ws_never_answer | Receive Json timeout=500ms | nothing arrived within 0.5 s | 3 s |
...               | WebSocket Never Close | ws_never_answer | Websocket Should Be Closed timeout=500ms | not closed: nothing arrived within 0.5 s | 3 s |
...               | WebSocket Close Before Accepting | ws_close_before_accept | Websocket Connect | rejected with the code and reason | 3 s |
...               | WebSocket Close While The Client Waits In Receive Text | ws_close_while_client_waits | Receive Text | closed with the code and reason | 3 s |
...               | WebSocket Close While The Client Waits In Receive Bytes | ws_close_while_client_waits | Receive Bytes | closed with the code and reason | 3 s |
...               | WebSocket Close While The Client Waits In Receive Json | ws_close_while_client_waits | Receive Json | closed with the code and reason | 3 s |
...               | WebSocket Close While The Client Expects Nothing | ws_close_while_client_waits | Websocket Should Receive Nothing 1s | the app sent a close, with code and reason | 3 s |
...               | WebSocket Return Without Accepting | ws_return_without_accepting | Websocket Connect | ASGIProtocolError: returned without accepting or closing | 3 s |
...               | WebSocket Return Without Closing | ws_return_without_closing | Receive Text | closed with code 1006: ended without closing | 3 s |
...               | WebSocket Ignore The Client's Disconnect | ws_ignore_client_disconnect | Close Websocket | PASS (cancelled after 1 s) | 4 s |
...               | WebSocket Ignore The Client's Disconnect Asleep | ws_ignore_client_disconnect_sleeping | Close Websocket | PASS (cancelled after 1 s) | 4 s |
...               | WebSocket Close Then Hang | ws_close_then_hang | Close Websocket | PASS (cancelled after 1 s) | 4 s |
...               | WebSocket Stream Forever | ws_stream_forever_slowly | Websocket Should Be Closed timeout=500ms | expected a close, the app sent a message | 3 s |
...               | WebSocket Stream Forever Then Close | ws_stream_forever_slowly | Close Websocket | PASS | 3 s |
...               | WebSocket Binary Frame Not UTF-8 To Receive Text | ws_bytes_to_text_receive | Receive Text | expected text, got a binary message | 3 s |
...               | WebSocket Binary Frame Not UTF-8 To Receive Json | ws_bytes_to_text_receive | Receive Json | expected text, got a binary message | 3 s |
...               | WebSocket Binary Frame Not UTF-8 To Receive Json In Binary Mode | ws_bytes_to_text_receive | Receive Json mode=binary | bug: the session and UTF-8 named | 3 s |
...               | WebSocket Invalid Message: Send Before Accept | ws_invalid_send_before_accept | Websocket Connect | ASGIProtocolError naming the message | 3 s |
...               | WebSocket Invalid Message: Accept Twice | ws_invalid_accept_twice | Receive Text | ASGIProtocolError naming the message | 3 s |
...               | WebSocket Invalid Message: Text And Bytes | ws_invalid_text_and_bytes | Receive Text | ASGIProtocolError naming the message | 3 s |
...               | WebSocket Invalid Message: Neither Text Nor Bytes | ws_invalid_neither_text_nor_bytes | Receive Text | ASGIProtocolError naming the message | 3 s |
...               | WebSocket Invalid Message: Str In Bytes | ws_invalid_str_in_bytes | Receive Bytes | ASGIProtocolError naming the message | 3 s |
...               | WebSocket Invalid Message: Str Close Code | ws_invalid_str_close_code | Websocket Should Be Closed | ASGIProtocolError naming the message | 3 s |
...               | WebSocket Invalid Message: Unknown Type | ws_invalid_unknown_message_type | Receive Text | ASGIProtocolError naming the message | 3 s |
...               | WebSocket Invalid Message: Send After Close | ws_invalid_message_after_close | Receive Text | ASGIProtocolError naming the message | 3 s |
...               | WebSocket Invalid Message: Unoffered Subprotocol | ws_invalid_unoffered_subprotocol | Websocket Connect subprotocols=["chat"] | ASGIProtocolError naming the message | 3 s |
...               | WebSocket Invalid Message Seen Only By Close Websocket | ws_invalid_text_and_bytes | Close Websocket | closing failed: ASGIProtocolError | 3 s |
...               | Lifespan Startup Raises | lifespan_startup_raises | Open ASGI Client | the app's own exception | 3 s |
...               | Lifespan Startup Fails | lifespan_startup_failed | Open ASGI Client | LifespanStartupError with the app's message | 3 s |
...               | Lifespan Startup Never Answers | lifespan_startup_never_answers | Open ASGI Client timeout=500ms | LifespanStartupError: no answer within 0.5 s | 3 s |
...               | Lifespan Invalid Message | lifespan_invalid_message | Open ASGI Client | LifespanStartupError naming the message | 3 s |
...               | Lifespan Returns At Once | lifespan_return_without_answering | Open ASGI Client | PASS (no lifespan support) | 3 s |
...               | Lifespan Shutdown Raises | lifespan_shutdown_raises | Close ASGI Client | closing failed: the app's own exception | 3 s |
...               | Lifespan Shutdown Fails | lifespan_shutdown_failed | Close ASGI Client | LifespanShutdownError with the app's message | 3 s |
...               | Lifespan Shutdown Fails In Close All | lifespan_shutdown_failed | Close All ASGI Clients | LifespanShutdownError with the app's message | 3 s |
...               | Lifespan Shutdown Never Answers | lifespan_shutdown_never_answers | Open ASGI Client timeout=500ms, Close ASGI Client | LifespanShutdownError: no answer within 0.5 s | 3 s |
Resource          resources/common.resource
Library           Process
Library           OperatingSystem
Suite Setup       Remember The Loop Threads Already Running
Test Setup        Nothing Should Be Left Over
Test Template     Fault Should Fail Cleanly


*** Variables ***
${APPS}           testapps.faults
${BACKEND}        asyncio
@{OPENS ITSELF}   Open Faulty Client    Open And Close Faulty Client    Without Server Exceptions
${VIOLATION}      ASGI protocol violation:
${PROTOCOL}       ASGIProtocolError: ${VIOLATION}
${TIMED OUT}      ASGITimeout: *GET http://testserver/fault within 0.5 s (*); its task was cancelled.


*** Test Cases ***    APP    EXPECTED    BOUND    KEYWORD CALL
HTTP Raise Before The Response Starts
    ${APPS}:raise_before_response_start    EQUALS:AppFault: raised before the response started    3    GET    /fault

HTTP Raise Before The Response Starts Without Server Exceptions
    ${APPS}:raise_before_response_start
    ...    EQUALS:GET http://testserver/fault returned status 500 Internal Server Error, expected a status below 400. Response body: Internal Server Error
    ...    3    Without Server Exceptions    GET    /fault

HTTP Raise In The Middle Of A Streamed Body
    ${APPS}:raise_mid_body    EQUALS:AppFault: raised in the middle of the response body    3    GET    /fault

HTTP Never Answer
    ${APPS}:never_answer
    ...    EQUALS:ASGITimeout: The application did not answer GET http://testserver/fault within 0.5 s; its task was cancelled.
    ...    3    GET    /fault    timeout=500ms

HTTP Answer Then Hang In A Background Task
    ${APPS}:answer_then_hang_in_background    ${TIMED OUT}    3    GET    /fault    timeout=500ms

HTTP Answer Then Hang Is Not Reported As Unanswered
    [Documentation]    BUG: the app answered (``200 answered``, complete) and then hung in
    ...    a background task, yet the message says "The application did not
    ...    answer GET http://testserver/fault within 0.5 s". It should say that
    ...    the response was complete and the app did not finish (a background
    ...    task?) - or return the response, as a server would.
    [Template]    Timeout Message Should Not Say Unanswered
    ${APPS}:answer_then_hang_in_background

HTTP Invalid Message: Body Before Start
    ${APPS}:invalid_body_before_start
    ...    EQUALS:${PROTOCOL} http.response.body sent before http.response.start. The application sent {'type': 'http.response.body', 'body': b'body'}.
    ...    3    GET    /fault

HTTP Invalid Message: Start Twice
    ${APPS}:invalid_start_twice
    ...    EQUALS:${PROTOCOL} http.response.start sent twice. The application sent {'type': 'http.response.start', 'status': 200, 'headers': []}.
    ...    3    GET    /fault

HTTP Invalid Message: Str Body
    ${APPS}:invalid_str_body
    ...    EQUALS:${PROTOCOL} the body must be bytes, not str. The application sent {'type': 'http.response.body', 'body': 'not bytes'}.
    ...    3    GET    /fault

HTTP Invalid Message: Str Status
    ${APPS}:invalid_non_int_status
    ...    EQUALS:${PROTOCOL} the status must be an int from 100 to 599, not '200'. The application sent {'type': 'http.response.start', 'status': '200', 'headers': []}.
    ...    3    GET    /fault

HTTP Invalid Message: Str Header
    ${APPS}:invalid_non_bytes_header
    ...    EQUALS:${PROTOCOL} header names and values must be bytes, not ('x-name', 'str value'). The application sent {'type': 'http.response.start', 'status': 200, 'headers': [('x-name', 'str value')]}.
    ...    3    GET    /fault

HTTP Invalid Message: Unknown Type
    ${APPS}:invalid_unknown_message_type
    ...    EQUALS:${PROTOCOL} unknown message type 'http.response.bogus' for an http connection. The application sent {'type': 'http.response.bogus'}.
    ...    3    GET    /fault

HTTP Invalid Message: Not A Dict
    ${APPS}:invalid_non_dict_message
    ...    EQUALS:${PROTOCOL} a message must be a dict. The application sent tuple ('http.response.start', 200).
    ...    3    GET    /fault

HTTP Invalid Message: Body After The Response Was Complete
    ${APPS}:invalid_message_after_response_complete
    ...    EQUALS:${PROTOCOL} http.response.body sent after the response body was complete. The application sent {'type': 'http.response.body', 'body': b'body'}.
    ...    3    GET    /fault

HTTP Invalid Message: Trailers Not Announced
    ${APPS}:invalid_trailers_not_announced
    ...    EQUALS:${PROTOCOL} http.response.trailers sent without trailers\=True in http.response.start. The application sent {'type': 'http.response.trailers', 'headers': []}.
    ...    3    GET    /fault

HTTP Return Without Answering
    ${APPS}:return_without_answering
    ...    EQUALS:${PROTOCOL} the application returned without sending http.response.start.
    ...    3    GET    /fault

HTTP Return In The Middle Of The Body
    ${APPS}:return_mid_body
    ...    EQUALS:${PROTOCOL} the application returned before the response was complete (its last http.response.body had more_body\=True).
    ...    3    GET    /fault

HTTP Ignore The Client's Disconnect
    ${APPS}:ignore_client_disconnect    ${TIMED OUT}    3    GET    /fault    timeout=500ms

HTTP Stream Forever
    ${APPS}:stream_forever_slowly    ${TIMED OUT}    3    GET    /fault    timeout=500ms

HTTP Endless Stream Is Not Reported As Unanswered
    [Documentation]    BUG: the app answered ``200`` with its headers at once and then
    ...    streamed for ever, yet the message says "The application did not
    ...    answer GET http://testserver/fault within 0.5 s". It should say the
    ...    response body was not complete within 0.5 s.
    [Template]    Timeout Message Should Not Say Unanswered
    ${APPS}:stream_forever_slowly

HTTP Stream Forever Without Ever Sleeping
    [Documentation]    BUG (engine): an app whose only await is ``send()`` in an endless
    ...    loop - ``async def gen(): while True: yield chunk`` - is never
    ...    cancelled: ``GET  /fault  timeout=500ms`` fails only after about 5.5 s,
    ...    the client is dead afterwards (``GET /ok`` times out), closing it takes
    ...    about 25 s and fails with ``EventLoopBlocked``, and the event-loop thread
    ...    spins on for the rest of the process, its memory growing. The row runs
    ...    in a child ``robot`` process for that reason; it passes once the
    ...    request is cancelled within its timeout and the client still works.
    [Template]    NONE
    Row Should Pass In A Child Process    ${APPS}:stream_forever
    ...    ASGITimeout: *within 0.5 s*    3    GET    /fault    timeout=500ms

HTTP Body That Is Not UTF-8 Is Named As Such
    [Documentation]    The body is ``"caf\\xe9 \\xff"`` (latin-1 and a stray byte)
    ...    declared as UTF-8 JSON: the message says it is not valid UTF-8 rather
    ...    than comparing replacement characters the app never sent.
    ${APPS}:non_utf8_json_body    *[Uu][Tt][Ff]-8*    3    After GET    Response Json Should Be    "café"

WebSocket Raise Before Accepting
    ${APPS}:ws_raise_before_accept    EQUALS:AppFault: raised before accepting the WebSocket    3    Websocket Connect    /fault

WebSocket Raise While The Client Waits
    ${APPS}:ws_raise_after_accept    EQUALS:AppFault: raised while the client waited for a message    3    On Websocket    Receive Text

WebSocket Raise While The Client Waits Without Server Exceptions
    ${APPS}:ws_raise_after_accept
    ...    EQUALS:WebSocket 'faulty-ws': The WebSocket connection was closed with code 1011: the application raised AppFault('raised while the client waited for a message')
    ...    3    Without Server Exceptions    On Websocket    Receive Text

WebSocket Never Accept
    ${APPS}:ws_never_accept
    ...    EQUALS:The application did not accept or refuse the WebSocket connection to ws://testserver/fault within 0.5 s; it was cancelled.
    ...    3    Websocket Connect    /fault    timeout=500ms

WebSocket Never Answer Receive Text
    ${APPS}:ws_never_answer    EQUALS:WebSocket 'faulty-ws': Nothing arrived from the application within 0.5 s.
    ...    3    On Websocket    Receive Text    timeout=500ms

WebSocket Never Answer Receive Bytes
    ${APPS}:ws_never_answer    EQUALS:WebSocket 'faulty-ws': Nothing arrived from the application within 0.5 s.
    ...    3    On Websocket    Receive Bytes    timeout=500ms

WebSocket Never Answer Receive Json
    ${APPS}:ws_never_answer    EQUALS:WebSocket 'faulty-ws': Nothing arrived from the application within 0.5 s.
    ...    3    On Websocket    Receive Json    timeout=500ms

WebSocket Never Close
    ${APPS}:ws_never_answer    EQUALS:WebSocket 'faulty-ws' was not closed: Nothing arrived from the application within 0.5 s.
    ...    3    On Websocket    Websocket Should Be Closed    timeout=500ms

WebSocket Close Before Accepting
    ${APPS}:ws_close_before_accept
    ...    EQUALS:The WebSocket connection to ws://testserver/fault was rejected with code 4403 and reason 'not allowed'.
    ...    3    Websocket Connect    /fault

WebSocket Close While The Client Waits In Receive Text
    ${APPS}:ws_close_while_client_waits    EQUALS:WebSocket 'faulty-ws': The WebSocket connection was closed with code 4001: going away
    ...    3    On Websocket    Receive Text

WebSocket Close While The Client Waits In Receive Bytes
    ${APPS}:ws_close_while_client_waits    EQUALS:WebSocket 'faulty-ws': The WebSocket connection was closed with code 4001: going away
    ...    3    On Websocket    Receive Bytes

WebSocket Close While The Client Waits In Receive Json
    ${APPS}:ws_close_while_client_waits    EQUALS:WebSocket 'faulty-ws': The WebSocket connection was closed with code 4001: going away
    ...    3    On Websocket    Receive Json

WebSocket Close While The Client Expects Nothing
    ${APPS}:ws_close_while_client_waits
    ...    EQUALS:WebSocket 'faulty-ws': Expected no message within 1 s, but the application sent a close (code 4001, reason 'going away').
    ...    3    On Websocket    Websocket Should Receive Nothing    1s

WebSocket Return Without Accepting
    ${APPS}:ws_return_without_accepting
    ...    EQUALS:${PROTOCOL} the application returned without accepting or closing the WebSocket.
    ...    3    Websocket Connect    /fault

WebSocket Return Without Closing
    ${APPS}:ws_return_without_closing
    ...    EQUALS:WebSocket 'faulty-ws': The WebSocket connection was closed with code 1006: the application ended without closing the connection
    ...    3    On Websocket    Receive Text

WebSocket Ignore The Client's Disconnect
    ${APPS}:ws_ignore_client_disconnect    PASS    4    On Websocket    Close Websocket

WebSocket Ignore The Client's Disconnect Asleep
    ${APPS}:ws_ignore_client_disconnect_sleeping    PASS    4    On Websocket    Close Websocket

WebSocket Close Then Hang
    ${APPS}:ws_close_then_hang    PASS    4    On Websocket    Close Websocket

WebSocket Stream Forever
    ${APPS}:ws_stream_forever_slowly
    ...    EQUALS:WebSocket 'faulty-ws' was expected to be closed, but the app sent a text message 'message 1'.
    ...    3    On Websocket    Websocket Should Be Closed    timeout=500ms

WebSocket Stream Forever Then Close
    ${APPS}:ws_stream_forever_slowly    PASS    3    On Websocket    Close Websocket

WebSocket Binary Frame Not UTF-8 To Receive Text
    ${APPS}:ws_bytes_to_text_receive
    ...    EQUALS:WebSocket 'faulty-ws': Expected a text message, but the application sent a binary message b'caf\\xe9 \\xff'.
    ...    3    On Websocket    Receive Text

WebSocket Binary Frame Not UTF-8 To Receive Json
    ${APPS}:ws_bytes_to_text_receive
    ...    EQUALS:WebSocket 'faulty-ws': Expected a text message, but the application sent a binary message b'caf\\xe9 \\xff'.
    ...    3    On Websocket    Receive Json

WebSocket Binary Frame Not UTF-8 To Receive Json In Binary Mode
    [Documentation]    BUG: the keyword fails with Python's bare "UnicodeDecodeError:
    ...    'utf-8' codec can't decode byte 0xe9 in position 3: invalid
    ...    continuation byte" - no session alias, nothing saying it was the
    ...    binary message received as JSON - where every other receive failure
    ...    reads "WebSocket 'faulty-ws': ..." (an invalid JSON text gives
    ...    "WebSocket 'faulty-ws': the message is not valid JSON (...)").
    ${APPS}:ws_bytes_to_text_receive    WebSocket 'faulty-ws': *[Uu][Tt][Ff]-8*    3    On Websocket    Receive Json    mode=binary

WebSocket Invalid Message: Send Before Accept
    ${APPS}:ws_invalid_send_before_accept
    ...    EQUALS:${PROTOCOL} websocket.send before websocket.accept. The application sent {'type': 'websocket.send', 'text': 'too early'}.
    ...    3    Websocket Connect    /fault

WebSocket Invalid Message: Accept Twice
    ${APPS}:ws_invalid_accept_twice
    ...    EQUALS:${PROTOCOL} websocket.accept after the handshake was answered. The application sent {'type': 'websocket.accept'}.
    ...    3    On Websocket    Receive Text

WebSocket Invalid Message: Text And Bytes
    ${APPS}:ws_invalid_text_and_bytes
    ...    EQUALS:${PROTOCOL} websocket.send needs exactly one of 'text' or 'bytes'. The application sent {'type': 'websocket.send', 'text': 'a', 'bytes': b'b'}.
    ...    3    On Websocket    Receive Text

WebSocket Invalid Message: Neither Text Nor Bytes
    ${APPS}:ws_invalid_neither_text_nor_bytes
    ...    EQUALS:${PROTOCOL} websocket.send needs exactly one of 'text' or 'bytes'. The application sent {'type': 'websocket.send'}.
    ...    3    On Websocket    Receive Text

WebSocket Invalid Message: Str In Bytes
    ${APPS}:ws_invalid_str_in_bytes
    ...    EQUALS:${PROTOCOL} 'bytes' must be bytes, not str. The application sent {'type': 'websocket.send', 'bytes': 'not bytes'}.
    ...    3    On Websocket    Receive Bytes

WebSocket Invalid Message: Str Close Code
    ${APPS}:ws_invalid_str_close_code
    ...    EQUALS:${PROTOCOL} the close code must be an int, not '1000'. The application sent {'type': 'websocket.close', 'code': '1000'}.
    ...    3    On Websocket    Websocket Should Be Closed

WebSocket Invalid Message: Unknown Type
    ${APPS}:ws_invalid_unknown_message_type
    ...    EQUALS:${PROTOCOL} unexpected message type 'websocket.bogus' for a websocket connection in state 'open'. The application sent {'type': 'websocket.bogus'}.
    ...    3    On Websocket    Receive Text

WebSocket Invalid Message: Send After Close
    ${APPS}:ws_invalid_message_after_close
    ...    EQUALS:${PROTOCOL} websocket.send after the connection was closed. The application sent {'type': 'websocket.send', 'text': 'late'}.
    ...    3    On Websocket    Receive Text

WebSocket Invalid Message: Unoffered Subprotocol
    ${APPS}:ws_invalid_unoffered_subprotocol
    ...    EQUALS:${PROTOCOL} accepted subprotocol 'never-offered', which the client did not offer (it offered ['chat']). The application sent {'type': 'websocket.accept', 'subprotocol': 'never-offered'}.
    ...    3    Websocket Connect    /fault    subprotocols=["chat"]

WebSocket Invalid Message Seen Only By Close Websocket
    ${APPS}:ws_invalid_text_and_bytes
    ...    EQUALS:Closing WebSocket session 'faulty-ws' failed: ${PROTOCOL} websocket.send needs exactly one of 'text' or 'bytes'. The application sent {'type': 'websocket.send', 'text': 'a', 'bytes': b'b'}.
    ...    3    On Websocket    Close Websocket

Lifespan Startup Raises
    ${APPS}:lifespan_startup_raises
    ...    EQUALS:AppFault: startup exploded
    ...    3    Open Faulty Client

Lifespan Startup Fails
    ${APPS}:lifespan_startup_failed    EQUALS:LifespanStartupError: Lifespan startup failed: database unreachable
    ...    3    Open Faulty Client

Lifespan Startup Never Answers
    ${APPS}:lifespan_startup_never_answers    EQUALS:LifespanStartupError: The application did not answer lifespan.startup within 0.5 s.
    ...    3    Open Faulty Client    timeout=500ms

Lifespan Invalid Message
    ${APPS}:lifespan_invalid_message
    ...    EQUALS:LifespanStartupError: ${VIOLATION} unexpected lifespan message. The application sent {'type': 'lifespan.startup.bogus'}.
    ...    3    Open Faulty Client

Lifespan Returns At Once
    ${APPS}:lifespan_return_without_answering    PASS    3    Open Faulty Client

Lifespan Shutdown Raises
    ${APPS}:lifespan_shutdown_raises
    ...    EQUALS:Closing ASGI client 'faulty' failed: AppFault: shutdown exploded
    ...    3    Close ASGI Client

Lifespan Shutdown Fails
    ${APPS}:lifespan_shutdown_failed
    ...    EQUALS:Closing ASGI client 'faulty' failed: LifespanShutdownError: Lifespan shutdown failed: could not flush the cache
    ...    3    Close ASGI Client

Lifespan Shutdown Fails In Close All
    ${APPS}:lifespan_shutdown_failed
    ...    EQUALS:Closing ASGI client 'faulty' failed: LifespanShutdownError: Lifespan shutdown failed: could not flush the cache
    ...    3    Close All ASGI Clients

Lifespan Shutdown Never Answers
    ${APPS}:lifespan_shutdown_never_answers
    ...    EQUALS:Closing ASGI client 'faulty' failed: LifespanShutdownError: The application did not answer lifespan.shutdown within 0.5 s.
    ...    3    Open And Close Faulty Client    timeout=500ms

Nothing Leaked After The Matrix
    [Documentation]    The Test Setup checked it before every row; once more after
    ...    the last one, and the default demo app still works.
    [Template]    NONE
    Nothing Should Be Left Over
    Open ASGI Client    backend=${BACKEND}
    ${resp}=    GET    /hello
    Should Be Equal    ${resp.text}    Hello, world!

The Documented Matrix Lists Every Test
    [Documentation]    The table in the suite documentation has one line per test of
    ...    this suite, named as the test, and nothing else.
    [Template]    NONE
    ${suite}=    Evaluate    robot.running.TestSuite.from_file_system($SUITE_SOURCE)    modules=robot.running
    ${tests}=    Evaluate    [test.name for test in $suite.tests]
    Remove Values From List    ${tests}    ${TEST NAME}    Nothing Leaked After The Matrix
    ${rows}=    Evaluate    [line.split("|")[1].strip() for line in $SUITE_DOCUMENTATION.splitlines() if line.startswith("| ") and not line.startswith("| =")]
    Lists Should Be Equal    ${rows}    ${tests}


*** Keywords ***
Fault Should Fail Cleanly
    [Documentation]    One row: open a client of ``app`` (unless the call does), make
    ...    the call, check its failure message (or that it passes, for
    ...    ``PASS``) and that it took less than ``bound`` seconds, then that
    ...    the library still serves a healthy route.
    [Tags]    robot:no-dry-run
    [Arguments]    ${app}    ${expected}    ${bound}    @{call}    &{named}
    Set Test Variable    ${FAULT APP}    ${app}
    IF    $call[0] not in $OPENS_ITSELF    Open Faulty Client
    ${start}=    Get Time    epoch
    IF    $expected == 'PASS'
        Run Keyword    @{call}    &{named}
    ELSE
        Run Keyword And Expect Error    ${expected}    @{call}    &{named}
    END
    ${end}=    Get Time    epoch
    Should Be True    ${end} - ${start} < ${bound}
    ...    msg=The call took ${{ ${end} - ${start} }} s, expected less than ${bound} s.
    The Library Should Still Serve

Open Faulty Client
    [Documentation]    Opens the row's app as ``faulty`` (client timeout 5 s unless given).
    [Arguments]    &{options}
    ${options}=    Create Dictionary    timeout=5s    backend=${BACKEND}    &{options}
    Open ASGI Client    ${FAULT APP}    alias=faulty    &{options}

Open And Close Faulty Client
    [Arguments]    &{options}
    Open Faulty Client    &{options}
    Close ASGI Client

Without Server Exceptions
    [Documentation]    Opens the row's app with ``raise_server_exceptions=False``, then makes the call.
    [Arguments]    @{call}    &{named}
    Open Faulty Client    raise_server_exceptions=${False}
    Run Keyword    @{call}    &{named}

On Websocket
    [Documentation]    Connects to the app's ``/fault`` WebSocket as ``faulty-ws``, then makes the call.
    [Arguments]    @{call}    &{named}
    Websocket Connect    /fault    alias=faulty-ws
    Run Keyword    @{call}    &{named}

After GET
    [Documentation]    Sends ``GET /fault`` (any status), then makes the call.
    [Arguments]    @{call}    &{named}
    GET    /fault    expected_status=any
    Run Keyword    @{call}    &{named}

The Library Should Still Serve
    [Documentation]    ``GET /ok`` and a WebSocket echo on ``/ok`` work on the client
    ...    that met the fault, or on a fresh client where the fault closed it.
    ${open}=    Get ASGI Aliases
    IF    'faulty' in $open['clients']
        ${client}=    Set Variable    faulty
    ELSE
        ${client}=    Open ASGI Client    ${APPS}:healthy_app    alias=fresh    backend=${BACKEND}
    END
    ${resp}=    GET    /ok    client=${client}
    Should Be Equal    ${resp.text}    ok
    Websocket Connect    /ok    client=${client}    alias=healthy-ws
    Send Text    still there
    ${echo}=    Receive Text    timeout=5s
    Should Be Equal    ${echo}    still there
    Close Websocket

Timeout Message Should Not Say Unanswered
    [Documentation]    The app answered, so a timeout message must not say it did
    ...    not; returning the response (as a server would) also passes.
    [Arguments]    ${app}
    Set Test Variable    ${FAULT APP}    ${app}
    Open Faulty Client
    ${status}    ${message}=    Run Keyword And Ignore Error    GET    /fault    timeout=500ms
    IF    $status == 'FAIL'
        Should Contain    ${message}    0.5 s
        Should Not Contain    ${message}    did not answer
    END
    The Library Should Still Serve

Row Should Pass In A Child Process
    [Documentation]    Runs the row in a ``robot`` process of its own (which is
    ...    killed after 2 minutes) and fails unless it passes there.
    [Tags]    robot:no-dry-run
    [Arguments]    ${app}    ${expected}    ${bound}    @{call}
    ${suite}=    Catenate    SEPARATOR=\n
    ...    | *** Settings *** |
    ...    | Resource | ${CURDIR}/resources/common.resource |
    ...    | *** Test Cases *** |
    ...    | Row | Open ASGI Client | ${app} | alias=faulty | backend=${BACKEND} |
    ...    | | \${start}= | Get Time | epoch |
    ...    | | Run Keyword And Expect Error | ${expected} | ${{ ' | '.join($call) }} |
    ...    | | \${end}= | Get Time | epoch |
    ...    | | Should Be True | \${end} - \${start} < ${bound} |
    ...    | | \${resp}= | GET | /ok | timeout=2s |
    ...    | | Should Be Equal | \${resp.text} | ok |
    ${file}=    Set Variable    ${TEMPDIR}/robotasgi_fault_matrix_child_${{ os.getpid() }}.robot
    Create File    ${file}    ${suite}
    ${result}=    Run Process    ${{ sys.executable }}    -m    robot
    ...    --pythonpath    ${CURDIR}/..    --pythonpath    ${CURDIR}
    ...    --output    NONE    --report    NONE    --log    NONE    ${file}
    ...    timeout=2 minutes    on_timeout=kill    stderr=STDOUT
    Remove File    ${file}
    Log    ${result.stdout}
    Should Be Equal As Integers    ${result.rc}    0    msg=The row failed in its child process:\n${result.stdout}

Remember The Loop Threads Already Running
    ${threads}=    Loop Threads
    Set Suite Variable    ${THREADS BEFORE}    ${threads}

Loop Threads
    [Documentation]    The names of the live event-loop threads of the library.
    ${threads}=    Evaluate    sorted(t.name for t in threading.enumerate() if t.name.startswith("robotasgi-"))
    RETURN    ${threads}

Nothing Should Be Left Over
    [Documentation]    No client or session is open, and no event-loop thread runs
    ...    beyond those running when the suite started.
    Nothing Should Be Open
    ${threads}=    Loop Threads
    Should Be True    len($threads) <= len($THREADS_BEFORE)
    ...    msg=Event-loop threads left over: ${threads} (before the suite: ${THREADS BEFORE}).
