*** Settings ***
Documentation     Runs after ``02_suite_scope.robot``: the client its suite setup
...               opened was closed when that suite ended.
Resource          ../resources/common.resource


*** Test Cases ***
The Previous Suite's Client Is Gone
    Nothing Should Be Open
    Open ASGI Client    ${DEMO}    alias=suite-client
