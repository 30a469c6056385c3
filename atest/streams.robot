*** Settings ***
Documentation     Every stream keyword - Open Stream, Receive Event, Receive Line,
...               Receive Chunk, Stream Should Receive Nothing, Stream Should Be
...               Finished, Switch Stream, Close Stream - and every failure they give,
...               against a plain ASGI app that cuts its bodies at chosen places
...               (``apps/streams_asgi.py``: every case of the event-stream rules)
...               and real frameworks: Starlette's ``StreamingResponse`` and
...               sse-starlette's ``EventSourceResponse``, FastAPI (checked against
...               its OpenAPI document) and Litestar's ``ServerSentEvent`` and ``Stream``.
...
...               No test needs a loop: the keywords wait for what they are asked for.
Resource          resources/common.resource
Suite Setup       Open ASGI Client    ${PLAIN}    alias=plain
Test Setup        DELETE    /seen    client=plain


*** Variables ***
${PLAIN}          apps.streams_asgi:app
${SSE STARLETTE}    apps.streams_starlette:create_app()
${SSE FASTAPI}    apps.streams_fastapi:create_app()
${SSE LITESTAR}    apps.streams_litestar:create_app()


*** Test Cases ***
Every Rule Of The Event Stream
    [Documentation]    ``/sse/spec`` cuts its body in 15 chunks: a BOM split over two,
    ...                CR, LF and CRLF line ends, a CR ending a chunk whose LF starts the
    ...                next, ``data:`` without a space, a field without a colon, an id
    ...                with NUL and a retry that is no number (both ignored), an event
    ...                without data (not dispatched), comments, an event split in the
    ...                middle of a field, and an event the body ends before its blank line.
    ${alias}=    Open Stream    /sse/spec    alias=spec
    Should Be Equal    ${alias}    spec
    Status Should Be    200
    Response Header Should Be    Content-Type    text/event-stream; charset=utf-8
    Aliases Should Be    ${{ ["plain"] }}    ${{ [] }}    ${{ ["spec"] }}
    ${event}=    Receive Event
    Should Be Equal    ${event}    ${{ {"event": "message", "data": "first", "id": "", "retry": None} }}
    ${event}=    Receive Event
    Should Be Equal    ${event}[event]    price
    Should Be Equal    ${event}[json]    ${{ {"symbol": "ACME", "price": 12.5} }}
    ${event}=    Receive Event
    Should Be Equal    ${event}[data]    multi\n\n line
    ${event}=    Receive Event
    Should Be Equal    ${event}    ${{ {"event": "message", "data": "with id", "id": "42", "retry": 1500} }}
    ${event}=    Receive Event
    Should Be Equal    ${event}    ${{ {"event": "message", "data": "kept", "id": "42", "retry": 1500} }}
    ${event}=    Receive Event
    Should Be Equal    ${event}    ${{ {"event": "message", "data": "after ping", "id": "43", "retry": 1500} }}
    ${event}=    Receive Event
    Should Be Equal    ${event}    ${{ {"event": "note", "data": "split across chunks", "id": "43", "retry": 1500} }}
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'spec': the app ended the body before an event arrived. What arrived meanwhile: the start of an event: data: never dispatched
    ...    Receive Event
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'spec': the app had already ended the body; no event can come.
    ...    Receive Event
    Stream Should Be Finished
    Close Stream
    Aliases Should Be    ${{ ["plain"] }}    ${{ [] }}

No Event Within The Timeout Says What Arrived
    Open Stream    /sse/ticks    params={"count": "1"}    alias=ticks
    ${event}=    Receive Event    timeout=1s
    Should Be Equal    ${event}[json]    ${{ {"n": 1} }}
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'ticks': no event arrived within 0.2 s. Nothing arrived meanwhile.
    ...    Receive Event    timeout=200ms
    Open Stream    /sse/ignore-disconnect    alias=pings
    Receive Event
    Run Keyword And Expect Error
    ...    REGEXP:Stream 'pings': no event arrived within 0.3 s\\. What arrived meanwhile: a comment ': ping'(; a comment ': ping')*
    ...    Receive Event    timeout=300ms

A Stream Gives The App's Exception
    Open Stream    /sse/ticks    params={"count": "2", "then": "raise"}
    Receive Event
    Receive Event
    Run Keyword And Expect Error    EQUALS:RuntimeError: ticker broke    Receive Event
    Open Stream    /chunks/raise
    ${chunk}=    Receive Chunk
    Should Be Equal    ${chunk}    ${{ b"partial" }}
    Run Keyword And Expect Error    EQUALS:RuntimeError: stream broke    Receive Chunk

