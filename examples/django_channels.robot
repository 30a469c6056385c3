*** Settings ***
Documentation     Django with Channels: the project in django_example/, imported as
...               a server imports it. Django and Channels run on asyncio.
...
...               Needs Django and Channels: python -m pip install django channels
...               Run from the root of a checkout:
...               python -m robot --pythonpath examples --outputdir results examples/django_channels.robot
Library           RobotASGI    timeout=5s
Test Setup        Open ASGI Client    django_example.asgi:application


*** Variables ***
&{ORIGIN}         Origin=http://testserver


*** Test Cases ***
A View
    GET    /hello    params={"name": "Django"}
    Json Value Should Be    /message    Hello, Django!

A Form Needs Its CSRF Token
    POST    /feedback    data={"text": "great"}    expected_status=403
    GET    /feedback
    ${token}=    Get Cookie    csrftoken
    POST    /feedback    data={"text": "great"}    headers={"X-CSRFToken": "${token.value}"}    expected_status=201
    Json Value Should Be    /thanks    great

A Crashing View Fails The Keyword
    Run Keyword And Expect Error    ValueError: the view crashed    GET    /crash

Or Gives Django's Error Page
    Set App Attribute    django.conf:settings.DEBUG_PROPAGATE_EXCEPTIONS    False
    GET    /crash    expected_status=500
    Response Body Should Contain    Server Error (500)

A Host Django Does Not Allow
    Open ASGI Client    django_example.asgi:application    base_url=http://api.example.org
    GET    /hello    expected_status=400

Two Members Of A Room
    Websocket Connect    /ws/rooms/lobby    headers=${ORIGIN}    alias=alice
    Websocket Connect    /ws/rooms/lobby    headers=${ORIGIN}    alias=bob
    Send Json    {"text": "hi"}    websocket=alice
    ${got}=    Receive Json    websocket=bob
    Should Be Equal    ${got}[message][text]    hi
    ${echo}=    Receive Json    websocket=alice
    Should Be Equal    ${echo}[room]    lobby

A WebSocket Without An Allowed Origin Is Refused
    Run Keyword And Expect Error    *was rejected with code 1000*    Websocket Connect    /ws/rooms/lobby
