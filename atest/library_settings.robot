*** Settings ***
Documentation     The library's import arguments: ``timeout`` (the default of every
...               client), ``log_body_limit``, ``mask_headers`` and ``mask_fields``,
...               and invalid ones.
...
...               Imported here only, with its own arguments, this is a library
...               instance of its own (GLOBAL scope: one per set of arguments), so
...               the first test sees it before any request was sent.
Library           resources/LogCapture.py
Library           RobotASGI    timeout=200ms    log_body_limit=10    mask_headers=X-Api-Key, X-Other
...               mask_fields=pin, Session-Key
Variables         resources/app_variables.py


*** Variables ***
${STARLETTE}      apps.starlette_app:app
${FAULTY}         testapps.faults


*** Test Cases ***
Assertions Fail Before Any Request
    Run Keyword And Expect Error
    ...    EQUALS:No response yet: send a request first or pass response=\${resp}.
    ...    Status Should Be    200
    Run Keyword And Expect Error    No response yet: *
    ...    Response Body Should Contain    x

Library Timeout Is The Default Of Its Clients
    Open ASGI Client    ${FAULTY}:never_answer
    Run Keyword And Expect Error    *did not answer GET http://testserver/ within 0.2 s*
    ...    GET    /
    Open ASGI Client    ${FAULTY}:ws_never_answer
    Websocket Connect    /ws
    Run Keyword And Expect Error    *Nothing arrived from the application within 0.2 s.
    ...    Receive Text

A Client Or Keyword Timeout Overrides It
    Open ASGI Client    ${STARLETTE}    timeout=2s
    ${resp}=    GET    /slow    params={"seconds": "0.4"}
    Should Be Equal    ${resp.text}    slept
    Open ASGI Client    ${STARLETTE}
    ${resp}=    GET    /slow    params={"seconds": "0.4"}    timeout=2s
    Should Be Equal    ${resp.text}    slept

Log Body Limit
    Open ASGI Client    ${STARLETTE}
    POST    /echo    json=["0123456789abcdef"]
    Log Should Contain    [\n${SPACE*2}"01234... (14 more characters not logged)

Mask Headers
    Open ASGI Client    ${STARLETTE}
    GET    /anything    headers={"X-Api-Key": "api-key-secret", "X-Other": "other-secret"}
    ...    auth=["qa", "visible"]
    Log Should Contain    X-Api-Key: *****
    Log Should Contain    X-Other: *****
    Log Should Not Contain    api-key-secret
    Log Should Not Contain    other-secret
    Log Should Contain    Authorization: Basic

Mask Fields
    [Documentation]    The fields given replace the defaults (``password`` is not one of
    ...                them here); names match whatever their case and separators.
    Open ASGI Client    ${STARLETTE}
    GET    /anything    params={"pin": "1234", "session_key": "sk", "password": "visible"}
    Log Should Contain    GET http://testserver/anything?pin=*****&session_key=*****&password=visible

Invalid Library Arguments
    Importing With Invalid Arguments Fails


*** Keywords ***
Importing With Invalid Arguments Fails
    [Documentation]    Not run by ``robot --dryrun``, which runs ``Import Library``.
    [Tags]    robot:no-dry-run
    Run Keyword And Expect Error    *Invalid log_body_limit -1: use 0 (no limit) or a positive number.*
    ...    Import Library    RobotASGI    log_body_limit=-1
    Run Keyword And Expect Error    *auto_close*NEVER*
    ...    Import Library    RobotASGI    auto_close=NEVER
    Run Keyword And Expect Error    *timeout*never*
    ...    Import Library    RobotASGI    timeout=never
