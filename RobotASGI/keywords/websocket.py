"""WebSocket keywords: connect, send, receive, assert, close."""

import json
from typing import Any, Callable, Dict, List, Mapping, Optional, Union

from robot.api import logger
from robot.api.deco import keyword

from ..data_types import Credential, JsonMode, Timeout, checked_timeout
from ..errors import ArgumentError, CheckFailed, CloseFailed, WebSocketError
from ..exchange_log import parse_json
from ..store import shut_down_session
from ..testclient import (
    UnexpectedMessage,
    WebSocketDenialResponse,
    WebSocketDisconnect,
    WebSocketTestSession,
    WebSocketTimeout,
)
from ..testclient.websocket_protocol import check_close_code, describe_data
from .base import LibraryComponent, auth_tuple


class WebSocketKeywords(LibraryComponent):
    """WebSocket sessions on the current client (or the one named by ``client``)."""

    @keyword("Websocket Connect", tags=["websocket"])
    def websocket_connect(
        self,
        url: str,
        subprotocols: Optional[List[str]] = None,
        alias: Optional[str] = None,
        headers: Optional[Dict[str, Credential]] = None,
        params: Union[Dict[str, Any], List[Any], None] = None,
        cookies: Optional[Dict[str, Credential]] = None,
        auth: Optional[List[Credential]] = None,
        timeout: Timeout = None,
        client: Optional[str] = None,
    ) -> str:
        """Opens a WebSocket session and returns its alias.

        ``url`` is relative to the client's base URL (``ws://`` and ``wss://``
        URLs work too). ``subprotocols`` is a list the app may choose from.
        ``headers``, ``params``, ``cookies`` and ``auth`` shape the handshake
        request, with the client's own merged in; their values may be Robot
        Framework ``Secret`` values. ``timeout`` is the
        session's default for the handshake and every receive (default:
        the client's timeout). ``client`` names the client to connect with
        (default: the current one).

        ``alias`` names the session (``websocket1``... when omitted). The new
        session becomes the current one, used by the other WebSocket keywords
        unless given ``websocket=``.

        If the app closes the connection instead of accepting it, the keyword
        fails with a message carrying the close code and reason; if it denies
        it with an HTTP response, with that status and body.

        Examples:
        | Websocket Connect | /ws |
        | ${chat}= | Websocket Connect | /chat | subprotocols=["chat.v2"] | alias=chat | timeout=2s |
        | Websocket Connect | /ws | client=admin |
        | Run Keyword And Expect Error | *code 1008* | Websocket Connect | /forbidden |
        """
        headers = self._reveal("headers", headers, headers=True)
        params, cookies, auth = self._reveal("params", params), self._reveal("cookies", cookies), self._reveal("auth", auth)
        self._remember_credentials(headers, cookies, auth)
        http_client = self.clients.get(client)
        new_alias = self.sessions.new_alias(alias)
        session = http_client.websocket_connect(
            url,
            subprotocols=subprotocols,
            headers=headers,
            params=params,
            cookies=cookies,
            auth=auth_tuple(auth),
            timeout=timeout,
        )
        try:
            with self._app_errors(session):
                session.connect()
        except WebSocketDenialResponse as exc:
            raise WebSocketError(
                f"The WebSocket connection to {session.url} was denied with HTTP {exc.status_code}: "
                f"{self.exchange_log.cut(exc.text)}"
            ) from None
        except WebSocketDisconnect as exc:
            raise WebSocketError(
                f"The WebSocket connection to {session.url} was rejected with code {exc.code}"
                + (f" and reason '{exc.reason}'." if exc.reason else ".")
            ) from None
        except WebSocketTimeout as exc:
            raise WebSocketError(str(exc)) from None
        finally:
            self._flush_app_logs()
        self.scopes.hold(self.sessions, new_alias, session, parent=http_client)
        self._log_trace(session.asgi_trace, failed=False)
        subprotocol = f", subprotocol '{session.accepted_subprotocol}'" if session.accepted_subprotocol else ""
        logger.info(f"WebSocket session '{new_alias}' connected to {session.url}{subprotocol}.")
        return new_alias

    @keyword("Get Websocket Subprotocol", tags=["websocket"])
    def get_websocket_subprotocol(self, websocket: Optional[str] = None) -> Optional[str]:
        """Returns the subprotocol the app accepted (``None`` if it chose none).

        | Websocket Connect | /chat | subprotocols=["chat.v2", "chat.v1"] |
        | ${protocol}= | Get Websocket Subprotocol |
        | Should Be Equal | ${protocol} | chat.v2 |
        """
        return self.sessions.get(websocket).accepted_subprotocol

    @keyword("Switch Websocket", tags=["websocket"])
    def switch_websocket(self, websocket: str) -> str:
        """Makes the session named ``websocket`` the current one and returns
        the previous one's alias.

        | Switch Websocket | chat |
        """
        return self.sessions.switch(websocket) or ""

    @keyword("Send Text", tags=["websocket"])
    def send_text(self, text: Credential, websocket: Optional[str] = None) -> None:
        """Sends ``text`` in a text frame.

        ``text`` may be a Robot Framework ``Secret``: it is sent as its value,
        which the log masks.

        | Send Text | hello |
        | Send Text | ${message} | websocket=chat |
        """
        value = str(self._reveal("text", text, text=True))
        self._remember_fields(value)
        self._session_send(websocket, lambda s: s.send_text(value), {"text": value})

    @keyword("Send Bytes", tags=["websocket"])
    def send_bytes(self, data: bytes, websocket: Optional[str] = None) -> None:
        """Sends ``data`` in a binary frame.

        A string is converted to bytes (each character a byte, so ``\\x00``
        escapes work); bytes from a variable are sent as they are.

        | Send Bytes | \\x01\\x02\\xff |
        | Send Bytes | ${payload} | websocket=feed |
        """
        self._session_send(websocket, lambda s: s.send_bytes(data), {"bytes": data})

    @keyword("Send Json", tags=["websocket"])
    def send_json(self, data: Any, mode: JsonMode = JsonMode.text, websocket: Optional[str] = None) -> None:
        """Sends ``data`` as JSON: a Robot dictionary or list, or a JSON string.

        ``mode`` is ``text`` (a text frame) or ``binary`` (a binary frame).
        Values inside ``data`` may be Robot Framework ``Secret`` values; the
        values of ``mask_fields`` (``token``, ``password``...) are masked in
        the log.

        | Send Json | {"op": "ping"} |
        | Send Json | ${payload} | mode=binary |
        | Send Json | {"op": "login", "token": "${TOKEN}"} |
        """
        value = self._json_argument(self._reveal("data", data), "data")
        self.masker.remember(self.masker.field_values(value))
        self._session_send(websocket, lambda s: s.send_json(value, mode=mode.value), {"text": _dump(value)})

    @keyword("Receive Text", tags=["websocket"])
    def receive_text(self, timeout: Timeout = None, websocket: Optional[str] = None) -> str:
        """Waits for a text message and returns it.

        Fails if nothing arrives within ``timeout`` (default: the session's),
        if a binary message arrives instead, or if the app closes the
        connection (the message carries the code and reason).

        | ${text}= | Receive Text |
        | ${text}= | Receive Text | timeout=500ms | websocket=chat |
        """
        return self._session_receive(websocket, lambda s, t: s.receive_text(timeout=t), timeout, "text")

    @keyword("Receive Bytes", tags=["websocket"])
    def receive_bytes(self, timeout: Timeout = None, websocket: Optional[str] = None) -> bytes:
        """Waits for a binary message and returns it as bytes; see `Receive Text`.

        | ${data}= | Receive Bytes | timeout=1s |
        | Should Be Equal | ${data} | ${{b"\\x01\\x02"}} |
        """
        return self._session_receive(websocket, lambda s, t: s.receive_bytes(timeout=t), timeout, "bytes")

    @keyword("Receive Json", tags=["websocket"])
    def receive_json(
        self, mode: JsonMode = JsonMode.text, timeout: Timeout = None, websocket: Optional[str] = None
    ) -> Any:
        """Waits for a JSON message (in a ``text`` or ``binary`` frame, per
        ``mode``) and returns it parsed; see `Receive Text`.

        | ${msg}= | Receive Json |
        | Should Be Equal | ${msg}[op] | pong |
        """
        return self._session_receive(
            websocket, lambda s, t: s.receive_json(mode=mode.value, timeout=t), timeout, "json"
        )

    @keyword("Websocket Should Receive Nothing", tags=["websocket"])
    def websocket_should_receive_nothing(
        self,
        timeout: Timeout = 0.5,
        websocket: Optional[str] = None,
    ) -> None:
        """Fails if the app sends anything, or closes, within ``timeout``.

        Returns as soon as ``timeout`` has passed; a message that arrived is
        left to be received.

        | Send Text | unsubscribe |
        | Websocket Should Receive Nothing | 300ms |
        """
        alias = self.sessions.resolve(websocket)
        seconds = checked_timeout(timeout)
        if seconds is None:
            raise ArgumentError("Websocket Should Receive Nothing needs a timeout, such as 500ms; got None.")
        session = self.sessions.get(alias)
        try:
            session.assert_no_message(seconds)
        except UnexpectedMessage as exc:
            self._log_trace(session.asgi_trace, failed=True)
            raise CheckFailed(f"WebSocket '{alias}': {exc}") from None
        finally:
            self._flush_app_logs()
        logger.info(f"WebSocket '{alias}' received nothing within {seconds:g} s.")

    @keyword("Websocket Should Be Closed", tags=["websocket"])
    def websocket_should_be_closed(
        self,
        code: Optional[int] = None,
        reason: Optional[str] = None,
        timeout: Timeout = None,
        websocket: Optional[str] = None,
    ) -> int:
        """Waits for the app to close the connection and returns the close code.

        Fails if a message arrives instead, if nothing happens within
        ``timeout``, or if ``code`` (or ``reason``) is given and differs.

        | Send Text | close |
        | Websocket Should Be Closed | code=1000 | reason=bye |
        """
        alias = self.sessions.resolve(websocket)
        session = self.sessions.get(alias)
        try:
            message = session.receive(timeout=timeout)
        except WebSocketDisconnect as exc:
            closed_code, closed_reason = exc.code, exc.reason
        except WebSocketTimeout as exc:
            self._log_trace(session.asgi_trace, failed=True)
            raise CheckFailed(f"WebSocket '{alias}' was not closed: {exc}") from None
        else:
            if message.get("type") != "websocket.close":
                self._write_ws_message("received", message)
                self._log_trace(session.asgi_trace, failed=True)
                raise CheckFailed(
                    f"WebSocket '{alias}' was expected to be closed, but the app sent {describe_data(message)}."
                )
            closed_code, closed_reason = message.get("code", 1000), message.get("reason") or ""
        finally:
            self._flush_app_logs()
        logger.info(f"WebSocket '{alias}' closed with code {closed_code}" + (f", reason '{closed_reason}'." if closed_reason else "."))
        if (code is not None and closed_code != code) or (reason is not None and closed_reason != reason):
            self._log_trace(session.asgi_trace, failed=True)
        if code is not None and closed_code != code:
            raise CheckFailed(f"WebSocket '{alias}' was closed with code {closed_code}, expected {code}.")
        if reason is not None and closed_reason != reason:
            raise CheckFailed(f"WebSocket '{alias}' was closed with reason '{closed_reason}', expected '{reason}'.")
        return closed_code

    @keyword("Close Websocket", tags=["websocket"])
    def close_websocket(self, code: int = 1000, reason: Optional[str] = None, websocket: Optional[str] = None) -> None:
        """Closes a WebSocket session (the current one when ``websocket`` is
        omitted) with ``code`` and ``reason``; the app gets ``websocket.disconnect``.

        Fails with the app's exception if the app failed. An app that does
        not catch the disconnect - a FastAPI or Starlette endpoint looping on
        ``receive_text()`` ends with their ``WebSocketDisconnect`` - has not
        failed: that is logged (INFO), as it is when the session is closed
        at the end of its test.

        | Close Websocket |
        | Close Websocket | code=4000 | reason=done | websocket=chat |
        """
        alias = self.sessions.resolve(websocket)
        try:
            check_close_code(code)
        except (TypeError, ValueError) as exc:
            raise ArgumentError(str(exc)) from None

        def close_and_shut_down(session: WebSocketTestSession) -> None:
            session.close(code, reason)
            session.shut_down()

        closing = self.sessions.get(alias)
        try:
            errors = self.scopes.close(self.sessions, alias, lambda s: shut_down_session(s, close_and_shut_down))
        finally:
            self._flush_app_logs()
            self._log_close_notes()
        self._log_trace(closing.asgi_trace, failed=bool(errors))
        if errors:
            raise CloseFailed("\n".join(errors))
        logger.info(f"WebSocket '{alias}' closed with code {code}" + (f", reason '{reason}'." if reason else "."))

    # -- shared -------------------------------------------------------------------
    def _session_send(
        self, websocket: Optional[str], send: Callable[[WebSocketTestSession], None], message: Dict[str, Any]
    ) -> None:
        alias = self.sessions.resolve(websocket)
        session = self.sessions.get(alias)
        try:
            with self._app_errors(session):
                send(session)
        except WebSocketDisconnect as exc:
            raise WebSocketError(f"Cannot send on WebSocket '{alias}': {exc}.") from None
        finally:
            self._flush_app_logs()
        self._write_ws_message("sent", message)

    def _session_receive(
        self,
        websocket: Optional[str],
        receive: Callable[[WebSocketTestSession, Optional[float]], Any],
        timeout: Optional[float],
        kind: str,
    ) -> Any:
        alias = self.sessions.resolve(websocket)
        session = self.sessions.get(alias)
        try:
            with self._app_errors(session):
                value = receive(session, timeout)
        except (WebSocketDisconnect, WebSocketTimeout, UnexpectedMessage) as exc:
            raise WebSocketError(f"WebSocket '{alias}': {exc}") from None
        except json.JSONDecodeError as exc:
            raise WebSocketError(f"WebSocket '{alias}': the message is not valid JSON ({exc}).") from None
        except UnicodeDecodeError as exc:
            raise WebSocketError(
                f"WebSocket '{alias}': the binary message is not UTF-8 encoded JSON "
                f"(byte 0x{exc.object[exc.start]:02x} at position {exc.start})."
            ) from None
        finally:
            self._flush_app_logs()
        if kind == "bytes":
            self._write_ws_message("received", {"bytes": value})
        elif kind == "text":
            self._remember_fields(value)
            self._write_ws_message("received", {"text": value})
        else:
            self.masker.remember(self.masker.field_values(value))
            self._write_ws_message("received", {"text": _dump(value)})
        return value

    def _write_ws_message(self, direction: str, message: Mapping[str, Any]) -> None:
        logger.info(self.masker.scrub(self.exchange_log.message(direction, message)))

    def _remember_fields(self, text: str) -> None:
        """A JSON text message's masked fields hold credentials (a token)."""
        if text[:1] in ("{", "["):
            parsed = parse_json(text)
            if parsed is not None:
                self.masker.remember(self.masker.field_values(parsed[0]))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
