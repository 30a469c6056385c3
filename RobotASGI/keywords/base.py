"""What every keyword component shares: the open resources, settings and helpers."""

import contextlib
import json
from typing import Any, Callable, Dict, Iterator, List, Optional

from robot.api import logger

from ..app_log import COLLECTOR, MAX_RECORDS, robot_level
from ..app_traceback import app_traceback, full_traceback
from ..data_types import TraceMode, reveal
from ..errors import ApplicationError, ArgumentError
from ..exchange_log import ExchangeLog, Masker
from ..store import Registry, ScopeStack
from ..streams import Stream
from ..testclient import TestClient, WebSocketTestSession

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
    started: Registry[Any]  # keywords/concurrency.py: the requests Start Request started
    scopes: ScopeStack
    default_timeout: Optional[float]
    exchange_log: ExchangeLog
    masker: Masker
    app_log_warnings: bool
    trace_mode: TraceMode = TraceMode.ON_FAILURE
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
    def _app_errors(self, source: Any = None, before: Optional[Callable[[], None]] = None) -> Iterator[None]:
        """Around a call into the engine: when it raises, log what only an
        in-process library can show, and keep the app's exception type in the
        failure message.

        On any exception (Robot's own ``[Timeout]`` interrupt included), in
        this order: what ``before`` logs (the request that failed), the ASGI
        trace of the exchange - the exception's ``asgi_trace``, else that of
        ``source`` (a WebSocket session, a started request) - as the ``trace``
        setting says, and the app's traceback with only the frames of the app
        and its framework (INFO; the full one at DEBUG).

        Robot shows no type for generic exceptions (``RuntimeError``...), yet
        "RuntimeError: db is down" is what a tester needs to see; the app's
        exception stays chained, with its traceback, for the DEBUG log.
        """
        try:
            yield
        except BaseException as exc:
            if before is not None:
                before()
            self._log_trace(getattr(exc, "asgi_trace", None) or getattr(source, "asgi_trace", None), failed=True)
            if isinstance(exc, Exception):
                self._log_app_traceback(exc)
                if type(exc).__name__ in _GENERIC_NAMES and not getattr(exc, "ROBOT_SUPPRESS_NAME", False):
                    raise ApplicationError(f"{type(exc).__name__}: {exc}") from exc
            raise

    def _log_trace(self, trace: Any, failed: bool) -> None:
        """Log an exchange's ASGI trace, masked, if the ``trace`` setting
        asks for it: for a failed keyword unless ``never``, for a passing one
        with ``always``."""
        if trace is None or self.trace_mode is TraceMode.NEVER:
            return
        if failed or self.trace_mode is TraceMode.ALWAYS:
            logger.info(self.exchange_log.trace(trace))

    def _log_app_traceback(self, error: BaseException) -> None:
        """The traceback of an exception the app raised, with only the frames
        of the app and its framework, at INFO, and the full one at DEBUG
        (nothing for the engine's own errors, which have no frame of the app)."""
        text = app_traceback(error)
        if text is not None:
            logger.info(
                "The app's traceback (its frames and its framework's; the full traceback is logged at DEBUG level):\n"
                + self.masker.scrub(text)
            )
            logger.debug("The app's full traceback:\n" + self.masker.scrub(full_traceback(error)))

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
