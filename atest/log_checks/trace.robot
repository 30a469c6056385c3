*** Settings ***
Documentation     The ASGI trace in the log (the default ``trace=on failure``): a keyword
...               that made an exchange and fails - an unexpected status, a failed check of
...               the last response, a timeout, an app exception, a protocol violation, a
...               WebSocket keyword, a started request - logs the exchange's trace; a
...               passing one does not. The trace is masked as the rest of the log: header
...               values by place, the masked fields of bodies (a body the trace cuts short
...               too), remembered credentials by value; what is no credential reads as sent.
Resource          ../resources/common.resource
Test Tags         log-check


*** Variables ***
${TRACED}         apps.traced_app:app
${CONCURRENCY}    apps.concurrency_app:create_app()
${TOKEN}          tok-7f3a9c2e5b8d41f6a0c3e9b2d5f8a1c4


*** Test Cases ***
An Unexpected Status
    [Documentation]    PASS
    ...    LOG INFO IN GET: ASGI trace of GET /items/5: 3 steps in
    ...    LOG INFO IN GET: scope   http GET /items/5 headers: host: testserver, user-agent: testclient
    ...    LOG INFO IN GET: send    http.response.start status=404 headers: content-length: 27, content-type: application/json
    ...    LOG INFO IN GET: send    http.response.body body 27 bytes '{"detail":"Item not found"}'
    ...    LOG INFO IN GET: end     the app returned
    Open ASGI Client    ${FASTAPI}
    Run Keyword And Expect Error    *404 Not Found*    GET    /items/5

A Passing Keyword Logs No Trace
    [Documentation]    PASS
    ...    NO LOG: ASGI trace of
    Open ASGI Client    ${FASTAPI}
    GET    /items/5    expected_status=404
    Status Should Be    404
    Response Json Should Be    {"detail": "Item not found"}

A Failed Check Of The Last Response
    [Documentation]    PASS
    ...    LOG INFO IN Status Should Be: ASGI trace of GET /hello?name=Robot
    ...    LOG INFO IN Response Json Should Be: ASGI trace of POST /echo
    ...    LOG INFO IN Response Json Should Be: receive http.request more_body=False body 12 bytes '{"op": "go"}'
    ...    LOG INFO IN Response Header Should Be: ASGI trace of POST /echo
    Open ASGI Client    ${FASTAPI}
    ${hello}=    GET    /hello    params={"name": "Robot"}
    Run Keyword And Expect Error    *expected 201 Created*    Status Should Be    201
    POST    /echo    json={"op": "go"}
    Run Keyword And Expect Error    *differs from*    Response Json Should Be    {"op": "stop"}
    Run Keyword And Expect Error    *no 'X-Nope' header*    Response Header Should Be    X-Nope    1

A Check Of A Given Response Logs That One
    [Documentation]    PASS
    ...    LOG INFO IN Status Should Be: ASGI trace of GET /hello?name=First
    ...    NO LOG: ASGI trace of GET /hello?name=Second
    Open ASGI Client    ${FASTAPI}
    ${first}=    GET    /hello    params={"name": "First"}
    GET    /hello    params={"name": "Second"}
    Run Keyword And Expect Error    *expected 204*    Status Should Be    204    ${first}

A Timeout
    [Documentation]    PASS
    ...    LOG INFO IN GET: ASGI trace of GET /: 1 steps in
    ...    LOG INFO IN GET: end     the app was cancelled
    Open ASGI Client    ${FAULTY}:never_answer
    Run Keyword And Expect Error    *did not answer GET http://testserver/ within 0.2 s*    GET    /    timeout=200ms

An App Exception
    [Documentation]    PASS
    ...    LOG INFO IN GET: ASGI trace of GET /raise
    ...    LOG INFO IN GET: end     the app raised RuntimeError: starlette route failed
    Open ASGI Client    ${STARLETTE}
    Run Keyword And Expect Error    EQUALS:RuntimeError: starlette route failed    GET    /raise

A Protocol Violation
    [Documentation]    PASS
    ...    LOG INFO IN GET: send    http.response.body body 4 bytes 'body'
    ...    LOG INFO IN GET: end     the app broke the ASGI protocol: ASGI protocol violation: http.response.body sent before http.response.start.
    Open ASGI Client    ${FAULTY}:invalid_body_before_start
    Run Keyword And Expect Error    *http.response.body sent before http.response.start*    GET    /

A WebSocket Receive That Times Out
    [Documentation]    PASS
    ...    LOG INFO IN Receive Text: ASGI trace of websocket /ws
    ...    LOG INFO IN Receive Text: receive websocket.connect
    ...    LOG INFO IN Receive Text: send    websocket.accept
    ...    LOG INFO IN Receive Text: receive websocket.receive text 5 characters 'hello'
    Open ASGI Client    ${FAULTY}:ws_never_answer
    Websocket Connect    /ws
    Send Text    hello
    Run Keyword And Expect Error    *within 0.2 s*    Receive Text    timeout=200ms

