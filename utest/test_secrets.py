"""Robot Framework Secret values where credentials go: revealed for sending,
reported for masking; what Robot leaves of a Secret in a literal is refused.
On Robot Framework before 7.4 (no Secret type) strings pass as they are."""
from __future__ import annotations

import pytest

from RobotASGI.data_types import HAS_SECRETS, Secret, reveal
from RobotASGI.errors import ArgumentError

needs_secrets = pytest.mark.skipif(not HAS_SECRETS, reason="Robot Framework before 7.4 has no Secret type")


@needs_secrets
def test_secrets_are_revealed_at_any_depth_and_reported():
    value = {"Authorization": Secret("Bearer tok"), "plain": "x", "nested": [{"pin": Secret("1234")}],
             "pairs": [("code", Secret("c0de")), ("note", "n")]}
    revealed = reveal(value, "json")
    assert revealed.value == {"Authorization": "Bearer tok", "plain": "x", "nested": [{"pin": "1234"}],
                              "pairs": [("code", "c0de"), ("note", "n")]}
    assert revealed.secrets == ["Bearer tok", "1234", "c0de"]
    assert revealed.keys == ["Authorization", "pin", "code"]
    assert reveal(Secret("s"), "text").value == "s"


@needs_secrets
def test_what_robot_leaves_of_a_secret_in_a_literal_is_refused():
    with pytest.raises(ArgumentError, match="^Invalid headers: it holds the text '<secret>'"):
        reveal({"X-Api-Key": "<secret>"}, "headers")
    with pytest.raises(ArgumentError, match="^Invalid json: it holds the text '<secret>'"):
        reveal('{"pin": "<secret>"}', "json")


def test_a_raw_text_may_hold_secret_as_it_is():
    assert reveal("<secret>xml</secret>", "data", text=True).value == "<secret>xml</secret>"


def test_values_without_secrets_are_unchanged():
    value = {"a": ["b", ("c", 1)], "d": None}
    revealed = reveal(value, "json")
    assert revealed.value == {"a": ["b", ("c", 1)], "d": None}
    assert revealed.secrets == [] and revealed.keys == []
