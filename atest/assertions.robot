*** Settings ***
Documentation     Every assertion keyword, passing and failing. Failures are checked
...               with ``Run Keyword And Expect Error`` and the exact message
...               (``EQUALS:``) or a pattern where the message has a variable part.
...
...               Responses come from the demo app: ``/echo`` sends any JSON back,
...               ``/status/{code}`` answers with that status and ``{code} {phrase}``.
Resource          resources/common.resource
Test Setup        Open ASGI Client    ${DEMO}


*** Variables ***
${BODY}           {"user": {"name": "qa", "roles": ["admin", "dev"]}, "count": 3, "ok": true, "none": null, "items": [{"id": 1}, {"id": 2}]}


*** Test Cases ***
Status Should Be Passes
    GET    /status/201
    Status Should Be    201
    Status Should Be    created
    Status Should Be    200, 201
    Status Should Be    any
    ${resp}=    GET    /hello
    GET    /status/404    expected_status=any
    Status Should Be    200    ${resp}
    Status Should Be    404

Status Should Be Fails
    GET    /status/404    expected_status=any
    Run Keyword And Expect Error
    ...    EQUALS:GET http://testserver/status/404 returned status 404 Not Found, expected 200 OK. Response body: 404 Not Found\n
    ...    Status Should Be    200
    Run Keyword And Expect Error
    ...    EQUALS:GET http://testserver/status/404 returned status 404 Not Found, expected 200 OK or 201 Created. Response body: 404 Not Found\n
    ...    Status Should Be    200, 201
    Run Keyword And Expect Error    EQUALS:Not what I wanted
    ...    Status Should Be    ok    msg=Not what I wanted
    ${resp}=    GET    /hello
    Run Keyword And Expect Error
    ...    EQUALS:GET http://testserver/hello returned status 200 OK, expected 404 Not Found. Response body: Hello, world!
    ...    Status Should Be    404    response=${resp}

Status Should Be Rejects An Invalid Status
    GET    /hello
    Run Keyword And Expect Error    EQUALS:Invalid expected_status 'teapots': use ${ACCEPTED STATUSES}.
    ...    Status Should Be    teapots
    Run Keyword And Expect Error    EQUALS:Invalid expected_status '999': a status code is from 100 to 599.
    ...    Status Should Be    999
    Run Keyword And Expect Error    EQUALS:Invalid expected_status '200, nope': use ${ACCEPTED STATUSES}.
    ...    Status Should Be    200, nope

Request Should Be Successful
    ${ok}=    GET    /status/302    allow_redirects=False
    Request Should Be Successful
    ${bad}=    GET    /status/500    expected_status=500
    Request Should Be Successful    ${ok}
    Run Keyword And Expect Error
    ...    EQUALS:GET http://testserver/status/500 returned status 500 Internal Server Error, expected a status below 400. Response body: 500 Internal Server Error\n
    ...    Request Should Be Successful
    GET    /status/204
    Request Should Be Successful
    GET    /status/400    expected_status=400
    Run Keyword And Expect Error    GET http://testserver/status/400 returned status 400 Bad Request, *
    ...    Request Should Be Successful
    Run Keyword And Expect Error    GET http://testserver/status/500 returned status 500 *
    ...    Request Should Be Successful    ${bad}

Response Header Should Be
    GET    /hello
    Response Header Should Be    Content-Type    text/plain; charset=utf-8
    Response Header Should Be    x-lifespan-state    present
    Run Keyword And Expect Error
    ...    EQUALS:Header 'content-type' is 'text/plain; charset=utf-8', expected 'application/json'.
    ...    Response Header Should Be    content-type    application/json
    Run Keyword And Expect Error    EQUALS:Wrong type
    ...    Response Header Should Be    content-type    application/json    msg=Wrong type
    Run Keyword And Expect Error
    ...    EQUALS:The response has no 'X-Missing' header. Headers present: content-type, content-length, x-lifespan-state.
    ...    Response Header Should Be    X-Missing    anything

Response Should Have Header
    ${json}=    POST    /echo    json={}
    ${text}=    GET    /hello
    ${value}=    Response Should Have Header    CONTENT-TYPE
    Should Be Equal    ${value}    text/plain; charset=utf-8
    ${value}=    Response Should Have Header    content-type    ${json}
    Should Be Equal    ${value}    application/json
    Run Keyword And Expect Error
    ...    EQUALS:The response has no 'location' header. Headers present: content-type, content-length, x-lifespan-state.
    ...    Response Should Have Header    location

Response Should Not Have Header
    GET    /hello
    Response Should Not Have Header    Location
    Response Should Not Have Header    Server
    Run Keyword And Expect Error
    ...    EQUALS:The response has a 'X-Lifespan-State' header: 'present'.
    ...    Response Should Not Have Header    X-Lifespan-State

