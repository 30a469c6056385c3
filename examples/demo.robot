*** Settings ***
Documentation     A tour of RobotASGI against the demo app that ships with it.
...               Run it with:    python -m robot --outputdir results examples/demo.robot
...               and open results/log.html to see every exchange.
Library           RobotASGI    timeout=5s
Suite Setup       Open ASGI Client    RobotASGI.demo:app    alias=demo


*** Variables ***
${PASSWORD}       not-in-the-log    # the log shows ***** wherever it would appear


*** Test Cases ***
Plain Text
    ${resp}=    GET    /hello    params={"name": "Robot"}
    Should Be Equal    ${resp.text}    Hello, Robot!
    Response Header Should Be    content-type    text/plain; charset=utf-8

JSON Echo
    ${resp}=    POST    /echo    json={"op": "ping", "items": [1, 2, 3]}    expected_status=200
    Should Be Equal    ${resp.json()}[op]    ping
    Response Json Should Be    {"op": "ping", "items": [1, 2, 3]}
    Json Value Should Be    /items/2    3

File Upload
    ${resp}=    POST    /upload    files={"report": "${CURDIR}/demo.robot"}    data={"kind": "suite"}
    Json Value Should Be    /fields/kind    suite
    Json Value Should Be    /files/0/field    report
    Json Value Should Be    /files/0/filename    demo.robot

Redirects Are Followed
    ${resp}=    GET    /redirect    params={"name": "again"}
    Should Be Equal    ${resp.text}    Hello, again!
    Length Should Be    ${resp.history}    1
    ${resp}=    GET    /redirect    allow_redirects=False    expected_status=307
    Response Should Have Header    location

Expected Status
    GET    /status/404    expected_status=not found
    GET    /status/201    expected_status=200, 201
    Run Keyword And Expect Error    GET http://testserver/status/503 returned status 503 Service Unavailable*
    ...    GET    /status/503

Credentials Stay Out Of The Log
    ${resp}=    GET    /headers    auth=["qa", "${PASSWORD}"]
    Should Start With    ${resp.json()}[authorization]    Basic

WebSocket Echo
    Websocket Connect    /ws    subprotocols=["echo"]
    Send Text    hello
    ${text}=    Receive Text
    Should Be Equal    ${text}    hello
    Send Json    {"op": "ping"}
    ${msg}=    Receive Json
    Should Be Equal    ${msg}[op]    ping
    Websocket Should Receive Nothing    200ms
    Send Text    close
    Websocket Should Be Closed    code=1000    reason=bye

Server-Sent Events
    Open Stream    /events    alias=ticks
    Response Header Should Be    content-type    text/event-stream; charset=utf-8
    ${event}=    Receive Event    timeout=2s
    Should Be Equal    ${event}[event]    tick
    Should Be Equal    ${event}[json]    ${{ {"n": 0} }}
    ${event}=    Receive Event
    Should Be Equal    ${event}[id]    1
    Close Stream    # the app sees the client go away, and stops

Lines As They Arrive
    Open Stream    /stream    params={"count": "3"}
    ${line}=    Receive Line
    Should Be Equal    ${line}    chunk 0
    Receive Line
    Receive Line
    Stream Should Be Finished

Unknown WebSocket Path Is Rejected
    Run Keyword And Expect Error    *rejected with code 1008*    Websocket Connect    /nowhere
