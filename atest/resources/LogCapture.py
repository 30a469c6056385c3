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

    @keyword
    def app_traceback_should_start_in(self, where: str, ends_with: str) -> None:
        """Fails unless this test logged the app's traceback (see RobotASGI's
        ``app_traceback``) whose first (outermost) frame's file path contains
        ``where``, whose last line is ``ends_with``, and which shows no frame of
        RobotASGI's engine, anyio, requests or Robot Framework."""
        tracebacks = [message for message in self.messages if message.startswith("The app's traceback")]
        if not tracebacks:
            raise AssertionError("No app traceback was logged. Messages:\n" + "\n---\n".join(self.messages))
        text = tracebacks[-1]
        files = [line.strip() for line in text.splitlines() if line.strip().startswith('File "')]
        if not files or where not in files[0]:
            raise AssertionError(f"The app traceback's first frame is not in {where!r}:\n{text}")
        for part in ("/RobotASGI/testclient/", "/RobotASGI/keywords/", "/anyio/", "/requests/", "/robot/"):
            if any(part in line for line in files):
                raise AssertionError(f"The app traceback shows a frame of {part!r}:\n{text}")
        if text.splitlines()[-1] != ends_with:
            raise AssertionError(f"The app traceback ends with {text.splitlines()[-1]!r}, not {ends_with!r}.")
