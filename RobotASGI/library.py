"""The ``RobotASGI`` Robot Framework library: its keyword components, its open
resources, and the listener that closes them when their scope ends."""

from typing import Any, List

from robot.api import logger
from robot.api.deco import library

from . import __version__
from .app_log import COLLECTOR
from .data_types import CONVERTERS, AutoClose, CommaList, Timeout, TraceMode, checked_timeout, convert_comma_list
from .errors import ArgumentError
from .exchange_log import DEFAULT_MASKED_FIELDS, DEFAULT_MASKED_HEADERS, ExchangeLog, Masker
from .keywords.assertions import AssertionKeywords
from .keywords.base import check_flag
from .keywords.clients import ClientKeywords
from .keywords.concurrency import ConcurrencyKeywords
from .keywords.contracts import ContractKeywords
from .keywords.cookies import CookieKeywords
from .keywords.doubles import TestDoubleKeywords
from .keywords.http import HTTPKeywords
from .keywords.streams import StreamKeywords
from .keywords.websocket import WebSocketKeywords
from .store import CLIENTS, SESSIONS, Aliases, Registry, ScopeStack
from .streams import STREAMS

DOCUMENTATION = """RobotASGI tests ASGI web applications in-process: no server, no port, no network.

Import it, open a client for your app, and send requests and WebSocket
messages to it. The app runs on an event loop in a background thread of the
Robot process (asyncio or trio), exactly as a server would call it; the
request and response of every keyword are written to the log.

Works with any ASGI 3 or ASGI 2 application: Starlette, FastAPI, Quart,
Django, Litestar, or plain ASGI.

= Example =

| ``*** Settings ***``
| Library    RobotASGI
|
| ``*** Test Cases ***``
| Greeting
|     Open ASGI Client    myservice.main:app
|     ${resp}=    GET    /hello    expected_status=200
|     Should Be Equal    ${resp.text}    Hello, world!
|     Websocket Connect    /ws
|     Send Json    {"op": "ping"}
|     ${msg}=    Receive Json
|     Should Be Equal    ${msg}[op]    pong
|     Close Websocket

Without an app, `Open ASGI Client` uses the demo application that ships with
RobotASGI (text, JSON echo, upload, redirect, streaming and WebSocket echo
routes), handy for trying keywords out.

= Clients, sessions and scopes =

`Open ASGI Client`, `Websocket Connect` and `Open Stream` open resources
kept under aliases: ``alias=`` names what they open (``client1``,
``websocket1``, ``stream1``... when omitted). The last opened client,
session and stream are the current ones; `Switch ASGI Client`, `Switch
Websocket` and `Switch Stream` change that, and every keyword that uses a
client takes ``client=`` to name another, every keyword that uses a session
``websocket=``, every keyword that reads a stream ``stream=``. An alias is
unique among all open clients, sessions and streams; `Get ASGI Aliases`
lists them.

Every resource belongs to the scope that opened it and is closed when that
scope ends, so nothing leaks from one test into the next. The library's
``auto_close`` import argument chooses the policy:

| = auto_close = | = Opened in a test =         | = Opened in a suite setup or teardown = |
| ``TEST``       | closed when the test ends     | closed when the suite ends               |
| ``SUITE``      | closed when its suite ends    | closed when the suite ends               |
| ``MANUAL``     | closed by a close keyword, or when the run ends | closed by a close keyword, or when the run ends |

Closing a client closes its WebSocket sessions and streams first, then runs
the app's lifespan shutdown. A close that fails - say, shutdown raises - is reported
(the test fails, the error is logged) but everything else is still closed.

= Timeouts =

Nothing waits for ever. Every keyword that waits on the app has a timeout:
the library's ``timeout`` import argument (default 10 seconds) unless the
client was opened with its own, unless the keyword is given one. Times use
Robot's format: ``2s``, ``500ms``, ``1 minute``, or plain seconds. A
Robot ``[Timeout]`` that interrupts a keyword leaves the library usable.

= Failures =

HTTP keywords fail on a 4xx or 5xx response unless ``expected_status`` says
otherwise; the message names the method, the URL, the actual and the
expected status and an excerpt of the body. An exception in the app fails
the keyword with the app's exception type and message; the log shows its
traceback with the app's and its framework's frames only, the outermost
first (INFO), and the whole traceback at DEBUG level. Bad arguments fail
with a message saying what is accepted.

= Streams and Server-Sent Events =

A response the app sends piece by piece - Server-Sent Events, JSON Lines,
a download, tokens of a completion - is read as it arrives: `Open Stream`
sends the request like `Send Request` and returns as soon as the response
starts. Its status and headers are then the last response's, for `Status
Should Be` and the other checks; its body is read by `Receive Event` (the
next Server-Sent Event, parsed by the WHATWG rules a browser follows, as a
dictionary with ``event``, ``data``, ``id``, ``retry`` and ``json``),
`Receive Line` (``json=True`` for JSON Lines and NDJSON) and `Receive Chunk`
(bytes as the app sent them). Each waits for what it is asked for within the
timeout, and fails with what did arrive. `Stream Should Receive Nothing` and
`Stream Should Be Finished` check silence and the end of the body; `Close
Stream` makes the client go away in the middle - the app's ``receive()``
returns ``http.disconnect`` - and waits for the app to end, so what a test
checks next sees what the app did about it.

| Prices Stream Until The Client Leaves
|     Open Stream    /prices    headers={"Accept": "text/event-stream"}
|     Response Header Should Be    Content-Type    text/event-stream; charset=utf-8
|     ${event}=    Receive Event    timeout=2s
|     Should Be Equal    ${event}[event]    price
|     Should Be Equal    ${event}[json][symbol]    ACME
|     Close Stream
|     GET    /subscribers
|     Response Json Should Be    {"count": 0}

= WebSocket dialogues =

A WebSocket app seldom answers with exactly one message: a chat sends
presence updates and typing indicators, a feed an acknowledgement before
its data. `Receive Json Until` waits for the first JSON message whose value
at a JSON Pointer is the one expected and skips (and logs) the others;
`Receive Text Until` does the same for text matching a pattern; `Receive
Message` takes whatever comes next and `Drain Websocket` everything until
the app goes quiet. No WHILE loop is needed:

| Alice And Bob Talk
|     Websocket Connect    /chat/lobby    params={"name": "alice"}    alias=alice
|     Websocket Connect    /chat/lobby    params={"name": "bob"}    alias=bob
|     Send Json    {"type": "message", "text": "hi alice"}    websocket=bob
|     ${message}=    Receive Json Until    /type    message    websocket=alice
|     Should Be Equal    ${message}[text]    hi alice

When the app crashes, the keyword that notices fails with the app's own
exception, and logs its traceback with the app's frames only, the
outermost first.

= Contract testing =

FastAPI and Litestar apps describe themselves in an OpenAPI document. Open
a client with ``openapi=`` and every exchange of that client is checked
against it: each response must be one the operation declares - its status
code (a declared 422 answer to an invalid request is valid), content type,
headers and body schema - or the keyword fails with the operation, the JSON
path of each offending value and what the schema expects. Requests are
checked too, but a request that does not match the document is only noted
in the log: suites send invalid requests on purpose. ``openapi=`` takes a
file path, the app's document URL path (``/openapi.json``, fetched
in-process) or ``auto`` (``/openapi.json``, then ``/schema/openapi.json``).
OpenAPI 3.0 and 3.1 documents are supported.

The client also records which operations answered with which status codes:
`Get OpenAPI Coverage` returns it, `Log OpenAPI Coverage` logs it with the
operations never exercised, and it is logged when the client closes (for a
client a suite setup opened, in the suite's metadata, as Robot keeps no
message logged when a suite ends). `Response Should Match OpenAPI` checks one
response on any client; `Json Should Match Schema` checks JSON against a JSON
Schema.

These need the ``openapi`` extra: ``pip install "robotframework-robotasgi[openapi]"``.
Without it, they fail saying so.

| ``*** Settings ***``
| Library           RobotASGI
| Suite Setup       Open ASGI Client    myservice.main:app    openapi=auto
|
| ``*** Test Cases ***``
| Pets Follow The Contract
|     GET    /pets    headers={"X-Tenant": "acme"}
|     GET    /pets/1
|     GET    /pets/999    expected_status=404    # fails unless the operation declares 404
|     POST    /pets    json={"name": ""}    expected_status=422    # the request is noted, the 422 checked
|
| Every Operation Is Exercised
|     ${coverage}=    Get OpenAPI Coverage
|     FOR    ${operation}    ${statuses}    IN    &{coverage}
|         Should Not Be Empty    ${statuses}    ${operation} was never exercised
|     END
|
| A Stored Pet Matches Its Schema
|     GET    /pets/1
|     Json Should Match Schema    ${CURDIR}/schemas/pet.json

= Test doubles =

The app runs in the Robot process, so a test can change what it depends on:
`Override Dependency` replaces a dependency of a FastAPI app (its
``dependency_overrides``), `Set App Attribute` any attribute of the app's
modules - a setting, a feature flag, a clock. Both are undone when the test
or suite that made them ends, passed or failed, the last change first; the
log shows each change and its undoing.

| Fake Payments
|     Override Dependency    myservice.payments:get_gateway    tests.fakes:declining_gateway
|     Set App Attribute    myservice.config:settings.new_checkout    True
|     POST    /orders    json={"item": 1}    expected_status=402

= What only an in-process library can show =

A test against a live server sees bytes on a socket. RobotASGI runs the app
in the Robot process, so a failing keyword shows what happened inside it.

*The ASGI trace.* When a keyword that made an exchange fails - an unexpected
status, a failed check of the response (`Status Should Be`, `Response Json
Should Be`... on it), a timeout, an exception in the app, a broken ASGI
protocol, a WebSocket keyword - its log holds the exchange's ASGI trace:
the scope, every message the app received and sent, in order, with its time
offset, size and the start of its body, and how the app ended. Credentials
are masked as everywhere in the log. The ``trace`` import argument chooses
when: ``on failure`` (default), ``always`` (passing keywords too) or ``never``.

| ASGI trace of POST /items: 4 steps in 5.1 ms
|   +   0.000 ms  scope   http POST /items headers: host: testserver, ..., authorization: *****, content-type: application/json
|   +   4.632 ms  receive http.request more_body=False body 31 bytes '{"name": "widget", "price": -1}'
|   +   5.015 ms  send    http.response.start status=422 headers: content-length: 126, content-type: application/json
|   +   5.048 ms  send    http.response.body body 126 bytes '{"detail":[{"type":"greater_than","loc":["body","price"],...'
|   +   5.100 ms  end     the app returned

The trace keeps the last 200 messages and the first 256 bytes of each body;
a body cut inside a credential shows none of it.

*The app's traceback, the app first.* A keyword that fails because the app
raised logs the app's traceback at INFO level with only the frames of the app
and its framework - none of RobotASGI, anyio, requests or Robot Framework.
The full traceback is at DEBUG level.

*Concurrent requests.* `Start Request` sends a request and returns a handle at
once; `Wait For Response` returns its response. Started requests run
concurrently on their client's event loop, so a suite can test races,
idempotency keys, locks and rate limits:

| ${first}=     Start Request    POST    /payments    json={"amount": 10}    headers={"Idempotency-Key": "k1"}
| ${second}=    Start Request    POST    /payments    json={"amount": 10}    headers={"Idempotency-Key": "k1"}
| ${a}=    Wait For Response    ${first}
| ${b}=    Wait For Response    ${second}
| Should Be Equal    ${a.json()}[id]    ${b.json()}[id]

*Slow and broken clients.* The HTTP keywords that send a body take
``chunk_size`` and ``chunk_delay`` to send it in pieces with a pause between
them (an app's upload timeout), and ``disconnect_after`` to go away after so
many bytes of it: the app's next ``receive()`` returns ``http.disconnect``,
the keyword returns ``${None}`` and logs what the app did.

| POST    /upload    data=${DATA}    chunk_size=1024    chunk_delay=500ms    expected_status=408
| ${resp}=    POST    /upload    data=${DATA}    disconnect_after=4096
| Should Be Equal    ${resp}    ${None}

*Code coverage of the app.* The app runs in the ``robot`` process, so
``coverage run -m robot ...`` measures which of its lines the suite ran,
on asyncio and trio alike; see the user guide, docs/keywords.rst.

= Logging and credentials =

Every HTTP keyword logs the request and the response (and each redirect);
every WebSocket handshake, send and receive, and every event, line and
chunk read from a stream, is logged. JSON bodies are pretty-printed
and long bodies cut at ``log_body_limit`` characters; a header a response
repeats, such as ``Set-Cookie``, is shown on a line per value.

A credential never reaches the log, failure messages or Robot's own dumps
of keyword arguments, and nothing that is not one is ever rewritten. The
library masks, with ``*****``:

- *by place*, whatever the value: the values of the ``mask_headers``
  (``Authorization``, ``Cookie``, ``Set-Cookie``, ``Proxy-Authorization``
  by default; for cookies the values, names and attributes stay readable:
  ``Set-Cookie: session=*****; Path=/; HttpOnly``), the password given with
  ``auth`` or in a URL, and the values of the ``mask_fields`` (``password``,
  ``token``, ``access_token``, ``api_key``... by default) in the JSON and
  form bodies of requests, responses and WebSocket messages and in query
  strings;
- *by value*, wherever it appears from then on - other bodies, other
  clients and tests, ``Log`` and the messages of any keyword - the real
  credentials only: a password, a masked header value or a cookie the suite
  gives, a Robot Framework ``Secret`` (7.4 and newer), and a value the app
  returns in one of the ``mask_fields`` (a token after a login).

A value is masked by value only if it cannot be mistaken for ordinary
text: it has at least 8 characters and is neither a number nor a word
(letters alone, in one case or capitalised). A shorter or common credential
is masked where it stands and nowhere else, so ``null``, ``true``, ``42`` or
``admin`` in a body or a message always read as they are - even if a cookie
or a password equals them.

Robot Framework 7.4's ``Secret`` values are accepted wherever credentials go:
``auth``, ``headers``, ``cookies``, ``params``, ``data`` and ``json`` (inside
dictionaries and lists too), and the WebSocket send keywords. A header or
field whose value was a Secret is masked by place from then on. Build the
dictionary with ``Create Dictionary`` or ``VAR`` so that the value stays a
Secret: inside a literal such as ``{"Authorization": "${TOKEN}"}`` Robot
turns it into the text ``<secret>``, which the library refuses to send.

| ${TOKEN: secret}    %{API_TOKEN}
| VAR    ${BEARER: secret}    Bearer ${TOKEN}
| VAR    &{HEADERS}    Authorization=${BEARER}
| GET    /private    headers=${HEADERS}

Messages the app logs with Python's ``logging`` module appear in
the log of the keyword that triggered them, at INFO level (DEBUG for debug
records) with their own level named in the text - ``WARNING [django.request]
Not Found: /nope`` - so an app's warnings never flood the Execution Errors of a
passing run; ``app_log_warnings=True`` makes them Robot warnings and errors.
Each record is formatted when the app logs it: a log call the app got wrong
is shown as such and never fails the keyword.
"""


