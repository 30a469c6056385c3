*** Settings ***
Documentation     After ``09_suite_changes.robot``: the changes its suite setup made
...               were undone when that suite ended.
Resource          ../resources/common.resource


*** Test Cases ***
The Changes Of The Previous Suite Were Undone
    Open ASGI Client    apps.contract_fastapi:create_app()
    GET    /settings
    Response Json Should Be    {"greeting": "Hello", "new_checkout": false}
