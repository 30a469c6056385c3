*** Settings ***
Documentation     What the stream keywords log: each event, line and chunk (JSON
...               pretty-printed, credentials masked), the comments and the events
...               without data they skip, how the app ended when a stream closed - by
...               Close Stream or at the end of its test - and the app's traceback.
Library           ../resources/LogCapture.py
Resource          ../resources/common.resource
Test Tags         log-check


*** Variables ***
${PLAIN}          apps.streams_asgi:app


*** Test Cases ***
Skipped Comments And Events Without Data Are Logged
    [Documentation]    PASS
    ...    LOG INFO IN Receive Event: Stream 'spec': skipped a comment ': stream start'
    ...    LOG INFO IN Receive Event: Stream 'spec': skipped an event with no data (not dispatched): event: ping | id: 43
    ...    LOG INFO IN Receive Event: Stream 'spec': skipped a comment ': keep-alive'
    ...    LOG INFO IN Receive Event: Stream 'spec' received an event:
    ...    LOG INFO IN Receive Event: "symbol": "ACME",
    Open ASGI Client    ${PLAIN}
    Open Stream    /sse/spec    alias=spec
    Receive Event
    Receive Event
    Receive Event
    Receive Event
    Receive Event
    Receive Event
    Receive Event

A Token In An Event Is Masked There And Everywhere After
    [Documentation]    PASS
    ...    LOG INFO IN Receive Event: "access_token": "*****"
    ...    NO LOG: sse-token-5f2b9c0d7e
    Open ASGI Client    ${PLAIN}
    Open Stream    /sse/token    headers={"Authorization": "Bearer stream-secret-9e1f"}
    ${event}=    Receive Event
    Log    the token: ${event}[json][access_token]
    Should Be Equal    ${event}[json][user]    qa

The Request Of A Stream Is Logged Masked
    [Documentation]    PASS
    ...    LOG INFO IN Open Stream: GET http://testserver/sse/ticks?count=1
    ...    LOG INFO IN Open Stream: Authorization: *****
    ...    LOG INFO IN Open Stream: (streamed body, not read)
    ...    NO LOG: stream-secret-9e1f
    Open ASGI Client    ${PLAIN}
    Open Stream    /sse/ticks    params={"count": "1"}    headers={"Authorization": "Bearer stream-secret-9e1f"}

How The App Ended Is Logged When A Stream Closes
    [Documentation]    PASS
    ...    LOG INFO IN Close Stream: stream 'deaf': the client disconnected before the body was complete; the app did not stop at the disconnect: its next send() raised ClientDisconnected, which ended it (not a failure).
    ...    LOG INFO IN Close Stream: Closed stream 'deaf'.
    ...    LOG INFO: stream 'left-open': the client disconnected before the body was complete; the app returned.
    Open ASGI Client    ${PLAIN}
    Open Stream    /sse/ignore-disconnect    alias=deaf
    Receive Event
    Close Stream
    Open Stream    /sse/ticks    alias=left-open

The App's Traceback Starts In The App
    [Documentation]    PASS
    ...    LOG INFO IN Receive Chunk: The app's traceback (its frames and its framework's; the full traceback is logged at DEBUG level):
    ...    LOG INFO IN Receive Chunk: streams_asgi.py", line
    Open ASGI Client    ${PLAIN}
    Open Stream    /chunks/raise
    Receive Chunk
    Run Keyword And Expect Error    RuntimeError: stream broke    Receive Chunk
    App Traceback Should Start In    /streams_asgi.py    RuntimeError: stream broke
