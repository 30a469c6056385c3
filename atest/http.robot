*** Settings ***
Documentation     Every HTTP keyword (GET POST PUT PATCH DELETE HEAD OPTIONS, Send Request) and
...               every argument: params, headers, json, data, files, cookies,
...               auth, allow_redirects, timeout, expected_status, msg and client.
...               The returned response is a ``requests.Response``, checked with
...               Robot's own keywords and extended variable syntax.
...
...               Most tests use the Starlette app's ``/anything`` route, which
...               answers with a JSON description of the request it got.
Library           OperatingSystem
Resource          resources/common.resource
Test Setup        Open ASGI Client    ${STARLETTE}    alias=star


*** Variables ***
${REPORT}         ${CURDIR}/data/report.txt


*** Test Cases ***
GET Returns The Response
    ${resp}=    GET    /hello
    Should Be Equal As Integers    ${resp.status_code}    200
    Should Be Equal    ${resp.text}    Hello, world!
    Should Be Equal    ${resp.headers}[content-type]    text/plain; charset=utf-8
    Should Be Equal    ${resp.url}    http://testserver/hello
    Should Be Equal    ${resp.request.method}    GET

GET With Params As A Dictionary
    ${resp}=    GET    /anything    params={"q": "robot framework", "page": "2"}
    Should Be Equal    ${resp.json()}[query]    ${{ {"q": "robot framework", "page": "2"} }}
    Should Be Equal    ${resp.url}    http://testserver/anything?q=robot+framework&page=2

GET With A Query String In The URL And Params
    ${resp}=    GET    /anything?a=1&b=two    params={"c": "3"}
    Should Be Equal    ${resp.json()}[query]    ${{ {"a": "1", "b": "two", "c": "3"} }}

GET With Params As A List Of Pairs
    ${resp}=    GET    /anything    params=[["tag", "a"], ["tag", "b"]]
    Should Be Equal    ${resp.url}    http://testserver/anything?tag=a&tag=b

GET With Params From A Robot Dictionary
    &{params}=    Create Dictionary    name=Robot
    ${resp}=    GET    /hello    params=${params}
    Should Be Equal    ${resp.text}    Hello, Robot!

GET With Headers
    ${resp}=    GET    /anything    headers={"X-Tenant": "acme", "Accept": "application/json"}
    Should Be Equal    ${resp.json()}[headers][x-tenant]    acme
    Should Be Equal    ${resp.json()}[headers][accept]    application/json

GET With An Absolute URL
    ${resp}=    GET    http://testserver/anything?x=1
    Should Be Equal    ${resp.json()}[query][x]    1

POST Json As A Dictionary Literal
    ${resp}=    POST    /anything    json={"name": "robot", "tags": ["a", "b"], "n": 1}
    Should Be Equal    ${resp.json()}[json]    ${{ {"name": "robot", "tags": ["a", "b"], "n": 1} }}
    Should Start With    ${resp.json()}[headers][content-type]    application/json

POST Json As A JSON String
    ${resp}=    POST    /echo    json={"ok": true, "none": null, "pi": 3.14}
    Should Be Equal    ${resp.json()}    ${{ {"ok": True, "none": None, "pi": 3.14} }}

POST Json From Robot Variables
    &{item}=    Create Dictionary    name=robot    count=${3}
    @{list}=    Create List    ${item}    x
    ${resp}=    POST    /echo    json=${list}
    Should Be Equal    ${resp.json()}[0][name]    robot
    Should Be Equal    ${resp.json()}[0][count]    ${3}
    Should Be Equal    ${resp.json()}[1]    x

POST Form Data
    ${resp}=    POST    /anything    data={"user": "qa", "role": "tester"}
    Should Be Equal    ${resp.json()}[form]    ${{ {"user": "qa", "role": "tester"} }}
    Should Be Equal    ${resp.json()}[headers][content-type]    application/x-www-form-urlencoded

