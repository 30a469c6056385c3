"""Assertions on responses: status, headers, bodies and JSON."""

import json
from typing import Any, List, Optional, Tuple

import requests
from robot.api.deco import keyword

from ..errors import ArgumentError, CheckFailed, NoResponse, StatusMismatch
from ..status import ExpectedStatus
from .base import LibraryComponent


class AssertionKeywords(LibraryComponent):
    """Checks on a response: the last one when ``response`` is omitted."""

    last_response: Optional[requests.Response]

    @keyword("Status Should Be", tags=["assertions"])
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
            raise StatusMismatch(msg or failure)

    @keyword("Request Should Be Successful", tags=["assertions"])
    def request_should_be_successful(self, response: Optional[requests.Response] = None) -> None:
        """Fails if the response's status is 4xx or 5xx.

        | ${resp}= | POST | /items | json={"name": "x"} | expected_status=any |
        | Request Should Be Successful | ${resp} |
        """
        failure = ExpectedStatus.parse(None).mismatch(self._response(response))
        if failure is not None:
            raise StatusMismatch(failure)

    @keyword("Response Header Should Be", tags=["assertions"])
    def response_header_should_be(
        self, name: str, expected: str, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless header ``name`` (any case) has the value ``expected``.

        Repeated headers are joined with ``, `` as requests does.

        | Response Header Should Be | Content-Type | application/json |
        """
        value = self.response_should_have_header(name, response)
        if value != expected:
            raise CheckFailed(msg or f"Header '{name}' is '{value}', expected '{expected}'.")

    @keyword("Response Should Have Header", tags=["assertions"])
    def response_should_have_header(self, name: str, response: Optional[requests.Response] = None) -> str:
        """Fails unless the response has header ``name``; returns its value.

        | ${type}= | Response Should Have Header | content-type |
        """
        resp = self._response(response)
        if name not in resp.headers:
            present = ", ".join(resp.headers) or "none"
            raise CheckFailed(f"The response has no '{name}' header. Headers present: {present}.")
        return resp.headers[name]

    @keyword("Response Should Not Have Header", tags=["assertions"])
    def response_should_not_have_header(self, name: str, response: Optional[requests.Response] = None) -> None:
        """Fails if the response has header ``name``.

        | Response Should Not Have Header | Server |
        """
        resp = self._response(response)
        if name in resp.headers:
            raise CheckFailed(f"The response has a '{name}' header: '{resp.headers[name]}'.")

    @keyword("Response Body Should Contain", tags=["assertions"])
    def response_body_should_contain(
        self, text: str, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless the response's text contains ``text``.

        | Response Body Should Contain | Hello |
        """
        body = self._response(response).text
        if text not in body:
            raise CheckFailed(msg or f"The response body does not contain '{text}'. Body: {_excerpt(body)}")

    @keyword("Response Json Should Be", tags=["assertions"])
    def response_json_should_be(
        self, expected: Any, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless the JSON body equals ``expected`` (a Robot dictionary
        or list, or a JSON string). The message lists the differences.

        | Response Json Should Be | {"op": "ping", "ok": true} |
        """
        self._compare_json(expected, response, msg, subset=False, failure="differs from")

    @keyword("Response Json Should Contain", tags=["assertions"])
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
    def get_json_value(self, path: str, response: Optional[requests.Response] = None) -> Any:
        """Returns the value at ``path`` in the JSON body.

        ``path`` is a JSON Pointer (``/items/0/name``) or a dotted path
        (``items.0.name``); an empty path returns the whole body.

        | ${name}= | Get Json Value | /items/0/name |
        | ${name}= | Get Json Value | items.0.name |
        """
        value = self._json_body(self._response(response))
        for step, key in _path_steps(path):
            value = _step(value, key, step, path)
        return value

    @keyword("Json Value Should Be", tags=["assertions"])
    def json_value_should_be(
        self, path: str, expected: Any, response: Optional[requests.Response] = None, msg: Optional[str] = None
    ) -> None:
        """Fails unless the value at ``path`` (see `Get Json Value`) equals
        ``expected``. A string ``expected`` also matches the value's JSON text,
        so ``42``, ``true`` and ``null`` work without variables.

        | Json Value Should Be | /user/name | qa |
        | Json Value Should Be | count | 3 |
        """
        actual = self.get_json_value(path, response)
        if actual == expected:
            return
        if isinstance(expected, str) and not isinstance(actual, str):
            try:
                if json.loads(expected) == actual:
                    return
            except ValueError:
                pass
        raise CheckFailed(msg or f"The JSON value at '{path}' is {json.dumps(actual)}, expected {json.dumps(expected)}.")

    # -- helpers -------------------------------------------------------------------
    def _response(self, response: Optional[requests.Response]) -> requests.Response:
        if response is None:
            if self.last_response is None:
                raise NoResponse("No response yet: send a request first or pass response=${resp}.")
            return self.last_response
        if not isinstance(response, requests.Response):
            raise ArgumentError(f"response must be a response returned by an HTTP keyword, not {type(response).__name__}.")
        return response

    def _compare_json(
        self, expected: Any, response: Optional[requests.Response], msg: Optional[str], subset: bool, failure: str
    ) -> None:
        wanted = self._json_argument(expected, "expected")
        actual = self._json_body(self._response(response))
        differences = _differences(actual, wanted, "", subset=subset)
        if differences:
            raise CheckFailed(msg or f"The JSON body {failure} the expected value:\n" + "\n".join(differences))

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
    if actual != expected or type(actual) is bool and type(expected) is not bool:
        return [f"{here}: expected {json.dumps(expected)}, got {json.dumps(actual)}"]
    return []


def _path_steps(path: str) -> List[Tuple[int, str]]:
    if path in ("", "/"):
        return []
    if path.startswith("/"):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]
    else:
        parts = path.split(".")
    return list(enumerate(parts))


def _step(value: Any, key: str, step: int, path: str) -> Any:
    if isinstance(value, dict):
        if key not in value:
            raise CheckFailed(f"The JSON body has no '{key}' at '{path}' (step {step + 1}); keys there: {', '.join(value) or 'none'}.")
        return value[key]
    if isinstance(value, list):
        if not key.lstrip("-").isdigit() or not -len(value) <= int(key) < len(value):
            raise CheckFailed(f"The JSON body has no item '{key}' at '{path}' (step {step + 1}): the list there has {len(value)} items.")
        return value[int(key)]
    raise CheckFailed(f"The JSON value at step {step + 1} of '{path}' is {json.dumps(value)}, which has no '{key}'.")
