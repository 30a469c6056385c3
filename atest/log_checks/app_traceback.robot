*** Settings ***
Documentation     The app's traceback, the app first: a keyword that fails because the app
...               raised logs, at INFO, the app's exception and its traceback with only the
...               frames of the app and its framework - none of RobotASGI, anyio, trio,
...               requests, urllib3 or Robot Framework, nor of the standard library's
...               asyncio, threading or concurrent.futures - and the full traceback, chained
...               exceptions included, at DEBUG. On FastAPI (asyncio and trio), Starlette, Django
...               (a sync view, run by asgiref in a thread), Quart and plain ASGI apps, with
...               a chained exception, and in a WebSocket keyword; an error that did not come
...               through the app (a timeout) logs no such traceback.
Resource          ../resources/ecosystem.resource
Test Tags         log-check


*** Variables ***
${TRACED}         apps.traced_app:app
${TRACED THREADED}    apps.traced_app:create_threaded_app()


*** Test Cases ***
FastAPI Route On Asyncio
    [Documentation]    PASS
    ...    LOG INFO IN GET: The app's traceback (its frames and its framework's
    ...    LOG INFO IN GET: fastapi_app.py", line
    ...    LOG INFO IN GET: /fastapi/routing.py", line
    ...    LOG INFO IN GET: ValueError: fastapi route failed
    ...    NO LOG INFO: RobotASGI/testclient/
    ...    NO LOG INFO: RobotASGI/keywords/
    ...    NO LOG INFO: /anyio/
    ...    NO LOG INFO: /requests/
    ...    NO LOG INFO: /urllib3/
    ...    NO LOG INFO: /robot/
    ...    NO LOG INFO: /asyncio/
    ...    NO LOG INFO: threading.py
    ...    LOG DEBUG: RobotASGI/testclient/adapter.py", line
    ...    LOG DEBUG: RobotASGI/testclient/task.py", line
    ...    LOG DEBUG: /requests/sessions.py", line
    Open ASGI Client    ${FASTAPI}
    Run Keyword And Expect Error    EQUALS:ValueError: fastapi route failed    GET    /raise

FastAPI Route On Trio
    [Documentation]    PASS
    ...    LOG INFO IN GET: fastapi_app.py", line
    ...    LOG INFO IN GET: ValueError: fastapi route failed
    ...    NO LOG INFO: RobotASGI/testclient/
    ...    LOG DEBUG: RobotASGI/testclient/task.py", line
    Open ASGI Client    ${FASTAPI}    backend=trio
    Run Keyword And Expect Error    EQUALS:ValueError: fastapi route failed    GET    /raise

Through Anyio's Worker Thread On Asyncio
    [Documentation]    PASS
    ...    LOG INFO IN GET: traced_app.py", line
    ...    LOG INFO IN GET: /starlette/concurrency.py", line
    ...    LOG INFO IN GET: LookupError: no such invoice
    ...    NO LOG INFO: /anyio/
    ...    NO LOG INFO: /asyncio/
    ...    NO LOG INFO: RobotASGI/testclient/
    ...    LOG DEBUG IN GET: The app's full traceback:
    ...    LOG DEBUG IN GET: /anyio/to_thread.py", line
    ...    LOG DEBUG IN GET: /anyio/_backends/_asyncio.py", line
    Open ASGI Client    ${TRACED THREADED}
    Run Keyword And Expect Error    EQUALS:LookupError: no such invoice    GET    /raise

Through Anyio's Worker Thread On Trio
    [Documentation]    PASS
    ...    LOG INFO IN GET: traced_app.py", line
    ...    LOG INFO IN GET: LookupError: no such invoice
    ...    NO LOG INFO: /anyio/
    ...    NO LOG INFO: /trio/
    ...    NO LOG INFO: /outcome/
    ...    NO LOG INFO: RobotASGI/testclient/
    ...    LOG DEBUG IN GET: /anyio/_backends/_trio.py", line
    ...    LOG DEBUG IN GET: /trio/_threads.py", line
    Open ASGI Client    ${TRACED THREADED}    backend=trio
    Run Keyword And Expect Error    EQUALS:LookupError: no such invoice    GET    /raise