Close Stream Disconnects And Waits For The App
    [Documentation]    The app's ``receive()`` returns ``http.disconnect``: ``/sse/ticks``
    ...                records it, and Close Stream returns once the app has ended.
    Open Stream    /sse/ticks    params={"count": "1"}
    Receive Event
    Close Stream
    GET    /seen
    Response Json Should Be    ["ticks: disconnected"]
    Nothing Should Be Open Besides The Client

Close Stream Fails When The App Raises After The Disconnect
    Open Stream    /sse/raise-on-disconnect    alias=fragile
    Receive Event
    Run Keyword And Expect Error
    ...    EQUALS:Closing stream 'fragile' failed: after the client disconnected, the app raised ValueError: cleanup failed after the disconnect
    ...    Close Stream
    Nothing Should Be Open Besides The Client

An App That Does Not Listen For The Disconnect Is No Failure
    [Documentation]    ``/sse/ignore-disconnect`` never calls ``receive()``: its next
    ...                ``send()`` raises after the disconnect, which ends it.
    Open Stream    /sse/ignore-disconnect    alias=deaf
    Receive Event
    Close Stream    deaf

A Stream Left Open Is Closed When Its Test Ends
    Open Stream    /sse/ticks    params={"count": "1"}    alias=left-open
    Receive Event

The App Saw The Last Test's Stream Go Away
    [Setup]    NONE
    Nothing Should Be Open Besides The Client
    GET    /seen
    Response Json Should Be    ["ticks: disconnected"]

Closing The Client Closes Its Streams First
    Open ASGI Client    ${PLAIN}    alias=short-lived
    Open Stream    /sse/ticks    params={"count": "1"}    alias=on-short-lived
    Open Stream    /lines    alias=lines-on-plain    client=plain
    Close ASGI Client    short-lived
    Aliases Should Be    ${{ ["plain"] }}    ${{ [] }}    ${{ ["lines-on-plain"] }}
    GET    /seen    client=plain
    Response Json Should Be    ["ticks: disconnected"]    # both clients run the one app object

Open Stream Checks The Status Like GET
    [Documentation]    The start of the body is read for the message, and the stream
    ...                closed: the app sees its client go away.
    Run Keyword And Expect Error
    ...    EQUALS:GET http://testserver/sse/denied returned status 401 Unauthorized, expected a status below 400. Response body: {"detail": "token expired"}
    ...    Open Stream    /sse/denied
    Run Keyword And Expect Error
    ...    GET http://testserver/sse/spec returned status 200 OK, expected 201 Created. Response body: *: stream start*data:first*
    ...    Open Stream    /sse/spec    expected_status=201
    Status Should Be    200
    Open Stream    /sse/denied    expected_status=401    alias=denied
    Status Should Be    unauthorized
    Close Stream
    GET    /seen
    Response Json Should Be    ["denied: disconnected", "denied: disconnected"]
    Nothing Should Be Open Besides The Client

Open Stream Refuses Bad Arguments
    Run Keyword And Expect Error    Invalid method 'GET /x': give an HTTP method such as *    Open Stream    /sse/spec    method=GET /x
    Open Stream    /sse/spec    alias=taken
    Run Keyword And Expect Error
    ...    EQUALS:The alias 'taken' is already used by an open ASGI stream: close it first or choose another alias.
    ...    Open Stream    /sse/spec    alias=taken
    Run Keyword And Expect Error
    ...    EQUALS:The alias 'plain' is already used by an open ASGI client: close it first or choose another alias.
    ...    Open Stream    /sse/spec    alias=plain
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI client has the alias 'nope'. Open clients: plain.
    ...    Open Stream    /sse/spec    client=nope

Keywords Without An Open Stream Say How To Open One
    Run Keyword And Expect Error
    ...    EQUALS:No ASGI stream is open: open one with 'Open Stream' first.    Receive Event
    Open Stream    /chunks    alias=only
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI stream has the alias 'other'. Open streams: only.    Receive Chunk    stream=other

Lines And JSON Lines
    Open Stream    /lines    alias=lines
    Response Header Should Be    Content-Type    application/x-ndjson
    ${order}=    Receive Line    json=True
    Should Be Equal    ${order}    ${{ {"id": 1, "name": "a"} }}
    ${order}=    Receive Line    json=True    # split over two chunks, ended with CRLF
    Should Be Equal    ${order}    ${{ {"id": 2} }}
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'lines': the line is not JSON (Expecting value: line 1 column 1 (char 0)): not json
    ...    Receive Line    json=True
    ${line}=    Receive Line    # the last line needs no line end
    Should Be Equal    ${line}    {"id": 3}
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'lines': the app had already ended the body; no line can come.
    ...    Receive Line
    Run Keyword And Expect Error    EQUALS:Invalid json 'maybe': use True or False.    Receive Line    json=maybe

