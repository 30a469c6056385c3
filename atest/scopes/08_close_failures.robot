*** Settings ***
Documentation     A client whose lifespan shutdown fails: closing it explicitly fails
...               with the app's message, and everything else is closed all the same.
...               (That a failed *automatic* close fails the test that owned it is
...               checked by ``expected_failures/close_failures.robot``.)
Resource          ../resources/common.resource


*** Variables ***
${SHUTDOWN ERROR}    Closing ASGI client 'faulty' failed: LifespanShutdownError: Lifespan shutdown failed: could not flush the cache


*** Test Cases ***
Close ASGI Client Fails With The Shutdown Message
    Open ASGI Client    ${FAULTY}:lifespan_shutdown_failed    alias=faulty
    GET    /    expected_status=200
    Run Keyword And Expect Error    EQUALS:${SHUTDOWN ERROR}
    ...    Close ASGI Client
    Nothing Should Be Open

Close All ASGI Clients Closes The Others And Reports The Failure
    Open ASGI Client    ${DEMO}    alias=before
    Websocket Connect    /ws    alias=before-ws
    Open ASGI Client    ${FAULTY}:lifespan_shutdown_failed    alias=faulty
    Open ASGI Client    ${STARLETTE}    alias=after
    Websocket Connect    /ws    alias=after-ws
    Run Keyword And Expect Error    EQUALS:${SHUTDOWN ERROR}
    ...    Close All ASGI Clients
    Nothing Should Be Open

Closing A Client With Sessions Closes Them Even When Shutdown Fails
    Open ASGI Client    ${FAULTY}:lifespan_shutdown_failed    alias=faulty
    Open ASGI Client    ${DEMO}    alias=good
    Websocket Connect    /ws    alias=good-ws
    Run Keyword And Expect Error    EQUALS:${SHUTDOWN ERROR}
    ...    Close ASGI Client    faulty
    Aliases Should Be    ${{ ["good"] }}    ${{ ["good-ws"] }}
    Send Text    unaffected
    ${text}=    Receive Text
    Should Be Equal    ${text}    unaffected
