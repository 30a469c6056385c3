"""What every keyword component shares: the store, settings and helpers."""

import contextlib
import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Iterator, Optional, Union

from robot.api import logger

from ..exchange_log import ExchangeLog, Masker, ThreadLogCollector
from ..store import Store

_LEVELS = {logging.DEBUG: "DEBUG", logging.INFO: "INFO", logging.WARNING: "WARN", logging.ERROR: "ERROR"}


class KeywordError(AssertionError):
    """A keyword failure whose message says it all (Robot shows no class name)."""

    ROBOT_SUPPRESS_NAME = True


class ApplicationError(Exception):
    """The app raised an exception Robot would show without its type name."""

    ROBOT_SUPPRESS_NAME = True


#: Exception names Robot Framework leaves out of failure messages.
_GENERIC_NAMES = frozenset({"AssertionError", "AssertionFailedError", "Exception", "Error", "RuntimeError", "RuntimeException"})


class ArgumentError(ValueError):
    """A keyword got an argument it cannot use; the message says what is accepted."""

    ROBOT_SUPPRESS_NAME = True


if TYPE_CHECKING:
    # What keywords receive, after Robot has converted the argument.
    Timeout = Optional[float]
else:

    class Timeout:
        """A time, written as Robot Framework times are: ``2s``, ``500ms``,
        ``1 minute 30 seconds``, or a number of seconds such as ``1.5``. Never
        negative. ``NONE`` (where the keyword allows it) means the default."""


def convert_timeout(value: Union[str, int, float, timedelta, None]) -> Optional[float]:
    """Robot's argument converter for ``Timeout`` arguments: seconds, or None.

    Accepting None itself keeps the argument's type a plain ``Timeout``, so
    Robot shows this converter's reason when a value is refused (for an
    ``Optional[...]`` it gives only a generic message)."""
    if value is None or (isinstance(value, str) and value.strip().upper() == "NONE"):
        return None
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    else:
        from robot.utils import timestr_to_secs

        try:
            seconds = timestr_to_secs(value)
        except (ValueError, TypeError):
            raise ValueError("use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds") from None
    if seconds < 0:
        raise ValueError("a timeout must not be negative")
    return float(seconds)


def check_flag(value: Any, name: str) -> bool:
    """Robot hands over a string it cannot read as a boolean unchanged: refuse it."""
    if not isinstance(value, bool):
        raise ArgumentError(f"Invalid {name} {value!r}: use True or False.")
    return value


class LibraryComponent:
    """Base of the keyword classes; the library class combines them."""

    store: Store
    default_timeout: Optional[float]
    exchange_log: ExchangeLog
    masker: Masker
    thread_logs: ThreadLogCollector

    def _seconds(self, value: Union[timedelta, float, int, str, None], name: str = "timeout") -> Optional[float]:
        """A keyword's timeout in seconds (None: use the client's or session's)."""
        if value is None:
            return None
        if isinstance(value, timedelta):
            seconds = value.total_seconds()
        else:
            try:
                from robot.utils import timestr_to_secs

                seconds = timestr_to_secs(value)
            except (ValueError, TypeError):
                raise ArgumentError(
                    f"Invalid {name} {value!r}: use a Robot time such as 2s, 500ms, 1 minute, or a number of seconds."
                ) from None
        if seconds < 0:
            raise ArgumentError(f"Invalid {name} {seconds:g} seconds: it must not be negative.")
        return seconds

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
