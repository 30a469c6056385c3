"""WebSocket keywords: connect, send, receive, assert, close."""

import json
import re
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

from robot.api import logger
from robot.api.deco import keyword
from robot.utils import Matcher  # type: ignore[import-untyped]

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
from ..testclient.types import Message
from ..testclient.websocket_protocol import check_close_code, describe_data
from .assertions import check_json_path, expected_json, json_equal, json_value_at
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
            self._log_handshake(session, "Denied with an HTTP response:\n" + self.exchange_log.response(exc.response))
            raise WebSocketError(self.masker.scrub(
                f"The WebSocket connection to {self.masker.url(session.url)} was denied with HTTP {exc.status_code}: "
                f"{self.exchange_log.cut(exc.text)}"
            )) from None
        except WebSocketDisconnect as exc:
            self._log_handshake(session, f"Refused: the app closed the connection with code {exc.code}" + (
                f" and reason {exc.reason!r} before accepting it." if exc.reason else " before accepting it."
            ))
            raise WebSocketError(
                f"The WebSocket connection to {self.masker.url(session.url)} was rejected with code {exc.code}"
                + (f" and reason '{exc.reason}'." if exc.reason else ".")
            ) from None
        except WebSocketTimeout as exc:
            self._log_handshake(session, "No answer: the app neither accepted nor refused the connection.")
            raise WebSocketError(str(exc)) from None
        except BaseException:
            self._log_handshake(session, "No answer: the app failed during the handshake.")
            raise
        finally:
            self._flush_app_logs()
        self.scopes.hold(self.sessions, new_alias, session, parent=http_client)
        accepted = "101 Switching Protocols (accepted)" + (
            f", subprotocol {session.accepted_subprotocol!r}" if session.accepted_subprotocol else ", no subprotocol"
        )
        self._log_handshake(session, "\n".join([accepted, *self._header_lines(session.extra_headers)]), new_alias)
        self._log_trace(session.asgi_trace, failed=False)
        return new_alias

    def _log_handshake(self, session: WebSocketTestSession, answer: str, alias: Optional[str] = None) -> None:
        """The handshake as the log shows an HTTP exchange: the request the app
        got (URL, headers - cookies and credentials masked - from its scope),
        then its answer."""
        trace = session.asgi_trace
        headers = self._header_lines(trace.scope.get("headers", ()) if trace is not None else ())
        opened = f"WebSocket session '{alias}' connected" if alias else "WebSocket handshake failed"
        request = "\n".join([f"GET {self.masker.url(session.url)}", *headers])
        logger.info(self.masker.scrub(f"{opened}:\n{request}\n\n{answer}"))

    def _header_lines(self, headers: Any) -> List[str]:
        lines = []
        for name, value in headers:
            name_text = _latin1(name)
            lines.append(f"{name_text}: {self.masker.header(name_text, _latin1(value))}")
        return lines

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
        return self._session_receive(self.sessions.resolve(websocket), lambda s, t: s.receive_text(timeout=t), timeout, "text")

    @keyword("Receive Bytes", tags=["websocket"])
    def receive_bytes(self, timeout: Timeout = None, websocket: Optional[str] = None) -> bytes:
        """Waits for a binary message and returns it as bytes; see `Receive Text`.

        | ${data}= | Receive Bytes | timeout=1s |
        | Should Be Equal | ${data} | ${{b"\\x01\\x02"}} |
        """
        return self._session_receive(self.sessions.resolve(websocket), lambda s, t: s.receive_bytes(timeout=t), timeout, "bytes")

    @keyword("Receive Json", tags=["websocket"])
    def receive_json(
        self, mode: JsonMode = JsonMode.text, timeout: Timeout = None, websocket: Optional[str] = None
    ) -> Any:
        """Waits for a JSON message (in a ``text`` or ``binary`` frame, per
        ``mode``) and returns it parsed; see `Receive Text`.

        | ${msg}= | Receive Json |
        | Should Be Equal | ${msg}[op] | pong |
        """
        alias = self.sessions.resolve(websocket)
        if mode is JsonMode.binary:
            data = self._session_receive(alias, lambda s, t: s.receive_bytes(timeout=t), timeout, "bytes")
        else:
            data = self._session_receive(alias, lambda s, t: s.receive_text(timeout=t), timeout, "text")
        value = self._parse_json(alias, data)
        self.masker.remember(self.masker.field_values(value))
        return value

    def _parse_json(self, alias: str, data: Union[str, bytes]) -> Any:
        """``data`` parsed as JSON - here, never in the engine, so that a
        ``JSONDecodeError`` the app raises is never taken for one of ours."""
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise WebSocketError(
                    f"WebSocket '{alias}': the binary message is not UTF-8 encoded JSON "
                    f"(byte 0x{exc.object[exc.start]:02x} at position {exc.start}): "
                    f"{self.exchange_log.cut(repr(data))}"
                ) from None
            kind = "binary message"
        else:
            kind = "text message"
        try:
            return json.loads(data)
        except ValueError as exc:
            raise WebSocketError(self.masker.scrub(
                f"WebSocket '{alias}': expected JSON, but the {kind} that arrived is not JSON ({exc}): "
                f"{self.exchange_log.cut(data)}"
            )) from None

    @keyword("Receive Json Until", tags=["websocket"])
    def receive_json_until(
        self, pointer: str, expected: Any, timeout: Timeout = None, websocket: Optional[str] = None
    ) -> Any:
        """Waits for the first JSON message whose value at ``pointer`` equals
        ``expected``, and returns it parsed; the messages before it are
        skipped (and logged).

        ``pointer`` is a JSON Pointer (``/type``, ``/data/items/0``) or a
        dotted path, as in `Get Json Value`; ``expected`` is compared as in
        `Json Value Should Be` - type included, ``3`` is a number and ``"3"``
        a string. Text and binary frames both count; a frame that is not
        JSON, or has no value at ``pointer``, is skipped.

        Fails if no such message arrives within ``timeout`` (default: the
        session's), or if the app closes the connection first, with the list
        of what arrived; with the app's exception if the app failed.

        Examples:
        | Send Json | {"op": "subscribe", "channel": "prices"} |
        | ${ack}= | Receive Json Until | /type | subscribed |
        | ${msg}= | Receive Json Until | /data/symbol | ACME | timeout=2s | websocket=feed |
        | Receive Json Until | /count | 3 | # the number 3, not the string "3" |
        """
        check_json_path(pointer)
        wanted = expected_json(expected)
        shown = _compact(wanted)

        def match(message: Message) -> Tuple[bool, Any, str]:
            data: Any = message.get("text") if message.get("text") is not None else bytes(message.get("bytes") or b"")
            try:
                value = json.loads(data if isinstance(data, str) else data.decode("utf-8"))
            except ValueError:  # UnicodeDecodeError is a ValueError
                return False, None, "not JSON"
            try:
                actual = json_value_at(value, pointer)
            except CheckFailed:
                return False, value, f"no value at {pointer}"
            if json_equal(actual, wanted):
                return True, value, ""
            return False, value, f"{pointer} is {_compact(actual)}, not {shown}"

        return self._receive_until(websocket, timeout, match, f"JSON message with {shown} at {pointer}")

    @keyword("Receive Text Until", tags=["websocket"])
    def receive_text_until(self, pattern: str, timeout: Timeout = None, websocket: Optional[str] = None) -> str:
        """Waits for the first text message that matches ``pattern``, and
        returns it; the messages before it are skipped (and logged).

        ``pattern`` is a glob pattern matched against the whole text, case
        sensitive: ``*`` is any characters, ``?`` one, ``[abc]`` one of
        them. With the prefix ``regexp:`` it is a Python regular expression
        that must match the whole text (``regexp:.*joined.*``); ``glob:``
        says glob explicitly. Binary frames are skipped.

        Fails if no matching message arrives within ``timeout`` (default: the
        session's), or if the app closes the connection first, with the list
        of what arrived; with the app's exception if the app failed.

        Examples:
        | ${line}= | Receive Text Until | * joined the room |
        | Receive Text Until | regexp:\\\\d+ users online | timeout=2s |
        | Receive Text Until | READY | websocket=worker |
        """
        matches = _text_matcher(pattern)

        def match(message: Message) -> Tuple[bool, Any, str]:
            text = message.get("text")
            if text is None:
                return False, None, "a binary message"
            if matches(text):
                return True, text, ""
            return False, text, "does not match"

        return self._receive_until(websocket, timeout, match, f"text message matching {pattern!r}")  # type: ignore[no-any-return]

    @keyword("Receive Message", tags=["websocket"])
    def receive_message(self, timeout: Timeout = None, websocket: Optional[str] = None) -> Union[str, bytes]:
        """Waits for the next message, whatever its kind, and returns it: a
        text message as a string, a binary one as bytes.

        Fails if nothing arrives within ``timeout`` (default: the session's),
        or if the app closes the connection (with the code and reason); with
        the app's exception if the app failed.

        | ${message}= | Receive Message |
        | Should Be Equal | ${message} | hello |
        | ${frame}= | Receive Message | timeout=1s | websocket=feed |
        """
        alias = self.sessions.resolve(websocket)
        try:
            message = self._next_message(alias, timeout)
        except (WebSocketDisconnect, WebSocketTimeout) as exc:
            raise WebSocketError(self.masker.scrub(f"WebSocket '{alias}': {exc}")) from None
        if message.get("type") == "websocket.close":
            self._write_ws_message("received", message)
            raise WebSocketError(f"WebSocket '{alias}': {_closed(message)}")
        return self._data_of(message)

    @keyword("Drain Websocket", tags=["websocket"])
    def drain_websocket(
        self, quiet: Timeout = 0.1, timeout: Timeout = None, websocket: Optional[str] = None
    ) -> List[Union[str, bytes]]:
        """Receives every message until none has come for ``quiet`` (100 ms by
        default) and returns them as a list: text messages as strings, binary
        ones as bytes. Each is logged.

        A way to skip greetings, presence updates and other messages a test
        does not look at, or to check what a burst held. If the app closes
        the connection, the messages before the close are returned (the close
        is logged, and the next receive reports it). Fails if the app is still
        sending after ``timeout`` (default: the session's); with the app's
        exception if the app failed.

        | Websocket Connect | /chat/lobby |
        | ${greetings}= | Drain Websocket |
        | ${burst}= | Drain Websocket | quiet=300ms | timeout=5s | websocket=feed |
        | Length Should Be | ${burst} | 3 |
        """
        alias = self.sessions.resolve(websocket)
        pause = checked_timeout(quiet)
        if pause is None:
            raise ArgumentError("Drain Websocket needs a quiet time, such as 100ms; got None.")
        session = self.sessions.get(alias)
        limit = session.timeout if timeout is None else timeout
        deadline = None if limit is None else time.monotonic() + limit
        drained: List[Union[str, bytes]] = []
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise WebSocketError(self.masker.scrub(
                    f"WebSocket '{alias}' did not go quiet for {pause:g} s within {limit:g} s. "
                    f"{self._arrived([_compact_data(item) for item in drained])}"
                ))
            try:
                message = self._next_message(alias, pause if remaining is None else min(pause, remaining))
            except WebSocketTimeout:
                if remaining is None or remaining > pause:
                    break  # quiet for the whole pause
                continue
            except WebSocketDisconnect as exc:
                logger.info(self.masker.scrub(f"WebSocket '{alias}': {exc}; the drain stops there."))
                break
            if message.get("type") == "websocket.close":
                self._write_ws_message("received", message)
                break
            drained.append(self._data_of(message))
        logger.info(f"WebSocket '{alias}' drained {len(drained)} messages; none came for {pause:g} s after.")
        return drained

    # -- dialogues ----------------------------------------------------------------
    def _next_message(self, alias: str, timeout: Optional[float]) -> Message:
        """The app's next message on the session ``alias`` (a close included).
        The app's exceptions are raised as they are, and so are the engine's
        ``WebSocketTimeout`` and ``WebSocketDisconnect``, for the caller to word."""
        session = self.sessions.get(alias)
        try:
            with self._app_errors(session):
                return session.receive(timeout=timeout)
        finally:
            self._flush_app_logs()

    def _data_of(self, message: Message) -> Union[str, bytes]:
        """A text or binary message's data, logged as received."""
        self._write_ws_message("received", message)
        if message.get("text") is not None:
            text: str = message["text"]
            self._remember_fields(text)
            return text
        return bytes(message.get("bytes") or b"")

    def _receive_until(
        self,
        websocket: Optional[str],
        timeout: Optional[float],
        match: Callable[[Message], Tuple[bool, Any, str]],
        wanted: str,
    ) -> Any:
        """Receives until ``match`` accepts a message; returns its value (from
        ``match``); fails with what arrived when the time is up or the app closes."""
        alias = self.sessions.resolve(websocket)
        limit = self.sessions.get(alias).timeout if timeout is None else timeout
        deadline = None if limit is None else time.monotonic() + limit
        skipped: List[str] = []
        while True:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                message = self._next_message(alias, remaining)
            except WebSocketTimeout:
                head = f"WebSocket '{alias}': no {wanted} arrived within {limit:g} s."
                raise WebSocketError(self.masker.scrub(f"{head} {self._arrived(skipped)}")) from None
            except WebSocketDisconnect as exc:
                head = f"WebSocket '{alias}': {exc} - before a {wanted} arrived."
                raise WebSocketError(self.masker.scrub(f"{head} {self._arrived(skipped)}")) from None
            if message.get("type") == "websocket.close":
                self._write_ws_message("received", message)
                raise WebSocketError(self.masker.scrub(
                    f"WebSocket '{alias}': {_closed(message)} - before a {wanted} arrived. {self._arrived(skipped)}"
                ))
            found, value, why = match(message)
            if found:
                if isinstance(value, str):
                    self._remember_fields(value)
                else:
                    self.masker.remember(self.masker.field_values(value))
                self._write_ws_message("received", message)
                return value
            if isinstance(value, str):
                self._remember_fields(value)
            else:
                self.masker.remember(self.masker.field_values(value))
            logger.info(self.masker.scrub(f"{self.exchange_log.message('received', message)}\n(skipped: {why})"))
            skipped.append(_compact_data(message.get("text") if message.get("text") is not None else bytes(message.get("bytes") or b"")))

    def _arrived(self, items: List[str]) -> str:
        """What arrived, for a failure message: masked, cut at the log body limit."""
        if not items:
            return "Nothing else arrived."
        listed = "; ".join(f"{number}) {item}" for number, item in enumerate(items, 1))
        return f"What arrived ({len(items)}): {self.exchange_log.cut(listed)}"

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
            with self._app_errors(session):
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
            message = self._next_message(alias, timeout)
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
        alias: str,
        receive: Callable[[WebSocketTestSession, Optional[float]], Any],
        timeout: Optional[float],
        kind: str,
    ) -> Any:
        """``receive`` on the session ``alias``: the app's exceptions as they
        are, the engine's as a message naming the session."""
        session = self.sessions.get(alias)
        try:
            with self._app_errors(session):
                value = receive(session, timeout)
        except (WebSocketDisconnect, WebSocketTimeout, UnexpectedMessage) as exc:
            raise WebSocketError(self.masker.scrub(f"WebSocket '{alias}': {exc}")) from None
        finally:
            self._flush_app_logs()
        if kind == "bytes":
            self._write_ws_message("received", {"bytes": value})
        else:
            self._remember_fields(value)
            self._write_ws_message("received", {"text": value})
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


