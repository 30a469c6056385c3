*** Settings ***
Documentation     Runs after ``06_auto_close_manual.robot``, with the same
...               ``auto_close=MANUAL`` library instance.
Library           RobotASGI    auto_close=MANUAL


*** Test Cases ***
The Previous Suite's Client Is Still Open
    ${open}=    Get ASGI Aliases
    Should Be Equal    ${open}    ${{ {"clients": ["manual"], "websockets": ["manual-ws"], "streams": ["manual-stream"]} }}
    ${event}=    Receive Event
    Should Be Equal    ${event}[event]    tick
    Send Text    across suites
    ${text}=    Receive Text
    Should Be Equal    ${text}    across suites

Only The Close Keywords Close It
    Close ASGI Client    manual    # its session and stream first
    ${open}=    Get ASGI Aliases
    Should Be Equal    ${open}    ${{ {"clients": [], "websockets": [], "streams": []} }}
