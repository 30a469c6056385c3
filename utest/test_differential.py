"""Differential test: the engine's scopes against a real server's.

The same requests go, through ``requests``, to one scope-recording ASGI app
(``differential_support.RecordingApp``) twice: served by uvicorn on
127.0.0.1 (a ``requests.Session``, trust_env off) and served in-process by
``TestClient``. The recorded scopes and request bodies must be the same,
except for what legitimately differs between a socket and no socket:

- ``client`` (the peer address) and ``server`` (host and port of the URL),
  and so the ``host`` header's value: each is checked on its own side;
- ``state``: uvicorn's is the lifespan state; the engine's is the same inside
  ``with TestClient(...)`` and ``{}`` outside it (checked on its own);
- ``extensions``: uvicorn's h11 http scope has none, the engine advertises
  the four of the API contract (checked on its own); for websockets both
  advertise ``websocket.http.response`` (compared);
- ``asgi["spec_version"]``: uvicorn says "2.3" for http, the engine "2.4";
- how a body is cut into ``http.request`` messages (network reads vs the
  body's kind): only the concatenated body and the more_body flags' shape
  are compared;
- a multipart body's boundary, random for each prepared request.

Headers are compared as the full list of (name, value) pairs in order, the
``host`` header excepted (its position is compared). uvicorn adds no header
of its own to the scope, so nothing else is excluded; where ``urllib3`` adds one on the wire
that ``requests`` did not prepare (a default ``User-Agent`` or
``Accept-Encoding: identity`` when the user removed requests' own), that
is a real difference and is reported as such below.

Limit: ``requests`` cannot send two headers of the same name (its headers
are a case-insensitive dict, and http.client folds a multi-value header into
one), so repeated headers cannot be sent to either side; mixed-case names and
many headers are covered instead. The engine keeps the header list the
prepared request has, so there is no second source of duplicates to compare.

Cases: a hand-written table (engine on asyncio and trio inside ``with``, and
on asyncio with a loop per request), root paths (a uvicorn per root_path,
``root_path=`` on both sides), WebSocket handshakes (uvicorn needs wsproto or
websockets, else those tests skip; the uvicorn side is a raw socket
handshake) and hypothesis-generated requests (asyncio and trio inside
``with``). The number of comparisons is written at the end of the module
(the ``differential:`` line, shown without -s too).

Differences it found in the engine (header whitespace, the default
User-Agent and Accept-Encoding a real connection adds, a "%" in root_path,
the place of an explicit Host header) are fixed; new ones would show here.
"""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Tuple

import pytest
import requests
import urllib3

pytest.importorskip("uvicorn")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import (  # noqa: E402
    HealthCheck,
    assume,
    given,
    settings,
    strategies as st,  # noqa: E402
)

from differential_support import (  # noqa: E402
    ENGINE_HTTP_EXTENSIONS,
    ENGINE_WEBSOCKET_EXTENSIONS,
    LIFESPAN_STATE,
    RESPONSE_BODY,
    RecordingApp,
    UvicornServer,
    close_bodies,
    comparable,
    header_pairs,
    raw_websocket_handshake,
    wait_for,
)
from RobotASGI.testclient import TestClient  # noqa: E402

#: How many comparisons were made, by kind; printed at the end of the module.
COUNTS: Counter = Counter()

#: Engine setups: (backend, mode). "lifespan" = inside `with TestClient(...)`,
#: one loop for all requests; "per-request" = outside `with`, a loop per request.
ENGINE_MODES = [("asyncio", "lifespan"), ("trio", "lifespan"), ("asyncio", "per-request")]

HTTP_TIMEOUT = 10.0


# --------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def servers():
    """uvicorn servers by root_path, started on first use, stopped at the end."""
    started: Dict[str, UvicornServer] = {}

    def get(root_path: str = "") -> UvicornServer:
        if root_path not in started:
            started[root_path] = UvicornServer(RecordingApp(f"uvicorn{root_path!r}"), root_path).start()
        return started[root_path]

    yield get
    for server in started.values():
        server.stop()


