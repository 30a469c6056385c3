"""The Robot layer's building blocks, tested without running Robot.

The store is exercised with real clients on a real app: ownership by scope
under each auto-close policy, alias rules, and failing closes.
"""
from __future__ import annotations

import sys
import textwrap

import pytest
import requests

from RobotASGI.data_types import AutoClose
from RobotASGI.errors import AppImportError, StoreError
from RobotASGI.exchange_log import MASK, ExchangeLog, Masker
from RobotASGI.importing import import_app
from RobotASGI.status import ExpectedStatus
from RobotASGI.store import CLIENTS, SESSIONS, Aliases, Kind, Registry, ScopeStack
from RobotASGI.testclient import TestClient


# -- expected_status ---------------------------------------------------------------
@pytest.mark.parametrize(
    "given, ok, not_ok",
    [
        (None, [200, 302, 399], [400, 404, 500]),
        ("", [204], [418]),
        ("200", [200], [201, 404]),
        (201, [201], [200]),
        ("not found", [404], [200, 400]),
        ("NOT_FOUND", [404], [405]),
        ("Service-Unavailable", [503], [500]),
        ("200, 201", [200, 201], [202]),
        ("200,not found", [200, 404], [500]),
        ("any", [100, 200, 404, 599], []),
        ("ANY", [500], []),
    ],
)
def test_expected_status_forms(given, ok, not_ok):
    expected = ExpectedStatus.parse(given)
    assert [expected.matches(code) for code in ok] == [True] * len(ok)
    assert [expected.matches(code) for code in not_ok] == [False] * len(not_ok)


@pytest.mark.parametrize("given", ["teapot-ish", "700", "99", "200, nonsense", True])
def test_invalid_expected_status_says_what_is_accepted(given):
    with pytest.raises(ValueError) as excinfo:
        ExpectedStatus.parse(given)
    message = str(excinfo.value)
    assert repr(given) in message or "100 to 599" in message
    assert "any" in message or "100 to 599" in message


# -- import strings ----------------------------------------------------------------
@pytest.fixture()
def app_module(tmp_path, monkeypatch):
    package = tmp_path / "svc"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "main.py").write_text(textwrap.dedent(
        """
        async def app(scope, receive, send):
            pass

        class Holder:
            async def inner(scope, receive, send):
                pass

        def create_app(name="default", debug=False):
            async def made(scope, receive, send):
                pass
            made.settings = (name, debug)
            return made

        def broken_factory():
            raise RuntimeError("no database")
        """
    ))
    (package / "explodes.py").write_text("raise ImportError('missing dependency: nosuchlib')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "svc"
    for name in [n for n in sys.modules if n == "svc" or n.startswith("svc.")]:
        del sys.modules[name]


def test_import_string_attribute(app_module):
    assert import_app("svc.main:app").__name__ == "app"


def test_import_string_dotted_attribute(app_module):
    assert import_app("svc.main:Holder.inner").__name__ == "inner"


def test_import_string_factory_call_with_literal_arguments(app_module):
    assert import_app("svc.main:create_app()").settings == ("default", False)
    assert import_app("svc.main:create_app('qa', debug=True)").settings == ("qa", True)


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("svc.main", "use 'package.module:attribute'"),
        ("svc.main:", "use 'package.module:attribute'"),
        ("nosuch.module:app", "no module named 'nosuch'"),
        ("svc.main:missing", "'svc.main' has no attribute 'missing'"),
        ("svc.explodes:app", "missing dependency: nosuchlib"),
        ("svc.main:broken_factory()", "calling the factory raised RuntimeError: no database"),
        ("svc.main:create_app(os.name)", "factory arguments must be Python literals"),
        ("svc.main:app.x-y", "is not an attribute path"),
    ],
)
def test_import_string_errors_say_what_was_wrong(app_module, spec, fragment):
    with pytest.raises(AppImportError) as excinfo:
        import_app(spec)
    assert fragment in str(excinfo.value)
    assert repr(spec) in str(excinfo.value)


