*** Settings ***
Documentation     What a test changed in the app is undone when the test ends,
...               also when it fails.
...
...               Run separately by ``atest/run.py``; a test's expected status is
...               in its documentation: ``FAIL <message pattern>``, or PASS.
Resource          ../resources/common.resource
Test Tags         expected-failure


*** Variables ***
${MODULE}         apps.contract_fastapi


*** Test Cases ***
A Failing Test Changes The App
    [Documentation]    FAIL The test's own failure
    ${app}=    Evaluate    apps.contract_fastapi.create_app()    modules=apps.contract_fastapi
    Set Suite Variable    ${CHANGED APP}    ${app}
    Open ASGI Client    ${app}
    Override Dependency    ${MODULE}:get_store    ${MODULE}:fake_store
    Set App Attribute    ${MODULE}:settings.new_checkout    True
    Fail    The test's own failure

Its Changes Were Undone
    [Documentation]    PASS
    Open ASGI Client    ${MODULE}:create_app()
    GET    /settings
    Json Value Should Be    /new_checkout    false
    Should Be Empty    ${CHANGED APP.dependency_overrides}