POST Data As A List Of Pairs Is A Form With Repeated Fields
    ${resp}=    POST    /anything    data=[["tag", "a"], ["tag", "b"], ["name", "qa"]]
    Should Be Equal    ${resp.json()}[form_pairs]    ${{ [["tag", "a"], ["tag", "b"], ["name", "qa"]] }}
    Should Be Equal    ${resp.json()}[headers][content-type]    application/x-www-form-urlencoded
    Should Be Equal    ${resp.request.body}    tag=a&tag=b&name=qa

POST Data As Pairs From A Robot List
    @{tag a}=    Create List    tag    a
    @{tag b}=    Create List    tag    b
    @{pairs}=    Create List    ${tag a}    ${tag b}
    ${resp}=    PUT    /anything    data=${pairs}
    Should Be Equal    ${resp.json()}[form_pairs]    ${{ [["tag", "a"], ["tag", "b"]] }}

POST Data As A List That Is Not Pairs
    Run Keyword And Expect Error
    ...    EQUALS:Invalid data ['a', 'b']: a list is sent as a form, so it must be [name, value] pairs; send other JSON with json=.
    ...    POST    /anything    data=${{ ["a", "b"] }}
    ${resp}=    POST    /anything    data=[1, 2]
    Should Be Equal    ${resp.json()}[body]    [1, 2]
    ${resp}=    POST    /anything    data=[["a", "1"]]    headers={"Content-Type": "application/json"}
    Should Be Equal    ${resp.json()}[json]    ${{ [["a", "1"]] }}

POST Several Files Under One Field
    ${resp}=    POST    /upload    files=[["docs", "${REPORT}"], ["docs", ["b.txt", "second", "text/plain"]], ["one", b"x"]]
    ...    data=[["note", "a"], ["note", "b"]]
    ${files}=    Evaluate    [(f["field"], f["filename"], f["text"]) for f in $resp.json()["files"]]
    Should Be Equal    ${files}    ${{ [("docs", "report.txt", pathlib.Path($REPORT).read_text()), ("docs", "b.txt", "second"), ("one", "one", "x")] }}
    Should Contain    ${resp.request.headers}[content-type]    multipart/form-data
    ${body}=    Evaluate    $resp.request.body.decode()
    Should Contain    ${body}    name="note"\r\n\r\na\r\n
    Should Contain    ${body}    name="note"\r\n\r\nb\r\n

POST Files As Pairs Of The Wrong Shape
    Run Keyword And Expect Error
    ...    EQUALS:Invalid files: give a dictionary of field name to a file path, bytes, or [filename, content, content type], or a list of [field name, file] pairs.
    ...    POST    /upload    files=[["docs"]]

Send Request With Any Method
    ${resp}=    Send Request    PURGE    /anything
    Should Be Equal    ${resp.json()}[method]    PURGE
    Should Be Equal    ${resp.request.method}    PURGE
    ${resp}=    Send Request    propfind    /anything    headers={"Depth": "1", "Content-Type": "application/xml"}
    ...    data=<propfind/>
    Should Be Equal    ${resp.json()}[method]    PROPFIND
    Should Be Equal    ${resp.json()}[headers][depth]    1
    Should Be Equal    ${resp.json()}[body]    <propfind/>
    ${resp}=    Send Request    DELETE    /anything    json={"id": 1}
    Should Be Equal    ${resp.json()}[json]    ${{ {"id": 1} }}

