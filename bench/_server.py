"""The uvicorn server process of the benchmarks' real-server rows.

``python -m bench._server MODULE:APP FD`` serves the ASGI app with uvicorn on the listening
socket inherited as file descriptor FD (bound to 127.0.0.1 by ``bench._common.uvicorn_server``,
which starts and stops this process). Uvicorn's defaults otherwise (HTTP and WebSocket
implementations picked automatically, lifespan on); the access log is off. It stops by itself
if the benchmark process that started it goes away, and after MAX_SECONDS in any case.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time

import uvicorn

MAX_SECONDS = 3600.0


def watchdog(server: uvicorn.Server, parent: int) -> None:
    """Ask the server to exit when the parent process is gone or MAX_SECONDS have passed."""
    deadline = time.monotonic() + MAX_SECONDS
    while not server.should_exit:
        if os.getppid() != parent or time.monotonic() > deadline:
            server.should_exit = True
            return
        time.sleep(0.5)


def main() -> None:
    app, fd = sys.argv[1], int(sys.argv[2])
    listener = socket.socket(fileno=fd)  # family and type are read from the socket itself
    host, _ = listener.getsockname()
    assert host == "127.0.0.1", f"refusing to serve on {host}: loopback only"
    config = uvicorn.Config(app, lifespan="on", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    threading.Thread(target=watchdog, args=(server, os.getppid()), daemon=True).start()
    server.run(sockets=[listener])


if __name__ == "__main__":
    main()
