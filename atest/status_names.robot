*** Settings ***
Documentation     ``expected_status`` and ``Status Should Be`` take a status the way a
...               tester reads or writes it, the same on every Python version: the
...               phrase a failure message prints (``418 I'm a Teapot``, with or
...               without its code), the phrases older Pythons print, the names
...               ``requests.codes`` knows, classes such as ``4xx``, and ``anything``
...               as RequestsLibrary spells it.
Resource          resources/common.resource
Resource          resources/ecosystem.resource


*** Test Cases ***
Every Status A Failure Message Prints Is Accepted Back
    [Documentation]    For every status the demo app can answer, what a failure message
    ...                prints (``404 Not Found``), and the name alone, check that status.
    Open ASGI Client    ${DEMO}
    FOR    ${code}    IN RANGE    200    600
        ${resp}=    GET    /status/${code}    expected_status=any
        ${printed}=    Printed Status    ${resp}
        Status Should Be    ${printed}    ${resp}
        ${name}=    Evaluate    $printed.partition(" ")[2] or $printed
        Status Should Be    ${name}    ${resp}
    END

Unprocessable Content And Entity From FastAPI
    Open ASGI Client    ${FASTAPI}
    ${resp}=    POST    /items    json={"name": "x"}    expected_status=Unprocessable Content
    Status Should Be    422 Unprocessable Content    ${resp}
    POST    /items    json={"name": "x"}    expected_status=Unprocessable Entity
    POST    /items    json={"name": "x"}    expected_status=UNPROCESSABLE_ENTITY
    POST    /items    json={"name": "x"}    expected_status=UNPROCESSABLE_CONTENT
    POST    /items    json={"name": "x"}    expected_status=unprocessable
    Run Keyword And Expect Error
    ...    POST http://testserver/items returned status 422 Unprocessable Content, expected 200 OK. Response body: {"detail":*
    ...    POST    /items    json={"name": "x"}    expected_status=200

A Teapot From Quart, Named As The Failure Message Names It
    Open ASGI Client    ${QUART}
    ${message}=    Run Keyword And Expect Error    *    GET    /abort
    Should Start With    ${message}    GET http://testserver/abort returned status 418 I'm a Teapot, expected a status below 400.
    GET    /abort    expected_status=418 I'm a Teapot
    GET    /abort    expected_status=I'm a Teapot
    GET    /abort    expected_status=IM_A_TEAPOT
    GET    /abort    expected_status=teapot
    Status Should Be    i_am_a_teapot

Classes Of Statuses
    Open ASGI Client    ${STARLETTE}
    GET    /hello    expected_status=2xx
    GET    /no/such/route    expected_status=4xx
    GET    /no/such/route    expected_status=2XX, 4XX
    Status Should Be    4xx
    Run Keyword And Expect Error
    ...    EQUALS:GET http://testserver/hello returned status 200 OK, expected a 4xx status or a 5xx status. Response body: Hello, world!
    ...    GET    /hello    expected_status=4xx, 5xx
    Run Keyword And Expect Error    EQUALS:Invalid expected_status '6xx': use ${ACCEPTED STATUSES}.
    ...    GET    /hello    expected_status=6xx

Anything As RequestsLibrary Spells It
    Open ASGI Client    ${STARLETTE}
    ${resp}=    GET    /no/such/route    expected_status=anything
    Should Be Equal As Integers    ${resp.status_code}    404
    Status Should Be    anything
    GET    /anything    params={"status": "503"}    expected_status=Anything

A Code And Another Status's Name Are Refused
    Open ASGI Client    ${STARLETTE}
    Run Keyword And Expect Error
    ...    EQUALS:Invalid expected_status '404 OK': the name after 404 must be its own (404 Not Found).
    ...    GET    /hello    expected_status=404 OK


*** Keywords ***
Printed Status
    [Documentation]    The status a failure message prints for ``response``
    ...                (``404 Not Found``, or the bare code of an unregistered one).
    [Arguments]    ${response}
    ${expected}=    Set Variable If    ${response.status_code} == 200    201    200
    ${message}=    Run Keyword And Expect Error    *    Status Should Be    ${expected}    ${response}
    ${printed}=    Evaluate    re.search(r"returned status (.+?), expected", $message).group(1)
    RETURN    ${printed}