#: The defaults of ``mask_headers`` and ``mask_fields``, as users write them.
MASKED_HEADERS_TEXT = ", ".join(DEFAULT_MASKED_HEADERS)
MASKED_FIELDS_TEXT = ", ".join(DEFAULT_MASKED_FIELDS)


@library(  # type: ignore[call-overload]  # mypy sees Timeout as Optional[float], Robot as a class
    scope="GLOBAL",
    version=__version__,
    doc_format="ROBOT",
    auto_keywords=False,
    converters=CONVERTERS,
)
class RobotASGI(
    ClientKeywords,
    HTTPKeywords,
    ConcurrencyKeywords,
    CookieKeywords,
    WebSocketKeywords,
    StreamKeywords,
    ContractKeywords,
    AssertionKeywords,
    TestDoubleKeywords,
):
    __doc__ = DOCUMENTATION

    ROBOT_LISTENER_API_VERSION = 3

    def __init__(
        self,
        timeout: Timeout = 10.0,
        auto_close: AutoClose = AutoClose.TEST,
        log_body_limit: int = 2000,
        mask_headers: CommaList = MASKED_HEADERS_TEXT,
        mask_fields: CommaList = MASKED_FIELDS_TEXT,
        app_log_warnings: bool = False,
        trace: TraceMode = TraceMode.ON_FAILURE,
    ) -> None:
        """Library settings.

        - ``timeout``: the default bound on every wait on the app (``10s``);
          clients and keywords can override it.
        - ``auto_close``: ``TEST``, ``SUITE`` or ``MANUAL`` - when resources are
          closed; see `Clients, sessions and scopes`.
        - ``log_body_limit``: bodies longer than this many characters are cut
          in the log (``0`` logs them whole).
        - ``mask_headers``: the headers whose values are masked in the log, a
          comma-separated list (``NONE`` masks nothing). For ``Cookie`` and
          ``Set-Cookie`` the cookie values are masked, their names and
          attributes shown.
        - ``mask_fields``: the fields whose values are masked in JSON and form
          bodies (of requests, responses and WebSocket messages) and in query
          strings, a comma-separated list (``NONE`` masks none). Case, ``_``
          and ``-`` do not count: ``access_token`` also masks ``accessToken``.
          A value the app returns in such a field - a token - is masked
          wherever it appears afterwards. See `Logging and credentials`.
        - ``app_log_warnings``: what the app logs with Python's ``logging``
          is written to the log of the keyword that caused it, at INFO (DEBUG
          for its debug records) with the record's level in the text. With
          ``True`` the app's WARNING and ERROR records become Robot warnings
          and errors, listed in the log's Execution Errors and on the console.
        - ``trace``: when a keyword logs the ASGI trace of its exchange (see
          `What only an in-process library can show`): ``on failure``
          (default), ``always`` (passing keywords too) or ``never`` (clients
          then record none, which saves its small cost).

        | Library | RobotASGI | timeout=5s | auto_close=SUITE |
        | Library | RobotASGI | mask_headers=Authorization, X-Api-Key |
        | Library | RobotASGI | mask_fields=password, token, session_key |
        | Library | RobotASGI | app_log_warnings=True |
        | Library | RobotASGI | trace=always |
        """
        self.default_timeout = checked_timeout(timeout)
        if log_body_limit < 0:
            raise ArgumentError(f"Invalid log_body_limit {log_body_limit}: use 0 (no limit) or a positive number.")
        self.masker = Masker(convert_comma_list(mask_headers), convert_comma_list(mask_fields))
        self.exchange_log = ExchangeLog(self.masker, log_body_limit)
        aliases = Aliases()
        self.clients = Registry(CLIENTS, aliases)
        self.sessions = Registry(SESSIONS, aliases)
        self.streams = Registry(STREAMS, aliases)
        self.scopes = ScopeStack(auto_close)
        self._init_concurrency(aliases)
        if not isinstance(trace, TraceMode):
            raise ArgumentError(f"Invalid trace {trace!r}: use 'on failure', 'always' or 'never'.")
        self.trace_mode = trace
        self._init_contracts()
        self._init_changes()
        self.last_response = None
        self.app_log_warnings = check_flag(app_log_warnings, "app_log_warnings")
        COLLECTOR.attach()
        self.ROBOT_LIBRARY_LISTENER = self
        self._enter_running_scopes()

    # -- the listener: scopes open and close ------------------------------------------
    def _enter_running_scopes(self) -> None:
        """The library hears of scopes only after it is imported: record the
        suite (and test) already running so what they open is theirs."""
        try:
            from robot.libraries.BuiltIn import BuiltIn

            variables = BuiltIn()
            suite = variables.get_variable_value("${SUITE NAME}")
            test = variables.get_variable_value("${TEST NAME}")
        except Exception:  # libdoc, or imported outside a run
            return
        if suite is not None:
            self.scopes.enter("suite", suite, pending=True)
        if test is not None:
            self.scopes.enter("test", test, pending=True)

    def start_suite(self, data: Any, result: Any) -> None:
        self.scopes.enter("suite", data.name)

    def end_suite(self, data: Any, result: Any) -> None:
        self.suite_notes = {}  # what the closes log, kept as the suite's metadata
        try:
            errors = self.scopes.leave("suite")
        finally:
            notes, self.suite_notes = self.suite_notes, None
        for title, text in notes.items():
            result.metadata[title] = text
        self._report(errors, result)

    def start_test(self, data: Any, result: Any) -> None:
        self.scopes.enter("test", data.name)
        self.last_response = None  # checks default to this test's own last response

    def end_test(self, data: Any, result: Any) -> None:
        self._report(self.scopes.leave("test"), result)
        if result.message:  # a failure message can quote a body that echoes credentials
            result.message = self.masker.scrub(result.message)

    def end_keyword(self, data: Any, result: Any) -> None:
        """A failed keyword's message can quote an echoed credential (Robot
        Framework 7 calls this; 6.1 has no keyword events for listener v3)."""
        if result.message:
            result.message = self.masker.scrub(result.message)

    def log_message(self, message: Any) -> None:
        """Every log message, Robot's own TRACE dumps of arguments included,
        passes here: credentials are masked before it is written."""
        text = message.message
        if isinstance(text, str):
            masked = self.masker.scrub(text)
            if masked != text:
                message.message = masked

    def close(self) -> None:
        errors = self.scopes.close_all(everything=True)
        self.scopes.take_notes()  # nothing is logged after the run
        for error in errors:
            logger.error(f"RobotASGI: {error}")
        COLLECTOR.detach()

    def _report(self, errors: List[str], result: Any) -> None:
        """A failed automatic close fails the test or suite that owned it."""
        self._flush_app_logs()
        self._log_close_notes()
        if not errors:
            return
        text = "Closing ASGI resources failed:\n" + "\n".join(errors)
        logger.error(f"RobotASGI: {text}")
        if hasattr(result, "suite_teardown_failed"):
            # A suite's status comes from its tests: like a failing suite
            # teardown, the failed close fails them (in the run's statistics
            # and exit code; output.xml already holds their results).
            result.suite_teardown_failed(text)
        elif result.passed:
            result.status = "FAIL"
            result.message = text
        else:
            result.message = f"{result.message}\n\nAlso: {text}" if result.message else text
