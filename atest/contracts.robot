*** Settings ***
Documentation     Contract testing against the app's own OpenAPI document: every
...               exchange of a client opened with ``openapi=`` checked, coverage,
...               ``Response Should Match OpenAPI`` and ``Json Should Match Schema``,
...               on a FastAPI and a Litestar pet shop with real schemas (nested
...               models, enums, ``oneOf``, required fields, path/query/header
...               parameters, 422 and 400 answers), and an OpenAPI 3.0 file.
...
...               Needs the ``openapi`` extra: without it every test is skipped, and
...               ``contracts_without_extra.robot`` checks what users are told.
Resource          resources/common.resource
Library           resources/LogCapture.py
Suite Setup       Skip Unless The OpenAPI Extra Is Installed


*** Variables ***
${PETS FASTAPI}     apps.contract_fastapi:create_app()
${PETS LITESTAR}    apps.contract_litestar:create_app()
${FILE 3.0}         ${CURDIR}/data/petshop-openapi-3.0.yaml
${GOOD PET}         {"name": "Kit", "color": "red", "animal": {"kind": "cat", "lives": 3}}
${LIVES}            $.animal.lives: 'nine' is not of type 'integer' - the schema expects type: "integer"
${COLOR}            $.color: 'green' is not one of ['red', 'black', 'white'] - the schema expects enum: ["red", "black", "white"]


*** Test Cases ***
Every Exchange Is Checked Against The App's Own Document
    [Template]    Exchanges Should Match The Document
    ${PETS FASTAPI}     auto                    422
    ${PETS FASTAPI}     /openapi.json           422
    ${PETS LITESTAR}    auto                    400
    ${PETS LITESTAR}    /schema/openapi.json    400

A Response That Violates Its Schema Fails With The Operation, The JSON Path And What Is Expected
    [Template]    Broken Response Should Fail
    ${PETS FASTAPI}     /openapi.json           ${LIVES}\n${SPACE*4}${COLOR}
    ${PETS LITESTAR}    /schema/openapi.json    ${LIVES} (in the closest of the oneOf alternatives, none of which matched)\n${SPACE*4}${COLOR}

A Status The Operation Does Not Declare Fails
    Open ASGI Client    ${PETS FASTAPI}    openapi=auto
    Run Keyword And Expect Error
    ...    EQUALS:GET /undeclared/{pet_id} answered 404, a status the operation does not declare (declared: 200, 422) in the OpenAPI document from /openapi.json.
    ...    GET    /undeclared/1    expected_status=404

A Status Mismatch Is Reported Before The Contract
    Open ASGI Client    ${PETS FASTAPI}    openapi=auto
    Run Keyword And Expect Error    GET http://testserver/broken returned status 200 OK, expected 201 Created.*
    ...    GET    /broken    expected_status=201
    ${coverage}=    Get OpenAPI Coverage
    Should Be Equal    ${coverage}[GET /broken]    ${{ [200] }}    # recorded all the same

A Request To No Operation Of The Document Is Noted, Not Failed
    Open ASGI Client    ${PETS FASTAPI}    openapi=auto
    GET    /nowhere    expected_status=404
    Log Should Contain    GET /nowhere is no operation of the OpenAPI document: the response is not checked (noted, not a failure).
    ${text}=    Log OpenAPI Coverage
    Should Contain    ${text}    Requests to no operation of the document:\n- GET /nowhere: 404

An OpenAPI 3.0 File: nullable, A Discriminator With A Mapping, $ref
    Open ASGI Client    ${PETS FASTAPI}    openapi=${FILE 3.0}
    ${pet}=    GET    /pets/2    # owner: null, allowed by nullable
    Should Be Equal    ${pet.json()}[owner]    ${None}
    GET    /pets/1
    GET    /pets/99    expected_status=404
    Run Keyword And Expect Error
    ...    EQUALS:GET /broken answered 200, which does not match the OpenAPI document from ${FILE 3.0}:\n${SPACE*2}response body:\n${SPACE*4}${LIVES}\n${SPACE*4}${COLOR}
    ...    GET    /broken
    ${coverage}=    Get OpenAPI Coverage
    Should Be Equal    ${coverage}    ${{ {"GET /pets/{pet_id}": [200, 404], "GET /broken": [200]} }}

Response Should Match OpenAPI Checks A Response Of A Client That Does Not Validate
    [Template]    Response Should Match OpenAPI On Demand
    ${PETS FASTAPI}     auto
    ${PETS FASTAPI}     /openapi.json
    ${PETS LITESTAR}    auto
    ${PETS LITESTAR}    /schema/openapi.json

Response Should Match OpenAPI Takes A File And Another Client
    Open ASGI Client    ${PETS LITESTAR}    alias=litestar
    Open ASGI Client    ${PETS FASTAPI}    alias=fastapi    openapi=auto
    ${resp}=    GET    /pets/2    client=litestar
    Response Should Match OpenAPI    ${resp}    openapi=${FILE 3.0}
    Response Should Match OpenAPI    ${resp}    client=fastapi    # the client's own document
    ${resp}=    GET    /broken    client=litestar
    Run Keyword And Expect Error    GET /broken answered 200, which does not match the OpenAPI document from ${FILE 3.0}:*
    ...    Response Should Match OpenAPI    ${resp}    openapi=${FILE 3.0}

