"""``python -m RobotASGI.demo``: describe the demo app and its routes."""
from __future__ import annotations

import textwrap

DESCRIPTION = (
    "RobotASGI.demo.app is a small ASGI 3 application written in plain ASGI "
    "(standard library only) for trying RobotASGI: import it with "
    "'from RobotASGI.demo import app' and pass it to "
    "RobotASGI.testclient.TestClient; no server or port is needed. "
    "It supports lifespan (startup stores 'started_at' and 'greeting' in the "
    "lifespan state) and serves: GET / (a plain-text greeting); "
    "GET /hello?name=X ('Hello, X!', header x-lifespan-state says whether "
    "lifespan state was present); POST /echo (sends a JSON body back, 400 on "
    "invalid JSON); POST /upload (multipart/form-data or urlencoded form: "
    "JSON listing the fields and each file's name, content type and size); "
    "GET /redirect (307 to /hello, query kept); GET /stream?count=N (N lines "
    "'chunk I', each sent as its own body message); GET /events?count=N "
    "(Server-Sent Events every 0.05 s, endless without count); "
    "GET /status/{code} (responds with that status); GET /headers (the "
    "request headers as JSON); anything else is a 404 with a JSON error. "
    "WebSocket /ws is an echo: it accepts (with the first subprotocol offered, "
    "if any), sends text frames back as text (JSON text unchanged) and binary "
    "frames back as binary, and closes with code 1000, reason 'bye' when it "
    "receives the text 'close'; a WebSocket to any other path is closed before "
    "it is accepted, with code 1008 (policy violation), reason 'unknown path'."
)


def main() -> None:
    """Print the description, wrapped for a terminal."""
    print(textwrap.fill(DESCRIPTION, width=79))


if __name__ == "__main__":
    main()
