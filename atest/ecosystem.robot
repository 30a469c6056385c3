*** Settings ***
Documentation     The same core checks against Quart, Django (with Channels for
...               WebSockets) and Litestar apps - see `Ecosystem Round Trip` in
...               resources/ecosystem.resource - plus what is particular to each:
...               lifespan hooks, sessions, CSRF, error pages and logs, Channels'
...               groups and origin check, Litestar's validation details.
...               Starlette and FastAPI pass their own core checks in frameworks.robot.
...
...               Backends: Litestar runs on asyncio and on trio, and is tested on
...               both. Quart, Django and Channels are asyncio-only - they call
...               asyncio directly (asyncio queues and tasks; asgiref's
...               ``sync_to_async``), and on trio every request fails with
...               "There is no current event loop" - so they are tested on asyncio.
...
...               Exceptions: Quart and Django turn an exception in a view into a
...               500 page unless told to propagate it (Quart's
...               ``PROPAGATE_EXCEPTIONS``, Django's ``DEBUG_PROPAGATE_EXCEPTIONS``);
...               the apps are built both ways. Litestar always answers 500 itself.
Library           resources/LogCapture.py
Resource          resources/ecosystem.resource
Test Template     Ecosystem Round Trip


*** Test Cases ***          APP              BACKEND    FRAMEWORK
Quart On Asyncio            ${QUART}         asyncio    quart
Django On Asyncio           ${DJANGO}        asyncio    django
Litestar On Asyncio         ${LITESTAR}      asyncio    litestar
Litestar On Trio            ${LITESTAR}      trio       litestar

Quart Startup And Shutdown Hooks Run With The Client
    [Template]    NONE
    Open ASGI Client    ${QUART}
    Lifespan Events Should Be    apps.quart_app    quart startup
    GET    /state
    Response Json Should Be    {"greeting": "Hello", "started": true}
    Close ASGI Client
    Lifespan Events Should Be    apps.quart_app    quart startup    quart shutdown

Quart Session Round Trip
    [Documentation]    Quart's session lives in a signed cookie the client keeps.
    [Template]    NONE
    Open ASGI Client    ${QUART}
    ${resp}=    GET    /session/set    params={"user": "qa"}
    Should Not Be Empty    ${resp.cookies}[session]
    GET    /session
    Response Json Should Be    {"user": "qa"}
    Open ASGI Client    ${QUART}    alias=stranger
    GET    /session
    Response Json Should Be    {"user": null}
    GET    /session    cookies={"session": "forged"}
    Response Json Should Be    {"user": null}

Quart Handled Exception Is A 500 With The Type In The Log
    [Documentation]    By default Quart logs the exception (to the app's logger,
    ...                named after the app: ``apps.quart_app``; in the Robot log)
    ...                and answers its 500 page.
    [Template]    NONE
    Open ASGI Client    ${QUART HANDLED}
    Clear Captured Log
    GET    /raise    expected_status=500
    Response Body Should Contain    Internal Server Error
    Log Should Contain    [apps.quart_app] Exception on request GET /raise
    Log Should Contain    ValueError: quart route failed
    GET    /abort    expected_status=418

Quart WebSocket Exception And Denial
    [Template]    NONE
    Open ASGI Client    ${QUART}
    Websocket Connect    /ws/raise
    Send Text    boom
    Run Keyword And Expect Error    EQUALS:ValueError: quart websocket failed
    ...    Receive Text    timeout=2s
    Run Keyword And Expect Error
    ...    EQUALS:The WebSocket connection to ws://testserver/ws/deny was denied with HTTP 403: go away
    ...    Websocket Connect    /ws/deny

Django Needs No Lifespan
    [Documentation]    Channels' ProtocolTypeRouter raises on the lifespan scope,
    ...                which RobotASGI, like servers, takes as "no lifespan".
    [Template]    NONE
    Open ASGI Client    ${DJANGO}    alias=django
    GET    /hello
    Close ASGI Client
    Nothing Should Be Open

Django Session And CSRF
    [Documentation]    The session lives in a signed cookie (no database); the
    ...                CSRF middleware refuses a form POST without a token, and the
    ...                exempt views take one.
    [Template]    NONE
    Open ASGI Client    ${DJANGO}
    GET    /session/set    params={"user": "qa"}
    GET    /session
    Response Json Should Be    {"user": "qa"}
    ${resp}=    POST    /form/protected    data={"a": "b"}    expected_status=forbidden
    Response Body Should Contain    CSRF
    POST    /upload    data={"a": "b"}    expected_status=201
    Json Value Should Be    fields    {"a": "b"}

Django Error Pages
    [Documentation]    Without DEBUG_PROPAGATE_EXCEPTIONS Django logs the exception
    ...                (logger ``django.request``, in the Robot log) and answers its
    ...                500 page; Http404 gives its 404 page.
    [Template]    NONE
    Open ASGI Client    ${DJANGO HANDLED}
    Clear Captured Log
    ${resp}=    GET    /raise    expected_status=500
    Should Contain    ${resp.text}    <h1>Server Error (500)</h1>
    Log Should Contain    [django.request] Internal Server Error: /raise
    Log Should Contain    ValueError: django view failed
    ${resp}=    GET    /server-error    expected_status=internal server error
    Should Be Equal    ${resp.text}    explicit server error
    ${resp}=    GET    /items/99    expected_status=404
    Should Contain    ${resp.text}    <title>Not Found</title>

Channels Group Broadcast Over The In-Memory Layer
    [Documentation]    Two sessions in one room get every message sent to it;
    ...                a session in another room gets nothing.
    [Template]    NONE
    Open ASGI Client    ${DJANGO}
    Websocket Connect    /ws/room/lobby    alias=alice
    Websocket Connect    /ws/room/lobby    alias=bob
    Websocket Connect    /ws/room/attic    alias=carol
    Send Json    {"from": "bob", "text": "hi all"}    websocket=bob
    FOR    ${who}    IN    alice    bob
        ${msg}=    Receive Json    websocket=${who}
        Should Be Equal    ${msg}    ${{ {"room": "lobby", "message": {"from": "bob", "text": "hi all"}} }}
    END
    Websocket Should Receive Nothing    200ms    websocket=carol
    Close Websocket    websocket=alice
    Send Json    {"from": "carol"}    websocket=carol
    ${msg}=    Receive Json    websocket=carol
    Should Be Equal    ${msg}[room]    attic
    Websocket Should Receive Nothing    200ms    websocket=bob

Channels Origin Check, Unknown Route And Consumer Exception
    [Template]    NONE
    Open ASGI Client    ${DJANGO}
    Websocket Connect    /ws/origin    headers={"Origin": "http://testserver"}
    Send Text    from a friend
    ${text}=    Receive Text
    Should Be Equal    ${text}    from a friend
    Run Keyword And Expect Error
    ...    EQUALS:The WebSocket connection to ws://testserver/ws/origin was rejected with code 1000.
    ...    Websocket Connect    /ws/origin    headers={"Origin": "http://evil.example"}
    Run Keyword And Expect Error    EQUALS:ValueError: No route found for path 'ws/nowhere'.
    ...    Websocket Connect    /ws/nowhere
    Websocket Connect    /ws/raise
    Send Text    boom
    Run Keyword And Expect Error    EQUALS:ValueError: django consumer failed
    ...    Receive Text    timeout=2s

Litestar Lifespan Hooks Run In Order On Both Backends
    [Documentation]    ``on_startup``, a ``lifespan`` context manager and
    ...                ``on_shutdown``; what startup stored reaches the handlers.
    [Template]    NONE
    FOR    ${backend}    IN    asyncio    trio
        Open ASGI Client    ${LITESTAR}    backend=${backend}
        GET    /state
        Response Json Should Be    {"greeting": "Hello", "started": true, "resource": "open"}
        Close ASGI Client
        Lifespan Events Should Be    apps.litestar_app
        ...    litestar lifespan enter    litestar startup    litestar lifespan exit    litestar shutdown
    END

Litestar Validation Error Details
    [Template]    NONE
    Open ASGI Client    ${LITESTAR}
    POST    /items    json={"name": "widget", "price": -1}    expected_status=400
    ${detail}=    Get Json Value    detail
    Should Match Regexp    ${detail}    ^Validation failed for POST (http://testserver)?/items$
    Json Value Should Be    extra.0.key    price
    Json Value Should Be    extra.0.source    body
    POST    /items    json={"name": "widget", "price": "cheap"}    expected_status=bad request
    Json Value Should Be    extra.0.key    price
    POST    /items    data=not json    headers={"Content-Type": "application/json"}    expected_status=400
    GET    /items/7    expected_status=404
    Response Json Should Be    {"status_code": 404, "detail": "Item not found"}

Litestar Exceptions In Debug Mode And Over WebSockets
    [Documentation]    In debug mode Litestar logs an exception (logger ``litestar``,
    ...                in the Robot log) and puts its traceback in the 500 response;
    ...                an exception in a WebSocket handler closes the connection
    ...                with 4500 (the reason is ``Internal Server Error`` in Litestar
    ...                2.25, the exception's repr in 2.6).
    [Template]    NONE
    Open ASGI Client    ${LITESTAR DEBUG}    backend=trio
    Clear Captured Log
    ${resp}=    GET    /raise    expected_status=500
    Should End With    ${resp.text.strip()}    ValueError: litestar route failed
    Log Should Contain    [litestar]${SPACE}
    Log Should Contain    ValueError: litestar route failed
    Open ASGI Client    ${LITESTAR}    alias=not-debug
    Websocket Connect    /ws/raise
    Send Text    boom
    Websocket Should Be Closed    code=4500

An App Refusing A WebSocket Is Told The Connection Is Gone
    [Documentation]    BUG: when an app closes a WebSocket before accepting it, the
    ...                engine waits up to 1 s for the app to return but never sends it
    ...                ``websocket.disconnect``, and then cancels it. A server answers
    ...                the app's next ``receive()`` with ``websocket.disconnect``
    ...                (uvicorn: code 1006). Channels' consumers go back to
    ...                ``receive()`` after ``close()``: each refused connection costs
    ...                a second and ``disconnect()`` (where consumers clean up, e.g.
    ...                leave their groups) never runs.
    [Template]    NONE
    Open ASGI Client    ${DJANGO}
    Evaluate    apps.django_app.consumers.REFUSED_DISCONNECTS.clear()
    Run Keyword And Expect Error    *was rejected with code 1008 and reason 'forbidden'.
    ...    Websocket Connect    /ws/reject
    Length Should Be    ${{ apps.django_app.consumers.REFUSED_DISCONNECTS }}    1

App Logging Still Reaches The Log After An App Reconfigured Logging
    [Documentation]    BUG: RobotASGI collects what apps log with a handler it adds to
    ...                the root logger once, when the library is imported. An app that
    ...                configures logging at startup - Litestar with its default
    ...                ``LoggingConfig`` runs ``logging.config.dictConfig``, which
    ...                replaces the root logger's handlers - removes it, and from then
    ...                on nothing any app logs reaches the Robot log, for the rest of
    ...                the run. (The setup and teardown put the root logger back.)
    [Template]    NONE
    [Setup]    Save Root Logger
    Open ASGI Client    apps.litestar_app:create_app(default_logging=True)    alias=reconfigures
    Close ASGI Client
    Open ASGI Client    ${QUART HANDLED}
    Clear Captured Log
    GET    /raise    expected_status=500
    Log Should Contain    [apps.quart_app] Exception on request GET /raise
    [Teardown]    Restore Root Logger


*** Keywords ***
Save Root Logger
    ${root}=    Evaluate    logging.getLogger()
    Set Test Variable    ${SAVED ROOT}    ${{ ($root.handlers[:], $root.level) }}

Restore Root Logger
    ${root}=    Evaluate    logging.getLogger()
    Evaluate    $root.handlers.__setitem__(slice(None), $SAVED_ROOT[0])
    Evaluate    $root.setLevel($SAVED_ROOT[1])
