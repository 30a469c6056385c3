"""Stream keywords: a response read as it arrives - Server-Sent Events, lines
(JSON Lines, NDJSON), raw chunks - and the client going away in the middle."""

import json as jsonlib
import re
import time
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import requests
from robot.api import logger
from robot.api.deco import keyword

from ..data_types import Credential, Timeout, checked_timeout
from ..errors import ArgumentError, BodyEnded, CheckFailed, CloseFailed, NothingArrived, ReadFailed, StreamError
from ..event_stream import ServerSentEvent, Skipped
from ..exchange_log import parse_json
from ..streams import Stream, describe_bytes, describe_skipped
from .base import LibraryComponent, check_flag
from .http import _check_method

_CHARSET = re.compile(r"charset\s*=\s*\"?([^\";\s]+)", re.IGNORECASE)


class StreamKeywords(LibraryComponent):
    """Streams on the current client (or the one named by ``client``)."""

    #: keywords/http.py: the one send path of every request
    _send: Callable[..., Optional[requests.Response]]

    @keyword("Open Stream", tags=["streams"])
    def open_stream(
        self,
        url: str,
        method: str = "GET",
        params: Union[Dict[str, Any], List[Any], None] = None,
        headers: Optional[Dict[str, Credential]] = None,
        json: Any = None,
        data: Any = None,
        files: Union[Dict[str, Any], List[Any], None] = None,
        cookies: Optional[Dict[str, Credential]] = None,
        auth: Optional[List[Credential]] = None,
        timeout: Timeout = None,
        expected_status: Optional[str] = None,
        client: Optional[str] = None,
        alias: Optional[str] = None,
    ) -> str:
        """Sends a request and returns as soon as the response starts, its body
        unread: a stream to read with `Receive Event`, `Receive Line` or
        `Receive Chunk`. Returns the stream's alias.

        The request is built, sent and logged as by `Send Request` (the
        arguments are the same: ``method`` is any HTTP method, ``GET`` by
        default). The response becomes the last response, so `Status Should
        Be`, `Response Header Should Be` and the other checks work on its
        status and headers; its body is read only by the stream keywords.
        ``expected_status`` works as on `GET`: a status it does not accept
        fails the keyword (with the start of the body, read within the
        timeout) and closes the stream. A client opened with ``openapi=``
        checks the status and headers against its document; the body of a
        stream is not checked.

        ``timeout`` bounds the wait for the response to start, and is the
        stream's default for every later wait (default: the client's timeout).

        ``alias`` names the stream (``stream1``... when omitted). The new
        stream becomes the current one, which the stream keywords use unless
        given ``stream=``. It is closed - the client disconnects - when the
        test or suite that opened it ends, or when its client closes.

        Examples:
        | Open Stream | /events | headers={"Accept": "text/event-stream"} |
        | Response Header Should Be | Content-Type | text/event-stream; charset=utf-8 |
        | ${event}= | Receive Event |
        | ${feed}= | Open Stream | /orders/feed | params={"since": "42"} | alias=feed | timeout=5s |
        | Open Stream | /chat/completions | method=POST | json={"prompt": "hi"} | expected_status=200 |
        | Open Stream | /events | expected_status=401 | # fails unless the app refuses |
        """
        new_alias = self.streams.new_alias(alias)
        client_alias = self.clients.resolve(client)
        http_client = self.clients.get(client_alias)
        response = self._send(
            _check_method(method),
            url,
            params=params,
            headers=headers,
            json=json,
            data=data,
            files=files,
            cookies=cookies,
            auth=auth,
            timeout=timeout,
            expected_status=expected_status,
            client=client_alias,
            stream=True,
        )
        assert response is not None  # None only for a client that leaves mid-upload, not asked here
        opened = Stream(response, http_client.timeout if timeout is None else timeout, client_alias)
        self.scopes.hold(self.streams, new_alias, opened, parent=http_client)
        content_type = response.headers.get("content-type")
        logger.info(
            f"Opened stream '{new_alias}' on client '{client_alias}': {response.request.method} "
            f"{self.masker.url(response.url)} answered {response.status_code}"
            + (f" ({content_type})." if content_type else ".")
        )
        return new_alias

    @keyword("Receive Event", tags=["streams"])
    def receive_event(self, timeout: Timeout = None, stream: Optional[str] = None) -> Dict[str, Any]:
        """Waits for the next Server-Sent Event and returns it as a dictionary.

        | = Key = | = Value = |
        | ``event`` | the event type (``message`` when the event names none) |
        | ``data`` | the data, its lines joined with newlines |
        | ``id`` | the last event ID the stream set (``""`` if none) - it outlasts the event that set it, as a browser's ``lastEventId`` |
        | ``retry`` | the reconnection time in milliseconds the stream set, or ``None`` |
        | ``json`` | the data parsed, when it is JSON (only then) |

        The stream is read by the WHATWG event-stream rules, as a browser's
        ``EventSource`` reads it: CR, LF and CRLF line ends, a byte order mark
        at the start ignored, ``data:`` with or without a space after the
        colon, a line without a colon as a field with an empty value, an ``id``
        holding NUL and a ``retry`` that is not only digits ignored, an event
        dispatched by a blank line and read across as many chunks as it came
        in. Comments (keep-alives such as ``: ping``) and events without data,
        which a browser does not dispatch, are skipped and logged.

        Fails if no event arrives within ``timeout`` (default: the stream's),
        or if the app ends the body first, with what did arrive; with the
        app's exception if the app failed.

        Examples:
        | ${event}= | Receive Event |
        | Should Be Equal | ${event}[event] | price |
        | Should Be Equal | ${event}[json][symbol] | ACME |
        | ${event}= | Receive Event | timeout=2s | stream=news |
        """
        alias, opened = self._open_stream(stream)
        seconds = self._wait_time(opened, timeout)
        was_finished = opened.finished

        def report(skipped: Skipped) -> None:
            logger.info(self.masker.scrub(f"Stream '{alias}': skipped {describe_skipped(skipped)}"))

        try:
            with self._app_errors():
                event = opened.next_event(_deadline(seconds), report)
        except ReadFailed as exc:
            raise self._read_failure(alias, exc, "event", seconds, was_finished) from None
        finally:
            self._flush_app_logs()
        result = event.as_dict(parse_json)
        if "json" in result:
            self.masker.remember(self.masker.field_values(result["json"]))
        logger.info(self.masker.scrub(self._event_text(alias, event, "json" in result)))
        return result

    @keyword("Receive Line", tags=["streams"])
    def receive_line(self, timeout: Timeout = None, json: bool = False, stream: Optional[str] = None) -> Any:
        """Waits for the next line of the stream and returns it, without its
        line end (LF or CRLF); at the end of the body, what is left.

        For JSON Lines, NDJSON and other line protocols. With ``json=True``
        the line is parsed as JSON and the value returned; a line that is
        not JSON fails the keyword with the line. The line is text in the
        charset the response declares (UTF-8 when it declares none).

        Fails if no whole line arrives within ``timeout`` (default: the
        stream's), or if the app ends the body with nothing left, with what
        did arrive; with the app's exception if the app failed.

        Examples:
        | Open Stream | /orders/export | headers={"Accept": "application/x-ndjson"} |
        | ${order}= | Receive Line | json=True |
        | Should Be Equal | ${order}[id] | ${1} |
        | ${line}= | Receive Line | timeout=500ms |
        """
        check_flag(json, "json")
        alias, opened = self._open_stream(stream)
        seconds = self._wait_time(opened, timeout)
        was_finished = opened.finished
        try:
            with self._app_errors():
                raw = opened.next_line(_deadline(seconds))
        except ReadFailed as exc:
            raise self._read_failure(alias, exc, "line", seconds, was_finished) from None
        finally:
            self._flush_app_logs()
        charset = _charset(opened.response)
        try:
            text = raw.decode(charset)
        except UnicodeDecodeError as exc:
            logger.info(f"Stream '{alias}' received a line of {len(raw)} bytes:\n{self.exchange_log.body(raw)}")
            raise StreamError(
                f"Stream '{alias}': the line is not {charset} text (byte 0x{exc.object[exc.start]:02x} at "
                f"position {exc.start}): {self.masker.scrub(self.exchange_log.cut(repr(raw)))}. "
                "Receive Chunk returns bytes as they are."
            ) from None
        except LookupError:
            raise StreamError(f"Stream '{alias}': the response's charset '{charset}' is unknown to Python.") from None
        if not json:
            self._remember_json_fields(text)
            logger.info(self.masker.scrub(f"Stream '{alias}' received a line:\n{self.exchange_log.body(text, _json_type(text))}"))
            return text
        try:
            value = jsonlib.loads(text)
        except ValueError as exc:
            logger.info(self.masker.scrub(f"Stream '{alias}' received a line:\n{self.exchange_log.body(text)}"))
            raise StreamError(
                self.masker.scrub(f"Stream '{alias}': the line is not JSON ({exc}): {self.exchange_log.cut(text)}")
            ) from None
        self.masker.remember(self.masker.field_values(value))
        logger.info(self.masker.scrub(f"Stream '{alias}' received a line:\n{self.exchange_log.body(text, 'json')}"))
        return value

    @keyword("Receive Chunk", tags=["streams"])
    def receive_chunk(self, timeout: Timeout = None, stream: Optional[str] = None) -> bytes:
        """Waits for the next piece of the body and returns it as bytes, as the
        app sent it (decoded if the response is compressed): one
        ``http.response.body`` message of the app - or what a `Receive Line`
        or `Receive Event` read with the last one and left.

        Fails if nothing arrives within ``timeout`` (default: the stream's),
        or if the app has ended the body; with the app's exception if the app
        failed.

        Examples:
        | ${chunk}= | Receive Chunk |
        | Should Be Equal | ${chunk} | ${{ b"part 1" }} |
        | ${chunk}= | Receive Chunk | timeout=1s | stream=download |
        """
        alias, opened = self._open_stream(stream)
        seconds = self._wait_time(opened, timeout)
        was_finished = opened.finished
        try:
            with self._app_errors():
                chunk = opened.next_chunk(_deadline(seconds))
        except ReadFailed as exc:
            raise self._read_failure(alias, exc, "chunk", seconds, was_finished) from None
        finally:
            self._flush_app_logs()
        content_type = opened.response.headers.get("content-type", "")
        logger.info(self.masker.scrub(
            f"Stream '{alias}' received a chunk of {len(chunk)} bytes:\n{self.exchange_log.body(chunk, content_type)}"
        ))
        return chunk

    @keyword("Stream Should Receive Nothing", tags=["streams"])
    def stream_should_receive_nothing(self, timeout: Timeout, stream: Optional[str] = None) -> None:
        """Fails if the app sends anything on the stream - a keep-alive comment
        included - or ends its body, within ``timeout``; or if something it
        sent earlier is still unread.

        Returns as soon as ``timeout`` has passed; what arrived is left to be
        read.

        | POST | /orders/42/cancel |
        | Stream Should Receive Nothing | 300ms |
        | Stream Should Receive Nothing | 1s | stream=audit |
        """
        seconds = checked_timeout(timeout)
        if seconds is None:
            raise ArgumentError("Stream Should Receive Nothing needs a timeout, such as 500ms; got None.")
        alias, opened = self._open_stream(stream)
        was_finished = opened.finished
        unread = opened.unread()
        try:
            with self._app_errors():
                got = opened.expect_nothing(seconds)
        finally:
            self._flush_app_logs()
        expected = f"Stream '{alias}': expected nothing within {seconds:g} s, but"
        if got == "end":
            ended = "the app had already ended the body" if was_finished else "the app ended the body"
            raise CheckFailed(f"{expected} {ended}.")
        if isinstance(got, bytes):
            what = "this had arrived, unread" if unread else "the app sent"
            raise CheckFailed(self.masker.scrub(
                f"{expected} {what} (left to be read): {self.exchange_log.cut(describe_bytes(got))}"
            ))
        logger.info(f"Stream '{alias}' received nothing within {seconds:g} s.")

    @keyword("Stream Should Be Finished", tags=["streams"])
    def stream_should_be_finished(self, timeout: Timeout = None, stream: Optional[str] = None) -> None:
        """Waits for the app to end the body of the stream; fails if it has not
        within ``timeout`` (default: the stream's), saying what arrived.

        What the stream still holds, read or arriving, is logged and dropped.
        Fails with the app's exception if the app failed. The stream stays
        open (its status and headers readable) until closed.

        | Send Request | POST | /jobs/7/finish |
        | Stream Should Be Finished | timeout=2s |
        """
        alias, opened = self._open_stream(stream)
        seconds = self._wait_time(opened, timeout)
        try:
            with self._app_errors():
                rest = opened.drain(_deadline(seconds))
        except NothingArrived as exc:
            arrived = "; ".join(exc.arrived)
            tail = f" Unread: {self.exchange_log.cut(arrived)}" if arrived else " Nothing more arrived meanwhile."
            raise CheckFailed(self.masker.scrub(
                f"Stream '{alias}' was not finished within {_seconds(seconds)}: the app kept its body open.{tail}"
            )) from None
        finally:
            self._flush_app_logs()
        content_type = opened.response.headers.get("content-type", "")
        left = f"; {len(rest)} bytes were left unread:\n{self.exchange_log.body(rest, content_type)}" if rest else "."
        logger.info(self.masker.scrub(f"Stream '{alias}' is finished: the app ended the body ({opened.received} bytes in all){left}"))

    @keyword("Switch Stream", tags=["streams"])
    def switch_stream(self, stream: str) -> str:
        """Makes the stream named ``stream`` the current one and returns the
        previous one's alias.

        | Open Stream | /events/a | alias=a |
        | Open Stream | /events/b | alias=b |
        | Switch Stream | a |
        | Receive Event | # from 'a' |
        """
        return self.streams.switch(stream) or ""

    @keyword("Close Stream", tags=["streams"])
    def close_stream(self, stream: Optional[str] = None) -> None:
        """Closes a stream (the current one when ``stream`` is omitted): if the
        app has not ended the body, the client disconnects - the app's
        ``receive()`` returns ``http.disconnect`` and its next ``send()``
        raises - which is how to test what an app does when its client goes
        away in the middle of a response.

        Waits (within the stream's timeout) for the app to end, and logs how
        it ended. Fails if the app raised an exception after the disconnect;
        an app that only stops because its ``send()`` raised, not listening
        for the disconnect, is logged, not a failure.

        | Open Stream | /events |
        | Receive Event |
        | Close Stream |
        | GET | /subscribers |
        | Response Json Should Be | {"count": 0} |
        """
        alias = self.streams.resolve(stream)
        try:
            errors = self.scopes.close(self.streams, alias)
        finally:
            self._flush_app_logs()
            self._log_close_notes()
        if errors:
            raise CloseFailed("\n".join(errors))
        logger.info(f"Closed stream '{alias}'.")

    # -- shared -------------------------------------------------------------------
    def _open_stream(self, stream: Optional[str]) -> Tuple[str, Stream]:
        alias = self.streams.resolve(stream)
        return alias, self.streams.get(alias)

    @staticmethod
    def _wait_time(opened: Stream, timeout: Optional[float]) -> Optional[float]:
        return opened.timeout if timeout is None else timeout

    def _read_failure(
        self, alias: str, error: ReadFailed, what: str, seconds: Optional[float], was_finished: bool
    ) -> StreamError:
        article = "an" if what[0] in "aeiou" else "a"
        if isinstance(error, NothingArrived):
            head = f"Stream '{alias}': no {what} arrived within {_seconds(seconds)}."
        elif isinstance(error, BodyEnded) and was_finished:
            head = f"Stream '{alias}': the app had already ended the body; no {what} can come."
        else:
            head = f"Stream '{alias}': the app ended the body before {article} {what} arrived."
        arrived = "; ".join(error.arrived)
        if arrived:
            head += f" What arrived meanwhile: {self.exchange_log.cut(arrived)}"
        elif isinstance(error, NothingArrived):
            head += " Nothing arrived meanwhile."
        return StreamError(self.masker.scrub(head))

    def _event_text(self, alias: str, event: ServerSentEvent, is_json: bool) -> str:
        fields = [f"event: {event.event}"]
        if event.id:
            fields.append(f"id: {event.id}")
        if event.retry is not None:
            fields.append(f"retry: {event.retry}")
        body = self.exchange_log.body(event.data, "application/json" if is_json else "")
        data = f"data: {body}" if "\n" not in body else f"data:\n{body}"
        return f"Stream '{alias}' received an event:\n" + "\n".join([*fields, data])

    def _remember_json_fields(self, text: str) -> None:
        """A JSON line's masked fields hold credentials (a token)."""
        if _json_type(text):
            parsed = parse_json(text)
            if parsed is not None:
                self.masker.remember(self.masker.field_values(parsed[0]))


def _deadline(seconds: Optional[float]) -> Optional[float]:
    return None if seconds is None else time.monotonic() + seconds


def _seconds(seconds: Optional[float]) -> str:
    return "no time limit" if seconds is None else f"{seconds:g} s"


def _charset(response: requests.Response) -> str:
    """The charset the response declares, else UTF-8 (not requests'
    ISO-8859-1 default for text/*: streamed lines are JSON or UTF-8 text)."""
    match = _CHARSET.search(response.headers.get("content-type", ""))
    return match.group(1) if match else "utf-8"


def _json_type(text: str) -> str:
    return "application/json" if text[:1] in ("{", "[") else ""