# -- masking and log rendering ---------------------------------------------------
def test_masker_hides_credential_headers_case_insensitively():
    masker = Masker()
    assert masker.header("authorization", "Bearer abc") == MASK
    assert masker.header("SET-COOKIE", "sid=1; Path=/") == f"sid={MASK}; Path=/"
    assert masker.header("Content-Type", "text/plain") == "text/plain"


def test_masker_scrubs_secret_values_from_text():
    masker = Masker()
    masker.remember(["Bearer abc123"])
    assert masker.text("token Bearer abc123 echoed") == f"token {MASK} echoed"


def test_exchange_log_renders_masked_request_and_pretty_json_response():
    def app_response() -> requests.Response:
        async def app(scope, receive, send):
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json"), (b"set-cookie", b"sid=secret")]})
            await send({"type": "http.response.body", "body": b'{"a": [1, 2]}'})
        return TestClient(app).get("/x", headers={"Authorization": "Bearer abc123"})

    response = app_response()
    log = ExchangeLog(Masker(), body_limit=100)
    request_text = log.request(response.request)
    response_text = log.response(response)
    assert request_text.startswith("GET http://testserver/x")
    assert f"Authorization: {MASK}" in request_text and "abc123" not in request_text
    assert f"set-cookie: sid={MASK}" in response_text and "sid=secret" not in response_text
    assert '"a": [\n    1,' in response_text


def test_exchange_log_cuts_long_bodies_and_says_how_much_was_left():
    log = ExchangeLog(Masker(), body_limit=10)
    assert log.body("x" * 25) == "x" * 10 + "... (15 more characters not logged)"
    assert ExchangeLog(Masker(), body_limit=0).body("x" * 25) == "x" * 25


def test_exchange_log_summarises_binary_bodies():
    assert "3 bytes of binary data" in ExchangeLog(Masker(), 100).body(b"\xff\xfe\x00")


# -- the store ------------------------------------------------------------------------
class LifespanRecorder:
    """A plain app whose lifespan events, and the path of each WebSocket
    disconnect, are recorded; shutdown can fail, and so can the WebSocket
    path ``/fails``, when the client disconnects."""

    def __init__(self, fail_shutdown: bool = False) -> None:
        self.events: list = []
        self.fail_shutdown = fail_shutdown

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.accept"})
            message = await receive()
            self.events.append(f"{message['type']} {scope['path']}")
            if scope["path"] == "/fails":
                raise RuntimeError("cleanup failed")
            return
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                self.events.append(message["type"])
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    kind = "failed" if self.fail_shutdown else "complete"
                    await send({"type": f"lifespan.shutdown.{kind}", "message": "db still busy"})
                    return
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def opened(app) -> TestClient:
    client = TestClient(app)
    client.open()
    return client


class Store:
    """The library's wiring: a registry of clients, one of sessions, and the scope stack."""

    def __init__(self, auto_close: AutoClose = AutoClose.TEST) -> None:
        aliases = Aliases()
        self.clients = Registry(CLIENTS, aliases)
        self.sessions = Registry(SESSIONS, aliases)
        self.scopes = ScopeStack(auto_close)

    def add_client(self, alias: str, client: TestClient) -> None:
        self.scopes.hold(self.clients, alias, client)

    def add_session(self, alias: str, client_alias: str, path: str = "/ws") -> None:
        client = self.clients.get(client_alias)
        session = client.websocket_connect(path)
        session.connect()
        self.scopes.hold(self.sessions, alias, session, parent=client)

    def aliases(self) -> dict:
        return {"clients": self.clients.aliases(), "websockets": self.sessions.aliases()}


@pytest.mark.parametrize(
    "policy, closed_at_test_end",
    [(AutoClose.TEST, True), (AutoClose.SUITE, False), (AutoClose.MANUAL, False)],
)
def test_a_client_opened_in_a_test_is_closed_per_policy(policy, closed_at_test_end):
    store = Store(policy)
    app = LifespanRecorder()
    store.scopes.enter("suite", "Suite")
    store.scopes.enter("test", "Test")
    store.add_client("api", opened(app))
    store.scopes.leave("test")
    assert ("api" not in store.aliases()["clients"]) is closed_at_test_end
    assert ("lifespan.shutdown" in app.events) is closed_at_test_end
    store.scopes.leave("suite")
    assert ("api" in store.aliases()["clients"]) is (policy is AutoClose.MANUAL)
    store.scopes.close_all()
    assert app.events == ["lifespan.startup", "lifespan.shutdown"]


