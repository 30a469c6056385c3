*** Settings ***
Documentation     ``auto_close=SUITE``: what a test opens is kept until its suite
...               ends. ``05_after_auto_close_suite.robot`` imports the library with
...               the same argument - the same GLOBAL instance - and checks it is
...               closed after this suite.
Library           Collections
Library           RobotASGI    auto_close=SUITE


*** Test Cases ***
A Test Opens A Client, A Session And A Stream
    Open ASGI Client    alias=kept
    Websocket Connect    /ws    alias=kept-ws
    Open Stream    /events    alias=kept-stream
    Open Aliases Should Be    kept    kept-ws

They Survive The Test
    Open Aliases Should Be    kept    kept-ws
    Send Text    still here
    ${text}=    Receive Text
    Should Be Equal    ${text}    still here
    ${event}=    Receive Event
    Should Be Equal    ${event}[event]    tick

The Close Keywords Still Close
    Open ASGI Client    alias=closed-early
    Close ASGI Client    closed-early
    Open Aliases Should Be    kept    kept-ws


*** Keywords ***
Open Aliases Should Be
    [Arguments]    ${client}    ${websocket}
    ${open}=    Get ASGI Aliases
    Should Be Equal    ${open}    ${{ {"clients": [$client], "websockets": [$websocket], "streams": ["kept-stream"]} }}
