*** Settings ***
Documentation     Every WebSocket keyword: connecting (subprotocols, alias, headers,
...               params, cookies, auth, client), sending and receiving text, bytes
...               and JSON in both modes, asserting silence and closes, switching
...               between two sessions, closing, and refused handshakes.
...
...               The demo app's ``/ws`` and the Starlette app's ``/ws`` echo every
...               message; the text ``close`` makes them close with 1000 ``bye``.
Resource          resources/common.resource
Test Setup        Open ASGI Client    ${STARLETTE}    alias=star


*** Test Cases ***
Connect Returns The Alias
    ${alias}=    Websocket Connect    /ws    alias=echo
    Should Be Equal    ${alias}    echo
    ${generated}=    Websocket Connect    /ws
    Should Match Regexp    ${generated}    ^websocket\\d+$
    Aliases Should Be    ${{ ["star"] }}    ${{ ["echo", $generated] }}

Connect Sends Headers Params Cookies And Auth
    Websocket Connect    /ws/headers    headers={"X-Token": "abc"}    params={"room": "42"}
    ...    cookies={"session": "s1"}    auth=["qa", "pw"]
    ${hello}=    Receive Json
    Should Be Equal    ${hello}[headers][x-token]    abc
    Should Be Equal    ${hello}[query]    ${{ {"room": "42"} }}
    Should Be Equal    ${hello}[cookies]    ${{ {"session": "s1"} }}
    Should Start With    ${hello}[headers][authorization]    Basic${SPACE}
    Should Be Equal    ${hello}[headers][upgrade]    websocket

Connect Offers Subprotocols
    Websocket Connect    /ws/headers    subprotocols=["chat.v2", "chat.v1"]
    ${hello}=    Receive Json
    Should Be Equal    ${hello}[headers][sec-websocket-protocol]    chat.v2, chat.v1
    Websocket Connect    /ws    subprotocols=["chat.v2"]    alias=chat
    Send Text    still works
    ${text}=    Receive Text
    Should Be Equal    ${text}    still works

Connect With A ws URL
    Websocket Connect    ws://testserver/ws
    Send Text    absolute
    ${text}=    Receive Text
    Should Be Equal    ${text}    absolute

Connect With Another Client
    Open ASGI Client    ${DEMO}    alias=demo
    Switch ASGI Client    star
    Websocket Connect    /ws    client=demo    alias=on-demo
    Send Text    hi demo
    ${text}=    Receive Text
    Should Be Equal    ${text}    hi demo
    Run Keyword And Expect Error
    ...    The WebSocket connection to *://testserver/ws/headers was rejected with code 1008 and reason 'unknown path'.
    ...    Websocket Connect    /ws/headers    client=demo

Text Round Trip
    Websocket Connect    /ws
    Send Text    Hello, WebSocket! ÄÖ €
    ${text}=    Receive Text
    Should Be Equal    ${text}    Hello, WebSocket! ÄÖ €
    Send Text    ${EMPTY}
    ${text}=    Receive Text    timeout=1s
    Should Be Empty    ${text}

Bytes Round Trip
    Websocket Connect    /ws
    Send Bytes    \x00\x01\xfe\xff
    ${data}=    Receive Bytes
    Should Be Equal    ${data}    ${{ b"\x00\x01\xfe\xff" }}
    ${payload}=    Evaluate    bytes(range(256))
    Send Bytes    ${payload}
    ${data}=    Receive Bytes    timeout=1s
    Should Be Equal    ${data}    ${payload}

Json In Text Mode
    Websocket Connect    /ws
    Send Json    {"op": "ping", "n": 1, "ok": true, "none": null}
    ${msg}=    Receive Json
    Should Be Equal    ${msg}    ${{ {"op": "ping", "n": 1, "ok": True, "none": None} }}
    &{data}=    Create Dictionary    name=robot    list=${{ [1, 2] }}
    Send Json    ${data}    mode=text
    ${text}=    Receive Text
    Should Be Equal    ${text}    {"name":"robot","list":[1,2]}

Json In Binary Mode
    Websocket Connect    /ws
    Send Json    ["a", 1]    mode=binary
    ${msg}=    Receive Json    mode=binary
    Should Be Equal    ${msg}    ${{ ["a", 1] }}
    Send Json    {"é": "ü"}    mode=binary
    ${data}=    Receive Bytes
    Should Be Equal    ${data}    ${{ '{"é":"ü"}'.encode() }}
    Send Text    {"from": "text"}
    Run Keyword And Expect Error
    ...    WebSocket 'websocket*': Expected a binary message, but the application sent a text message '{"from": "text"}'.
    ...    Receive Json    mode=binary

Receive The Wrong Kind Of Message
    Websocket Connect    /ws    alias=kinds
    Send Bytes    \x01
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'kinds': Expected a text message, but the application sent a binary message b'\\x01'.
    ...    Receive Text
    Send Text    text
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'kinds': Expected a binary message, but the application sent a text message 'text'.
    ...    Receive Bytes
    Send Text    not json
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'kinds': expected JSON, but the text message that arrived is not JSON (Expecting value: line 1 column 1 (char 0)): not json
    ...    Receive Json

