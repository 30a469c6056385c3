*** Settings ***
Documentation     Without the ``openapi`` extra, every contract-testing entry point
...               fails saying which extra to install, and nothing is left open.
...
...               Runs where the extra is missing - ``tools/lowest_versions.py`` runs
...               it in its environment, which does not install the extra - and is
...               skipped where it is installed (``contracts.robot`` runs there).
Resource          resources/common.resource
Suite Setup       Skip If The OpenAPI Extra Is Installed


*** Variables ***
${INSTALL}        Install it with: pip install "robotframework-robotasgi[openapi]"


*** Test Cases ***
Open ASGI Client With openapi= Says Which Extra To Install
    FOR    ${openapi}    IN    auto    /openapi.json    ${CURDIR}/data/petshop-openapi-3.0.yaml
        ${error}=    Run Keyword And Expect Error    *    Open ASGI Client    ${DEMO}    openapi=${openapi}
        Should Say Which Extra To Install    ${error}    Open ASGI Client with openapi=    openapi_core
        Nothing Should Be Open
    END

Response Should Match OpenAPI Says Which Extra To Install
    Open ASGI Client    ${DEMO}
    GET    /hello
    ${error}=    Run Keyword And Expect Error    *    Response Should Match OpenAPI
    Should Say Which Extra To Install    ${error}    Response Should Match OpenAPI    openapi_core

Json Should Match Schema Says Which Extra To Install
    Open ASGI Client    ${DEMO}
    POST    /echo    json={"op": "ping"}
    ${error}=    Run Keyword And Expect Error    *    Json Should Match Schema    {"type": "object"}
    Should Say Which Extra To Install    ${error}    Json Should Match Schema    jsonschema

The Coverage Keywords Say Which Extra To Install
    Open ASGI Client    ${DEMO}
    ${error}=    Run Keyword And Expect Error    *    Get OpenAPI Coverage
    Should Say Which Extra To Install    ${error}    OpenAPI coverage    openapi_core
    ${error}=    Run Keyword And Expect Error    *    Log OpenAPI Coverage
    Should Say Which Extra To Install    ${error}    OpenAPI coverage    openapi_core


*** Keywords ***
Should Say Which Extra To Install
    [Documentation]    The message starts with what needs the extra and the import that
    ...                failed, and ends with the pip command (compared as text: the
    ...                brackets of ``[openapi]`` would be a character class in a pattern).
    [Arguments]    ${error}    ${feature}    ${module}
    Should Start With    ${error}
    ...    ${feature} needs the optional 'openapi' extra, which is not installed (importing ${module} failed: No module named '${module}').
    Should End With    ${error}    ${INSTALL}
Skip If The OpenAPI Extra Is Installed
    ${installed}=    Evaluate    RobotASGI.contracts.extra_installed()    modules=RobotASGI.contracts
    Skip If    ${installed}
    ...    The 'openapi' extra is installed: contracts.robot tests contract testing here; this suite runs where the extra is missing (tools/lowest_versions.py).
