*** Settings ***
Documentation     Every keyword driven with wrong arguments: one test per row of a
...               table, each checking the failure message - exactly (``EQUALS:``)
...               where it is fixed, by a glob pattern where a part varies (a
...               sys.path, a JSON parser's detail, Python's wording). The message
...               must say what was wrong and what is accepted; where it does not,
...               the row is a library bug, tagged ``bug`` (run only by
...               ``atest/run.py --bugs``) and documented in the test.
...
...               A row is ``given | expected message | keyword call...``. ``given``
...               is what is open before the call:
...
...               | = given = | = open before the call = |
...               | NOTHING   | nothing                  |
...               | CLIENT    | the demo app's client ``demo`` |
...               | SESSION   | ``demo``, its WebSocket session ``demo-ws``, and the response to ``POST /echo json={"op": "ping", "n": [1, 2]}`` as the last response |
...
...               ``${TEXT RESPONSE}`` is a response whose body is not JSON (``GET
...               /hello``); keywords prefixed ``NeverUsed.`` are those of a library
...               instance that never sent a request. The template takes named
...               arguments, so an ``=`` in an expected message or a positional
...               argument is written ``\\=``. Invalid values go through variables
...               or the template keyword (tagged ``robot:no-dry-run``), so
...               ``robot --dryrun`` does not try them.
...
...               Rows cover: wrong types (``timeout=abc``, ``expected_status=teapots``,
...               ``code=notanumber``, ``mode=xml``, ``backend=curio``,
...               ``auth=only-one``, ``files`` and ``params`` that are not
...               dictionaries, a file that does not exist), unknown aliases for
...               every keyword taking ``client`` or ``websocket``,
...               invalid JSON, invalid time strings, negative timeouts, import
...               strings failing in each way, objects that are not ASGI apps,
...               and every keyword that needs a client, a session or a response
...               called without one. The library's import arguments are in
...               ``library_settings.robot``; a Robot ``[Timeout]`` interrupting a
...               waiting keyword is in ``expected_failures/timeouts.robot`` (it
...               fails the test, which no keyword can catch), and leaves the
...               library usable.
Resource          resources/common.resource
Library           RobotASGI    log_body_limit=1999    AS    NeverUsed
Suite Setup       Prepare The Suite
Test Setup        Nothing Should Be Open
Test Template     Bad Call Should Fail


*** Variables ***
${APPS}           testapps.faults
${FORMAT}         use 'package.module:attribute', where the attribute may be a dotted path and may end in a factory call such as 'create_app()'.
${LITERALS}       factory arguments must be Python literals (strings, numbers, True/False/None, lists, dicts).
${NOT AN APP}     TestClient needs an ASGI 3 application (async def app(scope, receive, send), an object with an async __call__(scope, receive, send), a class whose instances are awaitable such as Starlette's HTTPEndpoint, or a functools.partial of one) or an ASGI 2 application (a class, or a callable taking only the scope, whose result is awaited with (receive, send)); got
${NO CLIENT}      EQUALS:No ASGI client is open: open one with 'Open ASGI Client' first.
${NO SESSION}     EQUALS:No ASGI WebSocket session is open: open one with 'Websocket Connect' first.
${NO RESPONSE}    EQUALS:No response yet: send a request first or pass response\=\${resp}.
${UNKNOWN CLIENT}     EQUALS:No open ASGI client has the alias 'nope'. Open clients: demo.
${UNKNOWN SESSION}    EQUALS:No open ASGI WebSocket session has the alias 'nope'. Open WebSocket sessions: demo-ws.
${BAD JSON}       is not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1)). Pass a Robot dictionary or list, or a JSON string.
${NOT A RESPONSE}    EQUALS:response must be a response returned by an HTTP keyword, not str.
${NEGATIVE}       *that cannot be converted to Timeout: a timeout must not be negative
${BAD STATUS}     EQUALS:Invalid expected_status 'teapots': use ${ACCEPTED STATUSES}.


*** Test Cases ***    GIVEN    EXPECTED    KEYWORD CALL
# -- Open ASGI Client: import strings ------------------------------------------------------
Import String Without A Colon
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}': ${FORMAT}    Open ASGI Client    ${APPS}

Import String With An Empty Attribute
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:': ${FORMAT}    Open ASGI Client    ${APPS}:

Import String With An Empty Module
    NOTHING    EQUALS:Cannot import the ASGI app ':healthy': ${FORMAT}    Open ASGI Client    :healthy

Import String With A Missing Module
    NOTHING    Cannot import the ASGI app 'apps.no_such_module:app': no module named 'apps.no_such_module' (sys.path starts with *; run robot from the project root or use --pythonpath).
    ...    Open ASGI Client    apps.no_such_module:app

