*** Settings ***
Documentation     What the user reads when something goes wrong: each failure's
...               message, checked exactly (``EQUALS:``) or by a pattern where a
...               part varies (a sys.path, a parser's detail).
...
...               Waits are short (``timeout=300ms``) so the suite stays fast. A
...               Robot ``[Timeout]`` interrupting a keyword makes its test FAIL,
...               which ``Run Keyword And Expect Error`` cannot catch: that case
...               lives in ``expected_failures/timeouts.robot``, which
...               ``atest/run.py`` runs separately and checks for the expected
...               FAIL statuses and messages.
Resource          resources/common.resource
Variables         resources/app_variables.py


*** Test Cases ***
404 Names Method URL Statuses And Body
    Open ASGI Client    ${DEMO}
    Run Keyword And Expect Error
    ...    EQUALS:GET http://testserver/missing?x=1 returned status 404 Not Found, expected a status below 400. Response body: {"error": "not found", "path": "/missing"}
    ...    GET    /missing    params={"x": "1"}
    Run Keyword And Expect Error
    ...    EQUALS:POST http://testserver/hello returned status 405 Method Not Allowed, expected a status below 400. Response body: {"error": "method not allowed", "method": "POST", "allowed": ["GET", "HEAD"]}
    ...    POST    /hello    json={}
    Run Keyword And Expect Error
    ...    EQUALS:HEAD http://testserver/missing returned status 404 Not Found, expected a status below 400. The response body is empty.
    ...    HEAD    /missing

Unexpected Status Cuts A Long Body
    Open ASGI Client    ${DEMO}
    Run Keyword And Expect Error
    ...    EQUALS:POST http://testserver/echo returned status 200 OK, expected 201 Created. Response body: ["${{ 'x' * 498 }}...
    ...    POST    /echo    json=["${{ 'x' * 1000 }}"]    expected_status=201

Credentials Are Masked In Failure Messages
    Open ASGI Client    ${STARLETTE}
    ${error}=    Run Keyword And Expect Error    *returned status 500 Internal Server Error*
    ...    GET    /anything    params={"status": "500"}    auth=["qa", "hunter22"]
    ...    headers={"Authorization-Extra": "x"}    cookies={"session": "secret-cookie"}
    Should Contain    ${error}    "authorization":"*****"
    Should Contain    ${error}    "cookie":"*****"
    Should Not Contain    ${error}    ${{ base64.b64encode(b"qa:hunter22").decode() }}
    Should Not Contain    ${error}    hunter22
    Should Not Contain    ${error}    session=secret-cookie

App Exception Fails With Its Type And Message
    Open ASGI Client    ${FASTAPI}
    Run Keyword And Expect Error    EQUALS:ValueError: fastapi route failed
    ...    GET    /raise
    ${resp}=    GET    /hello
    Should Be Equal    ${resp.text}    Hello, world!

A RuntimeError From The App Keeps Its Type In The Message
    [Documentation]    Robot Framework drops the name of "generic" exceptions
    ...                (RuntimeError, Exception, AssertionError) from failure
    ...                messages; the library promises the app's exception type.
    Open ASGI Client    ${STARLETTE}
    Run Keyword And Expect Error    EQUALS:RuntimeError: starlette route failed
    ...    GET    /raise

Lifespan Startup Failure Fails Open ASGI Client
    Run Keyword And Expect Error
    ...    EQUALS:LifespanStartupError: Lifespan startup failed: database unreachable
    ...    Open ASGI Client    ${FAULTY}:lifespan_startup_failed    alias=broken
    Nothing Should Be Open

Unknown Alias
    Open ASGI Client    ${DEMO}    alias=only
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI client has the alias 'other'. Open clients: only.
    ...    GET    /    client=other
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI WebSocket session has the alias 'ws'. Open WebSocket sessions: none.
    ...    Receive Text    websocket=ws

Nothing Open Yet
    Run Keyword And Expect Error
    ...    EQUALS:No ASGI client is open: open one with 'Open ASGI Client' first.
    ...    GET    /
    Run Keyword And Expect Error
    ...    EQUALS:No ASGI client is open: open one with 'Open ASGI Client' first.
    ...    Websocket Connect    /ws

Import String With A Missing Module
    Run Keyword And Expect Error
    ...    Cannot import the ASGI app 'apps.no_such_module:app': no module named 'apps.no_such_module' (sys.path starts with *; run robot from the project root or use --pythonpath).
    ...    Open ASGI Client    apps.no_such_module:app
    Run Keyword And Expect Error
    ...    Cannot import the ASGI app 'nowhere.app:app': no module named 'nowhere' *
    ...    Open ASGI Client    nowhere.app:app

Import String With A Missing Attribute
    Run Keyword And Expect Error
    ...    EQUALS:Cannot import the ASGI app 'apps.starlette_app:nope': 'apps.starlette_app' has no attribute 'nope'.
    ...    Open ASGI Client    apps.starlette_app:nope
    Run Keyword And Expect Error
    ...    EQUALS:Cannot import the ASGI app 'apps.starlette_app:app.nope': 'apps.starlette_app:app' has no attribute 'nope'.
    ...    Open ASGI Client    apps.starlette_app:app.nope

Import String In A Bad Format
    FOR    ${spec}    IN    apps.starlette_app    :app    apps.starlette_app:
        Run Keyword And Expect Error
        ...    EQUALS:Cannot import the ASGI app '${spec}': use 'package.module:attribute', where the attribute may be a dotted path and may end in a factory call such as 'create_app()'.
        ...    Open ASGI Client    ${spec}
    END
    Run Keyword And Expect Error
    ...    EQUALS:Cannot import the ASGI app 'apps.starlette_app:app-x': 'app-x' is not an attribute path.
    ...    Open ASGI Client    apps.starlette_app:app-x

Import String With A Bad Factory Call
    Run Keyword And Expect Error
    ...    EQUALS:Cannot import the ASGI app 'apps.fastapi_app:create_app(title=x)': factory arguments must be Python literals (strings, numbers, True/False/None, lists, dicts).
    ...    Open ASGI Client    apps.fastapi_app:create_app(title=x)
    Run Keyword And Expect Error
    ...    EQUALS:Cannot import the ASGI app 'apps.fastapi_app:create_app(1, 2, 3)': calling the factory raised TypeError: create_app() takes from 0 to 1 positional arguments but 3 were given
    ...    Open ASGI Client    apps.fastapi_app:create_app(1, 2, 3)
    Run Keyword And Expect Error
    ...    EQUALS:Cannot import the ASGI app 'testapps.faults:SHUTDOWN_FAILURE()': 'testapps.faults:SHUTDOWN_FAILURE' is not callable.
    ...    Open ASGI Client    testapps.faults:SHUTDOWN_FAILURE()
    Run Keyword And Expect Error
    ...    EQUALS:Cannot import the ASGI app 'apps.fastapi_app:create_app(()': 'create_app(()' is not a valid factory call.
    ...    Open ASGI Client    apps.fastapi_app:create_app(()

Not An ASGI App
    Run Keyword And Expect Error
    ...    TestClient needs an ASGI 3 application * got function wsgi_app, which takes two arguments like a WSGI application (environ, start_response). WSGI apps are not supported: *
    ...    Open ASGI Client    ${WSGI_APP}
    Run Keyword And Expect Error    TestClient needs an ASGI 3 application *; got the int*
    ...    Open ASGI Client    ${42}
    Run Keyword And Expect Error    TestClient needs an ASGI 3 application *; got None.
    ...    Open ASGI Client    ${None}
    Run Keyword And Expect Error    TestClient needs an ASGI 3 application *; got the str 'database unreachable'.
    ...    Open ASGI Client    testapps.faults:STARTUP_FAILURE
    Nothing Should Be Open

Invalid Client Settings
    Run Keyword And Expect Error
    ...    EQUALS:base_url must be an absolute http:// or https:// URL such as 'http://testserver'; got 'testserver'.
    ...    Open ASGI Client    ${DEMO}    base_url=testserver
    Run Keyword And Expect Error
    ...    EQUALS:root_path must be '' or a path starting with '/' and not ending with '/', such as '/api'; got 'api/'.
    ...    Open ASGI Client    ${DEMO}    root_path=api/
    ${backend}=    Set Variable    curio
    Run Keyword And Expect Error    *backend*curio*
    ...    Open ASGI Client    ${DEMO}    backend=${backend}
    Nothing Should Be Open

Invalid JSON For json=
    Open ASGI Client    ${DEMO}
    Run Keyword And Expect Error
    ...    Invalid json: '{"op": ping}' is not valid JSON (*). Pass a Robot dictionary or list, or a JSON string.
    ...    POST    /echo    json={"op": ping}
    Websocket Connect    /ws
    Run Keyword And Expect Error
    ...    Invalid data: 'not json' is not valid JSON (*). Pass a Robot dictionary or list, or a JSON string.
    ...    Send Json    not json

Unknown JSON Mode
    [Documentation]    Bad values come in variables set at run time, which
    ...                ``robot --dryrun`` does not try to convert.
    Open ASGI Client    ${DEMO}
    Websocket Connect    /ws
    ${mode}=    Set Variable    xml
    Run Keyword And Expect Error    *mode*xml*binary*text*
    ...    Send Json    {}    mode=${mode}
    Run Keyword And Expect Error    *mode*xml*binary*text*
    ...    Receive Json    mode=${mode}

Invalid Expected Status
    Open ASGI Client    ${DEMO}
    Run Keyword And Expect Error    EQUALS:Invalid expected_status 'teapots': use ${ACCEPTED STATUSES}.
    ...    GET    /    expected_status=teapots
    Run Keyword And Expect Error    EQUALS:Invalid expected_status '42': a status code is from 100 to 599.
    ...    GET    /    expected_status=42

Invalid Auth And Files
    Open ASGI Client    ${DEMO}
    Run Keyword And Expect Error    EQUALS:Invalid auth: give a [user, password] list.
    ...    GET    /    auth=["only-user"]
    Run Keyword And Expect Error    EQUALS:Invalid files: '${CURDIR}/no-such-file.txt' (for 'doc') is not a file.
    ...    POST    /upload    files={"doc": "${CURDIR}/no-such-file.txt"}

Negative Timeout
    [Documentation]    The values come from variables: a dry run would refuse the literals.
    Open ASGI Client    ${DEMO}
    ${minus one}    ${minus two}=    Set Variable    -1    -2s
    Run Keyword And Expect Error    *that cannot be converted to Timeout: a timeout must not be negative
    ...    GET    /    timeout=${minus one}
    Run Keyword And Expect Error    *that cannot be converted to Timeout: a timeout must not be negative
    ...    Open ASGI Client    ${DEMO}    timeout=${minus two}

Negative Timeout Of A Receive Keyword
    [Documentation]    The message must be about the timeout, not about JSON, and
    ...                show the value as written. (Variables: a dry run would refuse
    ...                the literals.)
    Open ASGI Client    ${DEMO}
    Websocket Connect    /ws
    ${half}    ${one}=    Set Variable    -500ms    -1
    Run Keyword And Expect Error    *got value '-500ms' that cannot be converted to Timeout: a timeout must not be negative
    ...    Receive Text    timeout=${half}
    Run Keyword And Expect Error    *got value '-1' that cannot be converted to Timeout: a timeout must not be negative
    ...    GET    /    timeout=${one}

Invalid Time String
    Open ASGI Client    ${DEMO}
    ${soon}    ${fortnights}=    Set Variable    soon    2 fortnights
    Run Keyword And Expect Error    *timeout*soon*
    ...    GET    /    timeout=${soon}
    Run Keyword And Expect Error    *timeout*2 fortnights*
    ...    Open ASGI Client    ${DEMO}    timeout=${fortnights}

Request Timeout
    Open ASGI Client    ${FAULTY}:never_answer
    Run Keyword And Expect Error    EQUALS:ASGITimeout: The application did not answer GET http://testserver/ within 0.3 s; its task was cancelled.
    ...    GET    /    timeout=300ms
    Run Keyword And Expect Error    *within 0.1 s*
    ...    POST    /    json={}    timeout=0.1

Websocket Handshake Timeout
    Open ASGI Client    ${FAULTY}:never_answer
    Run Keyword And Expect Error
    ...    The application did not accept or refuse the WebSocket connection to *://testserver/ws within 0.3 s; it was cancelled.
    ...    Websocket Connect    /ws    timeout=300ms
    Nothing Else Than The Client Should Be Open

Receive Text Timeout
    Open ASGI Client    ${FAULTY}:ws_never_answer
    Websocket Connect    /ws    alias=silent
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'silent': Nothing arrived from the application within 0.3 s.
    ...    Receive Text    timeout=300ms
    Websocket Connect    /ws    alias=silent-default    timeout=0.2
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'silent-default': Nothing arrived from the application within 0.2 s.
    ...    Receive Bytes

App Exception In A Websocket
    [Documentation]    An exception in the app's WebSocket handler surfaces on the next
    ...                receive with its type and message.
    Open ASGI Client    ${FAULTY}:ws_raise_on_message
    Websocket Connect    /ws
    Send Text    boom
    Run Keyword And Expect Error    EQUALS:AppFault: websocket handler failed on 'boom'
    ...    Receive Text    timeout=1s

Close Websocket Reports The App's Exception
    Open ASGI Client    ${FAULTY}:ws_raise_on_message
    Websocket Connect    /ws    alias=raising
    Send Text    bye
    Run Keyword And Expect Error
    ...    EQUALS:Closing WebSocket session 'raising' failed: AppFault: websocket handler failed on 'bye'
    ...    Close Websocket
    Nothing Else Than The Client Should Be Open

App Exception In A Websocket Without Raising Server Exceptions
    Open ASGI Client    ${FAULTY}:ws_raise_on_message    raise_server_exceptions=False
    Websocket Connect    /ws    alias=raising
    Send Text    boom
    Run Keyword And Expect Error
    ...    EQUALS:WebSocket 'raising': The WebSocket connection was closed with code 1011: the application raised AppFault("websocket handler failed on 'boom'")
    ...    Receive Text    timeout=1s

The Library Still Works After All These Failures
    Open ASGI Client    ${DEMO}
    ${resp}=    GET    /hello
    Should Be Equal    ${resp.text}    Hello, world!


*** Keywords ***
Nothing Else Than The Client Should Be Open
    ${open}=    Get ASGI Aliases
    Length Should Be    ${open}[clients]    1
    Should Be Empty    ${open}[websockets]
