*** Settings ***
Documentation     What a suite setup changes in the app lasts until the suite ends,
...               across its tests, whatever a test changes on top of it;
...               ``10_after_suite_changes.robot`` checks it was undone then.
Resource          ../resources/common.resource
Suite Setup       Change The App For The Suite


*** Variables ***
${MODULE}         apps.contract_fastapi


*** Test Cases ***
The First Test Sees The Suite's Changes
    Open ASGI Client    ${MODULE}:create_app()
    GET    /settings
    Response Json Should Be    {"greeting": "Suite greeting", "new_checkout": true}
    Set App Attribute    ${MODULE}:settings.greeting    Test greeting
    GET    /settings
    Json Value Should Be    /greeting    Test greeting

The Next Test Sees The Suite's Changes, Not The Test's
    Open ASGI Client    ${MODULE}:create_app()
    GET    /settings
    Response Json Should Be    {"greeting": "Suite greeting", "new_checkout": true}

Close All ASGI Clients Leaves The Changes Alone
    Open ASGI Client    ${MODULE}:create_app()
    Close All ASGI Clients
    Open ASGI Client    ${MODULE}:create_app()
    GET    /settings
    Json Value Should Be    /new_checkout    true


*** Keywords ***
Change The App For The Suite
    Set App Attribute    ${MODULE}:settings.greeting    Suite greeting
    Set App Attribute    ${MODULE}:settings.new_checkout    ${True}
