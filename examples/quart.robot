*** Settings ***
Documentation     Quart: the notes app of quart_example.py. Quart runs on asyncio.
...
...               Needs Quart: python -m pip install quart
...               Run from the root of a checkout:
...               python -m robot --pythonpath examples --outputdir results examples/quart.robot
Library           RobotASGI    timeout=5s
Test Setup        Open ASGI Client    quart_example:create_app()


*** Test Cases ***
Notes Need A Login
    GET    /notes    expected_status=401
    POST    /login    data={"user": "alice"}
    POST    /notes    json={"text": "buy milk"}    expected_status=201
    GET    /notes
    Response Json Should Be    ["buy milk"]

The Session Lives In A Cookie
    POST    /login    data={"user": "bob"}
    Response Should Have Header    Set-Cookie
    Delete All Cookies
    GET    /notes    expected_status=401

A Crash Fails The Keyword With The App's Exception
    Run Keyword And Expect Error    ValueError: notes are corrupt    GET    /crash

Quart's Own 500 Page
    Open ASGI Client    quart_example:create_app(propagate_exceptions=False)
    GET    /crash    expected_status=500

Shouting Over A WebSocket
    Websocket Connect    /ws/shout
    Send Text    hello
    ${text}=    Receive Text
    Should Be Equal    ${text}    HELLO

Shutdown Runs When The Client Closes
    ${before}=    Get Length    ${{ quart_example.STOPPED }}
    Close ASGI Client
    Length Should Be    ${{ quart_example.STOPPED }}    ${before + 1}
