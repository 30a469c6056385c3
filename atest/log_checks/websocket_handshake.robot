*** Settings ***
Documentation     The WebSocket handshake is logged like an HTTP exchange: the URL and
...               the request headers the app got (cookies and credentials masked),
...               then its answer - the accepted subprotocol and the app's headers, the
...               close code and reason of a refusal, or the HTTP response of a denial.
Resource          ../resources/common.resource
Test Tags         log-check


*** Variables ***
${CHAT}           apps.chat_app:create_app()


*** Test Cases ***
An Accepted Handshake
    [Documentation]    PASS
    ...    LOG INFO IN Websocket Connect: WebSocket session 'chat' connected:
    ...    LOG INFO IN Websocket Connect: GET ws://testserver/chat/headers?room=1
    ...    LOG INFO IN Websocket Connect: sec-websocket-protocol: chat.v2, chat.v1
    ...    LOG INFO IN Websocket Connect: cookie: session=*****
    ...    LOG INFO IN Websocket Connect: authorization: *****
    ...    LOG INFO IN Websocket Connect: 101 Switching Protocols (accepted), subprotocol 'chat.v2'
    ...    LOG INFO IN Websocket Connect: x-chat-server: robotasgi-chat
    ...    LOG INFO IN Websocket Connect: set-cookie: seat=*****; Path=/
    ...    NO LOG: s3ssion-cookie-value
    ...    NO LOG: Bearer-token-4d9a7c
    Open ASGI Client    ${CHAT}
    Websocket Connect    /chat/headers    alias=chat    params={"room": "1"}    subprotocols=["chat.v2", "chat.v1"]
    ...    cookies={"session": "s3ssion-cookie-value"}    headers={"Authorization": "Bearer-token-4d9a7c"}

A Refused Handshake
    [Documentation]    PASS
    ...    LOG INFO IN Websocket Connect: WebSocket handshake failed:
    ...    LOG INFO IN Websocket Connect: GET ws://testserver/ws/reject
    ...    LOG INFO IN Websocket Connect: Refused: the app closed the connection with code 1008 and reason 'forbidden' before accepting it.
    Open ASGI Client    ${STARLETTE}
    Run Keyword And Expect Error    *code 1008*    Websocket Connect    /ws/reject

A Denied Handshake
    [Documentation]    PASS
    ...    LOG INFO IN Websocket Connect: GET ws://testserver/ws/deny
    ...    LOG INFO IN Websocket Connect: Denied with an HTTP response:
    ...    LOG INFO IN Websocket Connect: 403 Forbidden
    ...    LOG INFO IN Websocket Connect: go away
    Open ASGI Client    ${STARLETTE}
    Run Keyword And Expect Error    *denied with HTTP 403*    Websocket Connect    /ws/deny
