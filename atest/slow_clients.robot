*** Settings ***
Documentation     Slow and broken clients: the HTTP keywords that send a body take
...               ``chunk_size`` and ``chunk_delay`` (the body in pieces, a pause between
...               them) and ``disconnect_after`` (the client leaves after so many body
...               bytes: the keyword returns ``${None}``). Against
...               ``apps/concurrency_app.py``: an upload timeout (Starlette's
...               ``request.stream()`` with a deadline per piece), an endpoint that catches
...               the client's leaving (``ClientDisconnect``) and a plain ASGI endpoint
...               looping on ``receive()``; on asyncio and trio. Then the same through
...               ``Start Request``, and the arguments refused.
Resource          resources/common.resource
Library           DateTime


*** Variables ***
${CONCURRENCY}    apps.concurrency_app:create_app()
${HUNDRED}        ${{ "x" * 100 }}


*** Test Cases ***
A Slow Upload Times Out On Asyncio
    Upload Timeout    asyncio

A Slow Upload Times Out On Trio
    Upload Timeout    trio

The Pause Is Made Between The Pieces
    [Documentation]    Five pieces of 20 bytes, 100 ms apart: four pauses.
    Open ASGI Client    ${CONCURRENCY}
    ${started}=    Get Current Date
    POST    /upload/timed    data=${HUNDRED}    params={"chunk_timeout": "2"}    chunk_size=20    chunk_delay=100ms
    ${took}=    Subtract Date From Date    ${{ datetime.datetime.now() }}    ${started}
    Should Be True    0.4 <= ${took} < 3    the upload took ${took} s
    Response Json Should Be    {"received": 100}

Every Body Verb Takes The Pacing Arguments
    Open ASGI Client    ${CONCURRENCY}
    FOR    ${keyword}    IN    PUT    PATCH    DELETE    GET
        ${resp}=    Run Keyword    ${keyword}    /upload/raw    data=${HUNDRED}    chunk_size=50    disconnect_after=60
        Should Be Equal    ${resp}    ${None}    ${keyword}
        ${last}=    GET    /upload/last
        Should Be Equal    ${last.json()}    ${{ {"complete": False, "received": 60, "endpoint": "raw"} }}
    END
    ${resp}=    Send Request    POST    /upload/raw    json={"a": "bcdefgh"}    chunk_size=2    chunk_delay=1ms
    Should Be Equal    ${resp.json()}    ${{ {"complete": True} }}

A Client That Leaves Mid-Upload On Asyncio
    Client Leaves    asyncio

A Client That Leaves Mid-Upload On Trio
    Client Leaves    trio

A Client That Leaves Before Sending Anything
    Open ASGI Client    ${CONCURRENCY}
    ${resp}=    POST    /upload/raw    data=${HUNDRED}    disconnect_after=0
    Should Be Equal    ${resp}    ${None}
    GET    /upload/last
    Response Json Should Be    {"complete": false, "received": 0, "endpoint": "raw"}

A Client That Sends Every Byte But Not The End
    Open ASGI Client    ${CONCURRENCY}
    ${resp}=    POST    /upload/tracked    data=${HUNDRED}    disconnect_after=100
    Should Be Equal    ${resp}    ${None}
    GET    /upload/last
    Response Json Should Be    {"complete": false, "received": 100}

The Last Response Is Gone After A Client Left
    Open ASGI Client    ${CONCURRENCY}
    GET    /upload/last
    POST    /upload/raw    data=${HUNDRED}    disconnect_after=5
    Run Keyword And Expect Error    EQUALS:No response yet: send a request first or pass response=\${resp}.
    ...    Status Should Be    200

