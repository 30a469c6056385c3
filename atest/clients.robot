*** Settings ***
Documentation     Opening clients: import strings (``module:attribute``, dotted
...               attributes, factory calls with arguments), app objects from
...               variables, the demo app by default; client settings (base URL,
...               root path, headers, cookies, auth, server exceptions, backend);
...               alias rules; switching and closing; Get ASGI Aliases; the
...               lifespan state an app stores at startup.
Resource          resources/common.resource
Variables         resources/app_variables.py


*** Test Cases ***
Default App Is The Demo App
    ${alias}=    Open ASGI Client
    Should Match Regexp    ${alias}    ^client\\d+$
    ${resp}=    GET    /
    Should Be Equal    ${resp.text}    Hello from the RobotASGI demo app!\n

Import String Module Colon Attribute
    Open ASGI Client    apps.starlette_app:app
    ${resp}=    GET    /anything
    Should Be Equal    ${resp.json()}[method]    GET

Import String With A Dotted Attribute
    Open ASGI Client    apps.starlette_app:app.router
    ${resp}=    GET    /anything
    Should Be Equal    ${resp.json()}[path]    /anything

Import String Of An ASGI 2 Class
    Open ASGI Client    apps.asgi2_app:App
    ${resp}=    GET    /hello
    Should Be Equal    ${resp.text}    Hello, world!

Import String With A Factory Call
    Open ASGI Client    apps.fastapi_app:create_app()
    ${resp}=    GET    /state
    Should Be Equal    ${resp.json()}[title]    RobotASGI atest

Import String With A Factory Call With Arguments
    Open ASGI Client    apps.fastapi_app:create_app(title="Custom")    alias=positional
    ${resp}=    GET    /state
    Should Be Equal    ${resp.json()}[title]    Custom
    Open ASGI Client    apps.fastapi_app:create_app('Other')    alias=keyword
    ${resp}=    GET    /state
    Should Be Equal    ${resp.json()}[title]    Other

Each Factory Call Builds A New App
    Open ASGI Client    ${FASTAPI}    alias=one
    Open ASGI Client    ${FASTAPI}    alias=two
    POST    /items    json={"name": "only in two", "price": 1}    client=two
    GET    /items/1    client=two    expected_status=200
    GET    /items/1    client=one    expected_status=404

App Object From Evaluate
    ${app}=    Evaluate    importlib.import_module("apps.asgi2_app").App    modules=importlib
    Open ASGI Client    ${app}
    ${resp}=    GET    /hello    params={"name": "object"}
    Should Be Equal    ${resp.text}    Hello, object!

App Object From A Variables File
    Open ASGI Client    ${STARLETTE_APP}    alias=from-variables
    ${resp}=    GET    /state
    Should Be Equal    ${resp.json()}[started]    ${True}
    Open ASGI Client    ${ASGI2_CLASS}    alias=class-object
    GET    /hello    expected_status=200

Lifespan State Is Visible To Requests
    Open ASGI Client    ${STARLETTE}
    ${resp}=    GET    /state
    Should Be Equal    ${resp.json()}    ${{ {"greeting": "Hello", "started": True} }}
    Open ASGI Client    ${DEMO}
    ${resp}=    GET    /hello
    Should Be Equal    ${resp.headers}[x-lifespan-state]    present

Backend Trio
    Open ASGI Client    ${STARLETTE}    backend=trio    alias=trio
    Backend Should Be    trio
    Open ASGI Client    ${STARLETTE}    alias=default
    Backend Should Be    asyncio
    Open ASGI Client    ${STARLETTE}    backend=asyncio    alias=asyncio
    Backend Should Be    asyncio
    Backend Should Be    trio    client=trio

Base URL And Root Path
    Open ASGI Client    ${STARLETTE}    base_url=https://api.example.org:8443
    ${resp}=    GET    /anything
    Should Be Equal    ${resp.url}    https://api.example.org:8443/anything
    Should Be Equal    ${resp.json()}[headers][host]    api.example.org:8443
    Open ASGI Client    ${STARLETTE}    root_path=/api
    ${resp}=    GET    /anything
    Should Be Equal    ${resp.json()}[path]    /api/anything

