"""What every keyword component shares: the open resources, settings and helpers."""

import contextlib
import json
from typing import Any, Dict, Iterator, List, Optional

import requests
from robot.api import logger

from ..app_log import COLLECTOR, MAX_RECORDS, robot_level
from ..app_traceback import app_traceback
from ..data_types import reveal
from ..errors import ApplicationError, ArgumentError, RobotASGIError
from ..exchange_log import ExchangeLog, Masker
from ..store import Registry, ScopeStack
from ..streams import Stream
from ..testclient import TestClient, TestClientError, WebSocketTestSession

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
    streams: Registry[Stream]
    scopes: ScopeStack
    default_timeout: Optional[float]
    exchange_log: ExchangeLog
    masker: Masker
    app_log_warnings: bool
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
            self._log_app_traceback(exc)
            if type(exc).__name__ in _GENERIC_NAMES and not getattr(exc, "ROBOT_SUPPRESS_NAME", False):
                raise ApplicationError(f"{type(exc).__name__}: {exc}") from exc
            raise

    def _log_app_traceback(self, error: BaseException) -> None:
        """An exception the app raised (the engine hands those over with their
        ASGI trace) is logged with its traceback, the app's frames first -
        Robot's own DEBUG traceback starts in this library and the engine."""
        if getattr(error, "asgi_trace", None) is None or isinstance(
            error, (TestClientError, RobotASGIError, requests.RequestException)
        ):
            return
        text = app_traceback(error)
        if text is not None:
            logger.info(self.masker.scrub(text))

    def _reveal(self, name: str, value: Any, headers: bool = False, text: bool = False) -> Any:
        """The argument ``name`` as it is sent, every Robot Framework ``Secret``
        in it replaced by its value: that value is masked wherever it appears
        (see :func:`~RobotASGI.masking.maskable_by_value`), and the header
        (``headers=True``) or field whose value it was is masked by place from
        now on. ``text``: a string is sent as it is (see :func:`reveal`)."""
        if value is None:
            return None
        revealed = reveal(value, name, text)
        self.masker.remember(revealed.secrets)
        if headers:
            self.masker.add_headers(revealed.keys)
        else:
            self.masker.add_fields(revealed.keys)
        return revealed.value

    def _remember_credentials(
        self, headers: Any = None, cookies: Any = None, auth: Any = None, json: Any = None, data: Any = None
    ) -> None:
        """Credentials the suite gives are masked wherever they appear from now
        on (the distinctive ones): the values of masked headers, cookie
        values, the ``auth`` password, and the values of masked fields in
        ``json`` and ``data``."""
        secrets: List[Any] = []
        if isinstance(headers, dict):
            for name, value in headers.items():
                if str(name).lower() not in self.masker.names or value is None:
                    continue
                text = str(value)
                secrets.append(text)
                if str(name).lower() == "cookie":
                    secrets += [pair.partition("=")[2].strip() for pair in text.split(";")]
        if isinstance(cookies, dict):
            secrets += [str(value) for value in cookies.values() if value is not None]
        if isinstance(auth, (list, tuple)) and len(auth) == 2:
            secrets.append(str(auth[1]))
        secrets += self.masker.field_values(json)
        if isinstance(data, dict):
            secrets += self.masker.field_values(data)
        elif isinstance(data, (list, tuple)):
            secrets += [str(pair[1]) for pair in data if len(pair) == 2 and self.masker.is_field(pair[0])]
        self.masker.remember(secrets)

    def _log_on_close(self, title: str, text: str) -> None:
        """Logs what a close did; when a suite's end closed it, in the suite's metadata too."""
        text = self.masker.scrub(text)
        logger.info(text)
        if self.suite_notes is not None:
            previous = self.suite_notes.get(title)
            self.suite_notes[title] = f"{previous}\n\n{text}" if previous else text

    def _log_close_notes(self) -> None:
        """What closes reported that is not a failure (an app that did not
        catch a WebSocket's close)."""
        for note in self.scopes.take_notes():
            logger.info(note)

    def _flush_app_logs(self) -> None:
        """Write what the app logged from the engine's thread to the Robot log,
        at INFO (DEBUG for its debug records), or - with ``app_log_warnings``
        - its warnings and errors as Robot warnings and errors."""
        COLLECTOR.attach()
        entries, dropped = COLLECTOR.drain()
        for entry in entries:
            logger.write(entry.text, robot_level(entry.levelno, self.app_log_warnings))  # type: ignore[arg-type]
        if dropped:
            logger.info(f"{dropped} more records the app logged were left out: more than {MAX_RECORDS} came at once.")


def auth_tuple(auth: Any) -> Any:
    """A Robot ``[user, password]`` list as requests' auth tuple."""
    if auth is None:
        return None
    if isinstance(auth, (list, tuple)) and len(auth) == 2:
        return (str(auth[0]), str(auth[1]))
    raise ArgumentError("Invalid auth: give a [user, password] list.")
