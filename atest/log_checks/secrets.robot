*** Settings ***
Documentation     Robot Framework 7.4 ``Secret`` values are accepted wherever credentials
...               go - ``auth``, ``headers``, ``cookies``, ``params``, ``data``,
...               ``json``, the client keywords, ``Add Cookie``, the WebSocket send
...               keywords - sent as their values and never logged, at any log level
...               (each test logs at TRACE, where Robot dumps keyword arguments). A
...               header or field that held a Secret is masked by place from then on,
...               so even a short Secret never shows.
...
...               The Secrets come from environment variables, as suites get them;
...               the defaults stand in. Run by ``atest/run.py`` with its log checked
...               in ``output.xml`` (see ``app_logging.robot``).
Resource          ../resources/common.resource
Test Setup        Open A Client Logging At Trace
Test Tags         log-check


*** Variables ***
${API KEY: secret}     %{ROBOTASGI_ATEST_API_KEY=key-5e2a9f0c1b}
${PASSWORD: secret}    %{ROBOTASGI_ATEST_PASSWORD=pw-93be71x}
${PIN: secret}         %{ROBOTASGI_ATEST_PIN=7q3z}
${SESSION: secret}     %{ROBOTASGI_ATEST_SESSION=sid-55aa01x}
${TOKEN: secret}       %{ROBOTASGI_ATEST_TOKEN=tok-8c1f2e9d}


*** Test Cases ***
A Secret Header Is Sent And Masked, And Its Header From Then On
    [Documentation]    PASS
    ...    LOG INFO IN GET: X-Api-Key: *****
    ...    LOG INFO IN GET: "x-api-key": "*****"
    ...    NO LOG: key-5e2a9f0c1b
    ...    NO LOG: plain-but-now-masked
    VAR    &{headers}    X-Api-Key=${API KEY}
    ${resp}=    GET    /anything    headers=${headers}
    Should Be True    $resp.json()["headers"]["x-api-key"] == $API_KEY.value
    GET    /anything    headers={"X-Api-Key": "plain-but-now-masked"}

A Secret Password For Auth
    [Documentation]    PASS
    ...    LOG INFO IN GET: Authorization: *****
    ...    NO LOG: pw-93be71x
    ...    NO LOG: cWE6cHctOTNiZTcxeA==
    VAR    @{auth}    qa    ${PASSWORD}
    ${resp}=    GET    /anything    auth=${auth}
    Should Start With    ${resp.json()}[headers][authorization]    Basic cWE6

A Short Secret In JSON, A Form And A Query Is Masked Where It Stands
    [Documentation]    PASS
    ...    LOG INFO IN POST: "pin": "*****"
    ...    LOG INFO IN POST: user=qa&pin=*****
    ...    LOG INFO IN GET: GET http://testserver/anything?pin=*****
    ...    NO LOG: 7q3z
    VAR    &{body}    user=qa    pin=${PIN}
    ${resp}=    POST    /echo    json=${body}
    Should Be True    $resp.json()["pin"] == $PIN.value
    ${resp}=    POST    /anything    data=${body}
    Should Be True    $resp.json()["form"]["pin"] == $PIN.value
    VAR    &{params}    pin=${PIN}
    GET    /anything    params=${params}

A Secret Cookie
    [Documentation]    PASS
    ...    LOG INFO IN GET: Cookie: session=*****
    ...    NO LOG: sid-55aa01x
    VAR    &{cookies}    session=${SESSION}
    ${resp}=    GET    /cookies    cookies=${cookies}
    Should Be True    $resp.json()["session"] == $SESSION.value
    Delete All Cookies
    Add Cookie    session    ${SESSION}
    ${resp}=    GET    /cookies
    Should Be True    $resp.json()["session"] == $SESSION.value

Secrets In Open And Update ASGI Client
    [Documentation]    PASS
    ...    LOG INFO IN Update ASGI Client: header Authorization: *****
    ...    LOG INFO IN Update ASGI Client: auth user qa
    ...    NO LOG: tok-8c1f2e9d
    ...    NO LOG: pw-93be71x
    VAR    ${bearer: secret}    Bearer ${TOKEN}
    VAR    &{headers}    Authorization=${bearer}
    VAR    @{auth}    qa    ${PASSWORD}
    Open ASGI Client    ${STARLETTE}    headers=${headers}    alias=with-secrets
    ${resp}=    GET    /anything
    Should Be True    $resp.json()["headers"]["authorization"] == "Bearer " + $TOKEN.value
    Update ASGI Client    headers=${headers}    client=star
    ${resp}=    GET    /anything    client=star
    Should Be True    $resp.json()["headers"]["authorization"] == "Bearer " + $TOKEN.value
    Update ASGI Client    auth=${auth}    client=star
    ${resp}=    GET    /anything    client=star
    Should Start With    ${resp.json()}[headers][authorization]    Basic cWE6

Secrets In WebSocket Messages
    [Documentation]    PASS
    ...    LOG INFO IN Send Json: "token": "*****"
    ...    LOG INFO IN Send Text: WebSocket sent text:
    ...    NO LOG: tok-8c1f2e9d
    Websocket Connect    /ws    headers=${{ {} }}
    VAR    &{login}    op=login    token=${TOKEN}
    Send Json    ${login}
    ${msg}=    Receive Json
    Should Be True    $msg["token"] == $TOKEN.value
    Send Text    ${TOKEN}
    ${text}=    Receive Text
    Should Be True    $text == $TOKEN.value

A Secret Turned Into Text By Robot Is Refused
    [Documentation]    PASS
    Run Keyword And Expect Error
    ...    Invalid headers: it holds the text '<secret>', which Robot Framework puts where a Secret is used inside a string or a literal*
    ...    GET    /anything    headers={"X-Api-Key": "${API KEY}"}
    Run Keyword And Expect Error    Invalid json: it holds the text '<secret>'*
    ...    POST    /echo    json={"pin": "${PIN}"}
    Run Keyword And Expect Error    Invalid data: it holds the text '<secret>'*
    ...    POST    /anything    data={"pin": "${PIN}"}

A Raw Body Or Text Message Is Sent As It Is, Even With A Secret Element
    [Documentation]    PASS
    ${resp}=    POST    /anything    data=<secret>not a Robot Secret</secret>    headers={"Content-Type": "application/xml"}
    Should Be Equal    ${resp.json()}[body]    <secret>not a Robot Secret</secret>
    Websocket Connect    /ws
    Send Text    <secret>an element</secret>
    ${text}=    Receive Text
    Should Be Equal    ${text}    <secret>an element</secret>

A Secret In Form Pairs Masks Its Field
    [Documentation]    PASS
    ...    LOG INFO IN POST: user=qa&pin=*****&pin=*****
    ...    NO LOG: 7q3z
    VAR    @{first}    pin    ${PIN}
    VAR    @{second}    pin    other-pin
    VAR    @{user}    user    qa
    VAR    @{pairs}    ${user}    ${first}    ${second}
    ${resp}=    POST    /anything    data=${pairs}
    Should Be True    $resp.json()["form_pairs"][1] == ["pin", $PIN.value]


*** Keywords ***
Open A Client Logging At Trace
    Set Log Level    TRACE
    Open ASGI Client    ${STARLETTE}    alias=star
