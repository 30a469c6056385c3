"""Status names for ``expected_status``: the same on every Python version.

Every phrase a failure message prints is accepted back, as are the names and
phrases of ``http.HTTPStatus`` on the running Python (which differ between
versions), the phrases of Python 3.13 and of 3.9-3.12, the names
``requests.codes`` knows, classes such as ``4xx``, and ``anything``.
"""
from __future__ import annotations

import http

import pytest
import requests

from RobotASGI.errors import ArgumentError
from RobotASGI.status import FORMER_PHRASES, PHRASES, ExpectedStatus, describe, normalize


def statuses(text: str) -> list:
    return sorted(ExpectedStatus.parse(text).statuses or ())


def test_every_phrase_a_message_prints_is_accepted():
    for code in range(100, 600):
        printed = describe(code)
        assert statuses(printed) == [code], printed
        name = printed.partition(" ")[2]
        if name:
            assert statuses(name) == [code], name


def test_messages_print_the_same_phrase_on_every_python():
    assert describe(422) == "422 Unprocessable Content"
    assert describe(413) == "413 Content Too Large"
    assert describe(418) == "418 I'm a Teapot"
    assert describe(499) == "499"


def test_the_running_pythons_names_and_phrases_are_accepted():
    for status in http.HTTPStatus:
        assert statuses(status.name) == [status.value], status.name
        assert statuses(status.phrase) == [status.value], status.phrase


@pytest.mark.parametrize(
    "name, code",
    [
        # Python 3.13 and RFC 9110
        ("Unprocessable Content", 422), ("UNPROCESSABLE_CONTENT", 422), ("Content Too Large", 413),
        ("CONTENT_TOO_LARGE", 413), ("Range Not Satisfiable", 416), ("URI Too Long", 414),
        # Python 3.9 to 3.12
        ("Unprocessable Entity", 422), ("UNPROCESSABLE_ENTITY", 422), ("Request Entity Too Large", 413),
        ("Requested Range Not Satisfiable", 416), ("Request-URI Too Long", 414), ("REQUEST_URI_TOO_LONG", 414),
        ("I'm a Teapot", 418), ("IM_A_TEAPOT", 418), ("i’m a teapot", 418),
        # requests.codes
        ("teapot", 418), ("unprocessable", 422), ("ok", 200), ("\\o/", 200), ("bad", 400), ("all-good", 200),
    ],
)
def test_names_of_every_python_and_of_requests(name, code):
    assert statuses(name) == [code]


def test_every_requests_codes_name_means_what_it_means_to_requests():
    """Except where requests gives a phrase another code: its 'early-hints' is
    102, the phrase Early Hints 103; its 'request_uri_too_long' 122, the phrase
    Request-URI Too Long (Python 3.12's) 414."""
    phrases = {normalize(name) for name in [*PHRASES.values(), *FORMER_PHRASES]}
    for name, code in vars(requests.codes).items():
        if isinstance(code, int) and normalize(name) not in phrases:
            assert statuses(name) == [code], name


@pytest.mark.parametrize(
    "given, ok, not_ok",
    [
        ("2xx", [200, 204, 299], [199, 300, 404]),
        ("4XX", [400, 418, 499], [399, 500]),
        ("2xx, 404", [201, 404], [400, 500]),
        ("anything", [100, 200, 404, 599], []),
        ("Anything", [500], []),
    ],
)
def test_classes_and_anything(given, ok, not_ok):
    expected = ExpectedStatus.parse(given)
    assert [expected.matches(code) for code in ok] == [True] * len(ok)
    assert [expected.matches(code) for code in not_ok] == [False] * len(not_ok)


def test_a_class_is_named_in_the_failure_text():
    assert ExpectedStatus.parse("2xx").text == "a 2xx status"
    assert ExpectedStatus.parse("2xx, 404").text == "a 2xx status or 404 Not Found"


@pytest.mark.parametrize("given", ["6xx", "0xx", "xx", "2xxx", "teapots", "200, 7xx"])
def test_what_is_not_a_status(given):
    with pytest.raises(ArgumentError, match="a class \\(2xx, 4xx\\)"):
        ExpectedStatus.parse(given)


def test_a_code_and_a_name_that_do_not_match_are_refused():
    with pytest.raises(ArgumentError, match=r"^Invalid expected_status '404 OK': the name after 404 must be its own \(404 Not Found\)\.$"):
        ExpectedStatus.parse("404 OK")
