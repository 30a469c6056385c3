"""What every keyword component shares: the open resources, settings and helpers."""

import contextlib
import json
import logging
from typing import Any, Dict, Iterator, Optional

from robot.api import logger

from ..errors import ApplicationError, ArgumentError
from ..exchange_log import ExchangeLog, Masker, ThreadLogCollector
from ..store import Registry, ScopeStack
from ..testclient import TestClient, WebSocketTestSession

_LEVELS = {logging.DEBUG: "DEBUG", logging.INFO: "INFO", logging.WARNING: "WARN", logging.ERROR: "ERROR"}


#: Exception names Robot Framework leaves out of failure messages.
_GENERIC_NAMES = frozenset({"AssertionError", "AssertionFailedError", "Exception", "Error", "RuntimeError", "RuntimeException"})


def check_flag(value: Any, name: str) -> bool:
    """Robot hands over a string it cannot read as a boolean unchanged: refuse it."""
    if not isinstance(value, bool):
        raise ArgumentError(f"Invalid {name} {value!r}: use True or False.")
    return value


class LibraryComponent:
    """Base of the keyword classes; the library class combines them."""

    clients: Registry[TestClient]
    sessions: Registry[WebSocketTestSession]
    scopes: ScopeStack
    default_timeout: Optional[float]
    exchange_log: ExchangeLog
    masker: Masker
    thread_logs: ThreadLogCollector
    #: While a suite ends: what closes log, by title, for the suite's metadata
    #: (Robot keeps no message logged from a listener's end_suite); else None.
    suite_notes: Optional[Dict[str, str]] = None

    @staticmethod
    def _json_argument(value: Any, name: str) -> Any:
        """A Robot dict/list as is; a string parsed as JSON."""
        if isinstance(value, (str, bytes)):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise ArgumentError(
                    f"Invalid {name}: {value!r:.200} is not valid JSON ({exc}). "
                    "Pass a Robot dictionary or list, or a JSON string."
                ) from None
        return value

    @contextlib.contextmanager
    def _app_errors(self) -> Iterator[None]:
        """Keep the app's exception type in the failure message.

        Robot shows no type for generic exceptions (``RuntimeError``...), yet
        "RuntimeError: db is down" is what a tester needs to see; the app's
        exception stays chained, with its traceback, for the DEBUG log.
        """
        try:
            yield
        except Exception as exc:
            if type(exc).__name__ in _GENERIC_NAMES and not getattr(exc, "ROBOT_SUPPRESS_NAME", False):
                raise ApplicationError(f"{type(exc).__name__}: {exc}") from exc
            raise

    def _remember_credentials(self, headers: Any = None, cookies: Any = None, auth: Any = None) -> None:
        """Values that must never be logged from now on, wherever they show up."""
        secrets = []
        if isinstance(headers, dict):
            secrets += [str(v) for k, v in headers.items() if str(k).lower() in self.masker.names]
        if isinstance(cookies, dict) and {"cookie", "set-cookie"} & self.masker.names:
            secrets += [str(v) for v in cookies.values()]
        if isinstance(auth, (list, tuple)) and len(auth) == 2:
            secrets.append(str(auth[1]))
        self.masker.remember(secrets)

    def _log_on_close(self, title: str, text: str) -> None:
        """Logs what a close did; when a suite's end closed it, in the suite's metadata too."""
        text = self.masker.scrub(text)
        logger.info(text)
        if self.suite_notes is not None:
            previous = self.suite_notes.get(title)
            self.suite_notes[title] = f"{previous}\n\n{text}" if previous else text

    def _flush_app_logs(self) -> None:
        """Write what the app logged from the engine's thread to the Robot log.

        An app that configures logging (Litestar does at startup) may remove
        the collector from the root logger: it is put back for what follows."""
        root = logging.getLogger()
        if self.thread_logs not in root.handlers:
            root.addHandler(self.thread_logs)
        for record in self.thread_logs.drain():
            level = _LEVELS.get(record.levelno, "ERROR" if record.levelno > logging.ERROR else "DEBUG")
            text = f"[{record.name}] {record.getMessage()}"
            if record.exc_info:
                text += "\n" + logging.Formatter().formatException(record.exc_info)
            logger.write(text, level)  # type: ignore[arg-type]  # one of Robot's level names


def auth_tuple(auth: Any) -> Any:
    """A Robot ``[user, password]`` list as requests' auth tuple."""
    if auth is None:
        return None
    if isinstance(auth, (list, tuple)) and len(auth) == 2:
        return (str(auth[0]), str(auth[1]))
    raise ArgumentError("Invalid auth: give a [user, password] list.")
