"""Keywords that open, switch and close ASGI clients."""

from typing import Any, Callable, Dict, List, Optional

from requests.cookies import remove_cookie_by_name
from robot.api import logger
from robot.api.deco import keyword

from ..data_types import Backend, Credential, Timeout, TraceMode
from ..errors import ArgumentError, CloseFailed
from ..importing import import_app
from ..testclient import TestClient
from .base import LibraryComponent, auth_tuple, check_flag

DEMO_APP = "RobotASGI.demo:app"


class ClientKeywords(LibraryComponent):
    """Opening, switching and closing clients."""

    #: keywords/contracts.py: checks the client's exchanges against an OpenAPI document from now on
    _open_contract: Callable[[str, TestClient, str], None]

    @keyword("Open ASGI Client", tags=["clients"])
    def open_asgi_client(
        self,
        app: Any = DEMO_APP,
        alias: Optional[str] = None,
        base_url: str = "http://testserver",
        root_path: str = "",
        raise_server_exceptions: bool = True,
        backend: Backend = Backend.asyncio,
        headers: Optional[Dict[str, Credential]] = None,
        cookies: Optional[Dict[str, Credential]] = None,
        auth: Optional[List[Credential]] = None,
        timeout: Timeout = None,
        backend_options: Optional[Dict[str, Any]] = None,
        openapi: Optional[str] = None,
    ) -> str:
        """Opens a client for ``app``, runs its lifespan startup and returns the client's alias.

        ``app`` is an import string ``package.module:attribute`` - the attribute
        may be a dotted path and may end in a factory call such as
        ``create_app()`` or ``create_app(debug=True)`` - or an ASGI application
        object passed in a variable. The current directory is importable, as
        with uvicorn. Without ``app``, the demo application that ships with
        RobotASGI is used.

        ``alias`` names the client (``client1``, ``client2``... when omitted);
        it must not be in use by another open client or WebSocket session.
        The new client becomes the current one, which HTTP and WebSocket
        keywords use unless given ``client=``.

        ``base_url`` is what relative URLs resolve against, ``root_path`` the
        mount point the app is served under (the app sees it prefixed to
        every path, as behind a proxy), ``backend`` ``asyncio`` or ``trio``.
        ``headers``, ``cookies`` and ``auth`` (a ``[user, password]`` list) are
        sent with every request of this client (`Update ASGI Client` changes
        them later); their values may be Robot Framework ``Secret`` values. ``timeout``
        bounds every wait on the app (default: the library's ``timeout``).

        With ``raise_server_exceptions=False`` an exception in the app gives a
        500 response instead of failing the keyword.

        ``openapi`` makes the client check every exchange against an OpenAPI
        document - a file path, the app's own document URL path
        (``/openapi.json``, fetched in-process) or ``auto`` (``/openapi.json``,
        then ``/schema/openapi.json``) - and record what it covers: see
        `Contract testing`. Needs the ``openapi`` extra.

        The client is closed (lifespan shutdown included) when the test or
        suite that opened it ends - see `Clients, sessions and scopes`.

        Examples:
        | Open ASGI Client | myservice.main:app |
        | ${api}= | Open ASGI Client | myservice.main:create_app() | alias=api | timeout=5s |
        | Open ASGI Client | ${app} | backend=trio | headers={"X-Tenant": "acme"} |
        | Open ASGI Client | myservice.main:app | openapi=auto |
        """
        headers = self._reveal("headers", headers, headers=True)
        cookies, auth = self._reveal("cookies", cookies), self._reveal("auth", auth)
        self._remember_credentials(headers, cookies, auth)
        check_flag(raise_server_exceptions, "raise_server_exceptions")
        app_object = import_app(app) if isinstance(app, str) else app
        new_alias = self.clients.new_alias(alias)
        try:
            client = TestClient(
                app_object,
                base_url=base_url,
                raise_server_exceptions=raise_server_exceptions,
                root_path=root_path,
                backend=backend.value if isinstance(backend, Backend) else backend,
                backend_options=backend_options,
                timeout=self.default_timeout if timeout is None else timeout,
                trace=self.trace_mode is not TraceMode.NEVER,  # trace=never: nothing to record
            )
        except (TypeError, ValueError) as exc:
            raise ArgumentError(str(exc)) from None
        if headers:
            client.headers.update(headers)
        if cookies:
            for name, value in cookies.items():
                client.cookies.set(name, value)
        if auth is not None:
            client.auth = auth_tuple(auth)
        try:
            with self._app_errors():
                client.open()
        finally:
            self._flush_app_logs()
        self.scopes.hold(self.clients, new_alias, client)
        if openapi is not None:
            self._open_contract(new_alias, client, openapi)
        lifespan = "lifespan started" if client.lifespan_supported else "the app does not use lifespan"
        logger.info(f"Opened ASGI client '{new_alias}' for {_app_name(app_object, app)} at {base_url} ({client.backend}, {lifespan}).")
        return new_alias

    @keyword("Switch ASGI Client", tags=["clients"])
    def switch_asgi_client(self, client: str) -> str:
        """Makes the client named ``client`` the current one and returns the
        previous one's alias.

        | Open ASGI Client | app.main:app | alias=first |
        | Open ASGI Client | app.admin:app | alias=second |
        | Switch ASGI Client | first |
        | GET | /hello | # sent by 'first' |
        """
        return self.clients.switch(client) or ""

    @keyword("Update ASGI Client", tags=["clients"])
    def update_asgi_client(
        self,
        headers: Optional[Dict[str, Optional[Credential]]] = None,
        cookies: Optional[Dict[str, Optional[Credential]]] = None,
        auth: Optional[List[Credential]] = None,
        timeout: Timeout = None,
        client: Optional[str] = None,
    ) -> None:
        """Changes what an open client (the current one when ``client`` is
        omitted) sends with every request from now on, as `Open ASGI Client`
        set it.

        ``headers`` are added to the client's headers, replacing those of the
        same name (any case); a header given ``${None}`` is removed.
        ``cookies`` are set in the client's cookie jar (for any host); a
        cookie given ``${None}`` is removed. ``auth`` is a new ``[user,
        password]`` list, or an empty list ``[]`` to send no auth. ``timeout``
        is the client's new default. What is not given stays as it is.
        Values may be Robot Framework ``Secret`` values; credentials are masked in
        the log as everywhere.

        Examples:
        | ${resp}= | POST | /login | data={"username": "qa", "password": "${PASSWORD}"} |
        | Update ASGI Client | headers={"Authorization": "Bearer ${resp.json()}[access_token]"} |
        | GET | /me | # sends the token |
        | Update ASGI Client | headers={"Authorization": None, "X-Tenant": "acme"} | client=api |
        | Update ASGI Client | cookies={"consent": "yes"} | auth=[] | timeout=30s |
        """
        alias = self.clients.resolve(client)
        session = self.clients.get(alias)
        headers = self._reveal("headers", headers, headers=True)
        cookies, auth = self._reveal("cookies", cookies), self._reveal("auth", auth)
        if headers is not None and not isinstance(headers, dict):
            raise ArgumentError(f"Invalid headers {headers!r}: give a dictionary of name to value (None removes one).")
        if cookies is not None and not isinstance(cookies, dict):
            raise ArgumentError(f"Invalid cookies {cookies!r}: give a dictionary of name to value (None removes one).")
        credentials = None if auth is None or auth == [] else auth_tuple(auth)
        self._remember_credentials(headers, cookies, credentials)
        changes = []
        for name, value in (headers or {}).items():
            if value is None:
                session.headers.pop(name, None)
                changes.append(f"header {name} removed")
            else:
                session.headers[name] = str(value)
                changes.append(f"header {name}: {self.masker.header(name, str(value))}")
        for name, value in (cookies or {}).items():
            if value is None:
                remove_cookie_by_name(session.cookies, name)
            else:
                session.cookies.set(name, str(value))
            changes.append(f"cookie {name} removed" if value is None else f"cookie {name} set")
        if auth is not None:
            session.auth = credentials
            changes.append("auth removed" if credentials is None else f"auth user {credentials[0]}")
        if timeout is not None:
            session.timeout = timeout
            changes.append(f"timeout {timeout:g} s")
        logger.info(f"Updated ASGI client '{alias}': " + ("; ".join(changes) if changes else "nothing to change") + ".")

    @keyword("Close ASGI Client", tags=["clients"])
    def close_asgi_client(self, client: Optional[str] = None) -> None:
        """Closes a client (the current one when ``client`` is omitted): its
        WebSocket sessions and the requests started on it and not waited for
        (cancelled, and logged), then lifespan shutdown.

        If shutdown fails the keyword fails with the app's message, after
        closing everything else.

        | Close ASGI Client |
        | Close ASGI Client | client=api |
        """
        alias = self.clients.resolve(client)
        try:
            errors = self.scopes.close(self.clients, alias)
        finally:
            self._flush_app_logs()
            self._log_close_notes()
        if errors:
            raise CloseFailed("\n".join(errors))
        logger.info(f"Closed ASGI client '{alias}'.")

    @keyword("Close All ASGI Clients", tags=["clients"])
    def close_all_asgi_clients(self) -> None:
        """Closes every open client, WebSocket session and stream, reporting
        every failure after closing everything.

        | [Teardown] | Close All ASGI Clients |
        """
        try:
            errors = self.scopes.close_all()
        finally:
            self._flush_app_logs()
            self._log_close_notes()
        if errors:
            raise CloseFailed("\n".join(errors))

    @keyword("Get ASGI Aliases", tags=["clients"])
    def get_asgi_aliases(self) -> Dict[str, List[str]]:
        """Returns the aliases of the open clients, WebSocket sessions and
        streams as a dictionary with the keys ``clients``, ``websockets`` and
        ``streams``.

        | ${open}= | Get ASGI Aliases |
        | Should Contain | ${open}[clients] | api |
        | Should Be Empty | ${open}[websockets] |
        | Should Be Equal | ${open}[streams] | ${{ ["events"] }} |
        """
        return {"clients": self.clients.aliases(), "websockets": self.sessions.aliases(), "streams": self.streams.aliases()}


def _app_name(app: Any, given: Any) -> str:
    if isinstance(given, str):
        return given
    return getattr(app, "__qualname__", None) or type(app).__qualname__
