"""HTTP request keywords: ``GET``, ``POST``, ``PUT``, ``PATCH``, ``DELETE``, ``HEAD``,
``OPTIONS``, and ``Send Request`` for any method."""

import ast
import contextlib
import functools
import inspect
import os
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, TypeVar, Union, cast

import requests
from robot.api import logger
from robot.api.deco import keyword

from ..data_types import Credential, Duration, Timeout, TraceMode
from ..errors import ArgumentError, ContractViolation, StatusMismatch
from ..exchange_log import body_field_values
from ..status import ExpectedStatus
from ..streams import CLOSE_WAIT, close_and_wait
from ..testclient import RequestAbandoned, SlowBody, TestClient
from .base import LibraryComponent, auth_tuple, check_flag

Params = Union[Dict[str, Any], List[Any], None]
Method = TypeVar("Method", bound=Callable[..., Any])

#: How long a failure message waits for more of a streamed error body once some has come.
_MORE_OF_A_BODY = 0.2

#: The arguments every verb keyword takes after its own, in this order.
EVERY_VERB = ("cookies", "auth", "allow_redirects", "timeout", "expected_status", "msg", "client")
#: The arguments a verb that sends a body takes after those: a slow or leaving client.
PACING = ("chunk_size", "chunk_delay", "disconnect_after")
#: What makes a verb one that sends a body.
BODY_ARGUMENTS = frozenset({"json", "data", "files"})