def test_a_client_opened_in_suite_setup_outlives_the_tests():
    store = Store()
    store.scopes.enter("suite", "Suite")
    store.add_client("shared", opened(LifespanRecorder()))
    store.scopes.enter("test", "First")
    store.scopes.leave("test")
    assert store.aliases()["clients"] == ["shared"]
    store.scopes.leave("suite")
    assert store.aliases()["clients"] == []


def test_aliases_are_unique_among_clients_and_sessions():
    store = Store()
    store.add_client("api", opened(LifespanRecorder()))
    with pytest.raises(StoreError, match="'api' is already used by an open ASGI client"):
        store.sessions.new_alias("api")
    assert store.clients.new_alias(None) == "client1"
    store.scopes.close_all()


def test_unknown_alias_lists_the_open_ones():
    store = Store()
    store.add_client("api", opened(LifespanRecorder()))
    store.add_client("admin", opened(LifespanRecorder()))
    with pytest.raises(StoreError, match=r"No open ASGI client has the alias 'web'\. Open clients: admin, api\."):
        store.clients.get("web")
    store.scopes.close_all()


def test_nothing_open_says_how_to_open():
    with pytest.raises(StoreError, match="Open ASGI Client"):
        Store().clients.get()


def test_a_failing_close_is_reported_and_the_rest_still_closes():
    store = Store()
    good, bad = LifespanRecorder(), LifespanRecorder(fail_shutdown=True)
    store.add_client("good", opened(good))
    store.add_client("bad", opened(bad))
    errors = store.scopes.close_all()
    assert len(errors) == 1 and "'bad'" in errors[0] and "db still busy" in errors[0]
    assert store.aliases() == {"clients": [], "websockets": []}
    assert good.events[-1] == "lifespan.shutdown"


def test_closing_the_current_client_makes_the_previous_one_current():
    store = Store()
    store.add_client("first", opened(LifespanRecorder()))
    store.add_client("second", opened(LifespanRecorder()))
    assert store.clients.resolve() == "second"
    store.scopes.close(store.clients, "second")
    assert store.clients.resolve() == "first"
    store.scopes.close_all()


def test_closing_a_client_closes_its_sessions_first():
    store = Store()
    app = LifespanRecorder()
    store.add_client("api", opened(app))
    store.add_session("first", "api", "/first")
    store.add_session("second", "api", "/second")
    assert store.sessions.resolve() == "second"
    assert store.scopes.close(store.clients, "api") == []
    assert store.aliases() == {"clients": [], "websockets": []}
    assert app.events == [
        "lifespan.startup", "websocket.disconnect /first", "websocket.disconnect /second", "lifespan.shutdown",
    ]


def test_a_session_opened_in_a_test_closes_with_it_and_leaves_the_suite_client_open():
    store = Store()
    app = LifespanRecorder()
    store.scopes.enter("suite", "Suite")
    store.add_client("shared", opened(app))
    store.scopes.enter("test", "Test")
    store.add_session("socket", "shared")
    assert store.scopes.leave("test") == []
    assert store.aliases() == {"clients": ["shared"], "websockets": []}
    assert app.events == ["lifespan.startup", "websocket.disconnect /ws"]
    store.scopes.leave("suite")
    assert app.events[-1] == "lifespan.shutdown"


def test_a_failing_session_close_is_reported_and_its_client_still_closes():
    store = Store()
    app = LifespanRecorder()
    store.add_client("api", opened(app))
    store.add_session("broken", "api", "/fails")
    store.add_session("fine", "api")
    errors = store.scopes.close_all()
    assert errors == ["Closing WebSocket session 'broken' failed: RuntimeError: cleanup failed"]
    assert store.aliases() == {"clients": [], "websockets": []}
    assert app.events[-2:] == ["websocket.disconnect /ws", "lifespan.shutdown"]


