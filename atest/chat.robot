*** Settings ***
Documentation     Two clients talk in a chat room - Starlette's (``apps/chat_app.py``:
...               welcomes, presence and typing indicators around every message) and
...               a Channels room on its in-memory layer - without a single WHILE
...               loop: Receive Json Until, Receive Text Until, Receive Message and
...               Drain Websocket wait for what the test looks for and skip the rest.
Resource          resources/common.resource
Resource          resources/ecosystem.resource


*** Variables ***
${CHAT}           apps.chat_app:create_app()


*** Test Cases ***
Alice And Bob Talk
    Open ASGI Client    ${CHAT}
    Websocket Connect    /chat/lobby    params={"name": "alice"}    alias=alice
    ${welcome}=    Receive Json Until    /type    welcome
    Should Be Equal    ${welcome}[members]    ${{ ["alice"] }}
    Websocket Connect    /chat/lobby    params={"name": "bob"}    alias=bob
    ${joined}=    Receive Json Until    /user    bob    websocket=alice
    Should Be Equal    ${joined}[status]    joined
    Send Json    {"type": "typing"}    websocket=bob
    Send Json    {"type": "message", "text": "hi alice"}    websocket=bob
    ${message}=    Receive Json Until    /type    message    websocket=alice    # the typing indicator is skipped
    Should Be Equal    ${message}    ${{ {"type": "message", "from": "bob", "text": "hi alice", "seq": 1} }}
    ${own}=    Receive Json Until    /from    bob    websocket=bob    # skips bob's welcome
    Should Be Equal    ${own}[seq]    ${1}
    Send Json    {"type": "message", "text": "hello bob"}    websocket=alice
    ${reply}=    Receive Json Until    /text    hello bob    websocket=bob
    Should Be Equal    ${reply}[from]    alice
    Receive Json Until    /seq    2    websocket=alice    # the number 2
    Close Websocket    websocket=bob
    ${left}=    Receive Json Until    /status    left    websocket=alice
    Should Be Equal    ${left}[user]    bob
    Websocket Should Receive Nothing    200ms    websocket=alice

Drain The Greetings, Then Talk
    Open ASGI Client    ${CHAT}
    Websocket Connect    /chat/attic    params={"name": "carol"}    alias=carol
    Websocket Connect    /chat/attic    params={"name": "dave"}    alias=dave
    ${greetings}=    Drain Websocket    websocket=carol
    Should Be Equal    ${greetings}    ${{ ['{"type":"welcome","room":"attic","members":["carol"]}', '{"type":"presence","user":"dave","status":"joined"}'] }}
    Drain Websocket    websocket=dave
    Send Json    {"type": "message", "text": "quiet now?"}    websocket=dave
    ${heard}=    Receive Message    websocket=carol
    Should Be Equal    ${{ json.loads($heard) }}    ${{ {"type": "message", "from": "dave", "text": "quiet now?", "seq": 1} }}

Text Chat
    Open ASGI Client    ${CHAT}
    Websocket Connect    /chat-text/cellar    params={"name": "erin"}    alias=erin
    Websocket Connect    /chat-text/cellar    params={"name": "frank"}    alias=frank
    Receive Text Until    * frank joined    websocket=erin
    Send Text    /bytes    websocket=frank
    Send Text    hi erin, 3 of us soon    websocket=frank
    ${bytes}=    Receive Message    websocket=frank
    Should Be Equal    ${bytes}    ${{ b"\x00\x01" }}
    ${line}=    Receive Text Until    regexp:frank: .* \\d+ of us soon    websocket=erin
    Should Be Equal    ${line}    frank: hi erin, 3 of us soon
    Send Text    bye    websocket=erin
    Receive Text Until    erin: b?e    websocket=frank
    Close Websocket    websocket=frank
    ${own}=    Receive Message    websocket=erin
    Should Be Equal    ${own}    erin: bye
    ${left}=    Receive Message    websocket=erin
    Should Be Equal    ${left}    * frank left

Channels Room Without A Loop
    [Documentation]    Channels broadcasts every message to each session in the room,
    ...                the sender's included: each side waits for the other's.
    Open ASGI Client    ${DJANGO}
    Websocket Connect    /ws/room/kitchen    alias=alice
    Websocket Connect    /ws/room/kitchen    alias=bob
    Send Json    {"from": "alice", "text": "tea?"}    websocket=alice
    Send Json    {"from": "bob", "text": "yes please"}    websocket=bob
    ${offer}=    Receive Json Until    /message/from    alice    websocket=bob
    Should Be Equal    ${offer}[message][text]    tea?
    ${answer}=    Receive Json Until    /message/from    bob    websocket=alice    # skips alice's own
    Should Be Equal    ${answer}    ${{ {"room": "kitchen", "message": {"from": "bob", "text": "yes please"}} }}
    ${rest}=    Drain Websocket    websocket=bob
    ${senders}=    Evaluate    [json.loads(item)["message"]["from"] for item in $rest]    modules=json
    Should Be Equal    ${senders}    ${{ ["bob"] }}    # bob's own message, still unread
