*** Settings ***
Documentation     What the log masks, and what it never rewrites: credentials are
...               masked by place (masked headers, cookie values, the ``auth``
...               password, ``mask_fields`` in bodies and query strings, their shapes
...               in Robot's argument dumps) and, the distinctive ones, by value
...               wherever they appear afterwards (a token the app returned, a
...               password given); ``null``, ``true`` or a short password never are.
...
...               Run by ``atest/run.py`` with its log checked in ``output.xml``
...               (see ``app_logging.robot``). Runs at log level DEBUG; the TRACE
...               dumps of keyword arguments are checked in ``secrets.robot``.
Resource          ../resources/common.resource
Test Tags         log-check


*** Variables ***
${LITESTAR SESSIONS}    apps.litestar_app:create_session_app()


*** Test Cases ***
A Litestar Session Cookie Of null Never Masks JSON null
    [Documentation]    PASS
    ...    LOG INFO IN POST: set-cookie: session=*****; expires=
    ...    LOG INFO IN POST: Cookie: session=*****
    ...    LOG INFO IN POST: "a": null
    ...    LOG INFO IN GET: "user": null
    ...    LOG INFO IN Log: null stays null
    ...    NO LOG: "a": *****
    ...    NO LOG: "user": *****
    Open ASGI Client    ${LITESTAR SESSIONS}
    POST    /login
    POST    /logout
    ${cookie}=    Get Cookie    session
    Should Be Equal    ${cookie.value}    null
    POST    /echo    json={"a": null, "b": [null, true]}
    Response Json Should Be    {"a": null, "b": [null, true]}
    GET    /me
    Log    null stays null

An App Cookie Of true Never Changes A Failure Message
    [Documentation]    FAIL true != false
    ...    LOG INFO IN GET: set-cookie: consent=*****; Path=/; SameSite=lax
    ...    LOG INFO IN GET: "consent": "true"
    ...    LOG INFO IN Log: consent is true
    ...    LOG FAIL IN Should Be Equal: true != false
    Open ASGI Client    ${STARLETTE}
    GET    /cookies/set    params={"consent": "true"}
    GET    /cookies
    Log    consent is true
    Should Be Equal    true    false

A Token The App Returns Is Masked Wherever It Appears Afterwards
    [Documentation]    PASS
    ...    LOG INFO IN POST: password=*****
    ...    LOG INFO IN POST: "access_token": "*****"
    ...    LOG INFO IN POST: "refresh_token": "*****"
    ...    LOG INFO IN GET: Authorization: *****
    ...    LOG INFO IN Update ASGI Client: header Authorization: *****
    ...    LOG INFO IN Log: the token is *****
    ...    LOG FAIL IN Should Be Equal: ***** != at-qa-wrong
    ...    LOG INFO IN GET: "username": "qa"
    ...    NO LOG: at-qa-4
    ...    NO LOG: rt-qa-
    ...    NO LOG: password=pw
    Open ASGI Client    ${FASTAPI}
    ${resp}=    POST    /token    data={"username": "qa", "password": "pw"}
    ${token}=    Set Variable    ${resp.json()}[access_token]
    Should Start With    ${token}    at-qa-
    Update ASGI Client    headers={"Authorization": "Bearer ${token}"}
    GET    /users/me
    Json Value Should Be    /username    qa
    Log    the token is ${token}
    Run Keyword And Expect Error    *    Should Be Equal    ${token}    at-qa-wrong

Mask Fields In Request And Response Bodies And Query Strings
    [Documentation]    PASS
    ...    LOG INFO IN POST: POST http://testserver/echo?api_key=*****&page=2
    ...    LOG INFO IN POST: "password": "*****"
    ...    LOG INFO IN POST: "clientSecret": "*****"
    ...    LOG INFO IN POST: "apiKey": "*****"
    ...    LOG INFO IN POST: "pin": 1234
    ...    LOG INFO IN POST: "user": "qa"
    ...    LOG INFO IN POST: "token": null
    ...    LOG INFO IN POST: user=qa&password=*****
    ...    LOG INFO IN POST: "password": "*****"
    ...    NO LOG: hunter2
    ...    NO LOG: cs-value
    ...    NO LOG: key-in-query
    ...    NO LOG: form-pass-1
    Open ASGI Client    ${FASTAPI}
    POST    /echo    params={"api_key": "key-in-query", "page": "2"}
    ...    json={"user": "qa", "password": "hunter2", "clientSecret": "cs-value", "nested": {"apiKey": "k"}, "pin": 1234, "token": null}
    Open ASGI Client    ${STARLETTE}
    POST    /anything    data={"user": "qa", "password": "form-pass-1"}

A Short Password Is Masked Where It Stands And Nowhere Else
    [Documentation]    PASS
    ...    LOG INFO IN GET: Authorization: *****
    ...    LOG INFO IN Log: pw1 is short, admin is common
    Open ASGI Client    ${STARLETTE}
    GET    /anything    auth=["admin", "pw1"]
    Log    pw1 is short, admin is common

Several Set-Cookie Headers Stay Separate
    [Documentation]    PASS
    ...    LOG INFO IN GET: set-cookie: flavour=*****; Path=/; SameSite=lax
    ...    LOG INFO IN GET: set-cookie: size=*****; Path=/; SameSite=lax
    ...    NO LOG: set-cookie: size=large
    ...    NO LOG: set-cookie: flavour=oat
    Open ASGI Client    ${STARLETTE}
    GET    /cookies/set    params={"flavour": "oat", "size": "large"}

Statuses In The Log Are Named The Same On Every Python
    [Documentation]    PASS
    ...    LOG INFO IN POST: 422 Unprocessable Content
    Open ASGI Client    ${FASTAPI}
    POST    /items    json={"name": "x"}    expected_status=422

WebSocket JSON Messages Mask Fields And Remember Tokens
    [Documentation]    PASS
    ...    LOG INFO IN Send Json: "token": "*****"
    ...    LOG INFO IN Receive Json: "token": "*****"
    ...    LOG INFO IN Log: echoed *****
    ...    NO LOG: ws-tok-5d1e
    Open ASGI Client    ${STARLETTE}
    Websocket Connect    /ws
    Send Json    {"op": "login", "token": "ws-tok-5d1e9a"}
    ${msg}=    Receive Json
    Log    echoed ${msg}[token]
