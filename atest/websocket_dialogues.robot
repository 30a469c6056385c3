*** Settings ***
Documentation     The WebSocket dialogue keywords - Receive Json Until, Receive Text
...               Until, Receive Message, Drain Websocket - and every failure they
...               give; Receive Json on what is not JSON; an app's own exception,
...               JSONDecodeError included, never taken for the client's.
Library           resources/LogCapture.py
Resource          resources/ecosystem.resource


*** Variables ***
${CHAT}           apps.chat_app:create_app()


*** Test Cases ***
Receive Json Until Compares As Json Value Should Be
    Open ASGI Client    ${CHAT}
    Websocket Connect    /chat/numbers    params={"name": "nina"}
    Send Json    {"type": "burst", "count": 3}
    ${tick}=    Receive Json Until    /n    2    # the number 2
    Should Be Equal    ${tick}    ${{ {"type": "tick", "n": 2} }}
    Send Json    {"type": "burst", "count": 3}
    ${tick}=    Receive Json Until    n    ${3}    # a dotted path, a Robot number
    Should Be Equal    ${tick}[n]    ${3}
    Send Json    {"type": "message", "text": "true"}
    ${message}=    Receive Json Until    /text    "true"    # the string, not the boolean
    Should Be Equal    ${message}[text]    true

Receive Json Until Fails With What Arrived
    Open ASGI Client    ${CHAT}
    Websocket Connect    /chat/fails    params={"name": "olga"}    alias=olga
    Send Json    {"type": "burst", "count": 2}
    Send Text    not json at all
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'olga': no JSON message with "3" at /n arrived within 0.3 s. What arrived (4): 1) {"type": "welcome", "room": "fails", "members": ["olga"]}; 2) {"type": "tick", "n": 1}; 3) {"type": "tick", "n": 2}; 4) {"type": "error", "detail": "unknown message", "got": "not json at all"}
    ...    Receive Json Until    /n    "3"    timeout=300ms
    Send Json    {"type": "leave"}
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'olga': the app closed the connection with code 1000 and reason 'bye' - before a JSON message with "message" at /type arrived. Nothing else arrived.
    ...    Receive Json Until    /type    message
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'olga': The WebSocket connection was closed with code 1000: bye - before a JSON message with "message" at /type arrived. Nothing else arrived.
    ...    Receive Json Until    /type    message

Receive Json Until Skips What Is Not JSON And What Has No Value There
    Open ASGI Client    ${STARLETTE}
    Websocket Connect    /ws    alias=echo
    Send Text    plain text
    Send Bytes    \xff\x00
    Send Json    {"other": 1}
    Send Json    {"n": 1}    mode=binary
    ${found}=    Receive Json Until    /n    1
    Should Be Equal    ${found}    ${{ {"n": 1} }}
    Run Keyword And Expect Error
    ...    EQUALS:Invalid JSON Pointer '/a~2b': in 'a~2b', '~' must be followed by 0 (for '~') or 1 (for '/') (RFC 6901).
    ...    Receive Json Until    /a~2b    1

Receive Text Until With Globs And Regular Expressions
    Open ASGI Client    ${STARLETTE}
    Websocket Connect    /ws    alias=echo
    Send Text    first
    Send Bytes    \x01
    Send Text    Second line
    Send Text    second: 42
    ${text}=    Receive Text Until    s*    # case sensitive: not "Second line"
    Should Be Equal    ${text}    second: 42
    Send Text    fourth: 7
    Send Text    fifth: 77
    ${text}=    Receive Text Until    regexp:\\w+: \\d{2}
    Should Be Equal    ${text}    fifth: 77
    Send Text    sixth [x]
    ${text}=    Receive Text Until    glob:sixth [[]x]
    Should Be Equal    ${text}    sixth [x]
    Send Text    seventh
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'echo': no text message matching 'eighth*' arrived within 0.2 s. What arrived (1): 1) 'seventh'
    ...    Receive Text Until    eighth*    timeout=200ms
    Send Bytes    \x00
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'echo': no text message matching 'x' arrived within 0.2 s. What arrived (1): 1) b'\\x00'
    ...    Receive Text Until    x    timeout=200ms
    Run Keyword And Expect Error
    ...    EQUALS:Invalid pattern 'regexp:(': '(' is not a valid regular expression (missing ), unterminated subpattern at position 0).
    ...    Receive Text Until    regexp:(

Receive Message Returns Text Or Bytes
    Open ASGI Client    ${STARLETTE}
    Websocket Connect    /ws    alias=echo
    Send Text    words
    Send Bytes    \x00\xff
    ${text}=    Receive Message
    Should Be Equal    ${text}    words
    ${data}=    Receive Message
    Should Be Equal    ${data}    ${{ b"\x00\xff" }}
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'echo': Nothing arrived from the application within 0.1 s.
    ...    Receive Message    timeout=100ms
    Send Text    close
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'echo': the app closed the connection with code 1000 and reason 'bye'
    ...    Receive Message
    Websocket Should Be Closed    code=1000

Drain Websocket
    Open ASGI Client    ${CHAT}
    Websocket Connect    /chat/drain    params={"name": "pia"}    alias=pia
    Send Json    {"type": "burst", "count": 5}
    ${drained}=    Drain Websocket    quiet=200ms
    Length Should Be    ${drained}    6    # the welcome and five ticks
    ${drained}=    Drain Websocket
    Should Be Empty    ${drained}
    Websocket Connect    /chat/ticker    alias=ticker
    Run Keyword And Expect Error
    ...    REGEXP:WebSocket 'ticker' did not go quiet for 0\\.1 s within 0\\.3 s\\. What arrived \\(\\d+\\): 1\\) \\{"type": "tick", "n": 1\\}; .*
    ...    Drain Websocket    quiet=100ms    timeout=300ms
    Run Keyword And Expect Error
    ...    EQUALS:Drain Websocket needs a quiet time, such as 100ms; got None.
    ...    Drain Websocket    quiet=NONE    websocket=pia
    Send Json    {"type": "burst", "count": 2}    websocket=pia
    Send Json    {"type": "leave"}    websocket=pia
    ${drained}=    Drain Websocket    websocket=pia
    Length Should Be    ${drained}    2    # the ticks; the close ends the drain
    Websocket Should Be Closed    code=1000    reason=bye    websocket=pia