def verb(
    send: Callable[..., Any], *own: str, extra: Optional[Callable[..., Any]] = None, **defaults: Any
) -> Callable[[Method], Method]:
    """Gives a verb keyword its whole signature, as Robot and libdoc read it.

    The keyword declares what comes first (``url``) and takes the rest as
    ``**arguments``. Robot sees after those the arguments named ``own``, in
    this order, then :data:`EVERY_VERB`, then - for a verb that sends a body -
    :data:`PACING`; each with the type and default it has in ``send`` (the one
    send path), unless ``defaults`` gives another. Given by position or by
    name, every argument reaches the keyword by name, defaults filled in.
    ``extra`` is a function whose keyword-only arguments come last (what a
    keyword takes beyond ``send``'s, such as ``alias``).
    """
    declared = inspect.signature(send).parameters

    def build(method: Method) -> Method:
        first = [p for p in inspect.signature(method).parameters.values() if p.kind is not p.VAR_KEYWORD]
        rest = [
            declared[name].replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD, default=defaults.get(name, declared[name].default))
            for name in (*own, *EVERY_VERB, *(PACING if BODY_ARGUMENTS & set(own) else ()))
        ]
        if extra is not None:
            rest += [p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in inspect.signature(extra).parameters.values()]
        returns = inspect.signature(method).return_annotation
        signature = inspect.Signature(first + rest, return_annotation=returns)

        @functools.wraps(method)  # __wrapped__: libdoc's line number is the method's
        def call(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return method(*(bound.arguments[p.name] for p in first), **{p.name: bound.arguments[p.name] for p in rest})

        call.__signature__ = signature  # type: ignore[attr-defined]
        call.__annotations__ = {p.name: p.annotation for p in first + rest if p.annotation is not p.empty}
        call.__annotations__["return"] = returns
        return cast(Method, call)

    return build


@dataclass
class Outgoing:
    """A request ready to send, and what to do with its answer."""

    prepared: requests.PreparedRequest
    session: TestClient
    client: Optional[str]  # as given: the contract check looks the client up by it
    expected: ExpectedStatus
    msg: Optional[str]
    send_options: Dict[str, Any]  # allow_redirects, timeout
    body: Any  # the prepared body, as the log shows it
    pacing: Optional[SlowBody] = None  # the body as a slow or leaving client sends it

    def description(self) -> str:
        return f"{self.prepared.method} {self.prepared.url}"


class HTTPKeywords(LibraryComponent):
    """Requests on the current client (or the one named by ``client``)."""

    last_response: Optional[requests.Response] = None
    #: keywords/contracts.py: how the response violates the client's OpenAPI document, if it checks one
    _contract_violation: Callable[[Optional[str], requests.Response], Optional[str]]

    # -- the one send path --------------------------------------------------------
    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Params = None,
        headers: Optional[Dict[str, Credential]] = None,
        json: Any = None,
        data: Any = None,
        files: Union[Dict[str, Any], List[Any], None] = None,
        cookies: Optional[Dict[str, Credential]] = None,
        auth: Optional[List[Credential]] = None,
        allow_redirects: bool = True,
        timeout: Timeout = None,
        expected_status: Optional[str] = None,
        msg: Optional[str] = None,
        client: Optional[str] = None,
        chunk_size: Optional[int] = None,
        chunk_delay: Duration = None,
        disconnect_after: Optional[int] = None,
        stream: bool = False,
    ) -> Optional[requests.Response]:
        """What every verb keyword does: check the arguments, send, log the
        exchange, check the status. Its arguments after ``url`` are those of
        the verb keywords (see :func:`verb`). With ``stream`` (`Open Stream`)
        it returns as soon as the response starts, its body unread; if a check
        fails, the start of the body is read for the message (within the
        timeout) and the response is closed."""
        outgoing = self._prepare(
            method, url, params=params, headers=headers, json=json, data=data, files=files, cookies=cookies,
            auth=auth, allow_redirects=allow_redirects, timeout=timeout, expected_status=expected_status, msg=msg,
            client=client, chunk_size=chunk_size, chunk_delay=chunk_delay, disconnect_after=disconnect_after,
        )
        if outgoing.pacing is not None:
            logger.info(_pacing_text(outgoing.pacing))
        outgoing.send_options["stream"] = stream
        return self._answer(outgoing, lambda: outgoing.session.send(outgoing.prepared, **outgoing.send_options))

    def _prepare(
        self,
        method: str,
        url: str,
        *,
        params: Params,
        headers: Optional[Dict[str, Credential]],
        json: Any,
        data: Any,
        files: Union[Dict[str, Any], List[Any], None],
        cookies: Optional[Dict[str, Credential]],
        auth: Optional[List[Credential]],
        allow_redirects: bool,
        timeout: Timeout,
        expected_status: Optional[str],
        msg: Optional[str],
        client: Optional[str],
        chunk_size: Optional[int],
        chunk_delay: Duration,
        disconnect_after: Optional[int],
    ) -> Outgoing:
        """The arguments checked and the request prepared, in the keyword's
        thread: the credentials in it are remembered for masking."""
        expected = ExpectedStatus.parse(expected_status)
        session = self.clients.get(client)
        check_flag(allow_redirects, "allow_redirects")
        headers = self._reveal("headers", headers, headers=True)
        params, cookies = self._reveal("params", params), self._reveal("cookies", cookies)
        json, auth = self._reveal("json", json), self._reveal("auth", auth)
        _check_params(params)
        _check_data(data)
        json_body = self._json_argument(json, "json") if json is not None else None
        data = self._reveal("data", _form_or_body(data, headers), text=True)
        credentials = auth_tuple(auth)
        self._remember_credentials(headers, cookies, credentials, json_body, data)
        with _opened_files(files) as upload:  # a multipart body is built whole here
            try:
                prepared = session.prepare_request(
                    requests.Request(
                        method,
                        session.merge_url(url),
                        params=params,
                        headers=headers,
                        json=json_body,
                        data=data,
                        files=upload,
                        cookies=cookies,
                        auth=credentials,
                    )
                )
            except (TypeError, ValueError) as exc:
                raise ArgumentError(f"Cannot build the {method} request to {url}: {exc}") from None
        if not (prepared.url or "").startswith(("http://", "https://")):
            raise ArgumentError(
                f"Cannot send {method} {url}: the URL must be relative to the client's base URL, "
                "or start with http:// or https://."
            )
        pacing = _pacing(prepared, chunk_size, chunk_delay, disconnect_after)
        self._remember_sent(prepared)
        send_options = {"allow_redirects": allow_redirects, "timeout": session.timeout if timeout is None else timeout}
        return Outgoing(prepared, session, client, expected, msg, send_options, prepared.body, pacing)

    def _answer(
        self, outgoing: Outgoing, get_response: Callable[[], requests.Response], source: Any = None
    ) -> Optional[requests.Response]:
        """Wait for the answer with ``get_response``, then log the exchange
        and check it: the response, or None if the client went away in the
        middle of its body (``disconnect_after``)."""
        prepared = outgoing.prepared
        body = outgoing.body
        if outgoing.pacing is not None:
            prepared.body = outgoing.pacing  # type: ignore[assignment]  # the engine reads a SlowBody
        try:
            with self._app_errors(source, before=lambda: self._log_failed_request(prepared, body)):
                try:
                    response = get_response()
                except RequestAbandoned as exc:
                    self._abandoned(outgoing, exc, body)
                    return None
        finally:
            prepared.body = body  # what the log shows of it
            self._flush_app_logs()
        return self._finish(outgoing, response)

    def _finish(self, outgoing: Outgoing, response: requests.Response) -> requests.Response:
        """A response arrived: log the exchange (and the trace, as the
        ``trace`` setting says), then check it. A streamed response (`Open
        Stream`) whose check fails is closed: the app's receive() then
        returns ``http.disconnect``."""
        self.last_response = response
        self._remember_returned(response)
        self._log_exchange(response)
        stream = bool(outgoing.send_options.get("stream"))
        timeout = outgoing.send_options.get("timeout")
        try:
            violation = self._contract_violation(outgoing.client, response)
            body = None
            if stream and not outgoing.expected.matches(response.status_code):
                with self._app_errors():
                    body = self._body_start(response, timeout)
            failure = outgoing.expected.mismatch(response, body)
            trace = getattr(response, "asgi_trace", None)
            if failure is not None or violation is not None:
                self._log_trace(trace, failed=True)
            elif self.trace_mode is TraceMode.ALWAYS:
                for step in [*response.history, response]:
                    self._log_trace(getattr(step, "asgi_trace", None), failed=False)
            if failure is not None:
                raise StatusMismatch(outgoing.msg or self.masker.scrub(failure))
            if violation is not None:
                raise ContractViolation(self.masker.scrub(violation))
        except BaseException:
            if stream:  # the client goes away: the app's receive() returns http.disconnect
                close_and_wait(response, CLOSE_WAIT if timeout is None else timeout)
            raise
        return response

    def _body_start(self, response: requests.Response, timeout: Optional[float]) -> str:
        """The start of a streamed body, for a failure message: up to the log
        body limit (or 500 characters) of what arrives within ``timeout`` -
        after the first piece, only while more keeps coming (an error answer
        that never ends its body must not cost the whole timeout)."""
        limit = self.exchange_log.body_limit or 500
        deadline = None if timeout is None else time.monotonic() + timeout
        data = b""
        raw: Any = response.raw  # the engine's ResponseStream
        with contextlib.suppress(TimeoutError):
            while len(data) < limit:
                remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
                if data:
                    remaining = _MORE_OF_A_BODY if remaining is None else min(remaining, _MORE_OF_A_BODY)
                chunk = raw.next_chunk(timeout=remaining)
                if chunk is None:
                    break
                data += chunk
        text = data.decode(response.encoding or "utf-8", "replace")
        self.masker.remember(body_field_values(self.masker, data, response.headers.get("content-type", "")))
        return text

    def _abandoned(self, outgoing: Outgoing, error: RequestAbandoned, body: Any) -> None:
        """The client went away as asked: log the request and what the app did."""
        self.last_response = None
        prepared = outgoing.prepared
        prepared.body = body
        logger.info("Request abandoned:\n" + self.masker.scrub(self.exchange_log.request(prepared)))
        logger.info(self.masker.scrub(str(error)))
        trace = getattr(error, "asgi_trace", None)
        if trace is not None and self.trace_mode is not TraceMode.NEVER:
            logger.info(self.exchange_log.trace(trace))

    def _log_failed_request(self, request: requests.PreparedRequest, body: Any) -> None:
        request.body = body
        logger.info("Request that failed:\n" + self.masker.scrub(self.exchange_log.request(request)))

    def _log_exchange(self, response: requests.Response) -> None:
        parts = []
        for step in [*response.history, response]:
            parts.append(self.exchange_log.request(step.request) + "\n\n" + self.exchange_log.response(step))
        text = ("\n\n" + "-" * 40 + "\n\n").join(parts)
        # Scrubbed here, not only by the library's log_message listener: other
        # listeners (a dashboard, say) may see the message before it does.
        logger.info(self.masker.scrub(text))

    def _remember_sent(self, request: requests.PreparedRequest) -> None:
        """The request's masked headers, but Cookie (the app's cookies come
        back in it), hold what the suite gave - ``Authorization: Basic ...``
        built from ``auth`` among them - and the masked fields of its body."""
        self.masker.remember(
            str(value) for name, value in request.headers.items() if name.lower() in self.masker.names and name.lower() != "cookie"
        )
        self.masker.remember(body_field_values(self.masker, request.body, request.headers.get("content-type", "")))

    def _remember_returned(self, response: requests.Response) -> None:
        """What the app returned in a masked field of a JSON or form body (a
        token) is a credential from now on."""
        for step in [*response.history, response]:
            if not step.raw or getattr(step, "_content_consumed", False):
                self.masker.remember(body_field_values(self.masker, step.content, step.headers.get("content-type", "")))

    # -- the verb keywords ---------------------------------------------------------
    @keyword("GET", tags=["http"])
    @verb(_send, "params", "headers", "json", "data", "files")
    def get(self, url: str, **arguments: Any) -> Optional[requests.Response]:
        """Sends a GET request and returns the response.

        ``url`` is relative to the client's base URL (or absolute) and may
        carry a query string. ``params`` is a dictionary, or a list of
        ``[name, value]`` pairs for repeated names. ``headers`` and ``cookies`` are
        dictionaries added to the client's own. ``auth`` is a
        ``[user, password]`` list for HTTP basic auth. ``allow_redirects``
        follows redirects (the response's ``history`` lists them).
        ``timeout`` bounds the whole exchange (default: the client's).

        ``expected_status`` checks the status: by default any 4xx or 5xx
        fails the keyword; give a code (``200``), a name, a class (``2xx``,
        ``4xx``), several (``200, 201``) or ``any`` (``anything``) to accept
        everything. A name is what failure messages print - ``404 Not Found``,
        ``I'm a Teapot``, with or without the code - or a name of
        ``requests.codes`` (``not_found``, ``teapot``), in any case; the names
        are the same on every Python version (``Unprocessable Content`` and
        ``Unprocessable Entity`` both mean 422). ``msg`` replaces the failure
        message.

        ``client`` names the client to send the request with (default: the current one).

        ``chunk_size``, ``chunk_delay`` and ``disconnect_after`` send the body as
        a slow or leaving client would: see `POST`.

        The request and the response are written to the log, credentials masked
        (see `Logging and credentials`). Values in ``headers``, ``cookies``,
        ``auth``, ``params``, ``data`` and ``json`` may be Robot Framework
        ``Secret`` values: build the dictionary or list with ``VAR`` or
        ``Create Dictionary`` so that they stay Secrets.

        Examples:
        | ${resp}= | GET | /hello | params={"name": "Robot"} |
        | Should Be Equal | ${resp.text} | Hello, Robot! |
        | VAR | &{auth headers} | Authorization=${BEARER SECRET} |
        | GET | /private | headers=${auth headers} |
        | GET | /missing | expected_status=404 |
        | GET | /missing | expected_status=Not Found |
        | GET | /items/0 | expected_status=4xx |
        | GET | /items | headers={"Accept": "application/json"} | expected_status=200 | client=api |
        """
        return self._send("GET", url, **arguments)

    @keyword("POST", tags=["http"])
    @verb(_send, "json", "data", "files", "params", "headers")
    def post(self, url: str, **arguments: Any) -> Optional[requests.Response]:
        """Sends a POST request and returns the response.

        ``json`` is a Robot dictionary or list, or a JSON string, sent as
        ``application/json``. ``data`` is a form - a dictionary, or a list of
        ``[name, value]`` pairs to repeat a field - or a string or bytes, sent
        as is. A string that is a dictionary literal or a list literal of
        pairs counts as a form, unless ``headers`` give another Content-Type.
        ``files`` uploads ``multipart/form-data``: a dictionary of field name
        to a file path, to bytes, or to a ``[filename, content, content type]``
        list, or a list of ``[field name, file]`` pairs to send several files
        under one field; ``data`` then gives the other fields. Other arguments
        are as for `GET`.

        A slow or leaving client (every verb but `HEAD` and `OPTIONS`):
        ``chunk_size`` sends the body in pieces of that many bytes,
        ``chunk_delay`` (a time such as ``200ms``) waits between them - an app's
        upload timeout can be tested so -, and ``disconnect_after`` makes the
        client go away once it has sent that many bytes of the body (``0`` to its
        length): the app's next ``receive()`` returns ``http.disconnect``, and
        the keyword returns ``${None}`` and logs what the app did.

        Examples:
        | ${resp}= | POST | /echo | json={"op": "ping"} | expected_status=200 |
        | Should Be Equal | ${resp.json()}[op] | ping |
        | POST | /login | data={"user": "qa", "password": "${PASSWORD}"} |
        | POST | /search | data=[["tag", "a"], ["tag", "b"]] | # tag=a&tag=b |
        | POST | /upload | files={"report": "${CURDIR}/report.pdf"} | expected_status=201 |
        | POST | /upload | files=[["docs", "a.txt"], ["docs", "b.txt"]] | data={"note": "two"} |
        | POST | /upload | data=${DATA} | chunk_size=1024 | chunk_delay=500ms | expected_status=408 |
        | ${resp}= | POST | /upload | data=${DATA} | disconnect_after=4096 |
        | Should Be Equal | ${resp} | ${None} |
        """
        return self._send("POST", url, **arguments)

    @keyword("PUT", tags=["http"])
    @verb(_send, "json", "data", "files", "params", "headers")
    def put(self, url: str, **arguments: Any) -> Optional[requests.Response]:
        """Sends a PUT request and returns the response; arguments as for `POST`.

        | PUT | /items/1 | json={"name": "new"} | expected_status=200 |
        """
        return self._send("PUT", url, **arguments)

    @keyword("PATCH", tags=["http"])
    @verb(_send, "json", "data", "files", "params", "headers")
    def patch(self, url: str, **arguments: Any) -> Optional[requests.Response]:
        """Sends a PATCH request and returns the response; arguments as for `POST`.

        | PATCH | /items/1 | json={"price": 10} |
        """
        return self._send("PATCH", url, **arguments)

    @keyword("DELETE", tags=["http"])
    @verb(_send, "params", "headers", "json", "data")
    def delete(self, url: str, **arguments: Any) -> Optional[requests.Response]:
        """Sends a DELETE request and returns the response; arguments as for `GET`.

        | DELETE | /items/1 | expected_status=204 |
        """
        return self._send("DELETE", url, **arguments)

    @keyword("HEAD", tags=["http"])
    @verb(_send, "params", "headers", allow_redirects=False)
    def head(self, url: str, **arguments: Any) -> Optional[requests.Response]:
        """Sends a HEAD request and returns the response (which has no body).

        Redirects are not followed unless ``allow_redirects=True``.

        | ${resp}= | HEAD | /hello |
        | Should Be Equal | ${resp.headers}[content-type] | text/plain; charset=utf-8 |
        """
        return self._send("HEAD", url, **arguments)

    @keyword("Send Request", tags=["http"])
    @verb(_send, "params", "headers", "json", "data", "files")
    def send_request(self, method: str, url: str, **arguments: Any) -> Optional[requests.Response]:
        """Sends a request with ``method`` and returns the response.

        ``method`` is any HTTP method: one of those with their own keyword, or
        any other, custom ones such as ``PURGE`` or ``PROPFIND`` included. It
        is sent in upper case, as requests sends it. The other arguments are
        those of `GET` and `POST`; redirects are followed unless
        ``allow_redirects=False``.

        Examples:
        | ${resp}= | Send Request | PURGE | /cache/home | expected_status=200 |
        | Send Request | PROPFIND | /files | headers={"Depth": "1"} | expected_status=207 |
        | ${resp}= | Send Request | ${method} | /items | json={"name": "x"} | client=api |
        """
        return self._send(_check_method(method), url, **arguments)

    @keyword("OPTIONS", tags=["http"])
    @verb(_send, "params", "headers")
    def options(self, url: str, **arguments: Any) -> Optional[requests.Response]:
        """Sends an OPTIONS request and returns the response; arguments as for `GET`.

        | ${resp}= | OPTIONS | /items | headers={"Origin": "https://example.org"} | expected_status=any |
        """
        return self._send("OPTIONS", url, **arguments)