Import String With A Missing Package
    NOTHING    Cannot import the ASGI app 'nowhere.main:app': no module named 'nowhere' (sys.path starts with *; run robot from the project root or use --pythonpath).
    ...    Open ASGI Client    nowhere.main:app

Import String Of A Module Whose Own Import Fails
    NOTHING    EQUALS:Cannot import the ASGI app 'apps.missing_dependency:app': importing 'apps.missing_dependency' failed: No module named 'robotasgi_no_such_dependency'
    ...    Open ASGI Client    apps.missing_dependency:app

Import String Of A Module Raising On Import
    NOTHING    EQUALS:Cannot import the ASGI app 'apps.raises_on_import:app': importing 'apps.raises_on_import' raised RuntimeError: configuration file settings.toml is missing
    ...    Open ASGI Client    apps.raises_on_import:app

Import String With A Missing Attribute
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:nope': '${APPS}' has no attribute 'nope'.
    ...    Open ASGI Client    ${APPS}:nope

Import String With A Missing Dotted Attribute
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:healthy_app.nope': '${APPS}:healthy_app' has no attribute 'nope'.
    ...    Open ASGI Client    ${APPS}:healthy_app.nope

Import String That Is Not An Attribute Path
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:app-1': 'app-1' is not an attribute path.
    ...    Open ASGI Client    ${APPS}:app-1