Client Headers Cookies And Auth Go With Every Request
    Open ASGI Client    ${STARLETTE}    headers={"X-Tenant": "acme"}    cookies={"session": "c1"}
    ...    auth=["client", "pw"]
    ${resp}=    GET    /anything    headers={"X-Extra": "1"}
    Should Be Equal    ${resp.json()}[headers][x-tenant]    acme
    Should Be Equal    ${resp.json()}[headers][x-extra]    1
    Should Be Equal    ${resp.json()}[cookies]    ${{ {"session": "c1"} }}
    Should Start With    ${resp.json()}[headers][authorization]    Basic${SPACE}
    ${resp}=    GET    /anything    headers={"X-Tenant": "other"}    cookies={"more": "m"}
    Should Be Equal    ${resp.json()}[headers][x-tenant]    other
    Should Be Equal    ${resp.json()}[cookies]    ${{ {"session": "c1", "more": "m"} }}

Update ASGI Client After A Login
    [Documentation]    FastAPI's OAuth2 password flow: log in, then send the token
    ...                with every request of the client, as RequestsLibrary's
    ...                ``Update Session`` allows; a header given ``None`` is removed.
    Open ASGI Client    ${FASTAPI}
    GET    /users/me    expected_status=401
    ${resp}=    POST    /token    data={"username": "qa", "password": "pw"}
    Update ASGI Client    headers={"Authorization": "Bearer ${resp.json()}[access_token]", "X-Tenant": "acme"}
    ${me}=    GET    /users/me
    Should Be Equal    ${me.json()}    ${{ {"username": "qa"} }}
    Should Be Equal    ${me.request.headers}[X-Tenant]    acme
    GET    /users/me
    Update ASGI Client    headers={"authorization": None}
    ${resp}=    GET    /users/me    expected_status=401
    Should Not Contain    ${resp.request.headers}    Authorization
    Should Be Equal    ${resp.request.headers}[X-Tenant]    acme

Update ASGI Client Replaces A Header Whatever Its Case
    Open ASGI Client    ${STARLETTE}    headers={"X-Tenant": "acme"}
    Update ASGI Client    headers={"x-tenant": "umbrella"}
    ${resp}=    GET    /anything
    Should Be Equal    ${resp.json()}[headers][x-tenant]    umbrella
    Should Be Equal    ${{ [k for k in $resp.request.headers if k.lower() == "x-tenant"] }}    ${{ ["x-tenant"] }}

Update ASGI Client Cookies
    Open ASGI Client    ${STARLETTE}    cookies={"theme": "dark"}
    Update ASGI Client    cookies={"consent": "yes", "theme": "light"}
    ${resp}=    GET    /cookies
    Should Be Equal    ${resp.json()}    ${{ {"consent": "yes", "theme": "light"} }}
    Update ASGI Client    cookies={"theme": None}
    ${resp}=    GET    /cookies
    Should Be Equal    ${resp.json()}    ${{ {"consent": "yes"} }}

Update ASGI Client Auth
    Open ASGI Client    ${STARLETTE}
    Update ASGI Client    auth=["qa", "secret-pw"]
    ${resp}=    GET    /anything
    Should Be Equal    ${resp.json()}[headers][authorization]    Basic ${{ base64.b64encode(b"qa:secret-pw").decode() }}
    Update ASGI Client    auth=[]
    ${resp}=    GET    /anything
    Dictionary Should Not Contain Key    ${resp.json()}[headers]    authorization
    Run Keyword And Expect Error    EQUALS:Invalid auth: give a [user, password] list.
    ...    Update ASGI Client    auth=["only-user"]

Update ASGI Client Timeout
    Open ASGI Client    ${STARLETTE}
    GET    /slow    params={"seconds": "0.3"}
    Update ASGI Client    timeout=100ms
    Run Keyword And Expect Error    *within 0.1 s*    GET    /slow    params={"seconds": "0.3"}
    GET    /slow    params={"seconds": "0.3"}    timeout=2s

Update Another ASGI Client
    Open ASGI Client    ${STARLETTE}    alias=first
    Open ASGI Client    ${STARLETTE}    alias=second
    Update ASGI Client    headers={"X-Which": "first"}    client=first
    ${resp}=    GET    /anything
    Dictionary Should Not Contain Key    ${resp.json()}[headers]    x-which
    ${resp}=    GET    /anything    client=first
    Should Be Equal    ${resp.json()}[headers][x-which]    first
    Run Keyword And Expect Error    No open ASGI client has the alias 'third'.*
    ...    Update ASGI Client    headers={"X-Which": "third"}    client=third

