"""Drive the RobotASGI demo app through the in-process test client.

Run from the repository root after ``python -m pip install .``::

    python examples/engine_demo.py

Every route of ``RobotASGI.demo.app`` is exercised with
``RobotASGI.testclient.TestClient`` - a ``requests.Session`` that calls the
ASGI app directly, with no server and no port. Each exchange is printed; the
script exits with status 1 (and says which checks failed) if any response is
not what the demo app should send, and 0 when all are.
"""
from __future__ import annotations

import json
import sys
import time
from typing import Callable, Dict, List, Tuple

import requests

try:
    from RobotASGI.demo import app
    from RobotASGI.testclient import TestClient
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
