"""The server's side of a test client: what the HTTP adapter and the WebSocket
sessions are given, never the client itself.

A :class:`Server` holds the application and how it is served - root path,
client address, ``raise_server_exceptions``, the default timeout, the lifespan
state - and hands out the event loop a connection runs on: the client's own
inside its ``with`` block, a fresh one for each connection outside it.
"""
from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

from .loop import EventLoopThread, check_backend
from .types import ASGIApp

if TYPE_CHECKING:
    from .task import AppTask


class Server:
    """The application and the settings every connection to it is served with."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        root_path: str,
        client: Optional[Sequence[Any]],
        raise_server_exceptions: bool,
        timeout: Optional[float],
        async_backend: Dict[str, Any],
        trace: bool = True,
    ) -> None:
        self.app = app
        self.root_path = root_path
        self.client = client
        self.raise_server_exceptions = raise_server_exceptions
        self.timeout = timeout
        #: Whether exchanges record their ASGI trace.
        self.trace = trace
        #: anyio's backend ("backend") and its options: read when a loop starts.
        self.async_backend = async_backend
        #: What the app stored at lifespan startup (inside ``with`` only).
        self.state: Dict[str, Any] = {}
        #: The client's loop inside its ``with`` block, else None.
        self.loop: Optional[EventLoopThread] = None
        self._connections: "weakref.WeakSet[AppTask]" = weakref.WeakSet()
        self._lock = threading.Lock()

    def new_loop(self) -> EventLoopThread:
        """A new event loop on the configured backend."""
        backend = check_backend(self.async_backend.get("backend", "asyncio"))
        options = dict(self.async_backend.get("backend_options") or {})
        options.update((k, v) for k, v in self.async_backend.items() if k not in ("backend", "backend_options"))
        return EventLoopThread(backend, options)

    def track(self, task: "AppTask") -> None:
        """A connection (a streamed response, a WebSocket) that the end of the
        client's ``with`` block closes if it is still open then."""
        if self.loop is not None and task.loop is self.loop:
            with self._lock:
                self._connections.add(task)

    def open_connections(self) -> List["AppTask"]:
        """The tracked connections whose app is still running (and forget them)."""
        with self._lock:
            tasks = [task for task in self._connections if not task.finished.is_set()]
            self._connections.clear()
        return tasks

    def acquire_loop(self) -> Tuple[EventLoopThread, bool]:
        """The loop for one connection, and whether the connection owns it (and
        must stop it when done): the client's inside ``with``, else a new one."""
        loop = self.loop
        if loop is not None:
            return loop, False
        return self.new_loop(), True
