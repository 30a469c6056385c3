"""Assertions on responses: status, headers, bodies and JSON."""

import functools
import json
import re
from typing import Any, Callable, List, Optional, Tuple, TypeVar, cast

import requests
from robot.api.deco import keyword

from ..errors import ArgumentError, CheckFailed, NoResponse, StatusMismatch
from ..exchange_log import header_values
from ..status import ExpectedStatus
from .base import LibraryComponent

Check = TypeVar("Check", bound=Callable[..., Any])


def traced(check: Check) -> Check:
    """A check that fails logs the ASGI trace of the response it checked (as
    the ``trace`` setting says): what the app did to answer as it did."""

    @functools.wraps(check)
    def run(self: "AssertionKeywords", *args: Any, **kwargs: Any) -> Any:
        if self._checking:  # a check another one runs: the outer one logs
            return check(self, *args, **kwargs)
        self._checked, self._checking = None, True
        try:
            return check(self, *args, **kwargs)
        except CheckFailed:
            self._log_trace(getattr(self._checked, "asgi_trace", None), failed=True)
            raise
        finally:
            self._checking = False

    return cast(Check, run)


class AssertionKeywords(LibraryComponent):
    """Checks on a response: the last one when ``response`` is omitted."""

    last_response: Optional[requests.Response]
    #: The response the running check looks at, for its trace.
    _checked: Optional[requests.Response] = None
    _checking = False

    @keyword("Status Should Be", tags=["assertions"])
    @traced
    def status_should_be(self, expected: str, response: Optional[requests.Response] = None, msg: Optional[str] = None) -> None:
        """Fails unless the response's status is ``expected``: a code, a name
        (``not found``, ``404 Not Found``, ``teapot``), a class (``4xx``),
        several (``200, 201``) or ``any``, as ``expected_status`` of `GET`.

        | ${resp}= | GET | /missing | expected_status=any |
        | Status Should Be | 404 | ${resp} |
        | Status Should Be | not found |
        | Status Should Be | 4xx |
        """
        failure = ExpectedStatus.parse(expected).mismatch(self._response(response))
        if failure is not None:
            raise StatusMismatch(msg or self.masker.scrub(failure))

    @keyword("Request Should Be Successful", tags=["assertions"])
    @traced
    def request_should_be_successful(self, response: Optional[requests.Response] = None) -> None:
        """Fails if the response's status is 4xx or 5xx.

        | ${resp}= | POST | /items | json={"name": "x"} | expected_status=any |
        | Request Should Be Successful | ${resp} |
        """
        failure = ExpectedStatus.parse(None).mismatch(self._response(response))
        if failure is not None:
            raise StatusMismatch(self.masker.scrub(failure))

    @keyword("Response Header Should Be", tags=["assertions"])
    @traced
    def response_header_should_be(
        self, name: str, expected: str, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless header ``name`` (any case) has the value ``expected``:
        the value `Response Should Have Header` returns.

        | Response Header Should Be | Content-Type | application/json |
        """
        value = self.response_should_have_header(name, response)
        if value != expected:
            raise CheckFailed(msg or f"Header '{name}' is '{self._shown(name, value)}', expected '{expected}'.")

    @keyword("Response Should Have Header", tags=["assertions"])
    @traced
    def response_should_have_header(self, name: str, response: Optional[requests.Response] = None) -> str:
        """Fails unless the response has header ``name``; returns its value.

        A header the response repeats is joined with ``, `` as requests does,
        except ``Set-Cookie``, whose values cannot be told apart that way (a
        cookie's ``Expires`` date has a comma): each is a line of its own.

        | ${type}= | Response Should Have Header | content-type |
        | ${set}= | Response Should Have Header | Set-Cookie |
        | @{cookies}= | Split To Lines | ${set} |
        """
        resp = self._response(response)
        if name not in resp.headers:
            present = ", ".join(resp.headers) or "none"
            raise CheckFailed(f"The response has no '{name}' header. Headers present: {present}.")
        if name.lower() == "set-cookie":
            return "\n".join(header_values(resp, name))
        return resp.headers[name]

    @keyword("Response Should Not Have Header", tags=["assertions"])
    @traced
    def response_should_not_have_header(self, name: str, response: Optional[requests.Response] = None) -> None:
        """Fails if the response has header ``name``.

        | Response Should Not Have Header | Server |
        """
        resp = self._response(response)
        if name in resp.headers:
            value = "\n".join(header_values(resp, name))
            raise CheckFailed(f"The response has a '{name}' header: '{self._shown(name, value)}'.")

    def _shown(self, name: str, value: str) -> str:
        """A header value as a message may show it: masked by place, each line."""
        return "\n".join(self.masker.header(name, line) for line in value.split("\n"))

    @keyword("Response Body Should Contain", tags=["assertions"])
    @traced
    def response_body_should_contain(
        self, text: str, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless the response's text contains ``text``.

        | Response Body Should Contain | Hello |
        """
        body = self._response(response).text
        if text not in body:
            raise CheckFailed(msg or self.masker.scrub(f"The response body does not contain '{text}'. Body: {_excerpt(body)}"))

    @keyword("Response Json Should Be", tags=["assertions"])
    @traced
    def response_json_should_be(
        self, expected: Any, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless the JSON body equals ``expected`` (a Robot dictionary
        or list, or a JSON string). The message lists the differences.

        | Response Json Should Be | {"op": "ping", "ok": true} |
        """
        self._compare_json(expected, response, msg, subset=False, failure="differs from")

    @keyword("Response Json Should Contain", tags=["assertions"])
    @traced
    def response_json_should_contain(
        self, expected: Any, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless the JSON body contains ``expected``: every key of an
        expected dictionary must be there with a matching value (other keys
        are ignored, at every depth); lists must match item by item.

        | Response Json Should Contain | {"user": {"name": "qa"}} |
        """
        self._compare_json(expected, response, msg, subset=True, failure="does not contain")

    @keyword("Get Json Value", tags=["assertions"])
    @traced
    def get_json_value(self, path: str, response: Optional[requests.Response] = None) -> Any:
        """Returns the value at ``path`` in the JSON body.

        ``path`` is a JSON Pointer as RFC 6901 defines it, or a dotted path.
        A JSON Pointer starts with ``/``: each ``/`` starts the next key or
        list index (``/items/0/name``); ``~1`` stands for a ``/`` in a key and
        ``~0`` for a ``~``; ``/`` alone is the key ``""``. A list index is
        ``0`` or a number without leading zeros - no negative indexes.
        A dotted path (``items.0.name``) is a shorthand for keys without dots,
        where ``-1`` is the last item of a list. An empty path returns the
        whole body.

        | ${name}= | Get Json Value | /items/0/name |
        | ${name}= | Get Json Value | items.0.name |
        | ${last}= | Get Json Value | items.-1 |
        | ${type}= | Get Json Value | /content~1type | # the key "content/type" |
        """
        return json_value_at(self._json_body(self._response(response)), path)

    @keyword("Json Value Should Be", tags=["assertions"])
    @traced
    def json_value_should_be(
        self, path: str, expected: Any, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless the value at ``path`` (see `Get Json Value`) equals
        ``expected``, type included: the string ``"3"`` is not the number ``3``.

        ``expected`` is read as JSON when it is JSON, and as a plain string
        otherwise:

        | = To expect =          | = Write =                     |
        | the number 3           | ``3`` (or ``${3}``)           |
        | the string "3"         | ``"3"``                       |
        | true, false, null      | ``true``, ``false``, ``null`` (or ``${True}``, ``${False}``, ``${None}``) |
        | the string "true"      | ``"true"``                    |
        | the string "qa"        | ``qa`` or ``"qa"``            |
        | a list or an object    | ``[1, 2]``, ``{"a": 1}`` (or a Robot list or dictionary) |

        A Robot value that is not a string (``${3}``, a dictionary) is
        compared as it is. Objects and lists must match whole, as in
        `Response Json Should Be`.

        | Json Value Should Be | /user/name | qa |
        | Json Value Should Be | /count | 3 |
        | Json Value Should Be | /code | "007" |
        | Json Value Should Be | /active | true |
        | Json Value Should Be | /tags | ["a", "b"] |
        """
        actual = self.get_json_value(path, response)
        wanted = expected_json(expected)
        if json_equal(actual, wanted):
            return
        raise CheckFailed(
            msg or self.masker.scrub(f"The JSON value at '{path}' is {_excerpt(_json(actual))}, expected {_excerpt(_json(wanted))}.")
        )

    # -- helpers -------------------------------------------------------------------
    def _response(self, response: Optional[requests.Response]) -> requests.Response:
        if response is None:
            if self.last_response is None:
                raise NoResponse("No response yet: send a request first or pass response=${resp}.")
            response = self.last_response
        if not isinstance(response, requests.Response):
            raise ArgumentError(f"response must be a response returned by an HTTP keyword, not {type(response).__name__}.")
        self._checked = response
        return response

    def _compare_json(
        self, expected: Any, response: Optional[requests.Response], msg: Optional[str], subset: bool, failure: str
    ) -> None:
        wanted = self._json_argument(expected, "expected")
        actual = self._json_body(self._response(response))
        differences = _differences(actual, wanted, "", subset=subset)
        if differences:
            raise CheckFailed(msg or self.masker.scrub(f"The JSON body {failure} the expected value:\n" + "\n".join(differences)))

    @staticmethod
    def _json_body(response: requests.Response) -> Any:
        encoding = response.encoding or "utf-8"  # JSON is UTF-8 unless said otherwise (RFC 8259)
        try:
            response.content.decode(encoding)
        except UnicodeDecodeError as exc:
            raise CheckFailed(
                f"The response body is not {encoding} encoded JSON: byte 0x{exc.object[exc.start]:02x} "
                f"at position {exc.start}."
            ) from None
        except LookupError:  # a charset Python does not know: let requests try
            pass
        try:
            return response.json()
        except ValueError:
            raise CheckFailed(f"The response body is not JSON: {_excerpt(response.text)}") from None


# -- what other keywords share: JSON paths and comparisons ----------------------------
def check_json_path(path: str) -> None:
    """Fails with :class:`ArgumentError` unless ``path`` is a valid path (see `Get Json Value`)."""
    _path_steps(path)


def json_value_at(document: Any, path: str) -> Any:
    """The value at ``path`` (a JSON Pointer or a dotted path) in ``document``;
    :class:`CheckFailed` saying where it stops if there is none."""
    value = document
    for step, key, pointer in _path_steps(path):
        value = _step(value, key, step, path, pointer)
    return value


def expected_json(expected: Any) -> Any:
    """An expected value as `Json Value Should Be` reads it: a string that is
    JSON as the value it stands for, any other string as itself."""
    return _expected_json(expected)


def json_equal(actual: Any, expected: Any) -> bool:
    """Whether ``actual`` equals ``expected``, types included (``1`` is not
    ``true``), objects and lists whole."""
    return not _differences(actual, expected, "", subset=False)


def _excerpt(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _differences(actual: Any, expected: Any, where: str, subset: bool) -> List[str]:
    here = where or "(root)"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{here}: expected an object, got {json.dumps(actual)}"]
        found: List[str] = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{where}/{key}: missing")
            else:
                found += _differences(actual[key], value, f"{where}/{key}", subset)
        if not subset:
            found += [f"{where}/{key}: not expected, got {json.dumps(actual[key])}" for key in actual if key not in expected]
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{here}: expected a list, got {json.dumps(actual)}"]
        if len(actual) != len(expected):
            return [f"{here}: expected {len(expected)} items, got {len(actual)}"]
        found = []
        for index, (a, e) in enumerate(zip(actual, expected)):
            found += _differences(a, e, f"{where}/{index}", subset)
        return found
    if actual != expected or isinstance(actual, bool) != isinstance(expected, bool):
        return [f"{here}: expected {json.dumps(expected)}, got {json.dumps(actual)}"]
    return []


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _expected_json(expected: Any) -> Any:
    """A string that is JSON as the value it stands for; any other string as itself."""
    if not isinstance(expected, str):
        return expected
    try:
        return json.loads(expected, parse_constant=_not_json)
    except ValueError:
        return expected


_ESCAPE = re.compile(r"~(?![01])")
_INDEX = re.compile(r"0|[1-9][0-9]*")


def _path_steps(path: str) -> List[Tuple[int, str, bool]]:
    """The keys of ``path``: (step number, key, whether the path is a JSON Pointer)."""
    if path == "":
        return []
    if path.startswith("/"):
        tokens = path[1:].split("/")
        for token in tokens:
            if _ESCAPE.search(token):
                raise ArgumentError(
                    f"Invalid JSON Pointer '{path}': in '{token}', '~' must be followed by 0 (for '~') "
                    "or 1 (for '/') (RFC 6901)."
                )
        return [(step, token.replace("~1", "/").replace("~0", "~"), True) for step, token in enumerate(tokens)]
    return [(step, key, False) for step, key in enumerate(path.split("."))]


def _step(value: Any, key: str, step: int, path: str, pointer: bool) -> Any:
    if isinstance(value, dict):
        if key not in value:
            raise CheckFailed(f"The JSON body has no '{key}' at '{path}' (step {step + 1}); keys there: {', '.join(value) or 'none'}.")
        return value[key]
    if isinstance(value, list):
        if pointer and not _INDEX.fullmatch(key):
            why = (
                "'-' is the position after the last item, which holds no value"
                if key == "-"
                else "a JSON Pointer index is 0 or a number without leading zeros (no negative indexes)"
            )
            raise CheckFailed(f"The JSON body has no item '{key}' at '{path}' (step {step + 1}): {why}.")
        if not key.lstrip("-").isdigit() or not -len(value) <= int(key) < len(value):
            raise CheckFailed(f"The JSON body has no item '{key}' at '{path}' (step {step + 1}): the list there has {len(value)} items.")
        return value[int(key)]
    raise CheckFailed(f"The JSON value at step {step + 1} of '{path}' is {json.dumps(value)}, which has no '{key}'.")