A WebSocket Closed Other Than Expected
    [Documentation]    PASS
    ...    LOG INFO IN Websocket Should Be Closed: ASGI trace of websocket /ws
    ...    LOG INFO IN Websocket Should Be Closed: send    websocket.close code=1000 reason='bye'
    Open ASGI Client    ${FASTAPI}
    Websocket Connect    /ws
    Send Text    close
    Run Keyword And Expect Error    *closed with code 1000, expected 4000*    Websocket Should Be Closed    code=4000

A Refused WebSocket Handshake
    [Documentation]    PASS
    ...    LOG INFO IN Websocket Connect: ASGI trace of websocket /ws/reject
    ...    LOG INFO IN Websocket Connect: send    websocket.close code=1008 reason='forbidden'
    Open ASGI Client    ${FASTAPI}
    Run Keyword And Expect Error    *rejected with code 1008*    Websocket Connect    /ws/reject

Credentials Are Masked In The Trace, Nothing Else
    [Documentation]    PASS
    ...    LOG INFO IN POST: receive http.request more_body=False body 23 bytes 'username=qa&password=*****'
    ...    LOG INFO IN POST: '{"access_token": "*****", "refresh_token": "*****", "token_type": "bearer"}'
    ...    LOG INFO IN GET: authorization: *****, x-request-id: req-1
    ...    LOG INFO IN GET: ASGI trace of GET /users/me?api_key=*****&page=2
    ...    NO LOG: at-qa-
    ...    NO LOG: rt-qa-
    ...    NO LOG: k-98765432
    Open ASGI Client    ${FASTAPI}
    Run Keyword And Expect Error    *expected 201 Created*
    ...    POST    /token    data={"username": "qa", "password": "pw"}    expected_status=201
    VAR    ${token}    ${{ apps.fastapi_app.token_for("at", "qa") }}
    VAR    &{headers}    Authorization=Bearer ${token}    X-Request-Id=req-1
    Run Keyword And Expect Error    *expected 500*
    ...    GET    /users/me    params={"api_key": "k-98765432", "page": "2"}    headers=${headers}    expected_status=500

A Body Cut Inside A Masked Field
    [Documentation]    PASS
    ...    LOG INFO IN GET: send    http.response.body body 423 bytes '{"padding": "pppp
    ...    LOG INFO IN GET: receive http.request more_body=False body 0 bytes
    ...    LOG INFO IN GET: "access_token": *****'... (423 bytes in all)
    ...    NO LOG: "tok-
    ...    NO LOG: tok-7f
    Open ASGI Client    ${TRACED}
    Run Keyword And Expect Error    *returned status 200 OK, expected 500*    GET    /long-token    expected_status=500

A Body Cut Inside A Remembered Credential
    [Documentation]    PASS
    ...    LOG INFO IN GET: body 286 bytes 'aaaaaaaaaa
    ...    LOG INFO IN GET: aaaaa'... (286 bytes in all)
    ...    NO LOG: tok-7f
    Open ASGI Client    ${TRACED}
    VAR    &{headers}    Authorization=Bearer ${TOKEN}
    Run Keyword And Expect Error    *expected 500*    GET    /long-text    headers=${headers}    expected_status=500

A Started Request That Fails
    [Documentation]    PASS
    ...    LOG INFO IN Wait For Response: ASGI trace of GET /barrier?n=2&timeout=0.05
    ...    LOG INFO IN Wait For Response: send    http.response.start status=504
    Open ASGI Client    ${CONCURRENCY}
    ${handle}=    Start Request    GET    /barrier    params={"n": "2", "timeout": "0.05"}
    Run Keyword And Expect Error    *504 Gateway Timeout*    Wait For Response    ${handle}

A Wait That Times Out Logs What The App Did So Far
    [Documentation]    PASS
    ...    LOG INFO IN Wait For Response: ASGI trace of GET /slow?ms=600
    ...    LOG INFO IN Wait For Response: (the app was still running)
    Open ASGI Client    ${CONCURRENCY}
    ${handle}=    Start Request    GET    /slow    params={"ms": "600"}
    Run Keyword And Expect Error    *did not finish within 100 milliseconds*    Wait For Response    ${handle}    100ms
    Wait For Response    ${handle}

A Request Never Waited For Is Cancelled And Logged
    [Documentation]    PASS
    ...    LOG INFO: Started request 'forgotten' (GET http://testserver/slow?ms=5000) was never waited for: it was cancelled.
    ...    LOG INFO: ASGI trace of GET /slow?ms=5000
    ...    LOG INFO: end     the app was cancelled
    Open ASGI Client    ${CONCURRENCY}
    Start Request    GET    /slow    params={"ms": "5000"}    alias=forgotten

A Client That Leaves Mid-Upload Sees What The App Did
    [Documentation]    PASS
    ...    LOG INFO IN POST: The request body (100 bytes) is sent in pieces of 10 bytes, and the client goes away after 35 bytes.
    ...    LOG INFO IN POST: The client went away after sending 35 bytes of the POST http://testserver/upload/tracked body, as asked; then the app returned.
    ...    LOG INFO IN POST: receive http.request more_body=True body 5 bytes 'xxxxx'
    ...    LOG INFO IN POST: receive http.disconnect
    Open ASGI Client    ${CONCURRENCY}
    ${resp}=    POST    /upload/tracked    data=${{ "x" * 100 }}    chunk_size=10    disconnect_after=35
    Should Be Equal    ${resp}    ${None}
