*** Settings ***
Documentation     What apps log with Python's ``logging`` stays in the keyword that
...               caused it, at INFO (DEBUG for debug records) with the record's level
...               named in the text, and never becomes a Robot warning or error: a
...               passing run's Execution Errors stay empty of it. A log call the app
...               got wrong never fails the keyword nor hides its error; records are
...               formatted when the app logs them.
...
...               Run by ``atest/run.py`` with its log checked in ``output.xml``: each
...               test's documentation says what it must (``LOG``) and must not (``NO
...               LOG``, ``NO EXECUTION ERROR``) have logged.
Resource          ../resources/common.resource
Resource          ../resources/ecosystem.resource
Test Tags         log-check


*** Test Cases ***
A Django 404 Warning Stays In The Keyword
    [Documentation]    PASS
    ...    LOG INFO IN GET: WARNING [django.request] Not Found: /no/such/page
    ...    NO EXECUTION ERROR: Not Found: /no/such/page
    Open ASGI Client    ${DJANGO HANDLED}
    GET    /no/such/page    expected_status=404

A Django CSRF Refusal Stays In The Keyword
    [Documentation]    PASS
    ...    LOG INFO IN POST: WARNING [django.security.csrf] Forbidden (CSRF cookie not set.): /form/protected
    ...    NO EXECUTION ERROR: Forbidden (CSRF
    Open ASGI Client    ${DJANGO HANDLED}
    POST    /form/protected    data={"a": "1"}    expected_status=403

An Exception The App Logs Stays In The Keyword
    [Documentation]    PASS
    ...    LOG INFO IN GET: ERROR [django.request] Internal Server Error: /raise
    ...    LOG INFO IN GET: ValueError: django view failed
    ...    LOG INFO IN GET: ERROR [apps.quart_app] Exception on request GET /raise
    ...    LOG INFO IN GET: ValueError: quart route failed
    ...    NO EXECUTION ERROR: Internal Server Error: /raise
    ...    NO EXECUTION ERROR: Exception on request GET /raise
    Open ASGI Client    ${DJANGO HANDLED}
    GET    /raise    expected_status=500
    Open ASGI Client    ${QUART HANDLED}
    GET    /raise    expected_status=500

Every Level Is Named In The Text
    [Documentation]    PASS
    ...    LOG DEBUG IN GET: DEBUG [apps.starlette] log from the app: a debug record
    ...    LOG INFO IN GET: INFO [apps.starlette] log from the app: an info record
    ...    LOG INFO IN GET: WARNING [apps.starlette] log from the app: a warning record
    ...    LOG INFO IN GET: ERROR [apps.starlette] log from the app: an error record
    ...    LOG INFO IN GET: CRITICAL [apps.starlette] log from the app: a critical record
    ...    NO EXECUTION ERROR: a warning record
    ...    NO EXECUTION ERROR: an error record
    ...    NO EXECUTION ERROR: a critical record
    Open ASGI Client    ${STARLETTE}
    GET    /log    params={"text": "a debug record", "level": "debug"}
    GET    /log    params={"text": "an info record", "level": "info"}
    GET    /log    params={"text": "a warning record", "level": "warning"}
    GET    /log    params={"text": "an error record", "level": "error"}
    GET    /log    params={"text": "a critical record", "level": "critical"}

A Broken Log Call Never Fails The Keyword
    [Documentation]    PASS
    ...    LOG INFO IN GET: WARNING [apps.starlette] (a log call whose message could not be formatted - TypeError: not enough arguments for format string; message 'broken log call: %s %s', arguments ('only one',))
    Open ASGI Client    ${STARLETTE}
    ${resp}=    GET    /log/broken
    Should Be Equal    ${resp.text}    logged badly

A Broken Log Call Never Hides The Real Error
    [Documentation]    PASS
    ...    LOG INFO IN GET: WARNING [apps.starlette] (a log call whose message could not be formatted
    Open ASGI Client    ${STARLETTE}
    Run Keyword And Expect Error    EQUALS:ValueError: the real error after a broken log call
    ...    GET    /log/broken    params={"then": "raise"}

Records Are Formatted When The App Logs Them
    [Documentation]    PASS
    ...    LOG INFO IN GET: WARNING [apps.starlette] items when logged: ['first']
    ...    NO LOG: added after logging
    Open ASGI Client    ${STARLETTE}
    GET    /log/mutated
