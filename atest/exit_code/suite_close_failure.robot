*** Settings ***
Documentation     A failed close of what a suite setup opened fails the suite, like a
...               failing suite teardown: the run counts the suite's tests as failed
...               and exits non-zero, and the error is logged. (Robot Framework has
...               already written the test results to output.xml when the suite ends,
...               so output.xml still shows them passed; the console, the exit code and
...               the error log show the failure.) run.py runs this suite alone and
...               checks its exit code and output.
Resource          ../resources/common.resource
Suite Setup       Open ASGI Client    ${FAULTY}:lifespan_shutdown_failed    alias=suite-faulty
Test Tags         expected-failure


*** Test Cases ***
The Suite Client Works
    GET    /    expected_status=200
