"""Masking: credentials hidden by place and, the distinctive ones, by value;
nothing that is not a credential ever rewritten."""
from __future__ import annotations

import pytest

from RobotASGI.masking import MASK, Masker, field_key, maskable_by_value


@pytest.mark.parametrize(
    "value", ["null", "true", "false", "None", "42", "12345678", "3.14159265", "-1e10", "password", "Password",
              "PASSWORD", "localhost", "testserver", "abc", "short1", " padded ", ""],
)
def test_short_or_common_values_are_never_masked_by_value(value):
    assert not maskable_by_value(value)


@pytest.mark.parametrize("value", ["tok-8c1f2e", "s3cretPass", "camelCaseToken", "Bearer abcdefgh", "cWE6cGFzc3dvcmQ="])
def test_distinctive_values_are(value):
    assert maskable_by_value(value)


def test_remember_keeps_only_distinctive_values_and_the_token_of_a_scheme():
    masker = Masker()
    masker.remember(["true", "null", "Bearer tok-8c1f2e99", "s3cret", "consent=true", 12345678, None])
    assert masker.text("true null 42 s3cret") == "true null 42 s3cret"
    assert masker.text("echo: tok-8c1f2e99") == f"echo: {MASK}"
    assert masker.text("Authorization: Bearer tok-8c1f2e99") == f"Authorization: {MASK}"
    assert masker.text("consent=true") == MASK  # given whole: distinctive; "true" alone is not
    assert masker.text("true != false") == "true != false"


def test_headers_are_masked_by_place_cookie_names_and_attributes_stay():
    masker = Masker()
    assert masker.header("authorization", "Basic cWE6eA==") == MASK
    assert masker.header("Cookie", "session=null; consent=true") == f"session={MASK}; consent={MASK}"
    assert masker.header("Set-Cookie", "session=null; expires=Sat, 28 Nov 2026 06:15:46 GMT; HttpOnly; Path=/") == (
        f"session={MASK}; expires=Sat, 28 Nov 2026 06:15:46 GMT; HttpOnly; Path=/"
    )
    assert masker.header("Content-Type", "application/json") == "application/json"
    assert Masker(headers=[]).header("Authorization", "Bearer x") == "Bearer x"


def test_field_names_match_whatever_their_case_and_separators():
    assert field_key("access_token") == field_key("accessToken") == field_key("Access-Token") == "accesstoken"
    masker = Masker(fields=["access_token", "api-key"])
    assert masker.is_field("AccessToken") and masker.is_field("API_KEY") and not masker.is_field("token")


def test_json_bodies_mask_the_fields_values_and_nothing_else():
    masker = Masker()
    body = {
        "user": "qa", "password": "hunter2", "accessToken": "abc", "pin": 1234, "token": None, "active": True,
        "nested": [{"refresh_token": {"value": "r1", "rotations": 3, "revoked": False}}], "note": "password",
    }
    assert masker.json(body) == {
        "user": "qa", "password": MASK, "accessToken": MASK, "pin": 1234, "token": None, "active": True,
        "nested": [{"refresh_token": {"value": MASK, "rotations": MASK, "revoked": False}}], "note": "password",
    }
    assert masker.field_values(body) == ["hunter2", "abc", "r1", "3"]


def test_name_value_pairs_in_json_mask_the_value_of_a_masked_field():
    masker = Masker()
    pairs = [["user", "qa"], ["password", "p1"], ["tags", ["a", "password"]]]
    assert masker.json(pairs) == [["user", "qa"], ["password", MASK], ["tags", ["a", "password"]]]
    assert masker.field_values(pairs) == ["p1"]
    assert masker.scrub("[('user', 'qa'), ('password', 'p1')] [\"token\", 42]") == f"[('user', 'qa'), ('password', '{MASK}')] [\"token\", {MASK}]"


def test_forms_and_query_strings_mask_the_fields_values_and_keep_the_rest_verbatim():
    masker = Masker()
    assert masker.form("user=qa&password=p%40ss&x=a+b&token") == f"user=qa&password={MASK}&x=a+b&token"
    assert masker.form_values("user=qa&password=p%40ss&api_key=k") == ["p@ss", "k"]
    assert masker.url("http://qa:pw@testserver:8000/x?api_key=k1&q=1#top") == f"http://{MASK}@testserver:8000/x?api_key={MASK}&q=1#top"
    assert masker.url("http://testserver/x?q=1") == "http://testserver/x?q=1"


def test_scrub_masks_shapes_in_any_text():
    masker = Masker()
    dumped = "Arguments: [ '/login' | json={'user': 'qa', 'password': 'x'} | auth=['qa', 'y'] | headers={'Authorization': 'z'} ]"
    assert masker.scrub(dumped) == (
        f"Arguments: [ '/login' | json={{'user': 'qa', 'password': '{MASK}'}} | auth=['qa', '{MASK}'] "
        f"| headers={{'Authorization': '{MASK}'}} ]"
    )
    assert masker.scrub('{"access_token": "a\\"b", "n": 1, "api_key": 42}') == f'{{"access_token": "{MASK}", "n": 1, "api_key": {MASK}}}'
    assert masker.scrub("GET http://testserver/x?token=abc&page=2 returned 500") == f"GET http://testserver/x?token={MASK}&page=2 returned 500"
    assert masker.scrub("password=abc&user=qa") == f"password={MASK}&user=qa"


def test_scrub_never_rewrites_what_is_not_a_credential():
    masker = Masker()
    masker.remember(["true", "null", "session=null"])
    text = '{"a": null, "b": true, "token": null} true != false; set token=abc in the UI'
    assert masker.scrub(text) == text


def test_fields_and_headers_can_be_added_and_none_masked():
    masker = Masker(headers=[], fields=[])
    assert masker.scrub("{'password': 'x'} ?token=y") == "{'password': 'x'} ?token=y"
    masker.add_fields(["pin"])
    masker.add_headers(["X-Pin"])
    assert masker.scrub("{'pin': '1234'}") == f"{{'pin': '{MASK}'}}"
    assert masker.header("x-pin", "1234") == MASK