#: An HTTP method is a token (RFC 9110, 9.1 and 5.6.2).
_METHOD = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def _check_method(method: Any) -> str:
    if not isinstance(method, str) or not _METHOD.fullmatch(method):
        raise ArgumentError(
            f"Invalid method {method!r}: give an HTTP method such as GET, POST or PURGE "
            "(letters, digits and !#$%&'*+-.^_`|~, no spaces)."
        )
    return method.upper()


def _pacing(
    prepared: requests.PreparedRequest,
    chunk_size: Optional[int],
    chunk_delay: Optional[float],
    disconnect_after: Optional[int],
) -> Optional[SlowBody]:
    """The request's body as ``chunk_size``, ``chunk_delay`` and
    ``disconnect_after`` send it, or None when none is given."""
    if chunk_size is None and chunk_delay is None and disconnect_after is None:
        return None
    body = prepared.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    if body is not None and not isinstance(body, (bytes, bytearray)):
        raise ArgumentError(
            f"chunk_size, chunk_delay and disconnect_after pace a body given with json, data or files; "
            f"this request's body is a {type(body).__name__}."
        )
    size = len(body or b"")
    if chunk_size is not None and not size:
        raise ArgumentError("chunk_size and chunk_delay need a request body: give json, data or files.")
    if chunk_delay and chunk_size is None:
        raise ArgumentError(
            "chunk_delay needs chunk_size: without it the body is sent in one piece, with no pause to make."
        )
    if disconnect_after is not None and not isinstance(disconnect_after, bool) and isinstance(disconnect_after, int):
        if disconnect_after > size:
            raise ArgumentError(
                f"Invalid disconnect_after {disconnect_after}: the body has {size} bytes, so the client would never "
                f"leave. Give 0 to {size} ({size}: every byte is sent, and the client leaves before saying that the body is complete)."
            )
    try:
        return SlowBody(bytes(body or b""), chunk_size=chunk_size, chunk_delay=chunk_delay or 0.0, disconnect_after=disconnect_after)
    except (TypeError, ValueError) as exc:
        raise ArgumentError(f"Invalid pacing of the request body: {exc}") from None


