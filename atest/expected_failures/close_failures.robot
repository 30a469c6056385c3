*** Settings ***
Documentation     A failed automatic close fails the test that owned the resource,
...               and the resources opened with it are closed all the same.
...
...               Run separately by ``atest/run.py``; a test's expected status is
...               in its documentation: ``FAIL <message pattern>``, or PASS.
Resource          ../resources/common.resource
Test Tags         expected-failure


*** Variables ***
${SHUTDOWN ERROR}    Closing ASGI client 'faulty' failed: LifespanShutdownError: Lifespan shutdown failed: could not flush the cache


*** Test Cases ***
A Passing Test Owning A Failing Shutdown Fails
    [Documentation]    FAIL Closing ASGI resources failed:\n${SHUTDOWN ERROR}
    Open ASGI Client    ${DEMO}    alias=before
    Websocket Connect    /ws    alias=before-ws
    Open ASGI Client    ${FAULTY}:lifespan_shutdown_failed    alias=faulty
    Open ASGI Client    ${STARLETTE}    alias=after
    GET    /    client=faulty

The Other Resources Of That Test Were Closed
    [Documentation]    PASS
    Nothing Should Be Open

A Failing Test Gets The Close Failure Added To Its Message
    [Documentation]    FAIL The test's own failure\n\nAlso: Closing ASGI resources failed:\n${SHUTDOWN ERROR}
    Open ASGI Client    ${FAULTY}:lifespan_shutdown_failed    alias=faulty
    Fail    The test's own failure

Nothing Is Left Open Afterwards
    [Documentation]    PASS
    Nothing Should Be Open

An App Exception Seen Only At Close Fails The Test
    [Documentation]    FAIL Closing ASGI resources failed:\nClosing WebSocket session 'raising' failed: AppFault: websocket handler failed on 'unseen'
    Open ASGI Client    ${FAULTY}:ws_raise_on_message
    Websocket Connect    /ws    alias=raising
    Send Text    unseen

The Client Of That Session Was Closed Too
    [Documentation]    PASS
    Nothing Should Be Open