def test_switching_returns_the_previous_alias_and_lookups_return_the_resource():
    store = Store()
    first, second = opened(LifespanRecorder()), opened(LifespanRecorder())
    store.add_client("first", first)
    store.add_client("second", second)
    assert store.clients.get() is second
    assert store.clients.switch("first") == "second"
    assert store.clients.get() is first and store.clients.get("second") is second
    store.scopes.close_all()


def _changes() -> Registry:
    """A registry of undo callables that record what they undo, as the test doubles' is."""
    kind = Kind("app change", "app change", "Set App Attribute", "change", lambda undo: undo(),
                closing="Undoing", by_close_all=False)
    return Registry(kind, Aliases())


@pytest.mark.parametrize("policy", list(AutoClose))
def test_what_a_test_defers_is_undone_when_it_ends_last_first_whatever_the_policy(policy):
    store, undone = Store(policy), []
    changes = _changes()
    store.scopes.enter("suite", "Suite")
    store.scopes.enter("test", "Test")
    assert store.scopes.defer(changes, "change1", lambda: undone.append("first")) == "test 'Test'"
    store.scopes.defer(changes, "change2", lambda: undone.append("second"))
    store.scopes.leave("test")
    assert undone == ["second", "first"]
    assert changes.aliases() == []
    store.scopes.leave("suite")


def test_what_a_suite_defers_outlives_its_tests_and_close_all_leaves_it():
    store, undone = Store(), []
    changes = _changes()
    store.scopes.enter("suite", "Suite")
    store.add_client("api", opened(LifespanRecorder()))
    assert store.scopes.defer(changes, "change1", lambda: undone.append("suite change")) == "suite 'Suite'"
    store.scopes.enter("test", "Test")
    store.scopes.leave("test")
    assert store.scopes.close_all() == [] and store.aliases()["clients"] == []
    assert undone == []
    store.scopes.leave("suite")
    assert undone == ["suite change"]


def test_a_failing_undo_is_reported_as_undoing_and_close_all_everything_runs_it():
    store = Store()
    changes = _changes()

    def broken() -> None:
        raise AttributeError("settings is frozen")

    store.scopes.defer(changes, "change1", broken)
    errors = store.scopes.close_all(everything=True)
    assert errors == ["Undoing app change 'change1' failed: AttributeError: settings is frozen"]
    assert changes.aliases() == []


def test_an_app_that_does_not_catch_the_close_is_noted_not_failed():
    """A Starlette endpoint looping on receive_text() ends with Starlette's
    WebSocketDisconnect when the client closes: the close reports it as a note;
    any other exception is still an error."""
    from starlette.applications import Starlette
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    async def loop(websocket: WebSocket) -> None:
        await websocket.accept()
        while True:
            await websocket.send_text(await websocket.receive_text())

    async def cleanup_fails(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            await websocket.receive_text()
        except WebSocketDisconnect:
            raise RuntimeError("cleanup failed") from None

    app = Starlette(routes=[WebSocketRoute("/loop", loop), WebSocketRoute("/cleanup", cleanup_fails)])
    store = Store()
    store.scopes.enter("test", "Test")
    store.add_client("api", opened(app))
    store.add_session("loop", "api", "/loop")
    store.add_session("other-loop", "api", "/loop")
    store.add_session("cleanup", "api", "/cleanup")
    assert store.scopes.close(store.sessions, "loop") == []
    assert store.scopes.take_notes() == [
        "WebSocket session 'loop': after the client closed the connection, the app ended with "
        "WebSocketDisconnect (code 1000): it does not catch the disconnect, which is not a failure."
    ]
    assert store.scopes.take_notes() == []
    errors = store.scopes.leave("test")
    assert errors == ["Closing WebSocket session 'cleanup' failed: RuntimeError: cleanup failed"]
    assert [note.split(":")[0] for note in store.scopes.take_notes()] == ["WebSocket session 'other-loop'"]
    assert store.aliases() == {"clients": [], "websockets": []}