Receive Json Fails On What Is Not JSON With What Arrived
    Open ASGI Client    ${STARLETTE}
    Websocket Connect    /ws    alias=echo
    Send Text    hello, not JSON
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'echo': expected JSON, but the text message that arrived is not JSON (Expecting value: line 1 column 1 (char 0)): hello, not JSON
    ...    Receive Json
    Send Bytes    \xff\xfe
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'echo': the binary message is not UTF-8 encoded JSON (byte 0xff at position 0): b'\\xff\\xfe'
    ...    Receive Json    mode=binary
    ${long}=    Evaluate    "x" * 3000
    ${logged}=    Evaluate    "x" * 2000
    Send Text    ${long}
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'echo': expected JSON, but the text message that arrived is not JSON (Expecting value: line 1 column 1 (char 0)): ${logged}... (1000 more characters not logged)
    ...    Receive Json

The App's JSONDecodeError Is The App's, Not The Client's
    [Documentation]    A Channels ``AsyncJsonWebsocketConsumer`` parses every text it
    ...                receives with ``json.loads``: given text that is not JSON, the
    ...                app crashes with ``JSONDecodeError``. The keyword that notices
    ...                fails with that exception - never with "the message is not
    ...                valid JSON", which would blame the client - and logs its
    ...                traceback with the app's frames only, Channels' router first.
    Open ASGI Client    ${DJANGO}
    Websocket Connect    /ws/json    alias=consumer
    Send Text    not json
    Run Keyword And Expect Error    EQUALS:JSONDecodeError: Expecting value: line 1 column 1 (char 0)    Receive Text
    App Traceback Should Start In    /channels/routing.py
    ...    json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
    Websocket Connect    /ws/json    alias=consumer-2
    Send Text    {"broken": }
    Run Keyword And Expect Error    EQUALS:JSONDecodeError: Expecting value: line 1 column 12 (char 11)    Receive Json

The Dialogue Keywords Fail With The App's Exception
    Open ASGI Client    ${DJANGO}
    Websocket Connect    /ws/raise
    Send Text    boom
    Run Keyword And Expect Error    EQUALS:ValueError: django consumer failed    Receive Json Until    /type    any
    Websocket Connect    /ws/raise
    Send Text    boom
    Run Keyword And Expect Error    EQUALS:ValueError: django consumer failed    Drain Websocket
    Websocket Connect    /ws/raise
    Send Text    boom
    Run Keyword And Expect Error    EQUALS:ValueError: django consumer failed    Receive Message

Every Receiving Keyword Fails With The App's Exception, Its Type Named
    [Documentation]    ``RuntimeError`` is a name Robot leaves out of messages: the
    ...                keyword that notices the crash still names it.
    Open ASGI Client    ${CHAT}
    FOR    ${keyword}    IN    Receive Message    Drain Websocket    Websocket Should Be Closed
    ...    Websocket Should Receive Nothing    Receive Text Until    Receive Json Until
        Websocket Connect    /chat/crashes    params={"name": "quinn"}
        Drain Websocket
        Send Json    {"type": "crash"}
        ${arguments}=    Evaluate    {"Receive Text Until": ["*"], "Receive Json Until": ["/type", "x"]}.get($keyword, [])
        Run Keyword And Expect Error    EQUALS:RuntimeError: chat room crashed    ${keyword}    @{arguments}
    END