Import String With An Invalid Factory Call
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:failing_factory(()': 'failing_factory(()' is not a valid factory call.
    ...    Open ASGI Client    ${APPS}:failing_factory(()

Import String With A Non-Literal Factory Argument
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:failing_factory(name\=api)': ${LITERALS}
    ...    Open ASGI Client    ${APPS}:failing_factory(name\=api)

Import String With A Non-Literal Positional Factory Argument
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:failing_factory(os.name)': ${LITERALS}
    ...    Open ASGI Client    ${APPS}:failing_factory(os.name)

Import String With A Factory That Raises
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:failing_factory()': calling the factory raised AppFault: cannot build the app
    ...    Open ASGI Client    ${APPS}:failing_factory()

Import String With Wrong Factory Arguments
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:failing_factory(1, 2)': calling the factory raised TypeError: failing_factory() takes from 0 to 1 positional arguments but 2 were given
    ...    Open ASGI Client    ${APPS}:failing_factory(1, 2)

Import String Calling Something Not Callable
    NOTHING    EQUALS:Cannot import the ASGI app '${APPS}:NUMBER()': '${APPS}:NUMBER' is not callable.
    ...    Open ASGI Client    ${APPS}:NUMBER()

# -- Open ASGI Client: objects that are not ASGI apps --------------------------------------
Import String Naming An Int
    NOTHING    EQUALS:${NOT AN APP} the int 42.    Open ASGI Client    ${APPS}:NUMBER

Import String Naming An Int Shows The Value
    [Documentation]    BUG: the message ends "got int int." - the type name twice and
    ...    not the value - where a str is shown as "got the str '...'". The same
    ...    with a dictionary object: "got dict dict.".
    NOTHING    ${NOT AN APP} *42*    Open ASGI Client    ${APPS}:NUMBER

Import String Naming A Str
    NOTHING    EQUALS:${NOT AN APP} the str '${APPS}'.    Open ASGI Client    ${APPS}:__name__

Import String Naming A WSGI App
    NOTHING    EQUALS:${NOT AN APP} function wsgi_app, which takes two arguments like a WSGI application (environ, start_response). WSGI apps are not supported: serve them through an ASGI adapter such as a2wsgi's WSGIMiddleware.
    ...    Open ASGI Client    ${APPS}:wsgi_app

App Object That Is None
    NOTHING    EQUALS:${NOT AN APP} None.    Open ASGI Client    ${None}

App Object That Is Not Callable
    NOTHING    EQUALS:${NOT AN APP} an instance of object, which is not callable.    Open ASGI Client    ${{ object() }}

App Object Taking Four Arguments
    NOTHING    EQUALS:${NOT AN APP} function <lambda>, a synchronous callable taking 4 positional arguments.
    ...    Open ASGI Client    ${{ lambda a, b, c, d: None }}

# -- Open ASGI Client: other arguments -----------------------------------------------------
Open ASGI Client With An Alias In Use By A Client
    CLIENT    EQUALS:The alias 'demo' is already used by an open ASGI client: close it first or choose another alias.
    ...    Open ASGI Client    alias=demo

Open ASGI Client With An Alias In Use By A Session
    SESSION    EQUALS:The alias 'demo-ws' is already used by an open ASGI WebSocket session: close it first or choose another alias.
    ...    Open ASGI Client    alias=demo-ws

Open ASGI Client With A Relative Base URL
    NOTHING    EQUALS:base_url must be an absolute http:// or https:// URL such as 'http://testserver'; got 'testserver'.
    ...    Open ASGI Client    base_url=testserver

Open ASGI Client With An FTP Base URL
    NOTHING    EQUALS:base_url must be an absolute http:// or https:// URL such as 'http://testserver'; got 'ftp://testserver'.
    ...    Open ASGI Client    base_url=ftp://testserver

Open ASGI Client With A Root Path Without Slash
    NOTHING    EQUALS:root_path must be '' or a path starting with '/' and not ending with '/', such as '/api'; got 'api'.
    ...    Open ASGI Client    root_path=api

Open ASGI Client With An Unknown Backend
    NOTHING    EQUALS:ValueError: Argument 'backend' got value 'curio' that cannot be converted to Backend: Backend does not have member 'curio'. Available: 'asyncio' and 'trio'
    ...    Open ASGI Client    backend=curio

Open ASGI Client With Headers That Are Not A Dictionary
    NOTHING    ValueError: Argument 'headers' got value 'X-Tenant: acme' that cannot be converted to * or None.
    ...    Open ASGI Client    headers=X-Tenant: acme

Open ASGI Client With Cookies That Are Not A Dictionary
    NOTHING    ValueError: Argument 'cookies' got value 'session' that cannot be converted to * or None.
    ...    Open ASGI Client    cookies=session

Open ASGI Client With Auth That Is Not A List
    NOTHING    ValueError: Argument 'auth' got value 'only-one' that cannot be converted to * or None.
    ...    Open ASGI Client    auth=only-one

Open ASGI Client With Auth Of Three Items
    NOTHING    EQUALS:Invalid auth: give a [user, password] list.    Open ASGI Client    auth=["qa", "secret", "extra"]

Open ASGI Client With An Invalid Time String
    NOTHING    EQUALS:ValueError: Argument 'timeout' got value '2 fortnights' that cannot be converted to Timeout: use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds
    ...    Open ASGI Client    timeout=2 fortnights

Open ASGI Client With A Negative Timeout
    NOTHING    *that cannot be converted to Timeout: a timeout must not be negative    Open ASGI Client    timeout=-2s

Open ASGI Client With Backend Options That Are Not A Dictionary
    NOTHING    ValueError: Argument 'backend_options' got value 'debug' that cannot be converted to * or None.
    ...    Open ASGI Client    backend_options=debug

Open ASGI Client With An Unknown Backend Option
    [Documentation]    BUG: an unknown backend option is ignored without a word on
    ...    asyncio; on trio the keyword fails with "TypeError: run() got an
    ...    unexpected keyword argument 'bogus'", which does not name
    ...    ``backend_options`` nor say which options the backend takes.
    NOTHING    *backend_options*bogus*    Open ASGI Client    backend_options={"bogus": 1}

Open ASGI Client With An Unknown Trio Backend Option
    [Documentation]    BUG: see the previous test; on trio.
    NOTHING    *backend_options*bogus*    Open ASGI Client    backend=trio    backend_options={"bogus": 1}

Open ASGI Client With A Flag That Is Not A Boolean
    [Documentation]    BUG: ``raise_server_exceptions=maybe`` opens the client:
    ...    Robot passes a string it cannot convert to a Boolean as is, and the
    ...    library takes any non-empty string as true. It should fail saying
    ...    the argument takes True or False.
    NOTHING    *raise_server_exceptions*maybe*    Open ASGI Client    raise_server_exceptions=maybe

Open ASGI Client With Too Many Arguments
    NOTHING    EQUALS:Keyword 'RobotASGI.Open ASGI Client' expected 0 to 12 arguments, got 13.
    ...    Open ASGI Client    a    b    c    d    e    f    g    h    i    j    k    l    m

# -- Switch, close, aliases ----------------------------------------------------------------
Switch ASGI Client To An Unknown Alias
    CLIENT    ${UNKNOWN CLIENT}    Switch ASGI Client    nope

Switch ASGI Client With Nothing Open
    NOTHING    EQUALS:No open ASGI client has the alias 'demo'. Open clients: none.    Switch ASGI Client    demo

Switch ASGI Client Without An Alias
    CLIENT    EQUALS:Keyword 'RobotASGI.Switch ASGI Client' expected 1 argument, got 0.    Switch ASGI Client

Close ASGI Client With An Unknown Alias
    CLIENT    ${UNKNOWN CLIENT}    Close ASGI Client    nope

Close ASGI Client With Nothing Open
    NOTHING    ${NO CLIENT}    Close ASGI Client

Close All ASGI Clients With An Argument
    CLIENT    EQUALS:Keyword 'RobotASGI.Close All ASGI Clients' expected 0 arguments, got 1.    Close All ASGI Clients    demo

Get ASGI Aliases With An Argument
    CLIENT    EQUALS:Keyword 'RobotASGI.Get ASGI Aliases' expected 0 arguments, got 1.    Get ASGI Aliases    clients

Switch Websocket To An Unknown Alias
    SESSION    ${UNKNOWN SESSION}    Switch Websocket    nope

Switch Websocket With No Session
    CLIENT    EQUALS:No open ASGI WebSocket session has the alias 'demo-ws'. Open WebSocket sessions: none.    Switch Websocket    demo-ws

Close Websocket With An Unknown Alias
    SESSION    ${UNKNOWN SESSION}    Close Websocket    websocket=nope

Close Websocket With No Session
    CLIENT    ${NO SESSION}    Close Websocket

Close Websocket With A Code That Is Not A Number
    SESSION    EQUALS:ValueError: Argument 'code' got value 'notanumber' that cannot be converted to integer.
    ...    Close Websocket    code=notanumber

Close Websocket With A Code Out Of Range
    [Documentation]    A WebSocket close code is two bytes on the wire and a client
    ...    may send only some (RFC 6455 7.4): the keyword refuses others, and the
    ...    session stays open.
    SESSION    EQUALS:Invalid close code 99999: a client may close with 1000-1003, 1007-1014 or 3000-4999 (RFC 6455).
    ...    Close Websocket    code=99999

# -- HTTP keywords ---------------------------------------------------------------------------
GET With An Unknown Alias
    CLIENT    ${UNKNOWN CLIENT}    GET    /hello    client=nope

POST With An Unknown Alias
    CLIENT    ${UNKNOWN CLIENT}    POST    /echo    client=nope

PUT With An Unknown Alias
    CLIENT    ${UNKNOWN CLIENT}    PUT    /echo    client=nope

PATCH With An Unknown Alias
    CLIENT    ${UNKNOWN CLIENT}    PATCH    /echo    client=nope

DELETE With An Unknown Alias
    CLIENT    ${UNKNOWN CLIENT}    DELETE    /echo    client=nope

HEAD With An Unknown Alias
    CLIENT    ${UNKNOWN CLIENT}    HEAD    /hello    client=nope

OPTIONS With An Unknown Alias
    CLIENT    ${UNKNOWN CLIENT}    OPTIONS    /hello    client=nope

GET With Nothing Open
    NOTHING    ${NO CLIENT}    GET    /hello

POST With Nothing Open
    NOTHING    ${NO CLIENT}    POST    /echo

PUT With Nothing Open
    NOTHING    ${NO CLIENT}    PUT    /echo

PATCH With Nothing Open
    NOTHING    ${NO CLIENT}    PATCH    /echo

DELETE With Nothing Open
    NOTHING    ${NO CLIENT}    DELETE    /echo

HEAD With Nothing Open
    NOTHING    ${NO CLIENT}    HEAD    /hello

OPTIONS With Nothing Open
    NOTHING    ${NO CLIENT}    OPTIONS    /hello

GET With Params That Are Not A Dictionary
    CLIENT    ValueError: Argument 'params' got value 'q\=robot' that cannot be converted to * or None.
    ...    GET    /hello    params=q\=robot

GET With Params That Are A List Of Non-Pairs
    [Documentation]    BUG: ``params=[1, 2]`` fails with "Cannot build the GET request
    ...    to /hello: cannot unpack non-iterable int object" - Python's words,
    ...    not what params takes (a dictionary, or a list of [name, value] pairs).
    CLIENT    *params*name, value*    GET    /hello    params=[1, 2]


HEAD With Params That Are Not A Dictionary
    CLIENT    ValueError: Argument 'params' got value 'abc' that cannot be converted to * or None.
    ...    HEAD    /hello    params=abc

OPTIONS With Params That Are Not A Dictionary
    CLIENT    ValueError: Argument 'params' got value 'abc' that cannot be converted to * or None.
    ...    OPTIONS    /hello    params=abc

GET With Headers That Are Not A Dictionary
    CLIENT    ValueError: Argument 'headers' got value 'Accept: text/plain' that cannot be converted to * or None.
    ...    GET    /hello    headers=Accept: text/plain

GET With A Header Value Holding A Newline
    CLIENT    EQUALS:Cannot build the GET request to /hello: Invalid leading whitespace, reserved character(s), or return character(s) in header value: 'a\\nb'
    ...    GET    /hello    headers={"X-Bad": "a\\nb"}

GET With Cookies That Are Not A Dictionary
    CLIENT    ValueError: Argument 'cookies' got value 'session' that cannot be converted to * or None.
    ...    GET    /hello    cookies=session

GET With Invalid JSON
    CLIENT    EQUALS:Invalid json: '{bad' ${BAD JSON}    GET    /hello    json={bad

POST With Invalid JSON
    CLIENT    EQUALS:Invalid json: '{"op": ping}' is not valid JSON (Expecting value: line 1 column 8 (char 7)). Pass a Robot dictionary or list, or a JSON string.
    ...    POST    /echo    json={"op": ping}

PUT With Invalid JSON
    CLIENT    EQUALS:Invalid json: '{bad' ${BAD JSON}    PUT    /echo    json={bad

PATCH With Invalid JSON
    CLIENT    EQUALS:Invalid json: '{bad' ${BAD JSON}    PATCH    /echo    json={bad

DELETE With Invalid JSON
    CLIENT    EQUALS:Invalid json: '{bad' ${BAD JSON}    DELETE    /echo    json={bad

POST With JSON That Cannot Be Serialized
    CLIENT    EQUALS:Cannot build the POST request to /echo: Object of type set is not JSON serializable
    ...    POST    /echo    json=${{ {1, 2} }}

POST With Data Of A Wrong Type
    CLIENT    EQUALS:Invalid data 42: give a dictionary (sent as a form), a list of [name, value] pairs, a string or bytes (sent as is), or a file object.
    ...    POST    /echo    data=${42}

POST With Data Of A Wrong Type Says What Is Accepted
    [Documentation]    BUG: the message above names neither ``data`` nor all it
    ...    takes: a dictionary (sent as a form) is accepted too.
    CLIENT    *data*dictionary*    POST    /echo    data=${42}

POST With Files That Are Not A Dictionary
    CLIENT    ValueError: Argument 'files' got value 'report.txt' that cannot be converted to * or None.
    ...    POST    /upload    files=report.txt

POST With A Missing File
    CLIENT    EQUALS:Invalid files: '${CURDIR}/data/no-such-file.txt' (for 'doc') is not a file.
    ...    POST    /upload    files={"doc": "${CURDIR}/data/no-such-file.txt"}

PUT With A Missing File
    CLIENT    EQUALS:Invalid files: 'missing.txt' (for 'doc') is not a file.    PUT    /upload    files={"doc": "missing.txt"}

PATCH With A Missing File
    CLIENT    EQUALS:Invalid files: 'missing.txt' (for 'doc') is not a file.    PATCH    /upload    files={"doc": "missing.txt"}

GET With A Missing File
    CLIENT    EQUALS:Invalid files: 'missing.txt' (for 'doc') is not a file.    GET    /hello    files={"doc": "missing.txt"}

POST With A File List Of One Item
    [Documentation]    BUG: ``files={"doc": ["a"]}`` fails with "Cannot build the
    ...    POST request to /upload: not enough values to unpack (expected 4,
    ...    got 1)" - Python's words, not what a file list takes
    ...    (``[filename, content, content type]``).
    CLIENT    *files*filename*    POST    /upload    files={"doc": ["a"]}


GET With Auth That Is Not A List
    CLIENT    ValueError: Argument 'auth' got value 'only-one' that cannot be converted to * or None.
    ...    GET    /hello    auth=only-one

GET With Auth Of One Item
    CLIENT    EQUALS:Invalid auth: give a [user, password] list.    GET    /hello    auth=["only-user"]

DELETE With Auth Of One Item
    CLIENT    EQUALS:Invalid auth: give a [user, password] list.    DELETE    /echo    auth=["only-user"]

GET With An Invalid Time String
    CLIENT    EQUALS:ValueError: Argument 'timeout' got value 'soon' that cannot be converted to Timeout: use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds
    ...    GET    /hello    timeout=soon

HEAD With An Invalid Time String
    CLIENT    EQUALS:ValueError: Argument 'timeout' got value 'abc' that cannot be converted to Timeout: use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds
    ...    HEAD    /hello    timeout=abc

GET With An Invalid Time String Says What Is Accepted
    [Documentation]    Robot converts every ``timeout`` before the keyword runs, with
    ...    the library's one ``Timeout`` converter, whose reason says what a time
    ...    looks like (once, Robot named only Python's type here).
    CLIENT    REGEXP:(?s).*timeout.*soon.*(time string|2s).*    GET    /hello    timeout=soon

GET With A Negative Timeout
    CLIENT    ${NEGATIVE}    GET    /hello    timeout=-1

POST With A Negative Timeout
    CLIENT    *that cannot be converted to Timeout: a timeout must not be negative    POST    /echo    timeout=-500ms

GET With An Unknown Status Name
    CLIENT    ${BAD STATUS}    GET    /hello    expected_status=teapots

DELETE With An Unknown Status Name
    CLIENT    ${BAD STATUS}    DELETE    /echo    expected_status=teapots

OPTIONS With An Unknown Status Name
    CLIENT    ${BAD STATUS}    OPTIONS    /hello    expected_status=teapots

GET With A Status Code Out Of Range
    CLIENT    EQUALS:Invalid expected_status '700': a status code is from 100 to 599.    GET    /hello    expected_status=700

GET With One Bad Status Among Several
    CLIENT    EQUALS:Invalid expected_status '200, teapots': use ${ACCEPTED STATUSES}.    GET    /hello    expected_status=200, teapots

GET With A Flag That Is Not A Boolean
    [Documentation]    BUG: ``allow_redirects=maybe`` is taken as true (Robot passes a
    ...    string it cannot convert to a Boolean as is). It should fail saying
    ...    the argument takes True or False.
    CLIENT    *allow_redirects*maybe*    GET    /redirect    allow_redirects=maybe

GET An FTP URL
    [Documentation]    BUG: fails with requests' "InvalidSchema: No connection adapters
    ...    were found for 'ftp://testserver/hello'", which does not say what is
    ...    accepted - unlike `Websocket Connect`, whose message says "the scheme
    ...    must be http, https, ws or wss".
    CLIENT    *ftp://testserver/hello*http*    GET    ftp://testserver/hello


GET A URL That Cannot Be Parsed
    CLIENT    EQUALS:Cannot build the GET request to http://[bad: Invalid IPv6 URL    GET    http://[bad

GET Without A URL
    CLIENT    EQUALS:Keyword 'RobotASGI.GET' expected 1 to 16 arguments, got 0.    GET

# -- WebSocket keywords --------------------------------------------------------------------
Websocket Connect With An Unknown Client
    CLIENT    ${UNKNOWN CLIENT}    Websocket Connect    /ws    client=nope

Websocket Connect With Nothing Open
    NOTHING    ${NO CLIENT}    Websocket Connect    /ws

Websocket Connect With An Alias In Use
    SESSION    EQUALS:The alias 'demo' is already used by an open ASGI client: close it first or choose another alias.
    ...    Websocket Connect    /ws    alias=demo

Websocket Connect With Subprotocols That Are Not A List
    CLIENT    ValueError: Argument 'subprotocols' got value '{"chat": 1}' that cannot be converted to * or None.
    ...    Websocket Connect    /ws    subprotocols={"chat": 1}

Websocket Connect With Headers That Are Not A Dictionary
    CLIENT    ValueError: Argument 'headers' got value 'abc' that cannot be converted to * or None.
    ...    Websocket Connect    /ws    headers=abc

Websocket Connect With Params That Are Not A Dictionary
    CLIENT    ValueError: Argument 'params' got value 'abc' that cannot be converted to * or None.
    ...    Websocket Connect    /ws    params=abc

Websocket Connect With Auth That Is Not A List
    CLIENT    ValueError: Argument 'auth' got value 'only-one' that cannot be converted to * or None.
    ...    Websocket Connect    /ws    auth=only-one

Websocket Connect With An Invalid Time String
    CLIENT    EQUALS:ValueError: Argument 'timeout' got value 'abc' that cannot be converted to Timeout: use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds
    ...    Websocket Connect    /ws    timeout=abc

Websocket Connect With A Negative Timeout
    CLIENT    ${NEGATIVE}    Websocket Connect    /ws    timeout=-1

Websocket Connect To An FTP URL
    CLIENT    EQUALS:ValueError: Cannot send a request to 'ftp://testserver/ws': the scheme must be http, https, ws or wss.
    ...    Websocket Connect    ftp://testserver/ws

Get Websocket Subprotocol Of An Unknown Session
    SESSION    ${UNKNOWN SESSION}    Get Websocket Subprotocol    nope

Get Websocket Subprotocol With No Session
    CLIENT    ${NO SESSION}    Get Websocket Subprotocol

Send Text To An Unknown Session
    SESSION    ${UNKNOWN SESSION}    Send Text    hello    websocket=nope

Send Text With No Session
    CLIENT    ${NO SESSION}    Send Text    hello

Send Bytes To An Unknown Session
    SESSION    ${UNKNOWN SESSION}    Send Bytes    \x01    websocket=nope

Send Bytes With No Session
    CLIENT    ${NO SESSION}    Send Bytes    \x01

Send Bytes Of Text That Is Not Bytes
    SESSION    EQUALS:ValueError: Argument 'data' got value '€' that cannot be converted to bytes: Character '€' cannot be mapped to a byte.
    ...    Send Bytes    €

Send Json Of Invalid JSON
    SESSION    EQUALS:Invalid data: '{bad' ${BAD JSON}    Send Json    {bad

Send Json That Cannot Be Serialized
    SESSION    EQUALS:TypeError: Object of type set is not JSON serializable    Send Json    ${{ {1, 2} }}

Send Json In An Unknown Mode
    SESSION    EQUALS:ValueError: Argument 'mode' got value 'xml' that cannot be converted to JsonMode: JsonMode does not have member 'xml'. Available: 'binary' and 'text'
    ...    Send Json    {}    mode=xml

Send Json To An Unknown Session
    SESSION    ${UNKNOWN SESSION}    Send Json    {}    websocket=nope

Send Json With No Session
    CLIENT    ${NO SESSION}    Send Json    {}

Receive Text With An Invalid Time String
    SESSION    EQUALS:ValueError: Argument 'timeout' got value 'abc' that cannot be converted to Timeout: use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds
    ...    Receive Text    timeout=abc

Receive Text With A Negative Timeout
    SESSION    *that cannot be converted to Timeout: a timeout must not be negative    Receive Text    timeout=-500ms

Receive Text From An Unknown Session
    SESSION    ${UNKNOWN SESSION}    Receive Text    websocket=nope

Receive Text With No Session
    CLIENT    ${NO SESSION}    Receive Text

Receive Bytes With An Invalid Time String
    SESSION    EQUALS:ValueError: Argument 'timeout' got value '1.5.2s' that cannot be converted to Timeout: use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds
    ...    Receive Bytes    timeout=1.5.2s

Receive Bytes With A Negative Timeout
    SESSION    ${NEGATIVE}    Receive Bytes    timeout=-1

Receive Bytes From An Unknown Session
    SESSION    ${UNKNOWN SESSION}    Receive Bytes    websocket=nope

Receive Bytes With No Session
    CLIENT    ${NO SESSION}    Receive Bytes

Receive Json In An Unknown Mode
    SESSION    EQUALS:ValueError: Argument 'mode' got value 'xml' that cannot be converted to JsonMode: JsonMode does not have member 'xml'. Available: 'binary' and 'text'
    ...    Receive Json    mode=xml

Receive Json With An Invalid Time String
    SESSION    EQUALS:ValueError: Argument 'timeout' got value 'never' that cannot be converted to Timeout: use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds
    ...    Receive Json    timeout=never

Receive Json From An Unknown Session
    SESSION    ${UNKNOWN SESSION}    Receive Json    websocket=nope

Receive Json With No Session
    CLIENT    ${NO SESSION}    Receive Json

Websocket Should Receive Nothing With An Invalid Time String
    SESSION    EQUALS:ValueError: Argument 'timeout' got value 'abc' that cannot be converted to Timeout: use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds
    ...    Websocket Should Receive Nothing    abc

Websocket Should Receive Nothing With A Negative Timeout
    SESSION    *must not be negative*    Websocket Should Receive Nothing    -1

Websocket Should Receive Nothing With None
    SESSION    EQUALS:Websocket Should Receive Nothing needs a timeout, such as 500ms; got None.
    ...    Websocket Should Receive Nothing    ${None}

Websocket Should Receive Nothing From An Unknown Session
    SESSION    ${UNKNOWN SESSION}    Websocket Should Receive Nothing    websocket=nope

Websocket Should Receive Nothing With No Session
    CLIENT    ${NO SESSION}    Websocket Should Receive Nothing

Websocket Should Be Closed With A Code That Is Not A Number
    SESSION    EQUALS:ValueError: Argument 'code' got value 'normal' that cannot be converted to integer or None.
    ...    Websocket Should Be Closed    code=normal

Websocket Should Be Closed With An Invalid Time String
    SESSION    EQUALS:ValueError: Argument 'timeout' got value 'abc' that cannot be converted to Timeout: use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds
    ...    Websocket Should Be Closed    timeout=abc

Websocket Should Be Closed With A Negative Timeout
    SESSION    ${NEGATIVE}    Websocket Should Be Closed    timeout=-1

Websocket Should Be Closed Of An Unknown Session
    SESSION    ${UNKNOWN SESSION}    Websocket Should Be Closed    websocket=nope

Websocket Should Be Closed With No Session
    CLIENT    ${NO SESSION}    Websocket Should Be Closed

# -- Assertions ----------------------------------------------------------------------------
Status Should Be With An Unknown Status Name
    SESSION    ${BAD STATUS}    Status Should Be    teapots

Status Should Be With A Status Code Out Of Range
    SESSION    EQUALS:Invalid expected_status '42': a status code is from 100 to 599.    Status Should Be    42

Status Should Be Of Something Not A Response
    SESSION    ${NOT A RESPONSE}    Status Should Be    200    response=foo

Status Should Be With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Status Should Be    200

Request Should Be Successful Of Something Not A Response
    SESSION    ${NOT A RESPONSE}    Request Should Be Successful    response=foo

Request Should Be Successful With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Request Should Be Successful

Response Header Should Be Without An Expected Value
    SESSION    EQUALS:Keyword 'RobotASGI.Response Header Should Be' expected 2 to 4 arguments, got 1.
    ...    Response Header Should Be    content-type

Response Header Should Be Of Something Not A Response
    SESSION    ${NOT A RESPONSE}    Response Header Should Be    content-type    text/plain    response=foo

Response Header Should Be With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Response Header Should Be    content-type    text/plain

Response Should Have Header Of Something Not A Response
    SESSION    ${NOT A RESPONSE}    Response Should Have Header    content-type    response=foo

Response Should Have Header With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Response Should Have Header    content-type

Response Should Not Have Header Of Something Not A Response
    SESSION    ${NOT A RESPONSE}    Response Should Not Have Header    server    response=foo

Response Should Not Have Header With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Response Should Not Have Header    server

Response Body Should Contain Of Something Not A Response
    SESSION    ${NOT A RESPONSE}    Response Body Should Contain    ping    response=foo

Response Body Should Contain With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Response Body Should Contain    ping

Response Json Should Be With Invalid JSON
    SESSION    EQUALS:Invalid expected: '{bad' ${BAD JSON}    Response Json Should Be    {bad

Response Json Should Be Of A Body That Is Not JSON
    SESSION    EQUALS:The response body is not JSON: Hello, world!    Response Json Should Be    {}    response=${TEXT RESPONSE}

Response Json Should Be Of Something Not A Response
    SESSION    ${NOT A RESPONSE}    Response Json Should Be    {}    response=foo

Response Json Should Be With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Response Json Should Be    {}

Response Json Should Contain With Invalid JSON
    SESSION    EQUALS:Invalid expected: '{"op": }' is not valid JSON (Expecting value: line 1 column 8 (char 7)). Pass a Robot dictionary or list, or a JSON string.
    ...    Response Json Should Contain    {"op": }

Response Json Should Contain Of A Body That Is Not JSON
    SESSION    EQUALS:The response body is not JSON: Hello, world!    Response Json Should Contain    {}    response=${TEXT RESPONSE}

Response Json Should Contain With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Response Json Should Contain    {}

Get Json Value Of A Missing Key
    SESSION    EQUALS:The JSON body has no 'nope' at '/nope' (step 1); keys there: op, n.    Get Json Value    /nope

Get Json Value Of A List Item Out Of Range
    SESSION    EQUALS:The JSON body has no item '9' at 'n.9' (step 2): the list there has 2 items.    Get Json Value    n.9

Get Json Value Of A List Item That Is Not A Number
    SESSION    EQUALS:The JSON body has no item 'x' at '/n/x' (step 2): a JSON Pointer index is 0 or a number without leading zeros (no negative indexes).    Get Json Value    /n/x

Get Json Value Inside A String
    SESSION    EQUALS:The JSON value at step 2 of '/op/deeper' is "ping", which has no 'deeper'.    Get Json Value    /op/deeper

Get Json Value Of A Body That Is Not JSON
    SESSION    EQUALS:The response body is not JSON: Hello, world!    Get Json Value    op    response=${TEXT RESPONSE}

Get Json Value Of Something Not A Response
    SESSION    ${NOT A RESPONSE}    Get Json Value    op    response=foo

Get Json Value With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Get Json Value    op

Json Value Should Be Of A Missing Key
    SESSION    EQUALS:The JSON body has no 'nope' at 'nope' (step 1); keys there: op, n.    Json Value Should Be    nope    1

Json Value Should Be With No Response
    NOTHING    ${NO RESPONSE}    NeverUsed.Json Value Should Be    op    ping

# -- A response of an earlier test -----------------------------------------------------------
A Test Sends A Request
    [Documentation]    Sets up the next test (a ``bug`` test): its last response is
    ...    ``200 OK``, and its client is closed when it ends.
    [Template]    NONE
    Open ASGI Client    alias=demo
    GET    /hello

The Next Test Has No Response Yet
    [Documentation]    BUG: the last response outlives the test that got it and the
    ...    client that sent it, so an assertion without ``response=`` in a
    ...    test that sent nothing passes (or fails) on another test's
    ...    response, instead of failing with "No response yet". Nothing else
    ...    of a test - clients, sessions - reaches the next one.
    NOTHING    ${NO RESPONSE}    Status Should Be    200


*** Keywords ***
Bad Call Should Fail
    [Documentation]    Opens what ``given`` says, then expects ``call`` to fail with
    ...    ``expected``.
    [Tags]    robot:no-dry-run
    [Arguments]    ${given}    ${expected}    @{call}    &{named}
    Given    ${given}
    Run Keyword And Expect Error    ${expected}    @{call}    &{named}

Given
    [Arguments]    ${given}
    Should Contain Any    ${given}    NOTHING    CLIENT    SESSION
    IF    $given == 'NOTHING'    RETURN
    Open ASGI Client    alias=demo
    IF    $given == 'CLIENT'    RETURN
    Websocket Connect    /ws    alias=demo-ws
    POST    /echo    json={"op": "ping", "n": [1, 2]}

Prepare The Suite
    [Documentation]    Keywords of the instance ``NeverUsed`` are called by their full name.
    Set Library Search Order    RobotASGI
    Open ASGI Client    alias=setup
    ${response}=    GET    /hello
    Set Suite Variable    ${TEXT RESPONSE}    ${response}
    Close ASGI Client
