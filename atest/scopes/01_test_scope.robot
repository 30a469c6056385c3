*** Settings ***
Documentation     With the default ``auto_close=TEST``, what a test opens - clients,
...               sessions, streams - is closed when the test ends: the next test
...               finds nothing open.
Resource          ../resources/common.resource


*** Test Cases ***
A Test Leaves A Client, A Session And A Stream Open
    Open ASGI Client    ${DEMO}    alias=left-open
    Websocket Connect    /ws    alias=left-open-ws
    Open Stream    /events    alias=left-open-stream
    Aliases Should Be    ${{ ["left-open"] }}    ${{ ["left-open-ws"] }}    ${{ ["left-open-stream"] }}

The Next Test Finds Them Closed
    Nothing Should Be Open

A Test Leaves Two Clients And Sessions Open
    Open ASGI Client    ${DEMO}    alias=first
    Websocket Connect    /ws
    Open ASGI Client    ${STARLETTE}    alias=second
    Websocket Connect    /ws
    Switch ASGI Client    first
    ${open}=    Get ASGI Aliases
    Length Should Be    ${open}[clients]    2
    Length Should Be    ${open}[websockets]    2

Aliases Are Free Again In The Next Test
    Nothing Should Be Open
    Open ASGI Client    ${DEMO}    alias=first
    Open ASGI Client    ${DEMO}    alias=left-open
