"""What the application logs with Python's ``logging``, in the Robot log.

The app runs on the engine's thread, where Robot ignores log calls. One
handler on the root logger (:data:`COLLECTOR`, shared by every instance of
the library) formats each record the moment it is emitted - on the app's
thread, with the app's arguments as they are then - and keeps the text until
the keyword that caused it writes it to the Robot log, naming the record's
level in the text. A log call that cannot be formatted (``log.warning("%s %s",
x)``) is kept as a description of what it held: it never fails a keyword nor
hides the keyword's own error.
"""
from __future__ import annotations

import logging
import threading
import traceback
from typing import List, NamedTuple, Tuple

#: The threads whose log calls Robot writes itself (``robot.output.librarylogger``):
#: its handler on the root logger takes their records.
ROBOT_LOGGING_THREADS = ("MainThread", "RobotFrameworkTimeoutThread")

#: How many records are kept between two keywords; more are counted, not kept.
MAX_RECORDS = 10_000


class AppLogEntry(NamedTuple):
    """A record of the app, formatted: its level and its text."""

    levelno: int
    text: str


def describe_record(record: logging.LogRecord) -> str:
    """``WARNING [django.request] Not Found: /nope``, and the traceback if any.

    Never raises: what cannot be formatted is described instead."""
    try:
        message = record.getMessage()
    except Exception as exc:
        message = (
            f"(a log call whose message could not be formatted - {type(exc).__name__}: {exc}; "
            f"message {_safe_repr(record.msg)}, arguments {_safe_repr(record.args)})"
        )
    text = f"{record.levelname} [{record.name}] {message}"
    if record.exc_info:
        try:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        except Exception as exc:
            text += f"\n(the exception could not be formatted: {type(exc).__name__})"
    if record.stack_info:
        text += "\n" + str(record.stack_info)
    return text


def _safe_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception as exc:
        return f"<{type(value).__name__} whose repr() raised {type(exc).__name__}>"
    return text if len(text) <= 500 else text[:500] + "..."


def robot_level(levelno: int, app_log_warnings: bool) -> str:
    """The Robot log level of an app's record.

    By default INFO for INFO and above, DEBUG below: the app's warnings and
    errors stay in the keyword that caused them instead of becoming Robot
    warnings and errors. With ``app_log_warnings`` WARNING and ERROR (and
    above) records become Robot warnings and errors.
    """
    if app_log_warnings and levelno >= logging.ERROR:
        return "ERROR"
    if app_log_warnings and levelno >= logging.WARNING:
        return "WARN"
    return "INFO" if levelno >= logging.INFO else "DEBUG"


class AppLogCollector(logging.Handler):
    """Keeps, formatted, the records emitted outside Robot's logging threads
    until a keyword writes them to the Robot log (Robot drops them otherwise)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self._entries: List[AppLogEntry] = []
        self._dropped = 0
        self._lock_entries = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if threading.current_thread().name in ROBOT_LOGGING_THREADS:
            return  # Robot's own handler takes these
        entry = AppLogEntry(record.levelno, describe_record(record))
        with self._lock_entries:
            if len(self._entries) < MAX_RECORDS:
                self._entries.append(entry)
            else:
                self._dropped += 1

    def drain(self) -> Tuple[List[AppLogEntry], int]:
        """The entries kept so far and how many more were dropped; forgets them."""
        with self._lock_entries:
            entries, self._entries = self._entries, []
            dropped, self._dropped = self._dropped, 0
        return entries, dropped

    def attach(self) -> None:
        """Be on the root logger: an app that configures logging (Litestar
        does at startup) may have removed this handler."""
        root = logging.getLogger()
        if self not in root.handlers:
            root.addHandler(self)

    def detach(self) -> None:
        logging.getLogger().removeHandler(self)


#: The one collector: with several library instances (imported with different
#: arguments), a record is still written once, by the keyword that caused it.
COLLECTOR = AppLogCollector()