Starlette Route
    [Documentation]    PASS
    ...    LOG INFO IN GET: starlette_app.py", line
    ...    LOG INFO IN GET: raise RuntimeError("starlette route failed")
    ...    LOG INFO IN GET: RuntimeError: starlette route failed
    ...    NO LOG INFO: RobotASGI/testclient/
    ...    NO LOG INFO: /anyio/
    ...    NO LOG INFO: /requests/
    ...    NO LOG INFO: /asyncio/
    Open ASGI Client    ${STARLETTE}
    Run Keyword And Expect Error    EQUALS:RuntimeError: starlette route failed    GET    /raise

Django View In A Thread
    [Documentation]    PASS
    ...    LOG INFO IN GET: views.py", line
    ...    LOG INFO IN GET: raise ValueError("django view failed")
    ...    LOG INFO IN GET: /asgiref/
    ...    NO LOG INFO: /concurrent/futures/
    ...    NO LOG INFO: threading.py
    ...    NO LOG INFO: /asyncio/
    ...    NO LOG INFO: RobotASGI/testclient/
    Open ASGI Client    ${DJANGO}
    Run Keyword And Expect Error    EQUALS:ValueError: django view failed    GET    /raise

Quart Route
    [Documentation]    PASS
    ...    LOG INFO IN GET: quart_app.py", line
    ...    LOG INFO IN GET: ValueError: quart route failed
    ...    NO LOG INFO: /asyncio/
    ...    NO LOG INFO: RobotASGI/testclient/
    ...    NO LOG INFO: /anyio/
    Open ASGI Client    ${QUART}
    Run Keyword And Expect Error    EQUALS:ValueError: quart route failed    GET    /raise

Plain ASGI App
    [Documentation]    PASS
    ...    LOG INFO IN GET: The app's traceback
    ...    LOG INFO IN GET: faults.py", line
    ...    LOG INFO IN GET: AppFault: raised before the response started
    ...    NO LOG INFO: RobotASGI/testclient/
    ...    NO LOG INFO: /anyio/
    Open ASGI Client    ${FAULTY}:raise_before_response_start
    Run Keyword And Expect Error    EQUALS:AppFault: raised before the response started    GET    /

A Chained Exception Shows Each Link
    [Documentation]    PASS
    ...    LOG INFO IN GET: ConnectionError: db down
    ...    LOG INFO IN GET: During handling of the above exception, another exception occurred:
    ...    LOG INFO IN GET: KeyError: 'order 7'
    ...    LOG INFO IN GET: The above exception was the direct cause of the following exception:
    ...    LOG INFO IN GET: in load_order
    ...    LOG INFO IN GET: RuntimeError: could not load order 7
    ...    NO LOG INFO: RobotASGI/testclient/
    ...    LOG DEBUG IN GET: RobotASGI/testclient/task.py", line
    ...    LOG DEBUG IN GET: RuntimeError: could not load order 7
    Open ASGI Client    ${TRACED}
    Run Keyword And Expect Error    EQUALS:RuntimeError: could not load order 7    GET    /chain

A WebSocket Handler
    [Documentation]    PASS
    ...    LOG INFO IN Receive Text: faults.py", line
    ...    LOG INFO IN Receive Text: AppFault: websocket handler failed on 'boom'
    ...    NO LOG INFO: RobotASGI/testclient/
    Open ASGI Client    ${FAULTY}:ws_raise_on_message
    Websocket Connect    /ws
    Send Text    boom
    Run Keyword And Expect Error    *websocket handler failed on 'boom'*    Receive Text    timeout=2s

A Started Request
    [Documentation]    PASS
    ...    LOG INFO IN Wait For Response: starlette_app.py", line
    ...    LOG INFO IN Wait For Response: RuntimeError: starlette route failed
    ...    NO LOG INFO: RobotASGI/testclient/
    ...    NO LOG INFO: threading.py
    Open ASGI Client    ${STARLETTE}
    ${request}=    Start Request    GET    /raise
    Run Keyword And Expect Error    EQUALS:RuntimeError: starlette route failed    Wait For Response    ${request}

A Timeout Is No App Traceback
    [Documentation]    PASS
    ...    LOG INFO IN GET: ASGI trace of GET /
    ...    NO LOG: The app's traceback
    Open ASGI Client    ${FAULTY}:never_answer
    Run Keyword And Expect Error    *did not answer GET http://testserver/ within 0.2 s*    GET    /    timeout=200ms
