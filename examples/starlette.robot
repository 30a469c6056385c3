*** Settings ***
Documentation     Starlette: the live prices, chat, payments and uploads of
...               starlette_example.py - streams, WebSocket dialogues, concurrent
...               requests and slow clients - on asyncio and on trio.
...
...               Needs Starlette, sse-starlette and trio:
...               python -m pip install starlette sse-starlette trio
...               Run from the root of a checkout:
...               python -m robot --pythonpath examples --outputdir results examples/starlette.robot
Library           RobotASGI    timeout=5s
Test Setup        Open ASGI Client    starlette_example:app


*** Variables ***
${REPORT}         ${{ b"x" * 2000 }}


*** Test Cases ***
A Login Cookie
    GET    /me    expected_status=401
    GET    /login    params={"user": "alice"}
    ${cookie}=    Get Cookie    user
    Should Be Equal    ${cookie.value}    alice
    Should Be True    ${cookie.httponly}
    GET    /me
    Json Value Should Be    /user    alice
    Delete All Cookies
    GET    /me    expected_status=401

Prices Stream Until The Client Leaves
    Open Stream    /prices
    Response Header Should Be    content-type    text/event-stream; charset=utf-8
    ${event}=    Receive Event    timeout=2s
    Should Be Equal    ${event}[event]    price
    Should Be Equal    ${event}[json][symbol]    ACME
    GET    /subscribers
    Json Value Should Be    /count    1
    Close Stream    # the app sees the client go away
    GET    /subscribers
    Json Value Should Be    /count    0

Alice And Bob Chat
    Websocket Connect    /chat/lobby    params={"name": "alice"}    alias=alice
    Websocket Connect    /chat/lobby    params={"name": "bob"}    alias=bob
    Send Text    hi alice    websocket=bob
    ${message}=    Receive Json Until    /type    message    websocket=alice
    Should Be Equal    ${message}[text]    hi alice
    Close Websocket    websocket=bob
    ${presence}=    Receive Json Until    /online    ["alice"]    websocket=alice
    Drain Websocket    websocket=alice

One Payment Per Idempotency Key
    ${first}=    Start Request    POST    /payments    headers={"Idempotency-Key": "order-42"}    expected_status=201
    ${second}=    Start Request    POST    /payments    headers={"Idempotency-Key": "order-42"}    expected_status=409
    Wait For Response    ${first}
    Wait For Response    ${second}
    ${again}=    POST    /payments    headers={"Idempotency-Key": "order-42"}    expected_status=201
    Json Value Should Be    /id    pay-1

Slow Uploads Time Out
    POST    /files    data=${REPORT}    chunk_size=500    chunk_delay=500ms    expected_status=408

A Client Leaving Mid-Upload Leaves No File
    ${resp}=    POST    /files    data=${REPORT}    chunk_size=500    disconnect_after=1000
    Should Be Equal    ${resp}    ${None}
    GET    /files
    Response Json Should Be    []

The Same On Trio
    Open ASGI Client    starlette_example:app    backend=trio    alias=on-trio
    Open Stream    /prices
    ${event}=    Receive Event
    Should Be Equal    ${event}[id]    0
    POST    /files    data=${REPORT}    expected_status=201
    Json Value Should Be    /size    2000