def _latin1(value: Any) -> str:
    return bytes(value).decode("latin-1") if isinstance(value, (bytes, bytearray, memoryview)) else str(value)


def _compact(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _compact_data(data: Union[str, bytes, None]) -> str:
    """A message as a failure's list of what arrived shows it: JSON compact, other text quoted, bytes as a repr."""
    if isinstance(data, str):
        parsed = parse_json(data) if data[:1] in ("{", "[") else None
        return _compact(parsed[0]) if parsed is not None else repr(data)
    return repr(data)


def _closed(message: Message) -> str:
    reason = message.get("reason")
    return f"the app closed the connection with code {message.get('code', 1000)}" + (f" and reason {reason!r}" if reason else "")


def _text_matcher(pattern: str) -> Callable[[str], bool]:
    """``pattern`` as a test on a whole text: a glob, or after ``regexp:`` a regular expression."""
    if not isinstance(pattern, str):
        raise ArgumentError(f"Invalid pattern {pattern!r}: give a glob pattern, or regexp: and a regular expression.")
    prefix, colon, rest = pattern.partition(":")
    if colon and prefix.lower() == "regexp":
        try:
            expression = re.compile(rest)
        except re.error as exc:
            raise ArgumentError(f"Invalid pattern {pattern!r}: {rest!r} is not a valid regular expression ({exc}).") from None
        return lambda text: expression.fullmatch(text) is not None
    if colon and prefix.lower() == "glob":
        pattern = rest
    matcher = Matcher(pattern, caseless=False, spaceless=False)
    return lambda text: bool(matcher.match(text))
