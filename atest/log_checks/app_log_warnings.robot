*** Settings ***
Documentation     ``app_log_warnings=True``: the app's WARNING and ERROR records become
...               Robot warnings and errors (in Execution Errors and on the console),
...               as some teams want; its other records stay INFO and DEBUG.
...
...               The library is imported here only, with its own arguments: an
...               instance of its own. Run by ``atest/run.py`` with its log checked in
...               ``output.xml`` (see ``app_logging.robot``).
Library           RobotASGI    app_log_warnings=True
Test Tags         log-check


*** Variables ***
${STARLETTE}      apps.starlette_app:app
${DJANGO}         apps.django_app:create_application()


*** Test Cases ***
App Warnings Become Robot Warnings
    [Documentation]    PASS
    ...    LOG WARN IN GET: WARNING [django.request] Not Found: /warned/page
    ...    EXECUTION ERROR WARN: WARNING [django.request] Not Found: /warned/page
    Open ASGI Client    ${DJANGO}
    GET    /warned/page    expected_status=404

App Errors Become Robot Errors
    [Documentation]    PASS
    ...    LOG ERROR IN GET: ERROR [apps.starlette] log from the app: an error made an error
    ...    EXECUTION ERROR ERROR: ERROR [apps.starlette] log from the app: an error made an error
    Open ASGI Client    ${STARLETTE}
    GET    /log    params={"text": "an error made an error", "level": "error"}

Other Records Stay Info And Debug
    [Documentation]    PASS
    ...    LOG INFO IN GET: INFO [apps.starlette] log from the app: info stays info
    ...    LOG DEBUG IN GET: DEBUG [apps.starlette] log from the app: debug stays debug
    ...    NO EXECUTION ERROR: stays
    Open ASGI Client    ${STARLETTE}
    GET    /log    params={"text": "info stays info", "level": "info"}
    GET    /log    params={"text": "debug stays debug", "level": "debug"}

An Invalid Value Is Refused
    [Documentation]    PASS
    Import With An Invalid Value Fails


*** Keywords ***
Import With An Invalid Value Fails
    [Documentation]    Not run by ``robot --dryrun``, which runs ``Import Library``.
    [Tags]    robot:no-dry-run
    Run Keyword And Expect Error    *app_log_warnings*
    ...    Import Library    RobotASGI    app_log_warnings=sometimes