Server Exceptions As 500 Responses
    Open ASGI Client    ${STARLETTE}    raise_server_exceptions=False
    ${resp}=    GET    /raise    expected_status=500
    Should Be Equal    ${resp.text}    Internal Server Error

Client Timeout Is The Default Of Its Requests
    [Documentation]    ``/slow`` answers after 0.4 s: too slow for the client's
    ...                200 ms, fine for a keyword's own 2 s.
    Open ASGI Client    ${STARLETTE}    timeout=200ms
    Run Keyword And Expect Error    *did not answer GET http://testserver/slow?seconds=0.4 within 0.2 s*
    ...    GET    /slow    params={"seconds": "0.4"}
    ${resp}=    GET    /slow    params={"seconds": "0.4"}    timeout=2s
    Should Be Equal    ${resp.text}    slept

Alias In Use Is Refused
    Open ASGI Client    ${DEMO}    alias=main
    Run Keyword And Expect Error
    ...    EQUALS:The alias 'main' is already used by an open ASGI client: close it first or choose another alias.
    ...    Open ASGI Client    ${STARLETTE}    alias=main
    Websocket Connect    /ws    alias=socket
    Run Keyword And Expect Error
    ...    EQUALS:The alias 'socket' is already used by an open ASGI WebSocket session: close it first or choose another alias.
    ...    Open ASGI Client    ${STARLETTE}    alias=socket
    Aliases Should Be    ${{ ["main"] }}    ${{ ["socket"] }}

Alias Can Be Reused After Close
    Open ASGI Client    ${DEMO}    alias=again
    Close ASGI Client    again
    Open ASGI Client    ${STARLETTE}    alias=again
    GET    /anything    client=again

Unknown Alias Lists The Open Ones
    Open ASGI Client    ${DEMO}    alias=first
    Open ASGI Client    ${DEMO}    alias=second
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI client has the alias 'third'. Open clients: first, second.
    ...    Switch ASGI Client    third
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI client has the alias 'third'. Open clients: first, second.
    ...    GET    /    client=third
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI client has the alias 'third'. Open clients: first, second.
    ...    Close ASGI Client    third

Switch ASGI Client
    Open ASGI Client    ${DEMO}    alias=demo
    Open ASGI Client    ${STARLETTE}    alias=star
    GET    /anything
    ${previous}=    Switch ASGI Client    demo
    Should Be Equal    ${previous}    star
    GET    /anything    expected_status=404
    ${previous}=    Switch ASGI Client    client=star
    Should Be Equal    ${previous}    demo
    GET    /anything    expected_status=200

Close ASGI Client
    Open ASGI Client    ${DEMO}    alias=a
    Open ASGI Client    ${STARLETTE}    alias=b
    Open ASGI Client    ${DEMO}    alias=c
    Close ASGI Client
    Aliases Should Be    ${{ ["a", "b"] }}    ${{ [] }}
    GET    /anything    expected_status=200
    Close ASGI Client    client=a
    GET    /anything    expected_status=200
    Close ASGI Client
    Nothing Should Be Open
    Run Keyword And Expect Error
    ...    EQUALS:No ASGI client is open: open one with 'Open ASGI Client' first.
    ...    GET    /
    Run Keyword And Expect Error
    ...    EQUALS:No ASGI client is open: open one with 'Open ASGI Client' first.
    ...    Close ASGI Client

Close All ASGI Clients
    Open ASGI Client    ${DEMO}    alias=a
    Websocket Connect    /ws
    Open ASGI Client    ${STARLETTE}    alias=b
    Websocket Connect    /ws
    Close All ASGI Clients
    Nothing Should Be Open
    Close All ASGI Clients

Get ASGI Aliases
    ${open}=    Get ASGI Aliases
    Should Be Equal    ${open}    ${{ {"clients": [], "websockets": [], "streams": []} }}
    Open ASGI Client    ${DEMO}    alias=api
    Websocket Connect    /ws    alias=feed
    Open Stream    /stream    alias=numbers
    ${open}=    Get ASGI Aliases
    Should Be Equal    ${open}    ${{ {"clients": ["api"], "websockets": ["feed"], "streams": ["numbers"]} }}
