*** Settings ***
Documentation     FastAPI: the shop of fastapi_example.py, checked against its own
...               OpenAPI document on every exchange.
...
...               Needs FastAPI and the openapi extra:
...               python -m pip install fastapi "robotframework-robotasgi[openapi]"
...               Run from the root of a checkout:
...               python -m robot --pythonpath examples --outputdir results examples/fastapi.robot
Library           RobotASGI    timeout=5s
Suite Setup       Open ASGI Client    fastapi_example:app    openapi=auto


*** Test Cases ***
Create And Read An Item
    ${resp}=    POST    /items    json={"name": "widget", "price": 3.5}    expected_status=201
    Json Value Should Be    /name    widget
    GET    /items/${resp.json()}[id]
    Json Value Should Be    /price    3.5
    GET    /items
    Json Value Should Be    /0/name    widget

Invalid Items Get FastAPI's Details
    POST    /items    json={"name": "widget", "price": -1}    expected_status=422
    Json Value Should Be    /detail/0/loc    ["body", "price"]
    GET    /items/999    expected_status=404
    Response Json Should Be    {"detail": "Item not found"}

A Declined Payment Is A 402
    [Documentation]    The override is undone when the test ends.
    Override Dependency    fastapi_example:get_gateway    shop_fakes:declining_gateway
    ${item}=    POST    /items    json={"name": "lamp", "price": 20}    expected_status=201
    POST    /orders    json={"item_id": ${item.json()}[id]}    expected_status=402
    Response Json Should Be    {"detail": "Payment declined"}

Discounts Are A Feature Flag
    Set App Attribute    fastapi_example:settings.discounts    True
    ${item}=    POST    /items    json={"name": "desk", "price": 100}    expected_status=201
    POST    /orders    json={"item_id": ${item.json()}[id]}    expected_status=201
    Json Value Should Be    /charged    90.0

Orders Are Announced On A WebSocket
    Websocket Connect    /ws/orders
    ${item}=    POST    /items    json={"name": "pen", "price": 2}    expected_status=201
    POST    /orders    json={"item_id": ${item.json()}[id]}    expected_status=201
    ${order}=    Receive Json    timeout=2s
    Should Be Equal    ${order}[charged]    ${2.0}
    Websocket Should Receive Nothing    100ms

Every Operation Was Exercised
    Log OpenAPI Coverage
    ${coverage}=    Get OpenAPI Coverage
    FOR    ${operation}    ${statuses}    IN    &{coverage}
        Should Not Be Empty    ${statuses}    ${operation} was never exercised
    END