Send Request Takes The Arguments Of The Verb Keywords
    Open ASGI Client    ${DEMO}    alias=other
    ${resp}=    Send Request    POST    /anything    params={"q": "1"}    json={"a": 1}    cookies={"c": "v"}
    ...    auth=["qa", "pw"]    expected_status=200    timeout=5s    client=star
    Should Be Equal    ${resp.json()}[query]    ${{ {"q": "1"} }}
    Should Be Equal    ${resp.json()}[cookies]    ${{ {"c": "v"} }}
    Should Start With    ${resp.json()}[headers][authorization]    Basic${SPACE}
    Send Request    GET    /anything    params={"status": "404"}    expected_status=not found    client=star
    Run Keyword And Expect Error    EQUALS:Custom failure
    ...    Send Request    GET    /anything    params={"status": "500"}    msg=Custom failure    client=star
    ${resp}=    Send Request    GET    /redirect    allow_redirects=${False}    expected_status=307    client=star
    ${resp}=    Send Request    POST    /upload    files={"doc": b"abc"}    client=star
    Should Be Equal    ${resp.json()}[files][0][text]    abc
    ${resp}=    Send Request    GET    /hello
    Should Be Equal    ${resp.text}    Hello, world!

Send Request With A Custom Method On FastAPI
    Open ASGI Client    ${FASTAPI}
    ${resp}=    Send Request    PURGE    /cache/home    params={"soft": "1"}
    Should Be Equal    ${resp.json()}    ${{ {"purged": "home", "method": "PURGE", "soft": True} }}
    Send Request    GET    /cache/home    expected_status=Method Not Allowed

