*** Settings ***
Documentation     Concurrent requests: ``Start Request`` returns a handle at once and
...               ``Wait For Response`` the response, with the ``expected_status`` given to
...               ``Start Request``. Against ``apps/concurrency_app.py`` (Starlette), on
...               asyncio and trio: requests that are in the app at the same time (a
...               barrier only several concurrent requests pass), a lost update and the
...               lock that prevents it, an idempotency key, a lock refusing a second run,
...               a rate limit; then waiting (a timeout that leaves the request running,
...               waiting twice, an app exception, an unexpected status), and requests
...               never waited for, cancelled when their test ends or their client closes.
Resource          resources/common.resource
Suite Setup       Open ASGI Client    ${CONCURRENCY}    alias=suite-client
Test Setup        Switch ASGI Client    suite-client


*** Variables ***
${CONCURRENCY}    apps.concurrency_app:create_app()


*** Test Cases ***
Started Requests Are In The App At Once On Asyncio
    Requests Overlap    asyncio

Started Requests Are In The App At Once On Trio
    Requests Overlap    trio

Requests Sent One After Another Do Not Overlap
    [Documentation]    The barrier is a real proof: a request sent alone waits in vain.
    GET    /barrier    params={"n": "2", "timeout": "0.2"}    expected_status=504
    Response Json Should Be    {"detail": "only 1 of 2 requests arrived together"}

A Race Loses Updates Without A Lock On Asyncio
    Lost Update And Its Lock    asyncio

A Race Loses Updates Without A Lock On Trio
    Lost Update And Its Lock    trio

An Idempotency Key Makes A Payment Once
    [Documentation]    Two requests with one key at once: one creates the payment, the
    ...                other is refused while it works; a retry afterwards replays it.
    Open ASGI Client    ${CONCURRENCY}
    VAR    &{key}    Idempotency-Key=order-42
    ${first}=    Start Request    POST    /payments    json={"amount": 10}    headers=${key}    expected_status=any
    ${second}=    Start Request    POST    /payments    json={"amount": 10}    headers=${key}    expected_status=any
    ${a}=    Wait For Response    ${first}
    ${b}=    Wait For Response    ${second}
    ${statuses}=    Evaluate    sorted([$a.status_code, $b.status_code])
    Should Be Equal    ${statuses}    ${{ [201, 409] }}
    ${retry}=    POST    /payments    json={"amount": 10}    headers=${key}    expected_status=201
    Should Be Equal    ${retry.headers}[Idempotent-Replayed]    true
    ${created}=    IF    $a.status_code == 201    Set Variable    ${a}    ELSE    Set Variable    ${b}
    Should Be Equal    ${retry.json()}[id]    ${created.json()}[id]
    GET    /payments/count
    Response Json Should Be    {"created": 1}

A Lock Refuses A Second Run While The First Runs
    Open ASGI Client    ${CONCURRENCY}    backend=trio
    ${first}=    Start Request    POST    /jobs/nightly/run    params={"ms": "300"}    expected_status=200
    GET    /jobs/nightly/started    expected_status=200
    ${second}=    Start Request    POST    /jobs/nightly/run    expected_status=423
    ${refused}=    Wait For Response    ${second}
    Should Be Equal    ${refused.json()}[detail]    job nightly is already running
    Wait For Response    ${first}
    POST    /jobs/nightly/run    params={"ms": "0"}    expected_status=200

A Rate Limit Lets Three Of Five Concurrent Requests Through
    Open ASGI Client    ${CONCURRENCY}
    @{handles}=    Start Requests    5    GET    /limited    expected_status=any
    @{statuses}=    Create List
    FOR    ${handle}    IN    @{handles}
        ${resp}=    Wait For Response    ${handle}
        Append To List    ${statuses}    ${resp.status_code}
        IF    $resp.status_code == 429    Should Be Equal    ${resp.headers}[Retry-After]    60
    END
    Sort List    ${statuses}
    Should Be Equal    ${statuses}    ${{ [200, 200, 200, 429, 429] }}

Wait For Response Applies The Expected Status Given To Start Request
    ${handle}=    Start Request    GET    /barrier    params={"n": "2", "timeout": "0.1"}    expected_status=200
    Run Keyword And Expect Error
    ...    EQUALS:GET http://testserver/barrier?n=2&timeout=0.1 returned status 504 Gateway Timeout, expected 200 OK. Response body: {"detail":"only 1 of 2 requests arrived together"}
    ...    Wait For Response    ${handle}
    ${handle}=    Start Request    GET    /barrier    params={"n": "2", "timeout": "0.1"}    msg=the barrier held
    Run Keyword And Expect Error    EQUALS:the barrier held    Wait For Response    ${handle}
    Status Should Be    504

The Waited Response Is The Last Response
    ${handle}=    Start Request    GET    /slow    params={"ms": "10"}
    ${resp}=    Wait For Response    ${handle}
    Should Be Equal    ${resp.json()}    ${{ {"slept_ms": 10} }}
    Response Json Should Be    {"slept_ms": 10}