Response Body Should Contain
    ${resp}=    GET    /hello    params={"name": "Robot"}
    Response Body Should Contain    Hello
    Response Body Should Contain    , Robot!    ${resp}
    Run Keyword And Expect Error
    ...    EQUALS:The response body does not contain 'Goodbye'. Body: Hello, Robot!
    ...    Response Body Should Contain    Goodbye
    Run Keyword And Expect Error    EQUALS:No farewell
    ...    Response Body Should Contain    Goodbye    msg=No farewell
    Run Keyword And Expect Error
    ...    EQUALS:The response body does not contain 'hello'. Body: Hello, Robot!
    ...    Response Body Should Contain    hello

Response Body Should Contain Cuts A Long Body
    POST    /echo    json=["${{ 'x' * 600 }}"]
    Run Keyword And Expect Error
    ...    EQUALS:The response body does not contain 'y'. Body: ["${{ 'x' * 498 }}...
    ...    Response Body Should Contain    y

Response Json Should Be
    ${resp}=    POST    /echo    json=${BODY}
    Response Json Should Be    ${BODY}
    &{expected}=    Evaluate    json.loads($BODY)    modules=json
    Response Json Should Be    ${expected}    ${resp}
    POST    /echo    json=[1, "two", null]
    Response Json Should Be    [1, "two", null]

Response Json Should Be Fails With The Differences
    POST    /echo    json={"a": 1, "b": {"c": [1, 2]}, "extra": true}
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body differs from the expected value:\n/a: expected 2, got 1\n/b/c/1: expected 3, got 2\n/extra: not expected, got true
    ...    Response Json Should Be    {"a": 2, "b": {"c": [1, 3]}}
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body differs from the expected value:\n/b/c: expected 3 items, got 2\n/missing: missing
    ...    Response Json Should Be    {"a": 1, "b": {"c": [1, 2, 3]}, "extra": true, "missing": 0}
    Run Keyword And Expect Error    EQUALS:Not equal
    ...    Response Json Should Be    {}    msg=Not equal

Response Json Should Be Tells True From 1
    POST    /echo    json={"flag": true}
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body differs from the expected value:\n/flag: expected 1, got true
    ...    Response Json Should Be    {"flag": 1}
    POST    /echo    json={"count": 1}
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body differs from the expected value:\n/count: expected true, got 1
    ...    Response Json Should Be    {"count": true}

Response Json Should Be Fails On A Body That Is Not JSON
    GET    /hello
    Run Keyword And Expect Error    EQUALS:The response body is not JSON: Hello, world!
    ...    Response Json Should Be    {}

Response Json Should Be Rejects An Invalid Expected Value
    POST    /echo    json={}
    Run Keyword And Expect Error    Invalid expected: '{not json' is not valid JSON (*). Pass a Robot dictionary or list, or a JSON string.
    ...    Response Json Should Be    {not json

Response Json Should Contain
    POST    /echo    json=${BODY}
    Response Json Should Contain    {"user": {"name": "qa"}}
    Response Json Should Contain    {"items": [{"id": 1}, {}], "ok": true}
    Response Json Should Contain    {}
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body does not contain the expected value:\n/user/name: expected "qb", got "qa"\n/missing: missing
    ...    Response Json Should Contain    {"user": {"name": "qb"}, "missing": 1}
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body does not contain the expected value:\n/items: expected 1 items, got 2
    ...    Response Json Should Contain    {"items": [{"id": 1}]}
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body does not contain the expected value:\n/count: expected an object, got 3
    ...    Response Json Should Contain    {"count": {"n": 3}}
    Run Keyword And Expect Error    EQUALS:Subset missing
    ...    Response Json Should Contain    {"nope": 1}    msg=Subset missing

Get Json Value
    ${resp}=    POST    /echo    json=${BODY}
    ${name}=    Get Json Value    /user/name
    Should Be Equal    ${name}    qa
    ${name}=    Get Json Value    user.name
    Should Be Equal    ${name}    qa
    ${role}=    Get Json Value    user.roles.-1
    Should Be Equal    ${role}    dev
    ${id}=    Get Json Value    items.1.id    ${resp}
    Should Be Equal    ${id}    ${2}
    ${whole}=    Get Json Value    ${EMPTY}
    Should Be Equal    ${whole}[count]    ${3}
    ${none}=    Get Json Value    none
    Should Be Equal    ${none}    ${None}

Get Json Value Fails On A Missing Path
    POST    /echo    json=${BODY}
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body has no 'nick' at '/user/nick' (step 2); keys there: name, roles.
    ...    Get Json Value    /user/nick
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body has no item '5' at 'items.5' (step 2): the list there has 2 items.
    ...    Get Json Value    items.5
    Run Keyword And Expect Error
    ...    EQUALS:The JSON value at step 2 of 'count.n' is 3, which has no 'n'.
    ...    Get Json Value    count.n

Json Value Should Be
    POST    /echo    json=${BODY}
    Json Value Should Be    /user/name    qa
    Json Value Should Be    /user/name    "qa"
    Json Value Should Be    count    3
    Json Value Should Be    count    ${3}
    Json Value Should Be    ok    true
    Json Value Should Be    ok    ${True}
    Json Value Should Be    none    null
    Json Value Should Be    none    ${None}
    Json Value Should Be    /user/roles    ["admin", "dev"]
    Json Value Should Be    /user    {"name": "qa", "roles": ["admin", "dev"]}
    Run Keyword And Expect Error
    ...    EQUALS:The JSON value at 'count' is 3, expected 4.
    ...    Json Value Should Be    count    4
    Run Keyword And Expect Error
    ...    EQUALS:The JSON value at '/user/name' is "qa", expected "qb".
    ...    Json Value Should Be    /user/name    qb
    Run Keyword And Expect Error    EQUALS:Wrong count
    ...    Json Value Should Be    count    5    msg=Wrong count

Json Value Should Be Compares Types
    [Documentation]    The expected value is read as JSON: ``3`` is a number and ``"3"``
    ...                a string, ``true`` a boolean and ``"true"`` a string.
    POST    /echo    json={"n": 3, "s": "3", "t": true, "ts": "true", "z": null, "zs": "null", "one": 1}
    Json Value Should Be    /n    3
    Json Value Should Be    /s    "3"
    Json Value Should Be    /t    true
    Json Value Should Be    /ts    "true"
    Json Value Should Be    /z    null
    Json Value Should Be    /zs    "null"
    Run Keyword And Expect Error    EQUALS:The JSON value at '/s' is "3", expected 3.
    ...    Json Value Should Be    /s    3
    Run Keyword And Expect Error    EQUALS:The JSON value at '/n' is 3, expected "3".
    ...    Json Value Should Be    /n    "3"
    Run Keyword And Expect Error    EQUALS:The JSON value at '/ts' is "true", expected true.
    ...    Json Value Should Be    /ts    true
    Run Keyword And Expect Error    EQUALS:The JSON value at '/t' is true, expected "true".
    ...    Json Value Should Be    /t    "true"
    Run Keyword And Expect Error    EQUALS:The JSON value at '/zs' is "null", expected null.
    ...    Json Value Should Be    /zs    null
    Run Keyword And Expect Error    EQUALS:The JSON value at '/one' is 1, expected true.
    ...    Json Value Should Be    /one    true
    Run Keyword And Expect Error    EQUALS:The JSON value at '/s' is "3", expected 3.
    ...    Json Value Should Be    /s    ${3}

Json Pointers Follow RFC 6901
    POST    /echo    json={"": "empty key", "a/b": "slash", "m~n": "tilde", "items": ["x", "y"], "nested": {"": {"k": 1}}}
    Json Value Should Be    /    "empty key"
    Json Value Should Be    /a~1b    slash
    Json Value Should Be    /m~0n    tilde
    Json Value Should Be    /items/0    x
    Json Value Should Be    /items/1    y
    Json Value Should Be    /nested//k    1
    ${whole}=    Get Json Value    ${EMPTY}
    Should Be Equal    ${whole}[a/b]    slash
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body has no item '01' at '/items/01' (step 2): a JSON Pointer index is 0 or a number without leading zeros (no negative indexes).
    ...    Get Json Value    /items/01
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body has no item '-1' at '/items/-1' (step 2): a JSON Pointer index is 0 or a number without leading zeros (no negative indexes).
    ...    Get Json Value    /items/-1
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body has no item '-' at '/items/-' (step 2): '-' is the position after the last item, which holds no value.
    ...    Get Json Value    /items/-
    Run Keyword And Expect Error
    ...    EQUALS:Invalid JSON Pointer '/m~2n': in 'm~2n', '~' must be followed by 0 (for '~') or 1 (for '/') (RFC 6901).
    ...    Get Json Value    /m~2n
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body has no 'a' at '/a/b' (step 1); keys there: , a/b, m~n, items, nested.
    ...    Get Json Value    /a/b

The Dotted Form Stays A Convenience
    POST    /echo    json={"items": [{"id": 1}, {"id": 2}], "a": {"b": "c"}}
    Json Value Should Be    items.1.id    2
    Json Value Should Be    items.-1.id    2
    Json Value Should Be    a.b    c

Assertions Reject Something That Is Not A Response
    GET    /hello
    Run Keyword And Expect Error
    ...    EQUALS:response must be a response returned by an HTTP keyword, not str.
    ...    Status Should Be    200    response=not a response