Response Should Match OpenAPI Fails For A Path Outside The Document
    Open ASGI Client    ${PETS FASTAPI}
    GET    /docs
    Run Keyword And Expect Error
    ...    EQUALS:GET /docs is no operation of the OpenAPI 3.1.0 document 'Pet shop (FastAPI) 1.0' from /openapi.json, 8 operations: operations: GET /pets, POST /pets, GET /pets/{pet_id}, DELETE /pets/{pet_id}, GET /settings, GET /undeclared/{pet_id}, GET /broken, GET /plain.
    ...    Response Should Match OpenAPI

Get OpenAPI Coverage Gives The Status Codes Each Operation Answered
    [Template]    Coverage Should Be
    ${PETS FASTAPI}     {"GET /pets": [200, 422], "POST /pets": [], "GET /pets/{pet_id}": [200, 404], "DELETE /pets/{pet_id}": [], "GET /settings": [], "GET /undeclared/{pet_id}": [], "GET /broken": [], "GET /plain": [200]}
    ${PETS LITESTAR}    {"GET /pets": [200, 400], "POST /pets": [], "GET /pets/{pet_id}": [200, 404], "GET /settings": [], "GET /broken": []}

Log OpenAPI Coverage Marks What Was Never Exercised
    Open ASGI Client    ${PETS LITESTAR}    alias=shop    openapi=auto
    GET    /pets/1
    POST    /pets    json=${GOOD PET}    expected_status=201
    ${text}=    Log OpenAPI Coverage    client=shop
    Should Be Equal    ${text}
    ...    OpenAPI coverage of client 'shop': 2 of 5 operations exercised (OpenAPI 3.1.0 document 'Litestar API 1.0.0' from /schema/openapi.json, 5 operations).\n- GET /pets: NEVER EXERCISED\n- POST /pets: 201 (declared, never answered: 400)\n- GET /pets/{pet_id}: 200 (declared, never answered: 400, 404)\n- GET /settings: NEVER EXERCISED\n- GET /broken: NEVER EXERCISED
    Log Should Contain    ${text}

The Coverage Is Logged When The Client Closes
    Open ASGI Client    ${PETS FASTAPI}    alias=closing    openapi=auto
    GET    /plain
    Clear Captured Log
    Close ASGI Client    closing
    Log Should Contain    OpenAPI coverage of client 'closing': 1 of 8 operations exercised
    Log Should Contain    - GET /broken: NEVER EXERCISED\n- GET /plain: 200

