"""The requests.Session features, used through TestClient against in-process apps.

Every call here is something the seed documents promise ("any of requests
standard API, such as authentication, session cookies handling, or file
uploads"): params, headers, json/data/files bodies, auth, cookies, redirects,
hooks, URL resolution against base_url, session-level default headers.
"""
from __future__ import annotations

import base64
import json

import pytest
import requests
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from apps import cookie_app, echo_app, header_values, redirect_app, send_text
from RobotASGI.testclient import TestClient


def echo(client: TestClient, method: str, url: str, **kwargs) -> dict:
    response = client.request(method, url, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


# --------------------------------------------------------------------------
# the basics from the seed
# --------------------------------------------------------------------------

def test_client_is_a_requests_session(backend):
    client = TestClient(echo_app, backend=backend)
    assert isinstance(client, requests.Session)


def test_get_is_a_plain_function_call_returning_a_requests_response(backend):
    client = TestClient(echo_app, backend=backend)
    response = client.get("/")
    assert isinstance(response, requests.Response)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["method"] == "GET"


@pytest.mark.parametrize(
    "call, method",
    [
        (lambda c: c.get("/m"), "GET"),
        (lambda c: c.post("/m"), "POST"),
        (lambda c: c.put("/m"), "PUT"),
        (lambda c: c.patch("/m"), "PATCH"),
        (lambda c: c.delete("/m"), "DELETE"),
        (lambda c: c.options("/m"), "OPTIONS"),
    ],
    ids=["get", "post", "put", "patch", "delete", "options"],
)
def test_session_method_helpers_send_their_method(backend, call, method):
    client = TestClient(echo_app, backend=backend)
    assert call(client).json()["method"] == method


def test_head_helper_sends_head_and_gets_no_body(backend):
    client = TestClient(echo_app, backend=backend)
    response = client.head("/m")
    assert response.status_code == 200
    assert response.content == b""


def test_trust_env_is_false(backend):
    client = TestClient(echo_app, backend=backend)
    assert client.trust_env is False


def test_netrc_from_environment_does_not_add_authorization(backend, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine testserver login netrcuser password netrcpass\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    client = TestClient(echo_app, backend=backend)
    assert header_values(echo(client, "GET", "/"), "authorization") == []


def test_transport_options_are_accepted_and_have_no_effect(backend):
    client = TestClient(echo_app, backend=backend)
    response = client.get(
        "/t",
        proxies={"http": "http://127.0.0.1:9", "https": "http://127.0.0.1:9"},
        verify=False,
        cert=None,
    )
    assert response.status_code == 200
    seen = response.json()
    assert seen["path"] == "/t"
    assert seen["raw_path"] == "/t"
    assert header_values(seen, "host") == ["testserver"]


def test_proxy_environment_is_ignored(backend, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    client = TestClient(echo_app, backend=backend)
    assert echo(client, "GET", "/through-proxy")["path"] == "/through-proxy"


# --------------------------------------------------------------------------
# params
# --------------------------------------------------------------------------

def test_params_dict_becomes_the_query_string(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "GET", "/search", params={"q": "robot", "page": 2})
    assert seen["query_string"] == "q=robot&page=2"
    assert seen["path"] == "/search"


def test_params_with_a_list_value_repeat_the_key(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "GET", "/search", params={"tag": ["a", "b"], "x": "1"})
    assert seen["query_string"] == "tag=a&tag=b&x=1"


def test_params_as_list_of_pairs_keep_order_and_repeats(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "GET", "/", params=[("b", "1"), ("a", "2"), ("b", "3")])
    assert seen["query_string"] == "b=1&a=2&b=3"


def test_params_are_percent_encoded(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "GET", "/", params={"q": "a b&c=d/é"})
    assert seen["query_string"] == "q=a+b%26c%3Dd%2F%C3%A9"
    assert seen["query"] == [["q", "a b&c=d/é"]]


def test_params_are_appended_to_a_query_already_in_the_url(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "GET", "/?x=0", params={"y": "1"})
    assert seen["query_string"] == "x=0&y=1"


def test_session_params_are_sent_with_every_request(backend):
    client = TestClient(echo_app, backend=backend)
    client.params = {"api_key": "k"}
    assert echo(client, "GET", "/one")["query_string"] == "api_key=k"
    assert echo(client, "GET", "/two", params={"z": "9"})["query_string"] == "api_key=k&z=9"


# --------------------------------------------------------------------------
# headers
# --------------------------------------------------------------------------

def test_request_headers_reach_the_app(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "GET", "/", headers={"X-Custom-Header": "Some Value"})
    assert header_values(seen, "x-custom-header") == ["Some Value"]


def test_default_headers_set_on_client_headers_are_sent_with_every_request(backend):
    client = TestClient(echo_app, backend=backend)
    client.headers["X-Api-Token"] = "secret"
    client.headers.update({"X-Other": "o"})
    for path in ("/first", "/second"):
        seen = echo(client, "GET", path)
        assert header_values(seen, "x-api-token") == ["secret"]
        assert header_values(seen, "x-other") == ["o"]


def test_request_header_overrides_client_default_header(backend):
    client = TestClient(echo_app, backend=backend)
    client.headers["X-Mode"] = "default"
    seen = echo(client, "GET", "/", headers={"x-mode": "override"})
    assert header_values(seen, "x-mode") == ["override"]


def test_request_header_none_removes_client_default_header(backend):
    client = TestClient(echo_app, backend=backend)
    client.headers["X-Mode"] = "default"
    seen = echo(client, "GET", "/", headers={"X-Mode": None})
    assert header_values(seen, "x-mode") == []


def test_response_headers_are_case_insensitive(backend):
    client = TestClient(echo_app, backend=backend)
    response = client.get("/")
    assert response.headers["content-type"] == response.headers["CONTENT-TYPE"] == "application/json"
    assert int(response.headers["Content-Length"]) == len(response.content)


# --------------------------------------------------------------------------
# request bodies: json=, data=, files=
# --------------------------------------------------------------------------

def test_json_body_is_serialized_with_content_type(backend):
    client = TestClient(echo_app, backend=backend)
    payload = {"name": "robot", "tags": ["a", "b"], "n": 1, "none": None}
    seen = echo(client, "POST", "/items", json=payload)
    assert json.loads(seen["body"]) == payload
    assert header_values(seen, "content-type") == ["application/json"]
    assert header_values(seen, "content-length") == [str(len(seen["body"]))]


def test_data_dict_is_sent_form_urlencoded(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "POST", "/form", data={"name": "robot fw", "tags": ["a", "b"]})
    assert seen["body"] == "name=robot+fw&tags=a&tags=b"
    assert header_values(seen, "content-type") == ["application/x-www-form-urlencoded"]


def test_data_bytes_are_sent_verbatim(backend):
    client = TestClient(echo_app, backend=backend)
    raw = bytes(range(256))
    seen = echo(client, "PUT", "/blob", data=raw)
    assert seen["body"].encode("latin-1") == raw
    assert header_values(seen, "content-length") == ["256"]


def _form_app() -> Starlette:
    async def upload(request: Request) -> JSONResponse:
        form = await request.form()
        files = {}
        fields = {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                fields.setdefault(key, []).append(value)
            else:
                files[key] = {
                    "filename": value.filename,
                    "content_type": value.content_type,
                    "content": (await value.read()).decode("latin-1"),
                }
        return JSONResponse(
            {
                "fields": fields,
                "files": files,
                "request_content_type": request.headers["content-type"],
            }
        )

    return Starlette(routes=[Route("/upload", upload, methods=["POST"])])


def test_files_upload_multipart_with_filename_and_content_type(backend):
    client = TestClient(_form_app(), backend=backend)
    response = client.post(
        "/upload",
        files={"report": ("report.csv", b"a,b\n1,2\n", "text/csv")},
        data={"note": "quarterly"},
    )
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["request_content_type"].startswith("multipart/form-data; boundary=")
    assert seen["files"] == {
        "report": {"filename": "report.csv", "content_type": "text/csv", "content": "a,b\n1,2\n"}
    }
    assert seen["fields"] == {"note": ["quarterly"]}


def test_files_upload_of_an_open_file_object(backend, tmp_path):
    path = tmp_path / "image.png"
    content = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    path.write_bytes(content)
    client = TestClient(_form_app(), backend=backend)
    with path.open("rb") as handle:
        response = client.post("/upload", files={"image": ("image.png", handle, "image/png")})
    assert response.status_code == 200, response.text
    uploaded = response.json()["files"]["image"]
    assert uploaded["filename"] == "image.png"
    assert uploaded["content_type"] == "image/png"
    assert uploaded["content"].encode("latin-1") == content


def test_several_files_in_one_upload(backend):
    client = TestClient(_form_app(), backend=backend)
    response = client.post(
        "/upload",
        files=[
            ("first", ("one.txt", b"1", "text/plain")),
            ("second", ("two.json", b'{"a": 2}', "application/json")),
        ],
    )
    files = response.json()["files"]
    assert files["first"] == {"filename": "one.txt", "content_type": "text/plain", "content": "1"}
    assert files["second"] == {
        "filename": "two.json",
        "content_type": "application/json",
        "content": '{"a": 2}',
    }


def test_multipart_body_as_seen_by_a_plain_asgi_app(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "POST", "/", files={"f": ("x.txt", b"payload", "text/plain")})
    (content_type,) = header_values(seen, "content-type")
    boundary = content_type.split("boundary=", 1)[1]
    assert seen["body"].startswith(f"--{boundary}\r\n")
    assert 'Content-Disposition: form-data; name="f"; filename="x.txt"' in seen["body"]
    assert "Content-Type: text/plain\r\n\r\npayload\r\n" in seen["body"]
    assert seen["body"].endswith(f"--{boundary}--\r\n")
    assert header_values(seen, "content-length") == [str(len(seen["body"]))]


# --------------------------------------------------------------------------
# auth
# --------------------------------------------------------------------------

def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def test_basic_auth_tuple_reaches_the_app_as_authorization_header(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "GET", "/private", auth=("robot", "s3cret"))
    assert header_values(seen, "authorization") == [_basic("robot", "s3cret")]


def test_http_basic_auth_object_on_the_session(backend):
    client = TestClient(echo_app, backend=backend)
    client.auth = requests.auth.HTTPBasicAuth("user", "pass")
    assert header_values(echo(client, "GET", "/a"), "authorization") == [_basic("user", "pass")]
    assert header_values(echo(client, "GET", "/b"), "authorization") == [_basic("user", "pass")]


def test_basic_auth_read_by_a_starlette_endpoint(backend):
    async def whoami(request: Request) -> PlainTextResponse:
        scheme, _, credentials = request.headers["authorization"].partition(" ")
        user, _, _ = base64.b64decode(credentials).decode().partition(":")
        return PlainTextResponse(f"{scheme}:{user}")

    client = TestClient(Starlette(routes=[Route("/me", whoami)]), backend=backend)
    assert client.get("/me", auth=("alice", "pw")).text == "Basic:alice"


# --------------------------------------------------------------------------
# cookies
# --------------------------------------------------------------------------

def test_cookie_set_by_the_app_is_stored_in_client_cookies(backend):
    client = TestClient(cookie_app, backend=backend)
    response = client.get("/set", params={"session": "abc123"})
    assert response.status_code == 200
    assert response.cookies.get("session") == "abc123"
    assert client.cookies.get("session") == "abc123"


def test_cookie_set_by_the_app_is_sent_back_on_the_next_request(backend):
    client = TestClient(cookie_app, backend=backend)
    client.get("/set", params={"session": "abc123"})
    seen = echo(client, "GET", "/whoami")
    assert header_values(seen, "cookie") == ["session=abc123"]


def test_several_cookies_from_one_response_are_all_kept(backend):
    client = TestClient(cookie_app, backend=backend)
    client.get("/set", params=[("a", "1"), ("b", "2")])
    assert client.cookies.get_dict() == {"a": "1", "b": "2"}
    (cookie_header,) = header_values(echo(client, "GET", "/"), "cookie")
    assert sorted(cookie_header.split("; ")) == ["a=1", "b=2"]


def test_cookie_expired_by_the_app_is_removed(backend):
    client = TestClient(cookie_app, backend=backend)
    client.get("/set", params={"session": "abc"})
    client.get("/delete", params={"session": ""})
    assert "session" not in client.cookies
    assert header_values(echo(client, "GET", "/"), "cookie") == []


def test_cookies_set_on_the_client_are_sent(backend):
    client = TestClient(echo_app, backend=backend)
    client.cookies.set("preset", "yes")
    assert header_values(echo(client, "GET", "/"), "cookie") == ["preset=yes"]


def test_per_request_cookies_are_sent_but_not_stored(backend):
    client = TestClient(echo_app, backend=backend)
    seen = echo(client, "GET", "/", cookies={"once": "1"})
    assert header_values(seen, "cookie") == ["once=1"]
    assert "once" not in client.cookies


def test_starlette_session_cookie_round_trip(backend):
    async def login(request: Request) -> PlainTextResponse:
        response = PlainTextResponse("logged in")
        response.set_cookie("sid", "s-42", httponly=True)
        return response

    async def me(request: Request) -> PlainTextResponse:
        return PlainTextResponse(request.cookies.get("sid", "anonymous"))

    app = Starlette(routes=[Route("/login", login, methods=["POST"]), Route("/me", me)])
    client = TestClient(app, backend=backend)
    assert client.get("/me").text == "anonymous"
    assert client.post("/login").text == "logged in"
    assert client.cookies["sid"] == "s-42"
    assert client.get("/me").text == "s-42"


def test_cookies_persist_across_requests_inside_with_block(backend):
    with TestClient(cookie_app, backend=backend) as client:
        client.get("/set", params={"token": "t1"})
        assert header_values(echo(client, "GET", "/"), "cookie") == ["token=t1"]


# --------------------------------------------------------------------------
# redirects
# --------------------------------------------------------------------------

#: What the target of a redirected POST sees: 301-303 make it a GET without
#: body (nor body headers), 307 and 308 keep the method and body.
GET_WITHOUT_BODY = ("GET", "", {"content-type": [], "content-length": []})
SAME_POST = ("POST", "payload", {"content-type": ["text/plain"]})


@pytest.mark.parametrize(("code", "method", "body", "headers"), [
    (301, *GET_WITHOUT_BODY), (302, *GET_WITHOUT_BODY), (303, *GET_WITHOUT_BODY), (307, *SAME_POST), (308, *SAME_POST),
], ids=["301", "302", "303", "307", "308"])
def test_post_redirected(backend, code, method, body, headers):
    client = TestClient(redirect_app, backend=backend)
    response = client.post(f"/redirect/{code}", data=b"payload", headers={"Content-Type": "text/plain"})
    assert response.status_code == 200
    seen = response.json()
    assert seen["method"] == method
    assert seen["path"] == "/target"
    assert seen["body"] == body
    assert {name: header_values(seen, name) for name in headers} == headers


def test_put_redirected_by_303_becomes_get(backend):
    client = TestClient(redirect_app, backend=backend)
    assert client.put("/redirect/303", data=b"x").json()["method"] == "GET"


def test_put_redirected_by_302_becomes_get(backend):
    client = TestClient(redirect_app, backend=backend)
    assert client.put("/redirect/302", data=b"x").json()["method"] == "GET"


def test_put_redirected_by_301_keeps_put_but_drops_body_like_requests(backend):
    # requests only rewrites POST on a 301, but drops the body on every
    # redirect other than 307/308
    client = TestClient(redirect_app, backend=backend)
    seen = client.put("/redirect/301", data=b"x").json()
    assert seen["method"] == "PUT"
    assert seen["body"] == ""


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirect_response_is_in_history(backend, code):
    client = TestClient(redirect_app, backend=backend)
    response = client.get(f"/redirect/{code}")
    assert response.status_code == 200
    assert response.url == "http://testserver/target"
    assert [r.status_code for r in response.history] == [code]
    assert response.history[0].url == f"http://testserver/redirect/{code}"
    assert response.history[0].headers["location"] == "/target"


def test_redirect_chain_is_followed_and_recorded(backend):
    client = TestClient(redirect_app, backend=backend)
    response = client.get("/redirect/302", params={"to": "/redirect/301?to=/end"})
    assert response.json()["path"] == "/end"
    assert [r.status_code for r in response.history] == [302, 301]
    assert response.url == "http://testserver/end"


def test_allow_redirects_false_returns_the_redirect(backend):
    client = TestClient(redirect_app, backend=backend)
    response = client.get("/redirect/302", allow_redirects=False)
    assert response.status_code == 302
    assert response.is_redirect
    assert response.headers["Location"] == "/target"
    assert response.history == []
    assert response.next.url == "http://testserver/target"


def test_redirect_to_an_absolute_url_on_another_host_stays_in_process(backend):
    client = TestClient(redirect_app, backend=backend)
    response = client.get("/redirect/302", params={"to": "https://other.example:8443/elsewhere"})
    seen = response.json()
    assert response.url == "https://other.example:8443/elsewhere"
    assert seen["path"] == "/elsewhere"
    assert seen["scheme"] == "https"
    assert header_values(seen, "host") == ["other.example:8443"]


def test_redirect_to_another_host_drops_authorization_like_requests(backend):
    client = TestClient(redirect_app, backend=backend)
    response = client.get(
        "/redirect/302", params={"to": "http://other.example/x"}, auth=("u", "p")
    )
    assert header_values(response.json(), "authorization") == []


def test_redirect_on_the_same_host_keeps_authorization(backend):
    client = TestClient(redirect_app, backend=backend)
    response = client.get("/redirect/302", auth=("u", "p"))
    assert header_values(response.json(), "authorization") == [_basic("u", "p")]


def test_too_many_redirects_raises_like_requests(backend):
    async def endless(scope, receive, send):
        await send_text(send, b"", status=302, headers=[(b"location", b"/again")])

    client = TestClient(endless, backend=backend)
    client.max_redirects = 3
    with pytest.raises(requests.TooManyRedirects):
        client.get("/start")


def test_307_redirect_rewinds_a_file_body_like_requests(backend, tmp_path):
    path = tmp_path / "upload.bin"
    content = b"0123456789" * 10_000
    path.write_bytes(content)
    client = TestClient(redirect_app, backend=backend)
    with path.open("rb") as handle:
        response = client.post("/redirect/307", data=handle)
    seen = response.json()
    assert [r.status_code for r in response.history] == [307]
    assert seen["method"] == "POST"
    assert seen["body"].encode("latin-1") == content


def test_redirect_sets_cookie_then_followed_request_sends_it(backend):
    async def app(scope, receive, send):
        if scope["path"] == "/login":
            await send_text(
                send,
                b"",
                status=303,
                headers=[(b"location", b"/home"), (b"set-cookie", b"sid=xyz; Path=/")],
            )
        else:
            await echo_app(scope, receive, send)

    client = TestClient(app, backend=backend)
    response = client.post("/login", data={"user": "u"})
    assert response.json()["path"] == "/home"
    assert header_values(response.json(), "cookie") == ["sid=xyz"]
    assert client.cookies["sid"] == "xyz"


# --------------------------------------------------------------------------
# hooks
# --------------------------------------------------------------------------

def test_response_hook_is_called_with_the_response(backend):
    seen = []

    def hook(response, *args, **kwargs):
        seen.append((response.status_code, response.url, response.json()["path"]))

    client = TestClient(echo_app, backend=backend)
    response = client.get("/hooked", hooks={"response": hook})
    assert response.status_code == 200
    assert seen == [(200, "http://testserver/hooked", "/hooked")]


def test_response_hook_return_value_replaces_the_response(backend):
    def hook(response, *args, **kwargs):
        replaced = requests.Response()
        replaced.status_code = 299
        replaced._content = b"replaced:" + response.content[:1]
        return replaced

    client = TestClient(echo_app, backend=backend)
    response = client.get("/", hooks={"response": hook})
    assert response.status_code == 299
    assert response.content == b"replaced:{"


def test_session_level_response_hook_runs_for_every_request(backend):
    paths = []
    client = TestClient(echo_app, backend=backend)
    client.hooks["response"].append(lambda r, *a, **k: paths.append(r.json()["path"]))
    client.get("/one")
    client.post("/two")
    assert paths == ["/one", "/two"]


def test_response_hook_runs_for_each_redirect_hop(backend):
    codes = []
    client = TestClient(redirect_app, backend=backend)
    client.get("/redirect/301", hooks={"response": lambda r, *a, **k: codes.append(r.status_code)})
    assert codes == [301, 200]


# --------------------------------------------------------------------------
# URLs and base_url
# --------------------------------------------------------------------------

#: (base_url, the URL requested, the response's URL, what echo_app saw: its keys and
#: the Host header); base_url None is the default, http://testserver.
URL_CASES = [
    pytest.param(None, "/some/path?x=1", "http://testserver/some/path?x=1",
                 {"scheme": "http", "path": "/some/path", "host": ["testserver"]},
                 id="relative-url-resolves-against-default-base-url"),
    pytest.param(None, "http://api.example.com:8080/v1/items", "http://api.example.com:8080/v1/items",
                 {"path": "/v1/items", "host": ["api.example.com:8080"], "server": ["api.example.com", 8080]},
                 id="absolute-url-is-used-as-given"),
    pytest.param(None, "https://testserver/secure", "https://testserver/secure",
                 {"scheme": "https", "server": ["testserver", 443]}, id="absolute-https-url-on-an-http-client"),
    pytest.param("https://example.org:8443", "/login", "https://example.org:8443/login",
                 {"scheme": "https", "path": "/login", "server": ["example.org", 8443], "host": ["example.org:8443"]},
                 id="custom-https-base-url-with-port"),
    pytest.param("https://example.org", "/", "https://example.org/",
                 {"server": ["example.org", 443], "host": ["example.org"]}, id="custom-base-url-default-https-port"),
    pytest.param(None, "items", "http://testserver/items", {"path": "/items"},
                 id="relative-url-without-leading-slash-resolves-against-base-url"),
]


@pytest.mark.parametrize(("base_url", "url", "response_url", "expected"), URL_CASES)
def test_url_resolution(backend, base_url, url, response_url, expected):
    client = TestClient(echo_app, backend=backend, **({"base_url": base_url} if base_url else {}))
    response = client.get(url)
    assert response.url == response_url
    seen = response.json()
    seen["host"] = header_values(seen, "host")
    assert {key: seen[key] for key in expected} == expected


def test_cookies_work_with_an_https_base_url(backend):
    client = TestClient(cookie_app, base_url="https://example.org:8443", backend=backend)
    client.get("/set", params={"k": "v"})
    assert header_values(echo(client, "GET", "/"), "cookie") == ["k=v"]


def test_relative_redirect_resolves_against_custom_base_url(backend):
    client = TestClient(redirect_app, base_url="https://example.org:8443", backend=backend)
    response = client.get("/redirect/307")
    assert response.url == "https://example.org:8443/target"
    assert response.json()["scheme"] == "https"


def test_response_records_the_prepared_request(backend):
    client = TestClient(echo_app, backend=backend)
    response = client.post("/r", json={"a": 1})
    assert response.request.method == "POST"
    assert response.request.url == "http://testserver/r"
    assert response.request.body == b'{"a": 1}'


def test_response_text_uses_the_charset_of_the_response(backend):
    async def app(scope, receive, send):
        await send_text(send, "café".encode("latin-1"), content_type=b"text/plain; charset=latin-1")

    client = TestClient(app, backend=backend)
    response = client.get("/")
    assert response.content == b"caf\xe9"
    assert response.encoding == "latin-1"
    assert response.text == "café"


def test_cookie_path_attribute_limits_where_it_is_sent(backend):
    async def app(scope, receive, send):
        if scope["path"] == "/login":
            await send_text(send, "in", headers=[(b"set-cookie", b"scoped=1; Path=/admin")])
        else:
            await echo_app(scope, receive, send)

    client = TestClient(app, backend=backend)
    client.get("/login")
    assert header_values(echo(client, "GET", "/admin/panel"), "cookie") == ["scoped=1"]
    assert header_values(echo(client, "GET", "/public"), "cookie") == []


def test_secure_cookie_is_sent_over_https_only(backend):
    async def app(scope, receive, send):
        if scope["path"] == "/login":
            await send_text(send, "in", headers=[(b"set-cookie", b"sec=1; Path=/; Secure")])
        else:
            await echo_app(scope, receive, send)

    client = TestClient(app, base_url="https://example.org", backend=backend)
    client.get("/login")
    assert client.cookies.get("sec") == "1"
    assert header_values(echo(client, "GET", "/"), "cookie") == ["sec=1"]
    assert header_values(echo(client, "GET", "http://example.org/"), "cookie") == []