Send Request With An Invalid Method
    Run Keyword And Expect Error
    ...    EQUALS:Invalid method 'NOT A METHOD': give an HTTP method such as GET, POST or PURGE (letters, digits and !#$%&'*+-.^_`|~, no spaces).
    ...    Send Request    NOT A METHOD    /anything
    Run Keyword And Expect Error    Invalid method '': *
    ...    Send Request    ${EMPTY}    /anything

POST Raw String Data
    ${resp}=    POST    /anything    data=plain text body    headers={"Content-Type": "text/plain"}
    Should Be Equal    ${resp.json()}[body]    plain text body

POST JSON Text As data With A JSON Content Type Is Sent As Is
    [Documentation]    A JSON text that happens to be a Python dictionary literal
    ...                is turned into a form even when the Content-Type says JSON,
    ...                while ``{"a": true}`` (not a Python literal) is sent as is.
    ${resp}=    POST    /echo    data={"a": 1}    headers={"Content-Type": "application/json"}
    Should Be Equal    ${resp.json()}    ${{ {"a": 1} }}

POST Uploads A File From A Path
    ${resp}=    POST    /upload    files={"report": "${REPORT}"}    expected_status=201
    ${file}=    Set Variable    ${resp.json()}[files][0]
    Should Be Equal    ${file}[field]    report
    Should Be Equal    ${file}[filename]    report.txt
    ${content}=    Get File    ${REPORT}
    Should Be Equal    ${file}[text]    ${content}
    Should Be Equal As Integers    ${file}[size]    ${{ len($content.encode()) }}

POST Uploads Bytes And A Filename Content Type List
    ${files}=    Evaluate    {"blob": b"\\x00\\x01\\x02", "table": ["data.csv", "a,b\\n1,2\\n", "text/csv"]}
    ${resp}=    POST    /upload    files=${files}    data={"note": "two files"}    expected_status=201
    Should Be Equal    ${resp.json()}[fields]    ${{ {"note": "two files"} }}
    Should Be Equal    ${resp.json()}[files][0][filename]    blob
    Should Be Equal As Integers    ${resp.json()}[files][0][size]    3
    Should Be Equal    ${resp.json()}[files][1][filename]    data.csv
    Should Be Equal    ${resp.json()}[files][1][content_type]    text/csv
    Should Be Equal    ${resp.json()}[files][1][text]    a,b\n1,2\n

PUT
    ${resp}=    PUT    /anything    json={"name": "new"}    params={"v": "2"}
    Should Be Equal    ${resp.json()}[method]    PUT
    Should Be Equal    ${resp.json()}[json][name]    new
    Should Be Equal    ${resp.json()}[query][v]    2

PATCH
    ${resp}=    PATCH    /anything    data={"price": "10"}
    Should Be Equal    ${resp.json()}[method]    PATCH
    Should Be Equal    ${resp.json()}[form][price]    10

DELETE
    ${resp}=    DELETE    /anything    params={"id": "7"}    json={"reason": "test"}
    Should Be Equal    ${resp.json()}[method]    DELETE
    Should Be Equal    ${resp.json()}[query][id]    7
    Should Be Equal    ${resp.json()}[json][reason]    test

HEAD Has Headers And No Body
    ${resp}=    HEAD    /anything
    Should Be Equal As Integers    ${resp.status_code}    200
    Should Be Equal    ${resp.headers}[x-method]    HEAD
    Should Be Equal    ${resp.content}    ${{ b"" }}

HEAD Does Not Follow Redirects Unless Asked
    ${resp}=    HEAD    /redirect
    Should Be Equal As Integers    ${resp.status_code}    307
    ${resp}=    HEAD    /redirect    allow_redirects=True
    Should Be Equal As Integers    ${resp.status_code}    200
    Length Should Be    ${resp.history}    1

Arguments Given By Position Follow Each Verb's Order
    [Documentation]    After ``url``: GET, DELETE, HEAD and OPTIONS take ``params`` and
    ...                ``headers`` first, POST, PUT and PATCH ``json``, ``data`` and
    ...                ``files``; HEAD's fifth is ``allow_redirects``.
    ${resp}=    GET    /anything    {"q": "1"}    {"X-Tenant": "acme"}
    Should Be Equal    ${resp.json()}[query]    ${{ {"q": "1"} }}
    Should Be Equal    ${resp.json()}[headers][x-tenant]    acme
    ${resp}=    POST    /anything    {"op": "ping"}
    Should Be Equal    ${resp.json()}[json]    ${{ {"op": "ping"} }}
    ${resp}=    PUT    /anything    ${None}    {"price": "10"}
    Should Be Equal    ${resp.json()}[form][price]    10
    ${resp}=    DELETE    /anything    {"id": "7"}
    Should Be Equal    ${resp.json()}[query][id]    7
    ${resp}=    HEAD    /redirect    ${None}    ${None}    ${None}    ${None}    True
    Should Be Equal As Integers    ${resp.status_code}    200

OPTIONS
    ${resp}=    OPTIONS    /anything    headers={"Origin": "https://example.org"}
    Should Be Equal    ${resp.json()}[method]    OPTIONS
    Should Be Equal    ${resp.json()}[headers][origin]    https://example.org

Cookies Argument Is Sent
    ${resp}=    GET    /cookies    cookies={"session": "abc123", "theme": "dark"}
    Should Be Equal    ${resp.json()}    ${{ {"session": "abc123", "theme": "dark"} }}

Cookies The App Sets Are Sent Back
    ${resp}=    GET    /cookies/set    params={"flavour": "oat"}
    Should Be Equal    ${resp.cookies}[flavour]    oat
    ${resp}=    GET    /cookies
    Should Be Equal    ${resp.json()}[flavour]    oat

Basic Auth
    ${resp}=    GET    /anything    auth=["qa", "s3cret"]
    ${expected}=    Evaluate    "Basic " + base64.b64encode(b"qa:s3cret").decode()    modules=base64
    Should Be Equal    ${resp.json()}[headers][authorization]    ${expected}

Redirects Are Followed By Default
    ${resp}=    GET    /redirect    params={"name": "Robot"}
    Should Be Equal    ${resp.text}    Hello, Robot!
    Should Be Equal    ${resp.url}    http://testserver/hello?name=Robot
    Length Should Be    ${resp.history}    1
    Should Be Equal As Integers    ${resp.history[0].status_code}    307

Redirects Are Not Followed With allow_redirects=False
    ${resp}=    GET    /redirect    allow_redirects=False
    Should Be Equal As Integers    ${resp.status_code}    307
    Should Be Equal    ${resp.headers}[location]    /hello
    Should Be Empty    ${resp.history}

POST Redirected With 302 Becomes A GET
    ${resp}=    POST    /redirect/external    json={"lost": "in redirect"}
    Should Be Equal As Integers    ${resp.history[0].status_code}    302
    Should Be Equal    ${resp.json()}[method]    GET
    Should Be Equal    ${resp.json()}[path]    /anything

Streamed Responses Are Read Whole
    ${resp}=    GET    /stream    params={"count": "3"}    client=demo
    Should Be Equal    ${resp.text}    chunk 0\nchunk 1\nchunk 2\n
    ${resp}=    GET    /events    params={"count": "2"}    client=demo
    Should Be Equal    ${resp.headers}[content-type]    text/event-stream; charset=utf-8
    Should Be Equal    ${resp.text}
    ...    id: 0\nevent: tick\ndata: {"n": 0}\n\nid: 1\nevent: tick\ndata: {"n": 1}\n\n
    [Setup]    Open ASGI Client    ${DEMO}    alias=demo

Timeout Long Enough Passes
    ${resp}=    GET    /hello    timeout=2s
    Should Be Equal    ${resp.text}    Hello, world!
    ${resp}=    GET    /hello    timeout=0.5
    Should Be Equal    ${resp.text}    Hello, world!
    ${resp}=    GET    /hello    timeout=1 minute
    Should Be Equal    ${resp.text}    Hello, world!

Expected Status As A Code
    ${resp}=    GET    /anything    params={"status": "201"}    expected_status=201
    Should Be Equal As Integers    ${resp.status_code}    201
    Run Keyword And Expect Error    GET http://testserver/anything returned status 200 OK, expected 201 Created.*
    ...    GET    /anything    expected_status=201

Expected Status As Several Codes
    GET    /anything    params={"status": "201"}    expected_status=200, 201
    GET    /anything    expected_status=200, 201
    Run Keyword And Expect Error    * returned status 202 Accepted, expected 200 OK or 201 Created.*
    ...    GET    /anything    params={"status": "202"}    expected_status=200, 201

Expected Status As A Name
    ${resp}=    GET    /missing    expected_status=not found
    Should Be Equal As Integers    ${resp.status_code}    404
    GET    /missing    expected_status=NOT_FOUND
    GET    /missing    expected_status=Not Found
    GET    /hello    expected_status=ok

Expected Status Any Accepts Everything
    FOR    ${code}    IN    200    302    404    418    500
        ${resp}=    GET    /anything    params={"status": "${code}"}    expected_status=any    allow_redirects=False
        Should Be Equal As Integers    ${resp.status_code}    ${code}
    END

Default Expected Status Fails On 4xx And 5xx Only
    ${resp}=    GET    /anything    params={"status": "399"}
    Should Be Equal As Integers    ${resp.status_code}    399
    Run Keyword And Expect Error    GET http://testserver/missing returned status 404 Not Found, expected a status below 400.*
    ...    GET    /missing
    Run Keyword And Expect Error    * returned status 500 Internal Server Error, expected a status below 400.*
    ...    GET    /anything    params={"status": "500"}

Msg Replaces The Failure Message
    Run Keyword And Expect Error    EQUALS:The item should exist
    ...    GET    /missing    msg=The item should exist

The Client Argument Picks Another Client
    Open ASGI Client    ${DEMO}    alias=demo
    ${resp}=    GET    /anything    client=star
    Should Be Equal    ${resp.json()}[method]    GET
    ${resp}=    GET    /    client=demo
    Should Be Equal    ${resp.text}    Hello from the RobotASGI demo app!\n
    GET    /anything    expected_status=404
    FOR    ${keyword}    IN    POST    PUT    PATCH    DELETE    OPTIONS
        ${resp}=    Run Keyword    ${keyword}    /anything    client=star
        Should Be Equal    ${resp.json()}[method]    ${keyword}
    END
    ${resp}=    HEAD    /anything    client=star
    Should Be Equal    ${resp.headers}[x-method]    HEAD