A Started Request Can Be Slow And Leave
    Open ASGI Client    ${CONCURRENCY}
    ${slow}=    Start Request    POST    /upload/timed    data=${HUNDRED}    params={"chunk_timeout": "0.05"}
    ...    chunk_size=10    chunk_delay=200ms    expected_status=408
    ${leaving}=    Start Request    POST    /upload/tracked    data=${HUNDRED}    chunk_size=10    disconnect_after=30
    ${resp}=    Wait For Response    ${leaving}
    Should Be Equal    ${resp}    ${None}
    ${resp}=    Wait For Response    ${slow}
    Should Be Equal    ${resp.json()}    ${{ {"detail": "upload too slow", "received": 10} }}

Bad Pacing Arguments
    Open ASGI Client    ${CONCURRENCY}
    Run Keyword And Expect Error
    ...    EQUALS:Invalid disconnect_after 101: the body has 100 bytes, so the client would never leave. Give 0 to 100 (100: every byte is sent, and the client leaves before saying that the body is complete).
    ...    POST    /upload/raw    data=${HUNDRED}    disconnect_after=101
    Run Keyword And Expect Error    EQUALS:chunk_size and chunk_delay need a request body: give json, data or files.
    ...    GET    /upload/last    chunk_size=10
    Run Keyword And Expect Error
    ...    EQUALS:chunk_delay needs chunk_size: without it the body is sent in one piece, with no pause to make.
    ...    POST    /upload/raw    data=${HUNDRED}    chunk_delay=1s
    Run Keyword And Expect Error    EQUALS:Invalid pacing of the request body: chunk_size must be a whole number of bytes >= 1, or None for the payload's own chunks; got 0.
    ...    POST    /upload/raw    data=${HUNDRED}    chunk_size=0
    Run Keyword And Expect Error    EQUALS:Invalid pacing of the request body: disconnect_after must be a number of body bytes >= 0, or None; got -1.
    ...    POST    /upload/raw    data=${HUNDRED}    disconnect_after=-1
    Run Keyword And Expect Error    *chunk_delay*-1s*a length of time must not be negative*
    ...    Run Keyword    POST    /upload/raw    data=${HUNDRED}    chunk_size=10    chunk_delay=${{ "-1s" }}
    Run Keyword And Expect Error    *chunk_size*
    ...    Run Keyword    POST    /upload/raw    data=${HUNDRED}    chunk_size=${{ "many" }}


*** Keywords ***
Upload Timeout
    [Documentation]    An app that allows each piece 200 ms: a client pausing 400 ms
    ...                between pieces is cut off with 408 after its first piece; one
    ...                pausing 10 ms gets through.
    [Arguments]    ${backend}
    Open ASGI Client    ${CONCURRENCY}    backend=${backend}
    Backend Should Be    ${backend}
    POST    /upload/timed    data=${HUNDRED}    chunk_size=25    chunk_delay=400ms    expected_status=408
    Response Json Should Be    {"detail": "upload too slow", "received": 25}
    POST    /upload/timed    data=${HUNDRED}    chunk_size=25    chunk_delay=10ms    expected_status=200
    Response Json Should Be    {"received": 100}

Client Leaves
    [Documentation]    The client leaves after 35 of 100 bytes: the Starlette endpoint
    ...                catches ``ClientDisconnect`` and the plain ASGI one gets
    ...                ``http.disconnect``; each records what it got.
    [Arguments]    ${backend}
    Open ASGI Client    ${CONCURRENCY}    backend=${backend}
    Backend Should Be    ${backend}
    ${resp}=    POST    /upload/tracked    data=${HUNDRED}    chunk_size=10    disconnect_after=35
    Should Be Equal    ${resp}    ${None}
    GET    /upload/last
    Response Json Should Be    {"complete": false, "received": 35}
    ${resp}=    POST    /upload/raw    data=${HUNDRED}    chunk_size=10    disconnect_after=35
    Should Be Equal    ${resp}    ${None}
    GET    /upload/last
    Response Json Should Be    {"complete": false, "received": 35, "endpoint": "raw"}
    POST    /upload/tracked    data=${HUNDRED}    chunk_size=10    expected_status=200
    GET    /upload/last
    Response Json Should Be    {"complete": true, "received": 100}
