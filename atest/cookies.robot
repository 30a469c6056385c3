*** Settings ***
Documentation     The cookie keywords: Get Cookies, Get Cookie (value and attributes),
...               Add Cookie, Delete All Cookies, each on the current client or the
...               one ``client=`` names; several Set-Cookie headers of one response
...               stay separate where a keyword returns them.
Library           String
Resource          resources/common.resource
Test Setup        Open ASGI Client    ${STARLETTE}    alias=star


*** Variables ***
${LITESTAR SESSIONS}    apps.litestar_app:create_session_app()


*** Test Cases ***
Get Cookies Returns The Cookies The App Set
    GET    /cookies/set    params={"flavour": "oat", "size": "large"}
    ${cookies}=    Get Cookies
    Should Be Equal    ${cookies}    ${{ {"flavour": "oat", "size": "large"} }}

Get Cookies Of Another Client
    GET    /cookies/set    params={"flavour": "oat"}
    Open ASGI Client    ${STARLETTE}    alias=other
    ${cookies}=    Get Cookies
    Should Be Empty    ${cookies}
    ${cookies}=    Get Cookies    client=star
    Should Be Equal    ${cookies}    ${{ {"flavour": "oat"} }}

Get Cookie With Its Attributes From A Litestar Session
    Open ASGI Client    ${LITESTAR SESSIONS}
    POST    /login
    ${cookie}=    Get Cookie    session
    Should Be Equal    ${cookie.name}    session
    Should Match Regexp    ${cookie.value}    ^[0-9a-f]{64}$
    Should Be Equal    ${cookie.domain}    testserver
    Should Be Equal    ${cookie.path}    /
    Should Be True    ${cookie.httponly}
    Should Not Be True    ${cookie.secure}
    Should Be Equal    ${cookie.samesite}    lax
    Should Be True    ${cookie.expires} > ${{ time.time() + 1209000 }}
    POST    /logout
    ${cookie}=    Get Cookie    session
    Should Be Equal    ${cookie}[value]    null

Get Cookie With Every Attribute
    Open ASGI Client    ${STARLETTE}    base_url=https://testserver    alias=secure
    GET    /cookies/set-attributes
    Run Keyword And Expect Error
    ...    EQUALS:The client has 2 cookies 'pref': domain='testserver' path='/api', domain='testserver' path='/'. Give domain= or path= to pick one.
    ...    Get Cookie    pref
    ${cookie}=    Get Cookie    pref    path=/api
    Should Be Equal    ${cookie}    ${{ {"name": "pref", "value": "dark", "domain": "testserver", "path": "/api", "expires": $cookie.expires, "secure": True, "httponly": True, "samesite": "strict"} }}
    Should Be True    3500 < ${cookie.expires} - ${{ time.time() }} <= 3600
    ${cookie}=    Get Cookie    pref    path=/    domain=testserver
    Should Be Equal    ${cookie.value}    light
    Should Be Equal    ${cookie.expires}    ${None}
    Should Be Equal    ${cookie.samesite}    lax
    Should Not Be True    ${cookie.httponly}
    ${resp}=    GET    /api/cookies
    Should Be Equal    ${resp.request.headers}[Cookie]    pref=dark; pref=light
    ${resp}=    GET    /cookies
    Should Be Equal    ${resp.request.headers}[Cookie]    pref=light

Get Cookie That Does Not Exist
    GET    /cookies/set    params={"flavour": "oat"}
    Run Keyword And Expect Error    EQUALS:The client has no cookie 'nope'. Cookies: flavour.
    ...    Get Cookie    nope
    Run Keyword And Expect Error    EQUALS:The client has no cookie 'flavour' path='/api'. Cookies: flavour.
    ...    Get Cookie    flavour    path=/api

Add Cookie Is Sent With Every Request
    Add Cookie    consent    yes
    ${resp}=    GET    /cookies
    Should Be Equal    ${resp.json()}    ${{ {"consent": "yes"} }}
    ${cookie}=    Get Cookie    consent
    Should Be Equal    ${cookie.path}    /
    Should Be Equal    ${cookie.domain}    ${EMPTY}

Add Cookie For A Domain And A Path
    Add Cookie    scoped    1    path=/api
    Add Cookie    elsewhere    1    domain=other.example
    Add Cookie    here    1    domain=testserver.local
    ${resp}=    GET    /cookies
    Should Be Equal    ${resp.json()}    ${{ {"here": "1"} }}
    ${resp}=    GET    /api/cookies
    Should Be Equal    ${resp.json()}    ${{ {"scoped": "1", "here": "1"} }}
    Add Cookie    scoped    2    path=/api
    ${resp}=    GET    /api/cookies
    Should Be Equal    ${resp.json()}[scoped]    2

Add Cookie To Another Client
    Open ASGI Client    ${STARLETTE}    alias=other
    Add Cookie    consent    yes    client=star
    ${resp}=    GET    /cookies
    Should Be Empty    ${resp.json()}
    ${resp}=    GET    /cookies    client=star
    Should Be Equal    ${resp.json()}    ${{ {"consent": "yes"} }}

Add Cookie With An Invalid Name
    Run Keyword And Expect Error    EQUALS:Invalid cookie name 'a=b': give a name without '=', ';' or white space.
    ...    Add Cookie    a=b    1
    Run Keyword And Expect Error    EQUALS:Invalid cookie name '': give a name without '=', ';' or white space.
    ...    Add Cookie    ${EMPTY}    1

Delete All Cookies
    GET    /cookies/set    params={"flavour": "oat"}
    Add Cookie    consent    yes
    Delete All Cookies
    ${cookies}=    Get Cookies
    Should Be Empty    ${cookies}
    ${resp}=    GET    /cookies
    Should Be Empty    ${resp.json()}

Delete All Cookies Of Another Client
    GET    /cookies/set    params={"flavour": "oat"}
    Open ASGI Client    ${STARLETTE}    alias=other
    Add Cookie    consent    yes
    Delete All Cookies    client=star
    ${cookies}=    Get Cookies    client=star
    Should Be Empty    ${cookies}
    ${cookies}=    Get Cookies    client=other
    Should Be Equal    ${cookies}    ${{ {"consent": "yes"} }}

Several Set-Cookie Headers Stay Separate Where A Keyword Returns Them
    ${resp}=    GET    /cookies/set    params={"flavour": "oat", "size": "large"}
    ${set}=    Response Should Have Header    Set-Cookie
    Should Be Equal    ${set}    flavour=oat; Path=/; SameSite=lax\nsize=large; Path=/; SameSite=lax
    @{lines}=    Split To Lines    ${set}
    Length Should Be    ${lines}    2
    Response Header Should Be    set-cookie    flavour=oat; Path=/; SameSite=lax\nsize=large; Path=/; SameSite=lax
    Run Keyword And Expect Error
    ...    EQUALS:The response has a 'Set-Cookie' header: 'flavour=*****; Path=/; SameSite=lax\nsize=*****; Path=/; SameSite=lax'.
    ...    Response Should Not Have Header    Set-Cookie
    Run Keyword And Expect Error
    ...    EQUALS:Header 'Set-Cookie' is 'flavour=*****; Path=/; SameSite=lax\nsize=*****; Path=/; SameSite=lax', expected 'flavour=oat'.
    ...    Response Header Should Be    Set-Cookie    flavour=oat
