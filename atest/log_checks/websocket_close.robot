*** Settings ***
Documentation     An app that does not catch the client's close - a FastAPI or
...               Starlette endpoint looping on ``receive_text()`` ends with their
...               ``WebSocketDisconnect`` - has not failed: ``Close Websocket``,
...               ``Close ASGI Client`` and the automatic close at the end of a test or
...               suite pass and log (INFO) how the app ended. Any other exception
...               still fails the close. The session the suite setup opens is closed
...               when the suite ends, which must fail none of its tests.
Resource          ../resources/common.resource
Suite Setup       Connect To A Loop For The Whole Suite
Test Tags         log-check


*** Test Cases ***
Close Websocket On A FastAPI Loop That Does Not Catch The Disconnect
    [Documentation]    PASS
    ...    LOG INFO IN Close Websocket: WebSocket session 'loop': after the client closed the connection, the app ended with WebSocketDisconnect (code 1000): it does not catch the disconnect, which is not a failure.
    ...    LOG INFO IN Close Websocket: WebSocket 'loop' closed with code 1000.
    Open ASGI Client    ${FASTAPI}
    Websocket Connect    /ws/loop    alias=loop
    Send Text    ping
    ${text}=    Receive Text
    Should Be Equal    ${text}    ping
    Close Websocket

Close Websocket With Another Code On A Starlette Loop
    [Documentation]    PASS
    ...    LOG INFO IN Close Websocket: WebSocket session 'loop': after the client closed the connection, the app ended with WebSocketDisconnect (code 4000): it does not catch the disconnect, which is not a failure.
    Open ASGI Client    ${STARLETTE}
    Websocket Connect    /ws/loop    alias=loop
    Send Text    ping
    Receive Text
    Close Websocket    code=4000    reason=done

The Automatic Close At The End Of A Test
    [Documentation]    PASS
    ...    LOG INFO: WebSocket session 'auto-loop': after the client closed the connection, the app ended with WebSocketDisconnect (code 1000)
    Open ASGI Client    ${FASTAPI}
    Websocket Connect    /ws/loop    alias=auto-loop
    Send Text    left open
    Receive Text

Close ASGI Client Closes The Loop First
    [Documentation]    PASS
    ...    LOG INFO IN Close ASGI Client: WebSocket session 'client-loop': after the client closed the connection, the app ended with WebSocketDisconnect (code 1000)
    Open ASGI Client    ${STARLETTE}    alias=with-loop
    Websocket Connect    /ws/loop    alias=client-loop
    Close ASGI Client

Another Exception After The Close Still Fails Close Websocket
    [Documentation]    PASS
    ...    NO LOG: it does not catch the disconnect
    Open ASGI Client    ${FASTAPI}
    Websocket Connect    /ws/cleanup-fails    alias=cleanup
    Run Keyword And Expect Error
    ...    EQUALS:Closing WebSocket session 'cleanup' failed: RuntimeError: cleanup failed
    ...    Close Websocket

Another Exception After The Close Still Fails The Automatic Close
    [Documentation]    FAIL Closing ASGI resources failed:\nClosing WebSocket session 'cleanup' failed: RuntimeError: cleanup failed
    Open ASGI Client    ${FASTAPI}
    Websocket Connect    /ws/cleanup-fails    alias=cleanup

The Session Of The Suite Setup Is Still Open
    [Documentation]    PASS
    Aliases Should Be    ${{ ["suite-client"] }}    ${{ ["suite-loop"] }}


*** Keywords ***
Connect To A Loop For The Whole Suite
    [Documentation]    Closed when the suite ends: the suite must still pass.
    Open ASGI Client    ${FASTAPI}    alias=suite-client
    Websocket Connect    /ws/loop    alias=suite-loop
