*** Settings ***
Documentation     The suite ``coverage.robot`` runs under ``coverage run`` in a process of
...               its own, once per backend (``--variable BACKEND:trio``): requests that
...               make ``apps/coverage_app.py`` run the lines marked ``# coverage: request``
...               on the client's event loop thread, and on a started request's. Tagged
...               ``subprocess``: the main runs of ``atest/run.py`` leave it out.
Library           RobotASGI
Test Tags         subprocess


*** Variables ***
${BACKEND}        asyncio


*** Test Cases ***
Requests Run The App's Lines
    Open ASGI Client    apps.coverage_app:app    backend=${BACKEND}
    GET    /reached    expected_status=200
    ${handle}=    Start Request    POST    /started    json={"items": [1, 2, 3]}
    ${resp}=    Wait For Response    ${handle}
    Should Be Equal    ${resp.json()}[started]    ${3}
    Websocket Connect    /ws
    Send Text    covered
    ${text}=    Receive Text
    Should Be Equal    ${text}    covered
