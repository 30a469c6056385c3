*** Settings ***
Documentation     Runs after ``04_auto_close_suite.robot``, with the same
...               ``auto_close=SUITE`` library instance: the suite's resources are gone.
Library           RobotASGI    auto_close=SUITE


*** Test Cases ***
The Previous Suite's Resources Were Closed With It
    ${open}=    Get ASGI Aliases
    Should Be Equal    ${open}    ${{ {"clients": [], "websockets": [], "streams": []} }}
    Open ASGI Client    alias=kept
