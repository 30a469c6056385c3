*** Settings ***
Documentation     Test doubles that undo themselves: ``Override Dependency`` on a
...               FastAPI app and ``Set App Attribute`` on FastAPI and Litestar apps,
...               each undone - and logged - when the test that made it ends. What a
...               suite setup changes lasts until the suite ends: see
...               ``scopes/09_suite_changes.robot``; what a failing test changed is
...               undone too: ``expected_failures/changes_undone.robot``.
Resource          resources/common.resource
Library           resources/LogCapture.py


*** Variables ***
${PETS FASTAPI}     apps.contract_fastapi:create_app()
${PETS LITESTAR}    apps.contract_litestar:create_app()
${MODULE}           apps.contract_fastapi


*** Test Cases ***
Override Dependency Replaces A Dependency Of The Client's FastAPI App
    Open ASGI Client    ${PETS FASTAPI}    alias=shop
    Override Dependency    ${MODULE}:get_store    ${MODULE}:fake_store
    Log Should Contain    Overrode the dependency ${MODULE}.get_store in the FastAPI app of client 'shop' with ${MODULE}.fake_store; undone when test 'Override Dependency Replaces A Dependency Of The Client's FastAPI App' ends.
    ${resp}=    GET    /pets    headers={"X-Tenant": "acme"}
    Should Be Equal    ${resp.json()}[0][name]    Fake
    GET    /pets/7

The Next Test Finds The Dependency Restored
    Open ASGI Client    ${PETS FASTAPI}
    ${resp}=    GET    /pets    headers={"X-Tenant": "acme"}
    Should Be Equal    ${resp.json()}[0][name]    Tom
    GET    /pets/7    expected_status=404

Override Dependency Takes Objects, A Client And Middleware Around The App
    ${app}=    Evaluate    apps.contract_fastapi.create_app()    modules=apps.contract_fastapi
    ${wrapped}=    Evaluate    starlette.middleware.gzip.GZipMiddleware($app)    modules=starlette.middleware.gzip
    ${real}=    Evaluate    apps.contract_fastapi.get_store    modules=apps.contract_fastapi
    ${fake}=    Evaluate    lambda: {1: dict(apps.contract_fastapi.STORE[1], name="Double")}    modules=apps.contract_fastapi
    Open ASGI Client    ${wrapped}    alias=wrapped
    Open ASGI Client    ${PETS FASTAPI}    alias=other
    Override Dependency    ${real}    ${fake}    client=wrapped
    ${resp}=    GET    /pets/1    client=wrapped
    Should Be Equal    ${resp.json()}[name]    Double
    ${resp}=    GET    /pets/1    client=other
    Should Be Equal    ${resp.json()}[name]    Tom
    Should Be Equal    ${app.dependency_overrides}    ${{ {$real: $fake} }}

An Override Made Twice Is Undone Step By Step
    ${app}=    Evaluate    apps.contract_fastapi.create_app()    modules=apps.contract_fastapi
    Open ASGI Client    ${app}    alias=twice
    Override Dependency    ${MODULE}:get_store    ${MODULE}:fake_store
    ${first}=    Evaluate    lambda: {}
    Override Dependency    ${MODULE}:get_store    ${first}
    ${resp}=    GET    /pets    headers={"X-Tenant": "acme"}
    Should Be Empty    ${resp.json()}
    Length Should Be    ${app.dependency_overrides}    1
    Log Should Contain    Overrode the dependency ${MODULE}.get_store in the FastAPI app of client 'twice' with <lambda>
    Set Suite Variable    ${TWICE}    ${app}

The Overrides Of The Previous Test Were Undone Last First
    [Documentation]    Undone first made first, the first undo would leave the
    ...                override the second one put back.
    Should Be Empty    ${TWICE.dependency_overrides}

Override Dependency Needs A FastAPI App
    Open ASGI Client    ${PETS LITESTAR}
    Run Keyword And Expect Error
    ...    EQUALS:Override Dependency needs a FastAPI app, and the client's app is a Litestar object, which has no dependency_overrides. Use Set App Attribute to replace what other apps use.
    ...    Override Dependency    ${MODULE}:get_store    ${MODULE}:fake_store
    ${wrapped}=    Evaluate    starlette.middleware.gzip.GZipMiddleware(apps.starlette_app.app)    modules=starlette.middleware.gzip,apps.starlette_app
    Open ASGI Client    ${wrapped}
    Run Keyword And Expect Error
    ...    EQUALS:Override Dependency needs a FastAPI app, and the client's app is a GZipMiddleware object -> a Starlette object, which has no dependency_overrides. Use Set App Attribute to replace what other apps use.
    ...    Override Dependency    ${MODULE}:get_store    ${MODULE}:fake_store

