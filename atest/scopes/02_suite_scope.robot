*** Settings ***
Documentation     What a suite setup opens lives until the suite ends, across its
...               tests; what a test opens still closes with the test.
...               ``03_check_after_suite.robot`` checks it is gone afterwards.
Resource          ../resources/common.resource
Suite Setup       Open Suite Resources


*** Test Cases ***
The Suite Client Is Open In The First Test
    Aliases Should Be    ${{ ["suite-client", "suite-extra"] }}    ${{ ["suite-ws"] }}    ${{ ["suite-stream"] }}
    Open Stream    /stream    alias=test-stream
    Open ASGI Client    ${STARLETTE}    alias=test-client
    GET    /anything
    Send Text    from test one
    ${text}=    Receive Text
    Should Be Equal    ${text}    from test one

The Suite Client Survives The First Test
    Aliases Should Be    ${{ ["suite-client", "suite-extra"] }}    ${{ ["suite-ws"] }}    ${{ ["suite-stream"] }}
    ${event}=    Receive Event    stream=suite-stream
    Should Be Equal    ${event}[event]    tick
    ${resp}=    GET    /hello
    Should Be Equal    ${resp.text}    Hello, world!
    Send Text    from test two
    ${text}=    Receive Text
    Should Be Equal    ${text}    from test two

A Test Can Close A Suite Client
    Open ASGI Client    ${DEMO}    alias=short-lived
    Close ASGI Client    suite-extra
    Aliases Should Be    ${{ ["suite-client", "short-lived"] }}    ${{ ["suite-ws"] }}    ${{ ["suite-stream"] }}

The Suite Client Survives The Last Test
    Aliases Should Be    ${{ ["suite-client"] }}    ${{ ["suite-ws"] }}    ${{ ["suite-stream"] }}


*** Keywords ***
Open Suite Resources
    Open ASGI Client    ${DEMO}    alias=suite-client
    Websocket Connect    /ws    alias=suite-ws
    Open Stream    /events    alias=suite-stream
    Open ASGI Client    ${STARLETTE}    alias=suite-extra
    Switch ASGI Client    suite-client
