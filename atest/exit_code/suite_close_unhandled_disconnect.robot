*** Settings ***
Documentation     A WebSocket session a suite setup opened, on an app that does not
...               catch the client's close (a FastAPI endpoint looping on
...               ``receive_text()``), is closed when the suite ends without failing it:
...               the run passes and exits with 0. (Robot Framework has already written
...               the test results to output.xml when the suite ends, so only the exit
...               code and the console show a failed close.) run.py runs this suite
...               alone and checks its exit code and output.
Resource          ../resources/common.resource
Suite Setup       Connect To A Loop
Test Tags         exit-code


*** Test Cases ***
The Suite Session Works
    Send Text    ping
    ${text}=    Receive Text
    Should Be Equal    ${text}    ping


*** Keywords ***
Connect To A Loop
    Open ASGI Client    ${FASTAPI}    alias=suite-client
    Websocket Connect    /ws/loop    alias=suite-loop