def _pacing_text(pacing: SlowBody) -> str:
    """How the body is sent, for the log."""
    size = len(pacing)
    parts = [f"The request body ({size} bytes) is sent"]
    if pacing.chunk_size is not None:
        parts.append(f" in pieces of {pacing.chunk_size} bytes")
        if pacing.chunk_delay:
            parts.append(f", {pacing.chunk_delay:g} s apart")
    if pacing.disconnect_after is not None:
        parts.append(f"{',' if pacing.chunk_size is not None else ''} and the client goes away after {pacing.disconnect_after} bytes")
    return "".join(parts) + "."


def _check_params(params: Any) -> None:
    if isinstance(params, (list, tuple)) and not all(
        isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in params
    ):
        raise ArgumentError(
            f"Invalid params {params!r}: give a dictionary, or a list of [name, value] pairs."
        )


def _check_data(data: Any) -> None:
    if data is not None and not isinstance(data, (str, bytes, bytearray, dict, list, tuple)) and not hasattr(data, "read"):
        raise ArgumentError(
            f"Invalid data {data!r}: give a dictionary (sent as a form), a list of [name, value] pairs, "
            "a string or bytes (sent as is), or a file object."
        )
    if isinstance(data, (list, tuple)) and not _pairs(data):
        raise ArgumentError(
            f"Invalid data {data!r:.200}: a list is sent as a form, so it must be [name, value] pairs; "
            "send other JSON with json=."
        )


