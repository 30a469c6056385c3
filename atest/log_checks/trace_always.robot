*** Settings ***
Documentation     ``trace=always``: passing keywords log the ASGI trace too - every HTTP
...               request (each step of a redirect), a started request when it is waited
...               for, a WebSocket handshake and the whole session when it is closed.
...
...               The library is imported here only, with its own arguments: an
...               instance of its own. Run by ``atest/run.py`` with its log checked in
...               ``output.xml``.
Library           RobotASGI    trace=always
Test Tags         log-check


*** Variables ***
${STARLETTE}      apps.starlette_app:app
${FASTAPI}        apps.fastapi_app:create_app()
${CONCURRENCY}    apps.concurrency_app:create_app()


*** Test Cases ***
A Passing Request Logs Its Trace
    [Documentation]    PASS
    ...    LOG INFO IN GET: ASGI trace of GET /hello?name=Robot: 3 steps in
    ...    LOG INFO IN GET: send    http.response.body body 13 bytes 'Hello, Robot!'
    ...    LOG INFO IN GET: end     the app returned
    Open ASGI Client    ${STARLETTE}
    GET    /hello    params={"name": "Robot"}    expected_status=200

Each Step Of A Redirect
    [Documentation]    PASS
    ...    LOG INFO IN GET: ASGI trace of GET /redirect
    ...    LOG INFO IN GET: send    http.response.start status=307
    ...    LOG INFO IN GET: ASGI trace of GET /hello
    Open ASGI Client    ${STARLETTE}
    GET    /redirect

A Waited Started Request
    [Documentation]    PASS
    ...    LOG INFO IN Wait For Response: ASGI trace of GET /slow?ms=1
    Open ASGI Client    ${CONCURRENCY}
    ${handle}=    Start Request    GET    /slow    params={"ms": "1"}
    Wait For Response    ${handle}

A WebSocket Session
    [Documentation]    PASS
    ...    LOG INFO IN Websocket Connect: ASGI trace of websocket /ws
    ...    LOG INFO IN Websocket Connect: send    websocket.accept
    ...    LOG INFO IN Close Websocket: receive websocket.receive text 4 characters 'ping'
    ...    LOG INFO IN Close Websocket: send    websocket.send text 4 characters 'ping'
    ...    LOG INFO IN Close Websocket: receive websocket.disconnect code=1000
    Open ASGI Client    ${FASTAPI}
    Websocket Connect    /ws
    Send Text    ping
    Receive Text
    Close Websocket

Credentials Stay Masked
    [Documentation]    PASS
    ...    LOG INFO IN POST: username=qa&password=*****
    ...    LOG INFO IN POST: "access_token": "*****"
    ...    NO LOG: at-qa-
    Open ASGI Client    ${FASTAPI}
    POST    /token    data={"username": "qa", "password": "pw"}
