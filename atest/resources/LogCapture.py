"""A keyword library that listens to what is logged, to check the log itself.

Collects every message logged during the running test (TRACE excluded, so
Robot's own argument logging never counts) and offers keywords to check them.
"""
from __future__ import annotations

from typing import Any, List

from robot.api.deco import keyword, library


@library(scope="GLOBAL", auto_keywords=False)
class LogCapture:
    ROBOT_LISTENER_API_VERSION = 3

    def __init__(self) -> None:
        self.messages: List[str] = []
        self.ROBOT_LIBRARY_LISTENER = self  # listener="SELF" needs Robot Framework 7

    def start_test(self, data: Any, result: Any) -> None:
        self.messages = []

    def log_message(self, message: Any) -> None:
        if message.level != "TRACE":
            self.messages.append(message.message)

    @keyword
    def clear_captured_log(self) -> None:
        self.messages = []

    @keyword
    def log_should_contain(self, text: str) -> None:
        """Fails unless some message logged in this test contains ``text``."""
        if not any(text in message for message in self.messages):
            raise AssertionError(f"No logged message contains {text!r}. Messages:\n" + "\n---\n".join(self.messages))

    @keyword
    def log_should_not_contain(self, text: str) -> None:
        """Fails if a message logged in this test contains ``text``."""
        for message in self.messages:
            if text in message:
                raise AssertionError(f"A logged message contains {text!r}:\n{message}")