Override Dependency Says What Is Wrong With Its Arguments
    Open ASGI Client    ${PETS FASTAPI}
    Run Keyword And Expect Error
    ...    EQUALS:Cannot import the dependency '${MODULE}:get_stores': '${MODULE}' has no attribute 'get_stores'.
    ...    Override Dependency    ${MODULE}:get_stores    ${MODULE}:fake_store
    Run Keyword And Expect Error
    ...    EQUALS:Invalid replacement 42: give a callable, or a 'module:attribute' string naming one.
    ...    Override Dependency    ${MODULE}:get_store    ${42}
    Run Keyword And Expect Error    Cannot import the dependency 'get_store': use 'package.module:attribute'*
    ...    Override Dependency    get_store    ${MODULE}:fake_store

Set App Attribute Replaces A Setting Until The Test Ends
    [Template]    Setting Should Be Replaced For One Test
    ${PETS FASTAPI}     apps.contract_fastapi
    ${PETS LITESTAR}    apps.contract_litestar

Set App Attribute Converts A String To The Type Of The Value It Replaces
    Open ASGI Client    ${PETS FASTAPI}
    FOR    ${given}    ${expected}    IN    yes    ${True}    False    ${False}    on    ${True}    0    ${False}
        Set App Attribute    ${MODULE}:settings.new_checkout    ${given}
        GET    /settings
        Json Value Should Be    /new_checkout    ${expected}
    END
    Run Keyword And Expect Error
    ...    EQUALS:Cannot set ${MODULE}:settings.new_checkout to 'maybe': it is a bool (False), and 'maybe' is not one. Give a bool, e.g. \${True}.
    ...    Set App Attribute    ${MODULE}:settings.new_checkout    maybe
    Set App Attribute    ${MODULE}:settings.greeting    42    # a str stays a str
    ${resp}=    GET    /settings
    Should Be Equal    ${resp.json()}[greeting]    42

Set App Attribute Takes Any Object And A Module Attribute
    ${clock}=    Evaluate    lambda: "2030-01-01"
    Set App Attribute    ${MODULE}:settings.greeting    ${clock}
    ${now}=    Evaluate    apps.contract_fastapi.settings.greeting()    modules=apps.contract_fastapi
    Should Be Equal    ${now}    2030-01-01
    Set App Attribute    ${MODULE}:STORE    ${{ {} }}
    Open ASGI Client    ${PETS FASTAPI}
    GET    /pets/1    expected_status=404

The Next Test Finds The Attributes Restored
    Open ASGI Client    ${PETS FASTAPI}
    GET    /settings
    Response Json Should Be    {"greeting": "Hello", "new_checkout": false}
    GET    /pets/1

Set App Attribute Says What Is Wrong With Its Arguments
    Run Keyword And Expect Error
    ...    EQUALS:Cannot set ${MODULE}:settings.new_chekout: a Settings object has no attribute 'new_chekout'. Its attributes: greeting, new_checkout.
    ...    Set App Attribute    ${MODULE}:settings.new_chekout    True
    Run Keyword And Expect Error
    ...    EQUALS:Invalid attribute 'settings.debug': give 'module:attribute', e.g. 'myservice.config:settings.debug'.
    ...    Set App Attribute    settings.debug    True
    Run Keyword And Expect Error
    ...    EQUALS:Cannot import the attribute's owner '${MODULE}:setting': '${MODULE}' has no attribute 'setting'.
    ...    Set App Attribute    ${MODULE}:setting.debug    True
    Run Keyword And Expect Error    Cannot import the attribute's module 'no_such_module:x': no module named 'no_such_module'*
    ...    Set App Attribute    no_such_module:x    1
    Run Keyword And Expect Error    Cannot set ${MODULE}:Color.red: AttributeError: *
    ...    Set App Attribute    ${MODULE}:Color.red    blue


*** Keywords ***
Setting Should Be Replaced For One Test
    [Arguments]    ${app}    ${module}
    Open ASGI Client    ${app}
    Set App Attribute    ${module}:settings.new_checkout    True
    Log Should Contain    Set ${module}:settings.new_checkout to True (was False); undone when test 'Set App Attribute Replaces A Setting Until The Test Ends' ends.
    Set App Attribute    ${module}:settings.greeting    Howdy
    GET    /settings
    Response Json Should Be    {"greeting": "Howdy", "new_checkout": true}
