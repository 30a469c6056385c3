*** Settings ***
Documentation     Code coverage of the app from a Robot run: ``coverage run -m robot ...``
...               measures the app's lines, which run on the client's event loop thread
...               (and a started request's), on asyncio and trio. Each test runs
...               ``coverage/app_under_coverage.robot`` under ``coverage run`` in a
...               subprocess, then reads the data file (``coverage.CoverageData``): the lines
...               of ``apps/coverage_app.py`` that only a request reaches ran, the one route
...               no request reaches did not.
Library           Process
Library           resources/CoverageCheck.py


*** Variables ***
${APP SOURCE}     ${CURDIR}${/}apps${/}coverage_app.py
${SUITE}          ${CURDIR}${/}coverage${/}app_under_coverage.robot


*** Test Cases ***
Coverage Measures The App On Asyncio
    The App's Lines Should Be Measured    asyncio

Coverage Measures The App On Trio
    The App's Lines Should Be Measured    trio


*** Keywords ***
The App's Lines Should Be Measured
    [Arguments]    ${backend}
    VAR    ${out}    ${OUTPUT DIR}${/}coverage-${backend}
    VAR    ${data}    ${out}${/}.coverage
    ${result}=    Run Process    ${{ sys.executable }}    -m    coverage    run    --data-file    ${data}
    ...    --include    */apps/coverage_app.py
    ...    -m    robot    --pythonpath    ${CURDIR}${/}..    --pythonpath    ${CURDIR}
    ...    --variable    BACKEND:${backend}    --outputdir    ${out}    --console    quiet    ${SUITE}
    ...    timeout=120s    on_timeout=kill
    Should Be Equal As Integers    ${result.rc}    0    The run under coverage failed:\n${result.stdout}\n${result.stderr}
    Lines Should Have Run    ${data}    ${APP SOURCE}    request
    Lines Should Not Have Run    ${data}    ${APP SOURCE}    never
