*** Settings ***
Documentation     A Robot ``[Timeout]`` that interrupts a keyword waiting on an app
...               that never answers fails the test (as it should) and leaves the
...               library usable: the tests that follow pass.
...
...               Run separately by ``atest/run.py``, which checks each test's
...               status against its documentation (``FAIL <pattern>`` or PASS).
Resource          ../resources/common.resource
Test Tags         expected-failure


*** Test Cases ***
Test Timeout Interrupts A Request
    [Documentation]    FAIL Test timeout 1 second exceeded.
    [Timeout]    1s
    Open ASGI Client    ${FAULTY}:never_answer    alias=hanging    timeout=1 minute
    GET    /

The Library Works After The Interrupted Request
    [Documentation]    PASS
    Nothing Should Be Open
    Open ASGI Client    ${FAULTY}:never_answer    alias=hanging
    Run Keyword And Expect Error    *within 0.2 s*    GET    /    timeout=200ms
    Open ASGI Client    ${DEMO}
    ${resp}=    GET    /hello
    Should Be Equal    ${resp.text}    Hello, world!

Keyword Timeout Interrupts A Websocket Receive
    [Documentation]    FAIL Keyword timeout 500 milliseconds exceeded.
    Open ASGI Client    ${FAULTY}:ws_never_answer    alias=silent
    Websocket Connect    /ws    alias=silent-ws    timeout=1 minute
    Receive Within Half A Second

The Library Works After The Interrupted Receive
    [Documentation]    PASS
    Nothing Should Be Open
    Open ASGI Client    ${DEMO}
    Websocket Connect    /ws
    Send Text    alive
    ${text}=    Receive Text
    Should Be Equal    ${text}    alive

Test Timeout Interrupts A Websocket Handshake
    [Documentation]    FAIL Test timeout 500 milliseconds exceeded.
    [Timeout]    500ms
    Open ASGI Client    ${FAULTY}:never_answer    alias=hanging
    Websocket Connect    /ws    timeout=1 minute

The Library Works After The Interrupted Handshake
    [Documentation]    PASS
    Nothing Should Be Open
    Open ASGI Client    ${DEMO}    alias=hanging
    GET    /hello

Test Timeout Interrupts A Stream Read
    [Documentation]    FAIL Test timeout 500 milliseconds exceeded.
    [Timeout]    500ms
    Open ASGI Client    ${DEMO}    alias=streaming
    Open Stream    /events    alias=interrupted    # endless: an event every 50 ms
    Receive Event
    Stream Should Be Finished    timeout=1 minute

The Library Works After The Interrupted Stream Read
    [Documentation]    PASS
    Nothing Should Be Open
    Open ASGI Client    ${DEMO}
    Open Stream    /events    params={"count": "2"}
    Receive Event
    Receive Event
    Stream Should Be Finished


*** Keywords ***
Receive Within Half A Second
    [Timeout]    500ms
    Receive Text
