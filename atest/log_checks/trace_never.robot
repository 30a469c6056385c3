*** Settings ***
Documentation     ``trace=never``: no keyword logs an ASGI trace, not even a failing one
...               or one whose client went away in the middle of its upload, and the
...               clients record none (``TestClient(app, trace=False)``: no cost); the
...               app's traceback is still logged.
...
...               The library is imported here only, with its own arguments: an
...               instance of its own. Run by ``atest/run.py`` with its log checked in
...               ``output.xml``.
Library           RobotASGI    trace=never
Test Tags         log-check


*** Variables ***
${STARLETTE}      apps.starlette_app:app
${CONCURRENCY}    apps.concurrency_app:create_app()


*** Test Cases ***
A Failing Keyword Logs No Trace
    [Documentation]    PASS
    ...    NO LOG: ASGI trace of
    ...    LOG INFO IN GET: The app's traceback
    Open ASGI Client    ${STARLETTE}
    Run Keyword And Expect Error    EQUALS:RuntimeError: starlette route failed    GET    /raise
    Run Keyword And Expect Error    *404 Not Found*    GET    /nope
    ${resp}=    GET    /nope    expected_status=404
    Should Be Equal    ${resp.asgi_trace}    ${None}

A Client That Leaves Logs What Happened Without The Trace
    [Documentation]    PASS
    ...    NO LOG: ASGI trace of
    ...    LOG INFO IN POST: The client went away after sending 10 bytes
    Open ASGI Client    ${CONCURRENCY}
    ${resp}=    POST    /upload/tracked    data=0123456789abcdef    disconnect_after=10
    Should Be Equal    ${resp}    ${None}
