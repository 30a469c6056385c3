*** Settings ***
Documentation     What the library writes to the Robot log: every request and
...               response (JSON pretty-printed, long bodies cut), every WebSocket
...               message, what the app logs with Python's ``logging`` - and never
...               a credential. ``resources/LogCapture.py`` listens to the messages
...               logged during each test.
Library           resources/LogCapture.py
Resource          resources/common.resource
Test Setup        Open ASGI Client    ${STARLETTE}


*** Test Cases ***
Request And Response Are Logged
    GET    /hello    params={"name": "Log"}    headers={"X-Trace": "t-1"}
    Log Should Contain    GET http://testserver/hello?name=Log
    Log Should Contain    X-Trace: t-1
    Log Should Contain    200 OK
    Log Should Contain    Hello, Log!

JSON Bodies Are Pretty Printed
    POST    /echo    json={"a": 1, "b": [true]}
    Log Should Contain    {\n${SPACE*2}"a": 1,\n${SPACE*2}"b": [\n${SPACE*4}true\n${SPACE*2}]\n}

Redirects Are Logged Step By Step
    GET    /redirect
    Log Should Contain    307 Temporary Redirect
    Log Should Contain    GET http://testserver/hello

Long Bodies Are Cut
    POST    /anything    data=${{ "x" * 2500 }}    headers={"Content-Type": "text/plain"}
    Log Should Contain    ... (500 more characters not logged)

Credentials Are Masked
    Open ASGI Client    ${STARLETTE}    cookies={"session": "cookie-secret"}
    GET    /cookies/set    params={"token": "set-cookie-secret"}
    GET    /anything    auth=["qa", "password-secret"]    headers={"Proxy-Authorization": "proxy-secret"}
    Log Should Contain    Authorization: *****
    Log Should Contain    Cookie: session=*****
    Log Should Contain    set-cookie: token=*****; Path=/; SameSite=lax
    Log Should Not Contain    password-secret
    Log Should Not Contain    ${{ base64.b64encode(b"qa:password-secret").decode() }}
    Log Should Not Contain    proxy-secret
    Log Should Not Contain    session=cookie-secret
    Log Should Not Contain    token=set-cookie-secret; Path=/

Credentials In A URL Are Masked
    GET    http://qa:url-secret@testserver/hello
    Log Should Contain    GET http://*****@testserver/hello
    Log Should Not Contain    url-secret

The App's Python Logging Reaches The Log
    GET    /log    params={"text": "hello from starlette"}
    Log Should Contain    [apps.starlette] log from the app: hello from starlette

Websocket Messages Are Logged
    Websocket Connect    /ws
    Send Text    ping over ws
    Receive Text
    Send Bytes    \x00\x01
    Receive Bytes
    Log Should Contain    WebSocket sent text:\nping over ws
    Log Should Contain    WebSocket received text:\nping over ws
    Log Should Contain    WebSocket sent bytes:
    Log Should Contain    WebSocket received bytes:
