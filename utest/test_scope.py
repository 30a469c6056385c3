"""The HTTP connection scope the app receives, key by key.

Checked against the API contract and the ASGI checklist with a plain
recording app, then through Starlette and FastAPI, which read the scope via
``request.url``, ``request.query_params``, ``request.headers`` and
``request.client``.
"""
from __future__ import annotations

import pytest
from fastapi import FastAPI, Header, Query, Request as FastAPIRequest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from apps import ScopeRecorder
from RobotASGI.testclient import TestClient

EXTENSIONS = {
    "http.response.debug": {},
    "http.response.template": {},
    "http.response.trailers": {},
    "http.response.pathsend": {},
}


def scope_of(backend, method="GET", url="/", client_kwargs=None, **request_kwargs) -> dict:
    """Send one request to a ScopeRecorder and return the scope it got."""
    recorder = ScopeRecorder()
    client = TestClient(recorder, backend=backend, **(client_kwargs or {}))
    response = client.request(method, url, **request_kwargs)
    assert response.status_code == 200
    assert len(recorder.scopes) == 1
    return recorder.scope


def header_list(scope: dict) -> list[tuple[bytes, bytes]]:
    return [tuple(pair) for pair in scope["headers"]]


def header_values(scope: dict, name: bytes) -> list[bytes]:
    return [value for key, value in header_list(scope) if key == name]


# --------------------------------------------------------------------------
# fixed keys
# --------------------------------------------------------------------------

def test_scope_has_every_http_key(backend):
    scope = scope_of(backend)
    assert set(scope) >= {
        "type", "asgi", "http_version", "method", "scheme", "path", "raw_path",
        "query_string", "root_path", "headers", "client", "server", "state", "extensions",
    }


def test_scope_type_is_http(backend):
    assert scope_of(backend)["type"] == "http"


def test_asgi_version_keys(backend):
    assert scope_of(backend)["asgi"] == {"version": "3.0", "spec_version": "2.4"}


def test_http_version_is_1_1(backend):
    assert scope_of(backend)["http_version"] == "1.1"


def test_extensions_are_exactly_the_four_implemented(backend):
    assert scope_of(backend)["extensions"] == EXTENSIONS


def test_state_is_an_empty_dict_without_lifespan(backend):
    state = scope_of(backend)["state"]
    assert state == {}
    assert isinstance(state, dict)


def test_each_request_gets_its_own_scope(backend):
    recorder = ScopeRecorder()
    client = TestClient(recorder, backend=backend)
    client.get("/one")
    client.get("/two")
    first, second = recorder.scopes
    assert first is not second
    assert (first["path"], second["path"]) == ("/one", "/two")
    assert first["state"] is not second["state"]


# --------------------------------------------------------------------------
# method and scheme
# --------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options", "head"])
def test_method_is_upper_case_for_lowercase_input(backend, method):
    assert scope_of(backend, method)["method"] == method.upper()


def test_custom_method_is_upper_case(backend):
    assert scope_of(backend, "purge")["method"] == "PURGE"


def test_scheme_is_http_by_default(backend):
    assert scope_of(backend)["scheme"] == "http"


def test_scheme_is_https_for_an_https_base_url(backend):
    scope = scope_of(backend, client_kwargs={"base_url": "https://example.org:8443"})
    assert scope["scheme"] == "https"


def test_scheme_follows_an_absolute_url(backend):
    assert scope_of(backend, url="https://testserver/x")["scheme"] == "https"
    scope = scope_of(backend, url="http://x.example/", client_kwargs={"base_url": "https://example.org"})
    assert scope["scheme"] == "http"


# --------------------------------------------------------------------------
# path, raw_path, query_string
# --------------------------------------------------------------------------

#: (url, client settings, what the scope must hold): path, raw_path,
#: query_string and root_path as the app sees them.
URL_SCOPES = [
    pytest.param("/users/42", {}, {"path": "/users/42", "raw_path": b"/users/42"}, id="plain-path"),
    pytest.param("/a%2520b", {}, {"path": "/a%20b", "raw_path": b"/a%2520b"},
                 id="path-is-percent-decoded-exactly-once"),
    pytest.param("/caf%C3%A9", {}, {"path": "/café", "raw_path": b"/caf%C3%A9"}, id="path-is-decoded-as-utf8"),
    pytest.param("/café/日本", {}, {"path": "/café/日本", "raw_path": b"/caf%C3%A9/%E6%97%A5%E6%9C%AC"},
                 id="non-ascii-path-is-sent-encoded-and-decoded-in-path"),
    pytest.param("/a%2Fb/c%20d", {}, {"path": "/a/b/c d", "raw_path": b"/a%2Fb/c%20d"},
                 id="encoded-slash-and-space-are-decoded-in-path-only"),
    pytest.param("/items?x=1", {}, {"path": "/items", "raw_path": b"/items"},
                 id="raw-path-does-not-contain-the-query-string"),
    pytest.param("/q?a=1&a=2&b=%20x", {}, {"path": "/q", "query_string": b"a=1&a=2&b=%20x"},
                 id="query-string-is-raw-bytes"),
    pytest.param("/q", {}, {"query_string": b""}, id="query-string-is-empty-bytes-without-query"),
    pytest.param("/", {}, {"root_path": ""}, id="root-path-is-empty-by-default"),
    pytest.param("/items", {"root_path": "/api"},
                 {"root_path": "/api", "path": "/api/items", "raw_path": b"/api/items"},
                 id="root-path-prefixes-path-and-raw-path"),
    pytest.param("/a%20b?x=1", {"root_path": "/api"},
                 {"path": "/api/a b", "raw_path": b"/api/a%20b", "query_string": b"x=1"},
                 id="root-path-prefix-with-an-encoded-path-and-query"),
    pytest.param("/page?x=1#section-2", {}, {"path": "/page", "raw_path": b"/page", "query_string": b"x=1"},
                 id="fragment-is-not-sent"),
    pytest.param("http://testserver", {}, {"path": "/", "raw_path": b"/"}, id="url-without-path-gets-slash"),
    pytest.param("/q?a=1+2&b=%2B", {}, {"query_string": b"a=1+2&b=%2B"},
                 id="query-string-keeps-plus-and-encoded-plus-apart"),
]


@pytest.mark.parametrize(("url", "client_kwargs", "expected"), URL_SCOPES)
def test_url_in_the_scope(backend, url, client_kwargs, expected):
    scope = scope_of(backend, url=url, client_kwargs=client_kwargs)
    assert {key: scope[key] for key in expected} == expected


def test_query_string_from_params_with_repeated_keys(backend):
    scope = scope_of(backend, url="/q", params=[("a", "1"), ("a", "2"), ("b", " x")])
    assert scope["query_string"] == b"a=1&a=2&b=+x"


# --------------------------------------------------------------------------
# headers
# --------------------------------------------------------------------------

def test_headers_are_a_list_of_byte_pairs(backend):
    headers = scope_of(backend)["headers"]
    assert isinstance(headers, list)
    assert headers
    for pair in headers:
        assert len(pair) == 2
        name, value = pair
        assert isinstance(name, bytes) and isinstance(value, bytes)


def test_header_names_are_lower_case(backend):
    scope = scope_of(backend, headers={"X-MiXeD-Case": "KeepsValueCase"})
    names = [name for name, _ in header_list(scope)]
    assert all(name == name.lower() for name in names)
    assert header_values(scope, b"x-mixed-case") == [b"KeepsValueCase"]
    assert b"user-agent" in names


def test_host_header_is_first(backend):
    headers = header_list(scope_of(backend, headers={"X-A": "1"}))
    assert headers[0] == (b"host", b"testserver")
    assert [name for name, _ in headers].count(b"host") == 1


def test_host_header_carries_a_non_default_port(backend):
    scope = scope_of(backend, client_kwargs={"base_url": "https://example.org:8443"})
    assert header_list(scope)[0] == (b"host", b"example.org:8443")


def test_host_header_omits_the_default_port(backend):
    scope = scope_of(backend, client_kwargs={"base_url": "https://example.org:443"})
    assert header_list(scope)[0] == (b"host", b"example.org")


def test_headers_keep_the_order_requests_sent_them_in(backend):
    recorder = ScopeRecorder()
    client = TestClient(recorder, backend=backend)
    client.headers["X-First"] = "1"
    client.headers["X-Second"] = "2"
    response = client.post("/", headers={"X-Third": "3", "X-Fourth": "4"}, data=b"body")
    sent = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.request.headers.items()]
    received = [pair for pair in header_list(recorder.scope) if pair[0] != b"host"]
    # everything requests sent arrived, in the same order
    assert [pair for pair in received if pair in sent] == sent
    names = [name for name, _ in received]
    assert names.index(b"x-first") < names.index(b"x-second") < names.index(b"x-third") < names.index(b"x-fourth")


def test_content_length_for_a_body(backend):
    scope = scope_of(backend, "POST", data=b"abc")
    assert header_values(scope, b"content-length") == [b"3"]


def test_content_length_zero_for_an_empty_post(backend):
    scope = scope_of(backend, "POST")
    assert header_values(scope, b"content-length") == [b"0"]


def test_no_content_length_for_a_get_without_body(backend):
    assert header_values(scope_of(backend), b"content-length") == []


def test_header_values_are_latin1_bytes(backend):
    scope = scope_of(backend, headers={"X-Str": "café", "X-Bytes": b"caf\xe9"})
    assert header_values(scope, b"x-str") == [b"caf\xe9"]
    assert header_values(scope, b"x-bytes") == [b"caf\xe9"]


def test_cookie_and_authorization_headers_present(backend):
    scope = scope_of(backend, cookies={"a": "1"}, auth=("u", "p"))
    assert header_values(scope, b"cookie") == [b"a=1"]
    assert header_values(scope, b"authorization") == [b"Basic dTpw"]


# --------------------------------------------------------------------------
# client and server
# --------------------------------------------------------------------------

def test_client_is_testclient_50000_by_default(backend):
    client = scope_of(backend)["client"]
    assert list(client) == ["testclient", 50000]
    assert isinstance(client[1], int)


def test_client_is_as_configured(backend):
    scope = scope_of(backend, client_kwargs={"client": ("192.0.2.10", 4321)})
    assert list(scope["client"]) == ["192.0.2.10", 4321]


def test_server_defaults_to_testserver_port_80(backend):
    server = scope_of(backend)["server"]
    assert tuple(server) == ("testserver", 80)
    assert isinstance(server[1], int)


def test_server_from_https_base_url_with_port(backend):
    scope = scope_of(backend, client_kwargs={"base_url": "https://example.org:8443"})
    assert tuple(scope["server"]) == ("example.org", 8443)


def test_server_default_https_port_is_443(backend):
    scope = scope_of(backend, client_kwargs={"base_url": "https://example.org"})
    assert tuple(scope["server"]) == ("example.org", 443)


def test_server_follows_an_absolute_url(backend):
    scope = scope_of(backend, url="http://other.example:8080/x")
    assert tuple(scope["server"]) == ("other.example", 8080)


# --------------------------------------------------------------------------
# read through frameworks
# --------------------------------------------------------------------------

async def _describe(request: Request) -> JSONResponse:
    return JSONResponse(
        {
            "url": str(request.url),
            "path": request.url.path,
            "path_params": request.path_params,
            "query_a": request.query_params.getlist("a"),
            "query_b": request.query_params.get("b"),
            "x_custom": request.headers.get("x-custom"),
            "host": request.headers.get("host"),
            "client": [request.client.host, request.client.port],
            "method": request.method,
            "base_url": str(request.base_url),
        }
    )


def _starlette_app() -> Starlette:
    return Starlette(routes=[Route("/items/{name}", _describe, methods=["GET", "PATCH"])])


def test_starlette_reads_url_query_headers_and_client(backend):
    client = TestClient(_starlette_app(), backend=backend)
    response = client.get("/items/caf%C3%A9?a=1&a=2&b=%20x", headers={"X-Custom": "yes"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        # Starlette builds request.url from the decoded scope["path"]
        "url": "http://testserver/items/café?a=1&a=2&b=%20x",
        "path": "/items/café",
        "path_params": {"name": "café"},
        "query_a": ["1", "2"],
        "query_b": " x",
        "x_custom": "yes",
        "host": "testserver",
        "client": ["testclient", 50000],
        "method": "GET",
        "base_url": "http://testserver/",
    }


def test_starlette_sees_lowercase_method_upper_cased(backend):
    client = TestClient(_starlette_app(), backend=backend)
    assert client.request("patch", "/items/x").json()["method"] == "PATCH"


def test_starlette_url_with_https_base_url_and_configured_client(backend):
    client = TestClient(
        _starlette_app(),
        base_url="https://example.org:8443",
        client=("198.51.100.7", 1234),
        backend=backend,
    )
    seen = client.get("/items/x").json()
    assert seen["url"] == "https://example.org:8443/items/x"
    assert seen["host"] == "example.org:8443"
    assert seen["client"] == ["198.51.100.7", 1234]


def test_starlette_routes_below_root_path(backend):
    client = TestClient(_starlette_app(), root_path="/api", backend=backend)
    response = client.get("/items/x?a=1")
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["path_params"] == {"name": "x"}
    assert seen["url"] == "http://testserver/api/items/x?a=1"
    assert seen["base_url"] == "http://testserver/api/"


def _fastapi_app() -> FastAPI:
    app = FastAPI()

    @app.get("/items/{item_id}")
    async def read_item(
        item_id: int,
        request: FastAPIRequest,
        q: list[str] | None = Query(default=None),
        x_custom: str | None = Header(default=None),
    ):
        return {
            "item_id": item_id,
            "q": q,
            "x_custom": x_custom,
            "url": str(request.url),
            "root_path": request.scope["root_path"],
            "client": [request.client.host, request.client.port],
        }

    return app


def test_fastapi_reads_path_query_header_and_client(backend):
    client = TestClient(_fastapi_app(), backend=backend)
    response = client.get("/items/5", params=[("q", "a"), ("q", "b")], headers={"X-Custom": "hdr"})
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["item_id"] == 5
    assert seen["q"] == ["a", "b"]
    assert seen["x_custom"] == "hdr"
    assert seen["url"] == "http://testserver/items/5?q=a&q=b"
    assert seen["client"] == ["testclient", 50000]


def test_fastapi_validation_error_for_bad_path_param(backend):
    client = TestClient(_fastapi_app(), backend=backend)
    response = client.get("/items/not-a-number")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "item_id"]


def test_fastapi_routes_below_root_path(backend):
    client = TestClient(_fastapi_app(), root_path="/api", backend=backend)
    response = client.get("/items/9")
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["item_id"] == 9
    assert seen["root_path"] == "/api"
    assert seen["url"] == "http://testserver/api/items/9"


# --------------------------------------------------------------------------
# URL corner cases
# --------------------------------------------------------------------------

def test_explicit_host_header_replaces_the_url_host(backend):
    # requests + http.client send the user's Host header instead of the URL's,
    # where requests put it among the headers (urllib3 skips its own)
    scope = scope_of(backend, headers={"Host": "virtual.example"})
    headers = header_list(scope)
    assert (b"host", b"virtual.example") in headers
    assert [name for name, _ in headers].count(b"host") == 1
    assert headers[0] != (b"host", b"virtual.example")


def test_userinfo_in_url_becomes_basic_auth_not_host(backend):
    scope = scope_of(backend, url="http://robot:pw@testserver/private")
    assert header_list(scope)[0] == (b"host", b"testserver")
    assert header_values(scope, b"authorization") == [b"Basic cm9ib3Q6cHc="]
    assert tuple(scope["server"]) == ("testserver", 80)


def test_ipv6_base_url(backend):
    scope = scope_of(backend, client_kwargs={"base_url": "http://[::1]:8000"})
    assert tuple(scope["server"]) == ("::1", 8000)
    assert header_list(scope)[0] == (b"host", b"[::1]:8000")
