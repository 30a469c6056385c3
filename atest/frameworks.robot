*** Settings ***
Documentation     The same core checks against every kind of app, on both backends:
...               the demo app (plain ASGI 3), an ASGI 2 class app, Starlette and
...               FastAPI, each on asyncio and on trio. See `HTTP And WebSocket
...               Round Trip` in resources/common.resource for what is checked.
Resource          resources/common.resource
Test Template     HTTP And WebSocket Round Trip


*** Test Cases ***          APP             BACKEND
Demo App On Asyncio         ${DEMO}         asyncio
Demo App On Trio            ${DEMO}         trio
ASGI 2 App On Asyncio       ${ASGI2}        asyncio
ASGI 2 App On Trio          ${ASGI2}        trio
Starlette On Asyncio        ${STARLETTE}    asyncio
Starlette On Trio           ${STARLETTE}    trio
FastAPI On Asyncio          ${FASTAPI}      asyncio
FastAPI On Trio             ${FASTAPI}      trio

FastAPI Validation Error Is A 422
    [Template]    NONE
    Open ASGI Client    ${FASTAPI}
    ${resp}=    POST    /items    json={"name": "widget", "price": -1}    expected_status=422
    Should Be Equal    ${resp.json()}[detail][0][loc]    ${{ ["body", "price"] }}
    Should Be Equal    ${resp.json()}[detail][0][type]    greater_than
    Run Keyword And Expect Error
    ...    POST http://testserver/items returned status 422 Unprocessable *, expected a status below 400. Response body: {"detail":*"type":"missing","loc":*"body","price"*
    ...    POST    /items    json={"name": "no price"}
    ${resp}=    POST    /items    json={"name": "widget", "price": 9.5}    expected_status=201
    Response Json Should Be    {"id": 1, "name": "widget", "price": 9.5}
    GET    /items/1
    Json Value Should Be    name    widget
    ${resp}=    GET    /items/2    expected_status=404
    Should Be Equal    ${resp.json()}[detail]    Item not found

Starlette Lifespan State Reaches Requests On Both Backends
    [Template]    NONE
    FOR    ${backend}    IN    asyncio    trio
        Open ASGI Client    ${STARLETTE}    backend=${backend}    alias=${backend}
        ${resp}=    GET    /state
        Should Be Equal    ${resp.json()}    ${{ {"greeting": "Hello", "started": True} }}
        Backend Should Be    ${backend}
    END
