"""Drive the RobotASGI demo app through the in-process test client.

Run from the repository root after ``python -m pip install .``::

    python examples/engine_demo.py

Every route of ``RobotASGI.demo.app`` - HTTP and the WebSocket echo ``/ws`` -
is exercised with ``RobotASGI.testclient.TestClient``, a ``requests.Session``
that calls the ASGI app directly, with no server and no port (WebSocket
sessions come from ``client.websocket_connect``). Each exchange is printed; the
script exits with status 1 (and says which checks failed) if any response is
not what the demo app should send, and 0 when all are.
"""
from __future__ import annotations

import json
import sys
import time
from typing import Callable, Dict, List, Optional, Tuple

import requests

try:
    from RobotASGI.demo import app
    from RobotASGI.testclient import TestClient, WebSocketDisconnect, WebSocketTestSession
except ImportError as error:  # pragma: no cover - only when not installed
    sys.exit(
        f"engine_demo: cannot import the RobotASGI test client ({error}).\n"
        "Install RobotASGI first, from the repository root: python -m pip install ."
    )

#: Seconds any single exchange may take before the client gives up.
TIMEOUT = 10.0


class CheckFailed(Exception):
    """A response was not what the demo app should have sent."""


def expect(condition: bool, message: str) -> None:
    """Raise :class:`CheckFailed` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message)


def show(response: requests.Response, body: str = "") -> None:
    """Print one request/response exchange (and its redirects, if any)."""
    for hop in response.history:
        print(f"  >>> {hop.request.method} {hop.request.path_url}")
        print(f"  <<< {hop.status_code} {hop.reason} -> {hop.headers.get('location')}")
    print(f"  >>> {response.request.method} {response.request.path_url}")
    content_type = response.headers.get("content-type", "-")
    shown = body if body else response.text
    if len(shown) > 200:
        shown = shown[:200] + "..."
    print(f"  <<< {response.status_code} {response.reason} [{content_type}] {shown!r}")


# ---------------------------------------------------------------------------
# The checks: each takes the client, prints its exchange, raises CheckFailed.
# ---------------------------------------------------------------------------


def check_index(client: TestClient) -> None:
    response = client.get("/", timeout=TIMEOUT)
    show(response)
    expect(response.status_code == 200, f"status {response.status_code}, expected 200")
    expect(response.headers["content-type"].startswith("text/plain"), "expected text/plain")
    expect("Hello" in response.text, f"unexpected body {response.text!r}")


def check_hello_with_lifespan(client: TestClient) -> None:
    response = client.get("/hello", params={"name": "Robot"}, timeout=TIMEOUT)
    show(response)
    expect(response.status_code == 200, f"status {response.status_code}, expected 200")
    expect(response.text == "Hello, Robot!", f"body {response.text!r}, expected 'Hello, Robot!'")
    state = response.headers.get("x-lifespan-state")
    expect(state == "present", f"x-lifespan-state {state!r}: lifespan startup state missing")


def check_echo_json(client: TestClient) -> None:
    payload = {"name": "Robot", "tags": ["asgi", "in-process"], "count": 3, "nested": {"ok": True}}
    response = client.post("/echo", json=payload, timeout=TIMEOUT)
    show(response)
    expect(response.status_code == 200, f"status {response.status_code}, expected 200")
    expect(response.headers["content-type"] == "application/json", "expected application/json")
    expect(response.json() == payload, f"echoed {response.json()!r}, expected {payload!r}")


def check_echo_invalid_json(client: TestClient) -> None:
    response = client.post(
        "/echo", data=b"{not json", headers={"Content-Type": "application/json"}, timeout=TIMEOUT
    )
    show(response)
    expect(response.status_code == 400, f"status {response.status_code}, expected 400")
    expect("invalid JSON" in response.json().get("error", ""), "expected an 'invalid JSON' error")


def check_upload(client: TestClient) -> None:
    report = b"line one\nline two\n" * 64
    picture = bytes(range(256)) * 8
    response = client.post(
        "/upload",
        data={"title": "Demo upload"},
        files={
            "report": ("report.txt", report, "text/plain"),
            "picture": ("robot.png", picture, "image/png"),
        },
        timeout=TIMEOUT,
    )
    show(response)
    expect(response.status_code == 200, f"status {response.status_code}, expected 200")
    result = response.json()
    expect(result["fields"] == {"title": "Demo upload"}, f"fields {result['fields']!r}")
    expected_files = [
        {"field": "report", "filename": "report.txt", "content_type": "text/plain", "size": len(report)},
        {"field": "picture", "filename": "robot.png", "content_type": "image/png", "size": len(picture)},
    ]
    expect(result["files"] == expected_files, f"files {result['files']!r}, expected {expected_files!r}")


def check_form(client: TestClient) -> None:
    response = client.post("/upload", data={"colour": ["red", "blue"], "size": "L"}, timeout=TIMEOUT)
    show(response)
    expect(response.status_code == 200, f"status {response.status_code}, expected 200")
    fields = response.json()["fields"]
    expect(fields == {"colour": ["red", "blue"], "size": "L"}, f"fields {fields!r}")


def check_redirect(client: TestClient) -> None:
    response = client.get("/redirect", params={"name": "Redirected"}, timeout=TIMEOUT)
    show(response)
    expect([hop.status_code for hop in response.history] == [307], "expected one 307 hop in history")
    expect(response.status_code == 200, f"status {response.status_code}, expected 200")
    expect(response.url == "http://testserver/hello?name=Redirected", f"final URL {response.url}")
    expect(response.text == "Hello, Redirected!", f"body {response.text!r}")

    unfollowed = client.get("/redirect", allow_redirects=False, timeout=TIMEOUT)
    show(unfollowed)
    expect(unfollowed.status_code == 307, f"status {unfollowed.status_code}, expected 307")
    expect(unfollowed.headers.get("location") == "/hello", "expected location: /hello")


def check_stream(client: TestClient) -> None:
    response = client.get("/stream", params={"count": 5}, stream=True, timeout=TIMEOUT)
    try:
        lines = [line.decode("utf-8") for line in response.iter_lines()]
    finally:
        response.close()
    show(response, body=" | ".join(lines))
    expect(response.status_code == 200, f"status {response.status_code}, expected 200")
    expected = [f"chunk {index}" for index in range(5)]
    expect(lines == expected, f"lines {lines!r}, expected {expected!r}")


def check_events(client: TestClient) -> None:
    """Read 3 events from the endless SSE stream, then close the response."""
    started = time.monotonic()
    response = client.get("/events", stream=True, timeout=TIMEOUT)
    events: List[Dict[str, str]] = []
    current: Dict[str, str] = {}
    try:
        expect(response.status_code == 200, f"status {response.status_code}, expected 200")
        content_type = response.headers.get("content-type", "")
        expect(content_type.startswith("text/event-stream"), f"content-type {content_type!r}")
        for raw_line in response.iter_lines():
            line = raw_line.decode("utf-8")
            if not line:  # a blank line ends an event
                events.append(current)
                current = {}
                if len(events) == 3:
                    break
                continue
            field, _, value = line.partition(":")
            current[field] = value.lstrip(" ")
    finally:
        response.close()
    elapsed = time.monotonic() - started
    show(response, body=f"{len(events)} events in {elapsed:.2f} s: {events}")
    expected = [{"id": str(n), "event": "tick", "data": json.dumps({"n": n})} for n in range(3)]
    expect(events == expected, f"events {events!r}, expected {expected!r}")


def check_status(client: TestClient) -> None:
    response = client.get("/status/418", timeout=TIMEOUT)
    show(response)
    expect(response.status_code == 418, f"status {response.status_code}, expected 418")


def check_headers(client: TestClient) -> None:
    response = client.get("/headers", headers={"X-Demo": "yes"}, timeout=TIMEOUT)
    show(response)
    headers = response.json()
    expect(headers.get("x-demo") == "yes", f"x-demo {headers.get('x-demo')!r}, expected 'yes'")
    expect(headers.get("host") == "testserver", f"host {headers.get('host')!r}, expected 'testserver'")


def check_not_found(client: TestClient) -> None:
    response = client.get("/no/such/page", timeout=TIMEOUT)
    show(response)
    expect(response.status_code == 404, f"status {response.status_code}, expected 404")
    expect(response.json().get("error") == "not found", f"body {response.text!r}")


# ---------------------------------------------------------------------------
# WebSocket checks: the echo on /ws, and a refused connection elsewhere.
# ---------------------------------------------------------------------------


def ws_connect(
    client: TestClient, path: str, subprotocols: Optional[List[str]] = None
) -> WebSocketTestSession:
    """A WebSocket session to ``path`` whose handshake and receives time out after TIMEOUT."""
    offered = f" offering {subprotocols}" if subprotocols else ""
    print(f"  >>> WebSocket {path}{offered}")
    return client.websocket_connect(path, subprotocols=subprotocols, timeout=TIMEOUT)


def show_frame(direction: str, kind: str, payload: object) -> None:
    """Print one WebSocket frame: ``>>>`` to the app, ``<<<`` from it."""
    print(f"  {direction} {kind} {payload!r}")


def check_ws_text(client: TestClient) -> None:
    with ws_connect(client, "/ws") as websocket:
        print("  <<< accepted")
        for text in ["Hello, WebSocket!", "unicode: h\u00e9llo \u2713"]:
            websocket.send_text(text)
            show_frame(">>>", "text", text)
            echoed = websocket.receive_text()
            show_frame("<<<", "text", echoed)
            expect(echoed == text, f"echoed {echoed!r}, expected {text!r}")


def check_ws_bytes(client: TestClient) -> None:
    data = bytes(range(256))
    with ws_connect(client, "/ws") as websocket:
        websocket.send_bytes(data)
        show_frame(">>>", f"{len(data)} bytes", data[:6] + b"...")
        echoed = websocket.receive_bytes()
        show_frame("<<<", f"{len(echoed)} bytes", echoed[:6] + b"...")
        expect(echoed == data, f"echoed {echoed[:16]!r}... ({len(echoed)} bytes), expected bytes 0-255")


def check_ws_json(client: TestClient) -> None:
    payload = {"name": "Robot", "tags": ["asgi", "websocket"], "count": 3, "nested": {"ok": True}}
    with ws_connect(client, "/ws") as websocket:
        for mode in ("text", "binary"):
            websocket.send_json(payload, mode=mode)
            show_frame(">>>", f"JSON in a {mode} frame", payload)
            echoed = websocket.receive_json(mode=mode)  # a frame of the other kind fails here
            show_frame("<<<", f"JSON in a {mode} frame", echoed)
            expect(echoed == payload, f"{mode} mode: echoed {echoed!r}, expected {payload!r}")


def check_ws_subprotocol(client: TestClient) -> None:
    with ws_connect(client, "/ws", subprotocols=["demo.v2", "demo.v1"]) as websocket:
        chosen = websocket.accepted_subprotocol
        print(f"  <<< accepted with subprotocol {chosen!r}")
        expect(chosen == "demo.v2", f"subprotocol {chosen!r}, expected the first one offered, 'demo.v2'")
    with ws_connect(client, "/ws") as websocket:
        chosen = websocket.accepted_subprotocol
        print(f"  <<< accepted with subprotocol {chosen!r}")
        expect(chosen is None, f"subprotocol {chosen!r}, expected None when none is offered")


def check_ws_closed_by_app(client: TestClient) -> None:
    with ws_connect(client, "/ws") as websocket:
        websocket.send_text("close")
        show_frame(">>>", "text", "close")
        try:
            message = websocket.receive_text()
        except WebSocketDisconnect as closed:
            print(f"  <<< close: code {closed.code}, reason {closed.reason!r}")
            expect(closed.code == 1000, f"close code {closed.code}, expected 1000")
            expect(closed.reason == "bye", f"close reason {closed.reason!r}, expected 'bye'")
        else:
            raise CheckFailed(f"received {message!r}, expected the app to close the connection")


def check_ws_unknown_path(client: TestClient) -> None:
    try:
        with ws_connect(client, "/no/such/socket"):
            raise CheckFailed("the connection was accepted, expected it to be refused")
    except WebSocketDisconnect as refused:
        print(f"  <<< refused before accept: code {refused.code}, reason {refused.reason!r}")
        expect(refused.code == 1008, f"close code {refused.code}, expected 1008 (policy violation)")
        expect(refused.reason == "unknown path", f"close reason {refused.reason!r}, expected 'unknown path'")


CHECKS: List[Tuple[str, Callable[[TestClient], None]]] = [
    ("GET / (plain text)", check_index),
    ("GET /hello (lifespan state)", check_hello_with_lifespan),
    ("POST /echo (JSON)", check_echo_json),
    ("POST /echo (invalid JSON -> 400)", check_echo_invalid_json),
    ("POST /upload (multipart files)", check_upload),
    ("POST /upload (urlencoded form)", check_form),
    ("GET /redirect (307, followed and not)", check_redirect),
    ("GET /stream (streamed chunks)", check_stream),
    ("GET /events (3 SSE events, then close)", check_events),
    ("GET /status/418", check_status),
    ("GET /headers", check_headers),
    ("GET /no/such/page (404)", check_not_found),
    ("WebSocket /ws (text echo)", check_ws_text),
    ("WebSocket /ws (binary echo)", check_ws_bytes),
    ("WebSocket /ws (JSON in text and binary frames)", check_ws_json),
    ("WebSocket /ws (first offered subprotocol)", check_ws_subprotocol),
    ("WebSocket /ws (closed by the app: 1000 'bye')", check_ws_closed_by_app),
    ("WebSocket /no/such/socket (refused: 1008 'unknown path')", check_ws_unknown_path),
]


def run_check(name: str, check: Callable[[TestClient], None], client: TestClient) -> bool:
    """Run one check; print and return whether it passed."""
    print(f"- {name}")
    try:
        check(client)
    except CheckFailed as failure:
        print(f"  FAILED: {failure}")
        return False
    except Exception as error:  # the engine itself misbehaved: report and go on
        print(f"  FAILED with {type(error).__name__}: {error}")
        return False
    print("  ok")
    return True


def check_without_lifespan() -> bool:
    """Outside ``with``, each request runs on its own loop and there is no lifespan."""
    print("- GET /hello outside 'with' (no lifespan)")
    try:
        response = TestClient(app).get("/hello", timeout=TIMEOUT)
        show(response)
        state = response.headers.get("x-lifespan-state")
        expect(state == "absent", f"x-lifespan-state {state!r}, expected 'absent'")
    except Exception as error:
        print(f"  FAILED with {type(error).__name__}: {error}")
        return False
    print("  ok")
    return True


def main() -> int:
    """Run every check; return the process exit status."""
    failed: List[str] = []
    print("RobotASGI engine demo: TestClient against RobotASGI.demo.app (in-process)")
    try:
        with TestClient(app) as client:
            print("lifespan startup done")
            for name, check in CHECKS:
                if not run_check(name, check, client):
                    failed.append(name)
        print("lifespan shutdown done")
    except Exception as error:
        print(f"FAILED: the client's 'with' block raised {type(error).__name__}: {error}")
        failed.append("lifespan startup/shutdown")
    if not check_without_lifespan():
        failed.append("GET /hello outside 'with'")

    total = len(CHECKS) + 2
    if failed:
        print(f"\nengine_demo: {len(failed)} of {total} checks FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"\nengine_demo: all {total} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