Websocket Should Receive Nothing
    Websocket Connect    /ws    alias=quiet
    Websocket Should Receive Nothing    200ms
    Websocket Should Receive Nothing
    Send Text    echo me
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'quiet': Expected no message within 0.2 s, but the application sent a text message 'echo me'.
    ...    Websocket Should Receive Nothing    timeout=0.2
    ${text}=    Receive Text
    Should Be Equal    ${text}    echo me
    Send Text    close
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'quiet': Expected no message within 0.3 s, but the application sent a close (code 1000, reason 'bye').
    ...    Websocket Should Receive Nothing    300ms

Websocket Should Be Closed
    Websocket Connect    /ws    alias=closing
    Send Text    close
    ${code}=    Websocket Should Be Closed    code=1000    reason=bye
    Should Be Equal    ${code}    ${1000}
    ${code}=    Websocket Should Be Closed
    Should Be Equal    ${code}    ${1000}
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'closing' was closed with code 1000, expected 4000.
    ...    Websocket Should Be Closed    code=4000
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'closing' was closed with reason 'bye', expected 'done'.
    ...    Websocket Should Be Closed    reason=done
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'closing': The WebSocket connection was closed with code 1000: bye
    ...    Receive Text
    Run Keyword And Expect Error
    ...    EQUALS:Cannot send on WebSocket 'closing': The WebSocket connection was closed with code 1000: bye.
    ...    Send Text    too late

Websocket Should Be Closed Fails While Open
    Websocket Connect    /ws    alias=open
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'open' was not closed: Nothing arrived from the application within 0.2 s.
    ...    Websocket Should Be Closed    timeout=200ms
    Send Text    a message
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'open' was expected to be closed, but the app sent a text message 'a message'.
    ...    Websocket Should Be Closed    timeout=1s

Switch Websocket Between Two Sessions
    Open ASGI Client    ${DEMO}    alias=demo
    Websocket Connect    /ws    alias=first    client=star
    Websocket Connect    /ws    alias=second
    Send Text    to second
    ${previous}=    Switch Websocket    first
    Should Be Equal    ${previous}    second
    Send Text    to first
    ${text}=    Receive Text
    Should Be Equal    ${text}    to first
    Websocket Should Receive Nothing    100ms
    ${text}=    Receive Text    websocket=second
    Should Be Equal    ${text}    to second
    Send Text    named    websocket=second
    ${text}=    Receive Text    timeout=1s    websocket=second
    Should Be Equal    ${text}    named
    ${previous}=    Switch Websocket    websocket=second
    Should Be Equal    ${previous}    first
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI WebSocket session has the alias 'third'. Open WebSocket sessions: first, second.
    ...    Switch Websocket    third

Close Websocket
    Websocket Connect    /ws    alias=a
    Websocket Connect    /ws    alias=b
    Close Websocket
    Aliases Should Be    ${{ ["star"] }}    ${{ ["a"] }}
    Send Text    a is current again
    ${text}=    Receive Text
    Should Be Equal    ${text}    a is current again
    Close Websocket    code=4000    reason=done    websocket=a
    Aliases Should Be    ${{ ["star"] }}    ${{ [] }}
    Run Keyword And Expect Error
    ...    EQUALS:No ASGI WebSocket session is open: open one with 'Websocket Connect' first.
    ...    Send Text    nobody listens
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI WebSocket session has the alias 'a'. Open WebSocket sessions: none.
    ...    Close Websocket    websocket=a

Closing The Client Closes Its Websockets
    Open ASGI Client    ${DEMO}    alias=demo
    Websocket Connect    /ws    alias=demo-ws
    Websocket Connect    /ws    alias=star-ws    client=star
    Close ASGI Client    demo
    Aliases Should Be    ${{ ["star"] }}    ${{ ["star-ws"] }}
    Send Text    survivor
    ${text}=    Receive Text
    Should Be Equal    ${text}    survivor

Rejected Connection Fails With Code And Reason
    Run Keyword And Expect Error
    ...    The WebSocket connection to *://testserver/ws/reject was rejected with code 1008 and reason 'forbidden'.
    ...    Websocket Connect    /ws/reject
    Aliases Should Be    ${{ ["star"] }}    ${{ [] }}

Denied Connection Fails With The HTTP Response
    Run Keyword And Expect Error
    ...    The WebSocket connection to *://testserver/ws/deny was denied with HTTP 403: go away
    ...    Websocket Connect    /ws/deny
    Aliases Should Be    ${{ ["star"] }}    ${{ [] }}

Refused Connection Messages Name The ws URL
    [Documentation]    The URL in the message is the one connected to: ws://, not http://.
    Run Keyword And Expect Error
    ...    EQUALS:The WebSocket connection to ws://testserver/ws/reject was rejected with code 1008 and reason 'forbidden'.
    ...    Websocket Connect    /ws/reject
    Run Keyword And Expect Error
    ...    EQUALS:The WebSocket connection to ws://testserver/ws/deny was denied with HTTP 403: go away
    ...    Websocket Connect    ws://testserver/ws/deny

Alias In Use Is Refused
    Websocket Connect    /ws    alias=taken
    Run Keyword And Expect Error
    ...    EQUALS:The alias 'taken' is already used by an open ASGI WebSocket session: close it first or choose another alias.
    ...    Websocket Connect    /ws    alias=taken
    Run Keyword And Expect Error
    ...    EQUALS:The alias 'star' is already used by an open ASGI client: close it first or choose another alias.
    ...    Websocket Connect    /ws    alias=star