A Wait That Times Out Leaves The Request Running
    ${handle}=    Start Request    GET    /slow    params={"ms": "400"}    alias=slow-one
    Should Be Equal    ${handle}    slow-one
    Run Keyword And Expect Error
    ...    EQUALS:Request 'slow-one' (GET http://testserver/slow?ms=400) did not finish within 100 milliseconds. It goes on: wait for it again, or it is cancelled when its test ends.
    ...    Wait For Response    slow-one    timeout=100ms
    ${resp}=    Wait For Response    slow-one    timeout=5s
    Should Be Equal    ${resp.json()}[slept_ms]    ${400}

A Request Is Waited For Once
    ${handle}=    Start Request    GET    /slow    params={"ms": "0"}
    Wait For Response    ${handle}
    Run Keyword And Expect Error
    ...    EQUALS:Request '${handle}' was waited for already: Wait For Response returns a request's response once.
    ...    Wait For Response    ${handle}
    Run Keyword And Expect Error
    ...    EQUALS:No open ASGI started request has the alias 'nope'. Open started requests: none.
    ...    Wait For Response    nope

An App Exception Fails Wait For Response
    Open ASGI Client    ${STARLETTE}
    ${handle}=    Start Request    GET    /raise
    Run Keyword And Expect Error    EQUALS:RuntimeError: starlette route failed    Wait For Response    ${handle}
    GET    /hello    expected_status=200

Bad Arguments Fail Start Request At Once
    Run Keyword And Expect Error    EQUALS:Invalid method 'GE T': give an HTTP method such as GET, POST or PURGE (letters, digits and !#$%&'*+-.^_`|~, no spaces).
    ...    Start Request    GE T    /slow
    Run Keyword And Expect Error    Invalid expected_status*
    ...    Start Request    GET    /slow    expected_status=sometimes
    Run Keyword And Expect Error    EQUALS:The alias 'suite-client' is already used by an open ASGI client: close it first or choose another alias.
    ...    Start Request    GET    /slow    alias=suite-client
    Request Should Be Gone    suite-client

Leave A Request Unwaited
    [Documentation]    Checked by the next test: it is cancelled when this test ends.
    Start Request    GET    /slow    params={"ms": "5000"}    alias=forgotten

The Unwaited Request Was Cancelled When Its Test Ended
    Request Should Be Gone    forgotten
    ${resp}=    GET    /cancelled
    Should Be True    ${resp.json()}[count] >= 1

Closing A Client Cancels Its Started Requests
    Open ASGI Client    ${CONCURRENCY}    alias=short-lived
    Start Request    GET    /slow    params={"ms": "5000"}    alias=on-short-lived
    Start Request    GET    /slow    params={"ms": "300"}    alias=on-suite-client    client=suite-client
    Close ASGI Client    short-lived
    Request Should Be Gone    on-short-lived
    ${resp}=    Wait For Response    on-suite-client
    Should Be Equal    ${resp.json()}[slept_ms]    ${300}


*** Keywords ***
Requests Overlap
    [Documentation]    Three started requests meet at a barrier that lets none through
    ...                before all three are in the app together.
    [Arguments]    ${backend}
    Open ASGI Client    ${CONCURRENCY}    backend=${backend}
    Backend Should Be    ${backend}
    @{handles}=    Start Requests    3    GET    /barrier    params={"n": "3", "timeout": "5"}    expected_status=200
    @{arrived}=    Create List
    FOR    ${handle}    IN    @{handles}
        ${resp}=    Wait For Response    ${handle}    timeout=10s
        Should Be Equal    ${resp.json()}[together]    ${3}
        Append To List    ${arrived}    ${resp.json()}[arrived]
    END
    Sort List    ${arrived}
    Should Be Equal    ${arrived}    ${{ [1, 2, 3] }}

Lost Update And Its Lock
    [Documentation]    Five concurrent read-wait-write increments: without the lock
    ...                all read 0 and write 1; under the lock the counter reaches 5.
    [Arguments]    ${backend}
    Open ASGI Client    ${CONCURRENCY}    backend=${backend}
    Backend Should Be    ${backend}
    @{unsafe}=    Start Requests    5    POST    /counter/unsafe    expected_status=200
    @{safe}=    Start Requests    5    POST    /counter/safe    expected_status=200
    FOR    ${handle}    IN    @{unsafe}    @{safe}
        Wait For Response    ${handle}
    END
    GET    /counter
    Response Json Should Be    {"unsafe": 1, "safe": 5}

Start Requests
    [Documentation]    Starts ``count`` requests with the same arguments; returns their handles.
    [Arguments]    ${count}    @{arguments}    &{named}
    @{handles}=    Create List
    FOR    ${index}    IN RANGE    ${count}
        ${handle}=    Start Request    @{arguments}    &{named}
        Append To List    ${handles}    ${handle}
    END
    RETURN    ${handles}

Request Should Be Gone
    [Documentation]    Fails unless no started request has the alias ``handle``.
    [Arguments]    ${handle}
    Run Keyword And Expect Error    STARTS:No open ASGI started request has the alias '${handle}'. Open started requests:
    ...    Wait For Response    ${handle}
