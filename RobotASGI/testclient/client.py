"""The test client: a ``requests.Session`` that talks to an ASGI app in-process."""
from __future__ import annotations

import functools
import time
from typing import Any, Dict, Mapping, Optional, Sequence, Union
from urllib.parse import urlsplit

import requests

from .adapter import ASGIAdapter
from .apps import as_asgi3
from .errors import TestClientError, quote
from .lifespan import Lifespan
from .loop import check_backend, check_timeout
from .pending import PendingRequest
from .server import Server
from .websocket import WebSocketTestSession

#: Seconds any single wait on the application may take unless told otherwise.
DEFAULT_TIMEOUT = 30.0

#: How long connections still open when the with block ends may take to finish.
SHUTDOWN_GRACE = 1.0


class TestClient(requests.Session):
    """A ``requests.Session`` whose requests are served by an ASGI application.

    No server and no socket: each request is turned into an ASGI scope and the
    application is called on an anyio event loop in a background thread.

    Inside ``with TestClient(app) as client:`` one event loop serves every
    request and lifespan startup and shutdown run on entry and exit; outside a
    ``with`` block each request runs on a fresh event loop.

    ``timeout`` (seconds, or None for no limit) bounds each wait on the
    application - a whole request, each step of a streamed response, lifespan
    startup and shutdown - unless a request passes its own ``timeout=``.

    ``trace`` (on by default) records each exchange's ASGI trace - what the
    app received and sent - on ``response.asgi_trace`` and on the errors a
    request raises; ``trace=False`` records only how the app ended.
    """

    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        app: Any,
        base_url: str = "http://testserver",
        raise_server_exceptions: bool = True,
        root_path: str = "",
        backend: str = "asyncio",
        backend_options: Optional[Dict[str, Any]] = None,
        client: Optional[Sequence[Any]] = ("testclient", 50000),
        *,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        trace: bool = True,
    ) -> None:
        super().__init__()
        asgi3_app = as_asgi3(app)
        self.base_url = _check_base_url(base_url)
        # What the seed's client sends; a session header, so users may change it.
        self.headers["User-Agent"] = "testclient"
        self._server = Server(
            asgi3_app,
            root_path=_check_root_path(root_path),
            client=client,
            raise_server_exceptions=raise_server_exceptions,
            async_backend={"backend": check_backend(backend), "backend_options": dict(backend_options or {})},
            timeout=check_timeout(timeout),
            trace=bool(trace),
        )
        # The machine's proxy and .netrc settings must never change an
        # in-process test; set trust_env back to True to opt in.
        self.trust_env = False
        adapter = ASGIAdapter(self._server)
        self.mount("http://", adapter)
        self.mount("https://", adapter)
        self._lifespan: Optional[Lifespan] = None

    # -- settings: held by the server side, which the adapter and sessions read ----
    @property
    def app(self) -> Any:
        return self._server.app

    @app.setter
    def app(self, value: Any) -> None:
        self._server.app = as_asgi3(value)

    @property
    def raise_server_exceptions(self) -> bool:
        return self._server.raise_server_exceptions

    @raise_server_exceptions.setter
    def raise_server_exceptions(self, value: bool) -> None:
        self._server.raise_server_exceptions = value

    @property
    def root_path(self) -> str:
        return self._server.root_path

    @root_path.setter
    def root_path(self, value: str) -> None:
        self._server.root_path = _check_root_path(value)

    @property
    def client_address(self) -> Optional[Sequence[Any]]:
        return self._server.client

    @client_address.setter
    def client_address(self, value: Optional[Sequence[Any]]) -> None:
        self._server.client = value

    @property
    def timeout(self) -> Optional[float]:
        return self._server.timeout

    @timeout.setter
    def timeout(self, value: Optional[float]) -> None:
        self._server.timeout = check_timeout(value)

    @property
    def async_backend(self) -> Dict[str, Any]:
        """The options passed to anyio: ``backend`` and ``backend_options``."""
        return self._server.async_backend

    @async_backend.setter
    def async_backend(self, value: Dict[str, Any]) -> None:
        self._server.async_backend = value

    @property
    def backend(self) -> str:
        """The anyio backend the next event loop runs on ("asyncio" or "trio")."""
        return self.async_backend.get("backend", "asyncio")

    @backend.setter
    def backend(self, value: str) -> None:
        self.async_backend["backend"] = check_backend(value)

    @property
    def backend_options(self) -> Dict[str, Any]:
        """``async_backend["backend_options"]``, the dict itself: edits count."""
        options = self.async_backend.get("backend_options")
        if not isinstance(options, dict):
            options = self.async_backend["backend_options"] = dict(options or {})
        return options

    @backend_options.setter
    def backend_options(self, value: Optional[Mapping[str, Any]]) -> None:
        self.async_backend["backend_options"] = dict(value or {})

    @property
    def lifespan_state(self) -> Dict[str, Any]:
        """What the application stored in ``scope["state"]`` at startup."""
        return self._server.state

    @property
    def lifespan_supported(self) -> Optional[bool]:
        """Inside ``with``: whether the app took part in lifespan; else None."""
        return self._lifespan.supported if self._lifespan is not None else None

    @property
    def is_open(self) -> bool:
        """True inside ``with``: one event loop serves every request."""
        return self._server.loop is not None

    # -- requests ---------------------------------------------------------------
    def request(self, method: Union[str, bytes], url: Any, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        return super().request(method, self.merge_url(url), *args, **kwargs)

    def merge_url(self, url: Any) -> str:
        """Resolve ``url`` against ``base_url`` (kept as is when absolute).

        ``url`` is taken as requests takes it: a str, UTF-8 bytes, or any
        object whose ``str()`` is the URL (a URL class). A relative URL is
        appended to the base URL's path, so with
        ``base_url="http://testserver/api"``, ``"/items"`` is
        ``http://testserver/api/items``.
        """
        url = _url_text(url)
        if urlsplit(url).scheme:
            return url
        base = self.base_url
        if url.startswith("//"):
            return f"{urlsplit(base).scheme}:{url}"
        if not url or url.startswith(("?", "#")):
            return base + url
        return base.rstrip("/") + "/" + url.lstrip("/")

    def start_request(self, method: str, url: Any, **kwargs: Any) -> PendingRequest:
        """Send a request as :meth:`request` does, on a thread of its own, and
        return a :class:`PendingRequest` at once: ``result(timeout)`` gives the
        response, ``cancel()`` cancels the app. Inside ``with``, started
        requests run on the client's event loop concurrently."""
        return PendingRequest(functools.partial(self.request, method, url, **kwargs), f"{method} {self.merge_url(url)}")

    def start_send(self, request: requests.PreparedRequest, **kwargs: Any) -> PendingRequest:
        """:meth:`start_request` for a prepared request (``kwargs`` as for ``send``)."""
        return PendingRequest(functools.partial(self.send, request, **kwargs), f"{request.method} {request.url}")

    def websocket_connect(
        self, url: Any, subprotocols: Optional[Sequence[str]] = None, **options: Any
    ) -> WebSocketTestSession:
        """A WebSocket session with the application, to use in a ``with`` block.

        ``options`` are those of ``requests.get``: ``params``, ``headers``,
        ``cookies`` and ``auth`` shape the handshake request (with the
        session's own headers, cookies and auth merged in, as for any
        request), and ``timeout`` is the session's default for the handshake
        and for every receive (the client's ``timeout`` when omitted).
        """
        unknown = set(options) - _WEBSOCKET_OPTIONS
        if unknown:
            raise TypeError(
                f"websocket_connect() got unexpected option(s) {', '.join(sorted(unknown))}; "
                f"it accepts {', '.join(sorted(_WEBSOCKET_OPTIONS))}."
            )
        timeout = options.pop("timeout", None)
        request = requests.Request(
            "GET",
            self.merge_url(_http_url(_url_text(url))),
            params=options.get("params"),
            headers=options.get("headers"),
            cookies=options.get("cookies"),
            auth=options.get("auth"),
        )
        prepared = self.prepare_request(request)
        return WebSocketTestSession(self._server, prepared, subprotocols, self.timeout if timeout is None else timeout)

    # -- lifecycle ----------------------------------------------------------------
    def __enter__(self) -> "TestClient":
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        # Shutdown errors are raised unless an exception is already on its way.
        self.shut_down(raise_errors=exc_info[1] is None)

    def open(self) -> None:
        """Start the client's event loop and run lifespan startup on it."""
        server = self._server
        if server.loop is not None:
            raise TestClientError("This TestClient is already open: enter its `with` block only once at a time.")
        loop = server.new_loop()
        lifespan = Lifespan(server.app, loop)
        try:
            lifespan.startup(self.timeout)
        except BaseException:
            loop.stop()
            raise
        server.loop, server.state, self._lifespan = loop, lifespan.state, lifespan

    def shut_down(self, raise_errors: bool = True) -> None:
        """Close what is still open, run lifespan shutdown and stop the event
        loop (idempotent)."""
        server, lifespan = self._server, self._lifespan
        loop = server.loop
        if loop is None:
            return
        server.loop, server.state = None, {}
        try:
            _close_connections(server)
            if lifespan is not None:
                lifespan.shutdown(self.timeout)
        except BaseException:
            if raise_errors:
                raise
        finally:
            self._lifespan = None
            loop.stop()

    def close(self) -> None:
        """Close the session: lifespan shutdown if open, then the adapters."""
        try:
            self.shut_down()
        finally:
            super().close()


def _close_connections(server: Server) -> None:
    """As a server shutting down: WebSocket sessions still open get a close
    (code 1012) and streamed responses a disconnect, then a moment to finish
    before what has not finished is cancelled."""
    tasks = server.open_connections()
    for task in tasks:
        task.server_close()
    deadline = time.monotonic() + SHUTDOWN_GRACE
    for task in tasks:
        if not task.finished.wait(max(0.0, deadline - time.monotonic())):
            task.cancel(wait=False)


def _check_base_url(base_url: Any) -> str:
    if not isinstance(base_url, str) or urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc:
        raise ValueError(f"base_url must be an absolute http:// or https:// URL such as 'http://testserver'; got {base_url!r}.")
    return base_url


def _check_root_path(root_path: Any) -> str:
    if not isinstance(root_path, str) or (root_path and not root_path.startswith("/")) or root_path.endswith("/"):
        raise ValueError(f"root_path must be '' or a path starting with '/' and not ending with '/', such as '/api'; got {root_path!r}.")
    return root_path


#: What websocket_connect() takes: requests.get's options; those about
#: bodies, proxies and TLS do not apply to an in-process handshake and are ignored.
_WEBSOCKET_OPTIONS = frozenset(
    {"params", "headers", "cookies", "auth", "timeout", "allow_redirects", "proxies", "verify", "cert", "stream", "hooks"}
)


def _url_text(url: Any) -> str:
    """A URL as requests reads one: str, UTF-8 bytes, or ``str(url)``."""
    if isinstance(url, str):
        return url
    if isinstance(url, (bytes, bytearray)):
        try:
            return bytes(url).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"A URL given as bytes must be UTF-8; got {quote(bytes(url), 100)}.") from None
    if url is None:
        raise TypeError("The URL is None: give a str, UTF-8 bytes or a URL object such as httpx.URL.")
    return str(url)


def _http_url(url: str) -> str:
    """ws:// and wss:// URLs as requests can prepare them."""
    if url.startswith("ws://"):
        return "http://" + url[len("ws://") :]
    if url.startswith("wss://"):
        return "https://" + url[len("wss://") :]
    return url