Coverage Belongs To Clients That Validate
    Open ASGI Client    ${PETS FASTAPI}    alias=plain
    Run Keyword And Expect Error
    ...    EQUALS:Client 'plain' does not check its exchanges against an OpenAPI document: open it with Open ASGI Client and openapi=auto (or the document's file or URL path).
    ...    Get OpenAPI Coverage
    Run Keyword And Expect Error    Client 'plain' does not check*    Log OpenAPI Coverage    client=plain

A Document That Cannot Be Used Fails Open ASGI Client And Leaves Nothing Open
    [Template]    Opening Should Fail
    ${DEMO}             auto                 Found no OpenAPI document at /openapi.json (the app answered 404) or /schema/openapi.json (the app answered 404): give openapi= the document's URL path or a file path.
    ${PETS FASTAPI}     /schema/openapi.json    No OpenAPI document at /schema/openapi.json: the app answered 404.
    ${PETS FASTAPI}     /plain               No OpenAPI document at /plain: the app answered with text/plain; charset=utf-8, not JSON.
    ${PETS FASTAPI}     no/such/file.json    Invalid openapi 'no/such/file.json': it is not an existing file, nor a URL path starting with '/', nor auto.
    ${PETS FASTAPI}     ${CURDIR}/data/report.txt    The OpenAPI document ${CURDIR}/data/report.txt is not valid JSON: *
    ${PETS FASTAPI}     /pets/1              /pets/1 is not an OpenAPI 3 document: it has no 'openapi' version field.

Json Should Match Schema Passes And Fails With The JSON Path
    Open ASGI Client    ${PETS FASTAPI}
    ${first}=    GET    /pets/1
    Json Should Match Schema    {"type": "object", "required": ["id", "name", "animal"], "properties": {"id": {"type": "integer"}}}
    ${schema}=    Create Dictionary    type=object    required=${{ ["id"] }}
    Json Should Match Schema    ${schema}
    Json Should Match Schema    ${CURDIR}/data/pet.schema.json
    ${resp}=    GET    /broken
    Run Keyword And Expect Error
    ...    EQUALS:The JSON body does not match the schema:\n${SPACE*2}$.animal.lives: 'nine' is not of type 'integer' - the schema expects type: "integer"\n${SPACE*2}$.color: 'green' is not one of ['red', 'black', 'white'] - the schema expects enum: ["red", "black", "white"]
    ...    Json Should Match Schema    ${CURDIR}/data/pet.schema.json
    Run Keyword And Expect Error    EQUALS:Not a pet    Json Should Match Schema    ${CURDIR}/data/pet.schema.json    msg=Not a pet
    GET    /pets/2
    Run Keyword And Expect Error    The JSON body does not match the schema:\n${SPACE*2}$.owner: None is not of type 'object'*
    ...    Json Should Match Schema    {"properties": {"owner": {"type": "object"}}}
    Json Should Match Schema    {"properties": {"owner": {"type": "object"}}}    response=${first}

Json Should Match Schema Says What Is Wrong With The Schema
    Open ASGI Client    ${PETS FASTAPI}
    GET    /pets/1
    Run Keyword And Expect Error
    ...    EQUALS:Invalid schema: it is not a valid JSON Schema: 'objects' is not valid under any of the given schemas at $.type.
    ...    Json Should Match Schema    {"type": "objects"}
    Run Keyword And Expect Error    Invalid schema 'no such file': it is neither JSON (*) nor an existing file. Give a dictionary, a JSON string or the path of a JSON file.
    ...    Json Should Match Schema    no such file
    GET    /plain
    Run Keyword And Expect Error    The response body is not JSON: plain text
    ...    Json Should Match Schema    {"type": "string"}


*** Keywords ***
Skip Unless The OpenAPI Extra Is Installed
    ${installed}=    Evaluate    RobotASGI.contracts.extra_installed()    modules=RobotASGI.contracts
    Skip If    not ${installed}
    ...    The 'openapi' extra is not installed (pip install "robotframework-robotasgi[openapi]"): contracts_without_extra.robot checks what users are told.

Exchanges Should Match The Document
    [Arguments]    ${app}    ${openapi}    ${invalid}
    Open ASGI Client    ${app}    openapi=${openapi}
    Log Should Contain    checks every exchange against the OpenAPI 3.1.0 document
    ${resp}=    GET    /pets    headers={"X-Tenant": "acme"}    params={"color": "black"}
    Should Be Equal    ${resp.json()}[0][name]    Tom
    GET    /pets/1
    GET    /pets/99    expected_status=404
    Log Should Contain    The response of GET /pets/{pet_id} (404) matches the OpenAPI document.
    POST    /pets    json=${GOOD PET}    expected_status=201
    # Invalid requests answered with the declared validation error: the request is noted, the response passes.
    Clear Captured Log
    GET    /pets    expected_status=${invalid}
    Log Should Contain    The request does not match GET /pets in the OpenAPI document (noted, not a failure: suites send invalid requests on purpose):
    Log Should Contain    Missing required header parameter:
    GET    /pets    headers={"X-Tenant": "acme"}    params={"limit": 0}    expected_status=${invalid}
    Log Should Contain    Invalid query parameter: limit:\n${SPACE*4}$: 0 is less than the minimum of 1
    POST    /pets    json={"name": "", "color": "green"}    expected_status=${invalid}
    Log Should Contain    $.color: 'green' is not one of ['red', 'black', 'white']
    Log Should Contain    $.name: '' should be non-empty - the schema expects minLength: 1
    Log Should Contain    $: 'animal' is a required property
    Log Should Contain    The response of POST /pets (${invalid}) matches the OpenAPI document.

Broken Response Should Fail
    [Arguments]    ${app}    ${source}    ${errors}
    Open ASGI Client    ${app}    openapi=auto
    Run Keyword And Expect Error
    ...    EQUALS:GET /broken answered 200, which does not match the OpenAPI document from ${source}:\n${SPACE*2}response body:\n${SPACE*4}${errors}
    ...    GET    /broken

Response Should Match OpenAPI On Demand
    [Arguments]    ${app}    ${openapi}
    Open ASGI Client    ${app}
    ${resp}=    GET    /pets/1
    GET    /broken
    Run Keyword And Expect Error    GET /broken answered 200, which does not match the OpenAPI document from /*
    ...    Response Should Match OpenAPI    openapi=${openapi}
    Response Should Match OpenAPI    ${resp}    openapi=${openapi}
    Log Should Contain    The response of GET /pets/{pet_id} (200) matches the OpenAPI 3.1.0 document

Coverage Should Be
    [Arguments]    ${app}    ${expected}
    Open ASGI Client    ${app}    openapi=auto
    GET    /pets    headers={"X-Tenant": "acme"}
    GET    /pets    expected_status=400, 422
    GET    /pets/1
    GET    /pets/2
    GET    /pets/99    expected_status=404
    IF    "litestar" not in $app    GET    /plain
    ${coverage}=    Get OpenAPI Coverage
    Should Be Equal    ${coverage}    ${{ json.loads($expected) }}

Opening Should Fail
    [Arguments]    ${app}    ${openapi}    ${message}
    Run Keyword And Expect Error    ${message}    Open ASGI Client    ${app}    openapi=${openapi}
    Nothing Should Be Open