Lines In The Declared Charset, Or Not Text At All
    Open Stream    /lines/latin1
    ${line}=    Receive Line
    Should Be Equal    ${line}    café
    Open Stream    /lines/binary    alias=binary
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'binary': the line is not utf-8 text (byte 0xff at position 0): b'\\xff\\xfe\\x00binary'. Receive Chunk returns bytes as they are.
    ...    Receive Line

No Line Within The Timeout Says What Arrived
    Open Stream    /sse/ticks    params={"count": "1"}    alias=ticks
    Receive Line
    Receive Line
    Receive Line
    Receive Line
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'ticks': no line arrived within 0.2 s. Nothing arrived meanwhile.
    ...    Receive Line    timeout=200ms
    Open Stream    /lines/partial    alias=partial
    ${first}=    Receive Line    json=True
    Should Be Equal    ${first}    ${{ {"id": 1} }}
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'partial': no line arrived within 0.2 s. What arrived meanwhile: the start of a line: {"id": 2
    ...    Receive Line    timeout=200ms

Chunks As The App Sent Them
    Open Stream    /chunks    alias=parts
    ${first}=    Receive Chunk
    Should Be Equal    ${first}    ${{ b"part 1" }}
    Stream Should Receive Nothing Fails On What Came Unread    parts
    ${second}=    Receive Chunk    stream=parts
    Should Be Equal    ${second}    ${{ b"part 2" }}
    ${third}=    Receive Chunk    timeout=1s
    Should Be Equal    ${third}    ${{ b"part 3" }}
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'parts': the app ended the body before a chunk arrived.
    ...    Receive Chunk
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'parts': expected nothing within 0.1 s, but the app had already ended the body.
    ...    Stream Should Receive Nothing    100ms
    Stream Should Be Finished

No Chunk Within The Timeout
    Open Stream    /sse/ticks    params={"count": "0"}    alias=quiet
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'quiet': no chunk arrived within 0.1 s. Nothing arrived meanwhile.
    ...    Receive Chunk    timeout=100ms

Stream Should Receive Nothing
    Open Stream    /sse/ticks    params={"count": "1"}    alias=ticks
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'ticks': expected nothing within 0.2 s, but the app sent (left to be read): 'event: tick\\nid: 1\\ndata: {"n": 1}\\n\\n'
    ...    Stream Should Receive Nothing    200ms
    ${event}=    Receive Event
    Should Be Equal    ${event}[id]    1
    Stream Should Receive Nothing    200ms
    Run Keyword And Expect Error
    ...    EQUALS:Stream Should Receive Nothing needs a timeout, such as 500ms; got None.
    ...    Stream Should Receive Nothing    NONE
    Open Stream    /chunks    alias=ending
    Receive Chunk
    Receive Chunk
    Receive Chunk
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'ending': expected nothing within 1 s, but the app ended the body.
    ...    Stream Should Receive Nothing    1s

Stream Should Be Finished Fails While The App Keeps The Body Open
    Open Stream    /sse/ticks    params={"count": "1"}    alias=open-ended
    Run Keyword And Expect Error
    ...    EQUALS:Stream 'open-ended' was not finished within 0.2 s: the app kept its body open. Unread: 'event: tick\\nid: 1\\ndata: {"n": 1}\\n\\n'
    ...    Stream Should Be Finished    timeout=200ms
    Open Stream    /sse/ticks    params={"count": "1", "then": "raise"}    alias=failing
    Run Keyword And Expect Error    EQUALS:RuntimeError: ticker broke    Stream Should Be Finished

Switch Between Streams
    Open Stream    /chunks    alias=first
    Open Stream    /lines    alias=second
    ${previous}=    Switch Stream    first
    Should Be Equal    ${previous}    second
    ${chunk}=    Receive Chunk
    Should Be Equal    ${chunk}    ${{ b"part 1" }}
    ${line}=    Receive Line    stream=second
    Should Be Equal    ${line}    {"id": 1, "name": "a"}
    Close Stream    first
    ${line}=    Receive Line    # the one opened before is current again
    Should Be Equal    ${line}    {"id": 2}
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI stream has the alias 'first'. Open streams: second.    Switch Stream    first

Starlette And sse-starlette
    [Documentation]    sse-starlette sends a ping comment every 0.2 s (skipped, logged)
    ...                and cancels its generator when the client goes away.
    Open ASGI Client    ${SSE STARLETTE}    alias=star
    Open Stream    /prices    params={"count": "2"}    headers={"Accept": "text/event-stream"}
    Response Header Should Be    Cache-Control    no-store
    ${first}=    Receive Event
    Should Be Equal    ${first}    ${{ {"event": "price", "data": '{"symbol": "ACME", "price": 11}', "id": "1", "retry": 2000, "json": {"symbol": "ACME", "price": 11}} }}
    ${second}=    Receive Event
    Should Be Equal    ${second}[json][price]    ${12}
    Should Be Equal    ${second}[retry]    ${2000}
    Run Keyword And Expect Error    GLOB:Stream 'stream*': no event arrived within 0.5 s. What arrived meanwhile: a comment ': ping *'*
    ...    Receive Event    timeout=500ms
    GET    /subscribers
    Response Json Should Be    {"open": 1, "left": 0}
    Close Stream
    GET    /subscribers
    Response Json Should Be    {"open": 0, "left": 1}
    Open Stream    /prices/then-fail
    Receive Event
    Run Keyword And Expect Error    EQUALS:LookupError: price feed lost    Receive Event

Starlette StreamingResponse Lines And Bytes On Trio
    Open ASGI Client    ${SSE STARLETTE}    backend=trio    alias=star-trio
    Open Stream    /orders/export    params={"count": "4"}
    ${orders}=    Create List
    FOR    ${expected}    IN    apple    pear    plum    fig
        ${order}=    Receive Line    json=True
        Should Be Equal    ${order}[item]    ${expected}
    END
    Stream Should Be Finished    timeout=1s
    Open Stream    /download
    ${bytes}=    Receive Chunk
    Should Be Equal    ${bytes}    ${{ b"\x00\x01" }}
    Stream Should Be Finished

FastAPI Streams Checked Against Its OpenAPI Document
    [Documentation]    A validating client checks a stream's status and headers; its
    ...                body is not read for that.
    Open ASGI Client    ${SSE FASTAPI}    openapi=auto    alias=fast
    Open Stream    /events    params={"topic": "weather"}
    ${update}=    Receive Event
    Should Be Equal    ${update}[json]    ${{ {"topic": "weather", "n": 1} }}
    ${update}=    Receive Event
    Should Be Equal    ${update}[event]    update
    ${done}=    Receive Event
    Should Be Equal    ${done}[data]    bye
    Stream Should Be Finished
    Run Keyword And Expect Error
    ...    EQUALS:GET /events/accepted answered 202, a status the operation does not declare (declared: 200) in the OpenAPI document from /openapi.json.
    ...    Open Stream    /events/accepted
    Open Stream    /completions    method=POST    json={"prompt": "hi there"}
    ${token}=    Receive Line    json=True
    Should Be Equal    ${token}    ${{ {"token": "echo:"} }}
    ${token}=    Receive Line    json=True
    Should Be Equal    ${token}[token]    hi
    Run Keyword And Expect Error    POST http://testserver/completions returned status 422 *, expected a status below 400. Response body: {"detail":*
    ...    Open Stream    /completions    method=POST    json={}

Litestar ServerSentEvent And Stream On Trio
    Open ASGI Client    ${SSE LITESTAR}    backend=trio
    Open Stream    /ticks    params={"count": "2"}
    ${tick}=    Receive Event
    Should Be Equal    ${tick}    ${{ {"event": "tick", "data": "tick 1", "id": "7", "retry": 1500} }}
    ${tick}=    Receive Event
    Should Be Equal    ${tick}[data]    tick 2
    Stream Should Be Finished
    Open Stream    /ticks/json
    ${tick}=    Receive Event
    Should Be Equal    ${tick}[json]    ${{ {"n": 1} }}
    Open Stream    /log
    ${line}=    Receive Line
    Should Be Equal    ${line}    line 1
    ${chunk}=    Receive Chunk
    Should Be Equal    ${chunk}    ${{ b"line 2\n" }}


*** Keywords ***
Nothing Should Be Open Besides The Client
    Aliases Should Be    ${{ ["plain"] }}    ${{ [] }}

Stream Should Receive Nothing Fails On What Came Unread
    [Arguments]    ${stream}
    Run Keyword And Expect Error
    ...    EQUALS:Stream '${stream}': expected nothing within 0.1 s, but the app sent (left to be read): 'part 2'
    ...    Stream Should Receive Nothing    100ms    stream=${stream}
