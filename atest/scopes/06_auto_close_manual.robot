*** Settings ***
Documentation     ``auto_close=MANUAL``: nothing is closed when a test or suite ends.
...               ``07_after_auto_close_manual.robot``, with the same instance,
...               finds the client still open and closes it.
Library           RobotASGI    auto_close=MANUAL


*** Test Cases ***
A Test Opens A Client
    Open ASGI Client    alias=manual
    Websocket Connect    /ws    alias=manual-ws
    Open Stream    /events    alias=manual-stream
    ${open}=    Get ASGI Aliases
    Should Be Equal    ${open}    ${{ {"clients": ["manual"], "websockets": ["manual-ws"], "streams": ["manual-stream"]} }}

It Survives The Test
    ${open}=    Get ASGI Aliases
    Should Be Equal    ${open}    ${{ {"clients": ["manual"], "websockets": ["manual-ws"], "streams": ["manual-stream"]} }}