def _pairs(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in value)


def _form_or_body(data: Any, headers: Optional[Dict[str, Any]]) -> Any:
    """A string that is a dictionary literal, or a list literal of ``[name,
    value]`` pairs, is a form, as Robot would convert such an argument -
    unless the request says its body is something else with a Content-Type
    header; any other string or bytes is the body."""
    content_type = next((str(v) for k, v in (headers or {}).items() if k.lower() == "content-type"), "")
    if content_type and not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return data
    if isinstance(data, str) and data.lstrip().startswith(("{", "[")):
        try:
            value = ast.literal_eval(data)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return data
        if isinstance(value, dict):
            return value
        if isinstance(value, list) and value and _pairs(value):
            return [tuple(pair) for pair in value]
    if isinstance(data, (list, tuple)):
        return [tuple(pair) for pair in data]
    return data


@contextlib.contextmanager
def _opened_files(files: Union[Dict[str, Any], List[Any], None]) -> Iterator[Optional[List[Any]]]:
    """``files`` for requests, as ``(field, file)`` pairs: file paths opened
    (and closed afterwards). A list of pairs may repeat a field."""
    if not files:
        yield None
        return
    if isinstance(files, dict):
        items = list(files.items())
    elif _pairs(files):
        items = [tuple(pair) for pair in files]
    else:
        raise ArgumentError(
            "Invalid files: give a dictionary of field name to a file path, bytes, or [filename, content, content type], "
            "or a list of [field name, file] pairs."
        )
    with contextlib.ExitStack() as stack:
        prepared: List[Any] = []
        for field, value in items:
            if isinstance(value, (str, os.PathLike)):
                path = os.fspath(value)
                if not os.path.isfile(path):
                    raise ArgumentError(f"Invalid files: '{path}' (for '{field}') is not a file.")
                prepared.append((field, (os.path.basename(path), stack.enter_context(open(path, "rb")))))
            elif isinstance(value, bytes):
                prepared.append((field, (field, value)))
            elif isinstance(value, (list, tuple)):
                if not 2 <= len(value) <= 4:
                    raise ArgumentError(
                        f"Invalid files: '{field}' is a list of {len(value)} item(s); give "
                        "[filename, content] or [filename, content, content type]."
                    )
                prepared.append((field, tuple(value)))
            else:
                prepared.append((field, value))
        yield prepared