@pytest.fixture(scope="session")
def http():
    """The requests.Session that talks to uvicorn, with the engine's session
    default User-Agent (``testclient``, as the seed's client sends) so that
    only what the transport adds is compared."""
    session = requests.Session()
    session.trust_env = False
    session.headers["User-Agent"] = "testclient"
    yield session
    session.close()


@pytest.fixture(scope="session")
def engines():
    """TestClients by (backend, mode, root_path), each with its own recorder."""
    made: Dict[Tuple[str, str, str], TestClient] = {}

    def get(backend: str = "asyncio", mode: str = "lifespan", root_path: str = "") -> TestClient:
        key = (backend, mode, root_path)
        if key not in made:
            app = RecordingApp(f"engine{key!r}")
            client = TestClient(app, base_url="http://testserver", root_path=root_path, backend=backend, timeout=HTTP_TIMEOUT)
            client.recorder = app
            if mode == "lifespan":
                client.__enter__()
            made[key] = client
        return made[key]

    yield get
    for client in made.values():
        client.close()


@pytest.fixture(scope="session")
def body_files(tmp_path_factory) -> Path:
    """Files used as request bodies."""
    folder = tmp_path_factory.mktemp("differential")
    (folder / "small.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "large.bin").write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    (folder / "text.txt").write_text("héllo\nwörld € ✓\n" * 100, encoding="utf-8")
    (folder / "empty.bin").write_bytes(b"")
    return folder


@pytest.fixture(scope="module", autouse=True)
def summary(request):
    """Write how many comparisons the module made to the terminal (also without -s).

    Only comparisons that passed are counted; the xfail cases (engine bugs)
    show in pytest's own summary.
    """
    COUNTS.clear()
    yield
    line = (
        f"differential: {COUNTS['hand']} hand-written HTTP comparisons, "
        f"{COUNTS['root path']} odd root path comparisons, "
        f"{COUNTS['websocket']} hand-written websocket comparisons, "
        f"{COUNTS['generated']} hypothesis-generated HTTP comparisons, "
        f"{COUNTS['generated websocket']} hypothesis-generated websocket comparisons "
        f"({sum(COUNTS.values())} in all)"
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(line)


# --------------------------------------------------------------------------
# sending and comparing
# --------------------------------------------------------------------------

@dataclass
class Case:
    """One request. ``url`` is relative (path, maybe ?query); sent as base + url."""

    url: str = "/"
    method: str = "GET"
    #: keyword arguments of requests' request(), made fresh for each send
    #: (generators and files are used up); called with the body_files folder.
    kwargs: Callable[[Path], Dict[str, Any]] = field(default=lambda files: {})
    root_path: str = ""


def engine_url(url: str) -> str:
    # "//host/x" relative to a base URL is a network-path reference
    # (RFC 3986): TestClient.merge_url resolves it so. requests cannot send
    # it to uvicorn either, so both get the absolute URL base + url.
    return "http://testserver" + url if url.startswith("//") else url


def exchange(server: UvicornServer, http: requests.Session, client: TestClient, case: Case, files: Path):
    """Send the case to uvicorn and to the engine; return both responses and records."""
    server.app.clear()
    client.recorder.clear()
    kwargs = case.kwargs(files)
    try:
        uv_response = http.request(case.method, server.base_url + case.url, timeout=HTTP_TIMEOUT, **kwargs)
    finally:
        close_bodies(kwargs)
    kwargs = case.kwargs(files)
    try:
        en_response = client.request(case.method, engine_url(case.url), **kwargs)
    finally:
        close_bodies(kwargs)
    return uv_response, server.app.take(), en_response, client.recorder.take()


def check_http(server, http, client, case, files, *, mode="lifespan", count="hand"):
    uv_response, uv, en_response, en = exchange(server, http, client, case, files)

    assert comparable(en) == comparable(uv)

    # What legitimately differs, checked side by side.
    assert tuple(uv.scope["server"]) == ("127.0.0.1", server.port)
    assert uv.scope["client"][0] == "127.0.0.1"
    assert tuple(en.scope["server"]) == ("testserver", 80)
    assert list(en.scope["client"]) == ["testclient", 50000]
    assert header_pairs(uv.scope)[0] == (b"host", f"127.0.0.1:{server.port}".encode("ascii"))
    assert header_pairs(en.scope)[0] == (b"host", b"testserver")
    assert uv.scope["state"] == LIFESPAN_STATE
    assert en.scope["state"] == (LIFESPAN_STATE if mode == "lifespan" else {})
    assert "extensions" not in uv.scope  # uvicorn's h11 protocol advertises none
    assert en.scope["extensions"] == ENGINE_HTTP_EXTENSIONS
    assert en.scope["asgi"] == {"version": "3.0", "spec_version": "2.4"}

    # The responses as requests returns them.
    expected = b"" if case.method.upper() == "HEAD" else RESPONSE_BODY
    assert (uv_response.status_code, uv_response.content) == (200, expected)
    assert (en_response.status_code, en_response.content) == (200, expected)
    assert en_response.headers["content-type"] == uv_response.headers["content-type"]
    COUNTS[count] += 1


# --------------------------------------------------------------------------
# the hand-written table
# --------------------------------------------------------------------------

def data(value: Any) -> Callable[[Path], Dict[str, Any]]:
    return lambda files: {"data": value}


def chunks(*parts: Any) -> Callable[[Path], Dict[str, Any]]:
    """A generator body: requests sends it chunked."""
    return lambda files: {"data": (part for part in parts)}


def kw(**kwargs: Any) -> Callable[[Path], Dict[str, Any]]:
    return lambda files: dict(kwargs)


def partly_read(content: bytes, skip: int) -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.read(skip)
    return stream


P = pytest.param

PATH_CASES = [
    P(Case("/"), id="root"),
    P(Case(""), id="empty-path"),
    P(Case("/a%2Fb"), id="encoded-slash"),
    P(Case("/a%2fb"), id="encoded-slash-lowercase"),
    P(Case("/a%252F"), id="double-encoded"),
    P(Case("/sp%20ace"), id="encoded-space"),
    P(Case("/with space"), id="raw-space"),
    P(Case("/caf%C3%A9"), id="encoded-utf8"),
    P(Case("/%E2%82%AC"), id="encoded-euro"),
    P(Case("/%C3%28"), id="encoded-invalid-utf8"),
    P(Case("/%00nul"), id="encoded-nul"),
    P(Case("/%zz/100%"), id="invalid-percent"),
    P(Case("//double//slash"), id="double-slash"),
    P(Case("/;params;x=1"), id="semicolon-params"),
    P(Case("/trailing/"), id="trailing-slash"),
    P(Case("/a+b"), id="plus"),
    P(Case("/%7Euser"), id="encoded-tilde"),
    P(Case("/~user"), id="tilde"),
    P(Case("/a/./b/../c"), id="dot-segments"),
    P(Case("/%2e%2e/x"), id="encoded-dot-segments"),
    P(Case("/a:b@c!$&'()*,="), id="sub-delims"),
    P(Case("/[brackets]{braces}|^`"), id="brackets-braces"),
    P(Case('/quote"<>\\'), id="quote-angle-backslash"),
    P(Case("/café"), id="raw-latin1"),
    P(Case("/€uro/日本語/😀"), id="raw-unicode"),
    P(Case("/frag#ment"), id="fragment"),
]

QUERY_CASES = [
    P(Case("/q?a=1&a=2"), id="repeated-keys"),
    P(Case("/q?a=&b&=c"), id="empty-values"),
    P(Case("/q?"), id="empty-query"),
    P(Case("/q?plus=a+b&space=a%20b"), id="plus-in-query"),
    P(Case("/q?pct=%2F%3F%26%3D%23"), id="percent-encoded-query"),
    P(Case("/q?lower=%2f%c3%a9"), id="lowercase-percent-query"),
    P(Case("/q?x=%zz&y=100%"), id="invalid-percent-query"),
    P(Case("/q?uni=café&euro=€"), id="raw-unicode-query"),
    P(Case("/q?semi;a=1&&b=2&"), id="semicolon-ampersands"),
    P(Case("/q??double?mark"), id="question-marks"),
    P(Case("/q?a=1", kwargs=kw(params={"b": "2"})), id="query-plus-params"),
    P(Case("/q", kwargs=kw(params=[("a", "1"), ("a", "2"), ("é", "ü"), ("k", "")])), id="params-list"),
    P(Case("/q", kwargs=kw(params={"a": ["1", "2"], "plus": "a+b c", "amp": "x&y=z"})), id="params-dict"),
]

HEADER_CASES = [
    P(Case("/h", kwargs=kw(headers={"X-Mixed-CASE": "Value", "x-lower": "v", "X-UPPER": "V"})), id="mixed-case-names"),
    P(Case("/h", kwargs=kw(headers={f"X-Header-{i}": f"value {i}" for i in range(60)})), id="many-headers"),
    P(Case("/h", kwargs=kw(headers={"X-Latin": "café ÿ ©"})), id="latin1-value"),
    P(Case("/h", kwargs=kw(headers={"X-Bytes": b"\xe9t\xe9 \x80\xff"})), id="bytes-value"),
    P(Case("/h", kwargs=kw(headers={"X-Empty": ""})), id="empty-value"),
    P(Case("/h", kwargs=kw(headers={"X-Inner": "a  b\tc"})), id="inner-whitespace"),
    P(Case("/h", kwargs=kw(headers={"X-List": "a, b,c", "Accept": "text/html, */*;q=0.1"})), id="comma-lists"),
    P(Case("/h", kwargs=kw(headers={"User-Agent": "custom/1.0", "Accept-Encoding": "br"})), id="override-defaults"),
    P(Case("/h", kwargs=kw(headers={"Weird_Name!#$%&'*+.^`|~": "tchar"})), id="token-characters"),
    P(Case("/h", kwargs=kw(cookies={"a": "1", "b": "x y"})), id="cookies"),
    P(Case("/h", kwargs=kw(auth=("user", "pässwörd"))), id="basic-auth"),
    P(
        Case("/h", kwargs=kw(headers={"X-Trailing": "value \t"})),
        id="trailing-whitespace-value",
    ),
    P(
        Case("/h", kwargs=kw(headers={"User-Agent": None})),
        id="user-agent-removed",
    ),
    P(
        Case("/h", kwargs=kw(headers={"Accept-Encoding": None})),
        id="accept-encoding-removed",
    ),
]

ROOT_PATH_CASES = [
    P(Case("/", root_path="/mount"), id="mount-root"),
    P(Case("", root_path="/mount"), id="mount-empty"),
    P(Case("/items?x=1&x=2", root_path="/mount"), id="mount-items-query"),
    P(Case("/a%2Fb/caf%C3%A9", root_path="/mount"), id="mount-encoded"),
    P(Case("/café/€", root_path="/mount"), id="mount-unicode"),
    P(Case("/mount/again", root_path="/mount"), id="mount-prefix-again"),
    P(Case("/p", method="POST", kwargs=data(b"body"), root_path="/mount"), id="mount-post"),
]

LARGE = bytes(range(256)) * 4096  # 1 MiB

#: With urllib3 1.x, http.client sends str bodies and text files as latin-1
#: (so non-latin-1 text fails on the wire, and requests sizes str bodies as
#: UTF-8); the engine follows urllib3's major version for str bodies only.
URLLIB3_2_ONLY = pytest.mark.skipif(
    urllib3.__version__.startswith("1."), reason="urllib3 1.x sends str bodies and text files as latin-1"
)

BODY_CASES = [
    P(Case("/b", "POST"), id="post-no-body"),
    P(Case("/b", "POST", data(b"")), id="post-empty-bytes"),
    P(Case("/b", "POST", data(b"\x00\x01binary\xff\xfe")), id="bytes"),
    P(Case("/b", "POST", data("plain ascii text")), id="str-ascii"),
    P(Case("/b", "POST", data("héllo wörld € ✓")), marks=URLLIB3_2_ONLY, id="str-utf8"),
    P(Case("/b", "POST", kw(json={"k": "é", "n": [1, 2.5, None], "emoji": "😀"})), id="json"),
    P(Case("/b", "POST", data({"a": "1", "b": ["x", "y"], "c": "é&=+ "})), id="form-dict"),
    P(Case("/b", "POST", data([("a", "1"), ("a", "2")])), id="form-list"),
    P(
        Case("/b", "POST", lambda files: {"files": {"f": ("a.txt", b"file content\r\n--x", "text/plain")}, "data": {"field": "v"}}),
        id="multipart",
    ),
    P(
        Case("/b", "POST", lambda files: {"files": [
            ("f", ("ünïcode €.bin", bytes(range(256)), "application/octet-stream")),
            ("f", ("second.txt", io.BytesIO(b"second"))),
            ("g", open(files / "small.bin", "rb")),
        ]}),
        id="multipart-several-files",
    ),
    P(Case("/b", "POST", chunks(b"one ", b"two ", b"three")), id="generator"),
    # http.client (urllib3 1.x) cannot send str chunks at all
    P(Case("/b", "POST", chunks("strs ", "héllo ", "€")), marks=URLLIB3_2_ONLY, id="generator-str"),
    # requests 2.28 + urllib3 1.x send an empty chunk as the last-chunk marker,
    # cutting the body short on the wire; the engine sends what was meant
    P(Case("/b", "POST", chunks(b"a", b"", b"b", b"")), marks=URLLIB3_2_ONLY, id="generator-empty-chunks"),
    P(Case("/b", "POST", chunks()), id="generator-nothing"),
    P(Case("/b", "POST", lambda files: {"data": iter([b"it", b"er"])}), id="iterator"),
    P(Case("/b", "POST", lambda files: {"data": open(files / "small.bin", "rb")}), id="file"),
    P(Case("/b", "POST", lambda files: {"data": open(files / "empty.bin", "rb")}), id="empty-file"),
    P(
        Case("/b", "POST", lambda files: {"data": open(files / "text.txt", encoding="utf-8")}),
        marks=[URLLIB3_2_ONLY, pytest.mark.filterwarnings("ignore::requests.exceptions.FileModeWarning")],
        id="text-file",
    ),
    P(Case("/b", "POST", lambda files: {"data": io.BytesIO(b"bytes io body")}), id="bytesio"),
    P(Case("/b", "POST", lambda files: {"data": partly_read(b"skipped|rest", 8)}), id="bytesio-partly-read"),
    P(Case("/b", "POST", data(LARGE)), id="large-bytes"),
    P(Case("/b", "POST", lambda files: {"data": (LARGE[i:i + 65536] for i in range(0, len(LARGE), 65536))}), id="large-generator"),
    P(Case("/b", "POST", lambda files: {"data": open(files / "large.bin", "rb")}), id="large-file"),
]

METHOD_CASES = [
    P(Case("/m", method), id=method.lower())
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]
] + [
    P(Case("/m", method, data(b"payload")), id=method.lower() + "-with-body")
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
] + [
    P(Case("/m", "post", data(b"lower")), id="lowercase-method"),
    P(Case("/m", "PROPFIND", data(b"<xml/>")), id="custom-method"),
]

HAND_CASES = PATH_CASES + QUERY_CASES + HEADER_CASES + ROOT_PATH_CASES + BODY_CASES + METHOD_CASES


@pytest.mark.parametrize("backend, mode", ENGINE_MODES, ids=[f"{b}-{m}" for b, m in ENGINE_MODES])
@pytest.mark.parametrize("case", HAND_CASES)
def test_hand_written(case, backend, mode, servers, http, engines, body_files):
    server = servers(case.root_path)
    client = engines(backend, mode, case.root_path)
    check_http(server, http, client, case, body_files, mode=mode)


# --------------------------------------------------------------------------
# root paths that are not plain words
# --------------------------------------------------------------------------

def test_root_path_with_a_space(servers, http, engines, body_files):
    """root_path "/sp ace": uvicorn is off-spec, the engine is right.

    uvicorn prefixes raw_path with ``root_path.encode("ascii")`` unquoted, so
    its raw_path holds a raw space - not bytes a client could have sent. The
    engine percent-encodes the prefix. Everything else must match.
    """
    root = "/sp ace"
    uv_response, uv, en_response, en = exchange(servers(root), http, engines("asyncio", "lifespan", root), Case("/x%20y", root_path=root), body_files)
    assert uv.scope["raw_path"] == b"/sp ace/x%20y"  # uvicorn: not a valid raw path
    assert en.scope["raw_path"] == b"/sp%20ace/x%20y"
    assert en.scope["path"] == uv.scope["path"] == "/sp ace/x y"
    uv_view, en_view = comparable(uv), comparable(en)
    del uv_view["raw_path"], en_view["raw_path"]
    assert en_view == uv_view
    COUNTS["root path"] += 1


def test_root_path_with_a_percent_sign(servers, http, engines, body_files):
    """root_path "/100%25" (decoded form, like path): path must start with it.

    uvicorn: path "/100%25/x" (root_path + decoded request path). The engine
    unquotes root_path + raw path together: "/100%/x", which does not start
    with root_path - Starlette's routing then cannot strip the mount prefix.
    (uvicorn's raw_path b"/100%25/x" is itself off-spec - it should be
    b"/100%2525/x" - so only path is compared here.)
    """
    root = "/100%25"
    uv_response, uv, en_response, en = exchange(servers(root), http, engines("asyncio", "lifespan", root), Case("/x", root_path=root), body_files)
    assert uv.scope["path"] == "/100%25/x"
    assert en.scope["path"] == uv.scope["path"]
    COUNTS["root path"] += 1


HOST_OVERRIDE = Case("/h", kwargs=kw(headers={"Host": "example.com:8080", "X-After": "1"}))


def test_host_header_override_value(servers, http, engines, body_files):
    """An explicit Host header replaces the URL's on both sides (once)."""
    uv_response, uv, en_response, en = exchange(servers(""), http, engines("asyncio", "lifespan", ""), HOST_OVERRIDE, body_files)
    assert [v for n, v in header_pairs(en.scope) if n == b"host"] == [b"example.com:8080"]
    assert [v for n, v in header_pairs(uv.scope) if n == b"host"] == [b"example.com:8080"]
    # server is where the request went, not the Host header: the URL's host for the engine.
    assert tuple(en.scope["server"]) == ("testserver", 80)
    COUNTS["hand"] += 1


def test_host_header_override_order(servers, http, engines, body_files):
    uv_response, uv, en_response, en = exchange(servers(""), http, engines("asyncio", "lifespan", ""), HOST_OVERRIDE, body_files)
    assert header_pairs(uv.scope).index((b"host", b"example.com:8080")) == 4  # after the 4 default headers
    assert header_pairs(en.scope) == header_pairs(uv.scope)
    COUNTS["hand"] += 1


# --------------------------------------------------------------------------
# websockets
# --------------------------------------------------------------------------

WEBSOCKET_CASES = [
    P("/ws", {}, id="plain"),
    P("/ws/a%2Fb/caf%C3%A9/€?q=1&q=2&e=", {}, id="odd-path-and-query"),
    P("/ws", {"params": [("a", "1"), ("a", "é")]}, id="params"),
    P("/ws", {"headers": {"X-Mixed-Case": "V", "X-Latin": "café", "Origin": "http://example.com"}}, id="headers"),
    P("/ws", {"subprotocols": ["chat", "superchat"]}, id="subprotocols"),
    P("/ws/x", {"root_path": "/mount"}, id="root-path"),
]


def check_websocket(servers, engines, path: str, root_path: str, options: Dict[str, Any], *, count: str) -> None:
    server = servers(root_path)
    if not server.websockets_supported:
        pytest.skip("uvicorn has no WebSocket implementation here (install wsproto or websockets)")
    client = engines("asyncio", "lifespan", root_path)
    server.app.clear()
    client.recorder.clear()

    status = raw_websocket_handshake(server, path, **options)
    assert status.startswith(b"HTTP/1.1 101"), status
    assert wait_for(lambda: len(server.app.records) == 1)
    uv = server.app.take()

    options = dict(options)
    subprotocols = options.pop("subprotocols", None)
    with client.websocket_connect(engine_url(path), subprotocols=subprotocols, **options):
        pass
    en = client.recorder.take()

    assert comparable(en, websocket=True) == comparable(uv, websocket=True)
    assert en.scope["extensions"] == uv.scope["extensions"] == ENGINE_WEBSOCKET_EXTENSIONS
    assert en.scope["state"] == uv.scope["state"] == LIFESPAN_STATE
    assert tuple(en.scope["server"]) == ("testserver", 80)
    assert tuple(uv.scope["server"]) == ("127.0.0.1", server.port)
    assert header_pairs(en.scope)[0] == (b"host", b"testserver")
    assert header_pairs(uv.scope)[0] == (b"host", f"127.0.0.1:{server.port}".encode("ascii"))
    COUNTS[count] += 1


@pytest.mark.parametrize("path, options", WEBSOCKET_CASES)
def test_websocket_scope(path, options, servers, engines):
    options = dict(options)
    root_path = options.pop("root_path", "")
    check_websocket(servers, engines, path, root_path, options, count="websocket")


# --------------------------------------------------------------------------
# generated cases
# --------------------------------------------------------------------------

#: Header names that change how the message is framed or routed; a
#: generated header with one of these names would test HTTP/1.1 framing, not
#: the scope (the hand-written table covers the defaults requests sends).
FRAMING_HEADERS = {"host", "content-length", "transfer-encoding", "connection", "expect", "upgrade", "te", "trailer", "keep-alive"}
TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

any_char = st.characters(blacklist_categories=("Cs",))
segment = st.one_of(
    st.text(any_char.filter(lambda c: c not in "/?#"), max_size=8),
    st.sampled_from([".", "..", "%", "%2F", "%2f", "%25", "%zz", ";", ";x=1", "+", "%C3%A9", "é", "€", " ", "~"]),
)
paths = st.lists(segment, max_size=5).map(lambda parts: "/" + "/".join(parts))
keys = st.one_of(st.sampled_from(["a", "b", "é", "a b", "k+", ""]), st.text(any_char, max_size=5))
param_lists = st.lists(st.tuples(keys, st.text(any_char, max_size=8)), max_size=6)
raw_queries = st.text(any_char.filter(lambda c: c != "#"), max_size=20)
header_names = st.text(st.sampled_from(TCHAR), min_size=1, max_size=12).filter(lambda name: name.lower() not in FRAMING_HEADERS)
# Latin-1 field values as RFC 9110 allows them (VCHAR, obs-text, inner SP
# and HTAB); trailing whitespace is a hand-written case above.
header_values = st.text(
    st.one_of(st.characters(min_codepoint=0x21, max_codepoint=0x7E), st.characters(min_codepoint=0x80, max_codepoint=0xFF), st.sampled_from(" \t")),
    max_size=20,
).map(lambda value: value.strip(" \t"))
header_dicts = st.dictionaries(header_names, header_values, max_size=8)
methods = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
bodies = st.one_of(
    st.none(),
    st.binary(max_size=4096),
    # (non-empty chunks with urllib3 1.x, which sends an empty one as the end marker)
    st.lists(st.binary(min_size=1 if urllib3.__version__.startswith("1.") else 0, max_size=1024), max_size=5).map(
        lambda parts: ("chunks", parts)
    ),
)
root_paths = st.sampled_from(["", "/mount"])
# Both backends: the clients inside `with` are made once, so trio costs no more.
backends = st.sampled_from(["asyncio", "trio"])

GENERATED = settings(
    max_examples=300,
    deadline=None,
    database=None,  # keep the work tree clean; failures print their example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def generated_case(url, method="GET", root_path="", params=None, headers=None, body=None) -> Case:
    def make(files):
        kwargs: Dict[str, Any] = {}
        if params is not None:
            kwargs["params"] = params
        if headers is not None:
            kwargs["headers"] = headers
        if isinstance(body, tuple):
            kwargs["data"] = (part for part in body[1])
        elif body is not None:
            kwargs["data"] = body
        return kwargs

    return Case(url, method, make, root_path)


def check_generated(servers, http, engines, files, case: Case, backend: str) -> None:
    """check_http, but a request that requests refuses to prepare is no case."""
    try:
        prepared = requests.Session().prepare_request(
            requests.Request(case.method, "http://127.0.0.1" + case.url, **{k: v for k, v in case.kwargs(files).items() if k != "data"})
        )
        # urllib3 parses the URL, and the request target alone, again to send
        # it; 1.x refuses some that requests prepared (a path of "//::")
        urllib3.util.parse_url(prepared.url)
        urllib3.util.parse_url(prepared.path_url)
    except (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader, urllib3.exceptions.LocationParseError,
            UnicodeError, ValueError):
        assume(False)
    check_http(servers(case.root_path), http, engines(backend, "lifespan", case.root_path), case, files, count="generated")


@GENERATED
@given(path=paths, params=st.none() | param_lists, query=st.none() | raw_queries, root_path=root_paths, backend=backends)
def test_generated_urls(path, params, query, root_path, backend, servers, http, engines, body_files):
    url = path if query is None else f"{path}?{query}"
    check_generated(servers, http, engines, body_files, generated_case(url, params=params, root_path=root_path), backend)


@GENERATED
@given(headers=header_dicts, path=paths, backend=backends)
def test_generated_headers(headers, path, backend, servers, http, engines, body_files):
    check_generated(servers, http, engines, body_files, generated_case(path, headers=headers), backend)


@GENERATED
@given(method=methods, body=bodies, root_path=root_paths, backend=backends)
def test_generated_bodies(method, body, root_path, backend, servers, http, engines, body_files):
    check_generated(servers, http, engines, body_files, generated_case("/body", method, root_path, body=body), backend)


@settings(GENERATED, max_examples=120)
@given(
    path=paths,
    params=st.none() | param_lists,
    headers=header_dicts,
    subprotocols=st.none() | st.lists(st.text(st.sampled_from(TCHAR), min_size=1, max_size=8), min_size=1, max_size=3, unique=True),
    root_path=root_paths,
)
def test_generated_websockets(path, params, headers, subprotocols, root_path, servers, engines):
    try:
        requests.Session().prepare_request(requests.Request("GET", "http://127.0.0.1" + path, params=params, headers=headers))
    except (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader, UnicodeError, ValueError):
        assume(False)
    # Names the handshake itself uses would make a second, conflicting one.
    assume(not any(name.lower().startswith("sec-websocket") for name in headers))
    options = {"params": params, "headers": headers, "subprotocols": subprotocols}
    check_websocket(servers, engines, path, root_path, options, count="generated websocket")


def test_summary():
    """Last in the module: the counts so far (shown with -s; the terminal line comes after the module)."""
    print(f"\ndifferential comparisons so far: {dict(COUNTS)}")
