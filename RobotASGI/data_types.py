"""Every type a Robot suite gives the library: its enums, and the argument
types Robot converts with the library's own converters (:data:`CONVERTERS`).

Libdoc documents each of them once, under its name, from the docstring here.
"""
import enum
from datetime import timedelta
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    List,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
    get_type_hints,
)

from .errors import ArgumentError

try:
    from robot.api.types import Secret

    HAS_SECRETS = True
except ImportError:  # Robot Framework before 7.4 has no Secret type

    class Secret:  # type: ignore[no-redef]
        """A Robot Framework 7.4 ``Secret``: this Robot Framework version has
        none, so credentials are given as strings."""

        value: str

    HAS_SECRETS = False

#: Where a credential goes: a string, or (Robot Framework 7.4 and newer) a ``Secret``.
Credential = Union[str, Secret]


class AutoClose(enum.Enum):
    """When the library closes what a test or suite opened.

    ``TEST``: resources opened in a test are closed when the test ends, those
    opened in a suite setup when the suite ends. ``SUITE``: everything is kept
    until the suite that opened it ends. ``MANUAL``: only the close keywords
    close (and the end of the run).
    """

    TEST = "TEST"
    SUITE = "SUITE"
    MANUAL = "MANUAL"


class Backend(enum.Enum):
    """The async library the application runs on."""

    asyncio = "asyncio"
    trio = "trio"


class JsonMode(enum.Enum):
    """The frame kind a JSON message travels in."""

    text = "text"
    binary = "binary"


class TraceMode(enum.Enum):
    """When a keyword logs the ASGI trace of its exchange: every message the
    app received and sent, in order, with its time offset, and how the app
    ended (credentials masked as everywhere in the log).

    ``on failure`` (the default): when the keyword fails - an unexpected
    status, a failed check of the response, a timeout, an exception in the
    app, a broken ASGI protocol, a failed WebSocket keyword. ``always``: for
    passing keywords too. ``never``: not at all. Case, spaces and ``_`` do not
    count (``ON_FAILURE``, ``onfailure``).
    """

    ON_FAILURE = "on failure"
    ALWAYS = "always"
    NEVER = "never"


if TYPE_CHECKING:
    # What keywords receive once Robot has converted the argument. Robot does
    # not run these converters on the library's import arguments (nor on
    # defaults): the library calls them there itself.
    Timeout = Optional[float]
    Duration = Optional[float]
    CommaList = Union[List[str], str]
else:

    class Timeout:
        """A time, written as Robot Framework times are: ``2s``, ``500ms``,
        ``1 minute 30 seconds``, or a number of seconds such as ``1.5``. Never
        negative. ``NONE`` (where the keyword allows it) means the default."""

    class Duration:
        """A length of time, written as Robot Framework times are: ``100ms``,
        ``2s``, ``1 minute``, or a number of seconds such as ``0.5``. Never
        negative. ``NONE`` means none."""

    class CommaList:
        """Names separated by commas: ``Authorization, X-Api-Key``. Spaces
        around a name do not count; ``NONE`` or an empty value is no name at
        all. A Robot list works too."""


def convert_timeout(value: Union[str, int, float, timedelta, None]) -> Optional[float]:
    """Robot's argument converter for ``Timeout`` arguments: seconds, or None.

    Accepting None itself keeps the argument's type a plain ``Timeout``, so
    Robot shows this converter's reason when a value is refused (for an
    ``Optional[...]`` it gives only a generic message)."""
    return _seconds(value, "a timeout")


def convert_duration(value: Union[str, int, float, timedelta, None]) -> Optional[float]:
    """Robot's argument converter for ``Duration`` arguments: seconds, or None."""
    return _seconds(value, "a length of time")


def _seconds(value: Union[str, int, float, timedelta, None], what: str) -> Optional[float]:
    if value is None or (isinstance(value, str) and value.strip().upper() == "NONE"):
        return None
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    else:
        from robot.utils import timestr_to_secs  # type: ignore[import-untyped]

        try:
            seconds = timestr_to_secs(value)
        except (ValueError, TypeError):
            raise ValueError("use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds") from None
    if seconds < 0:
        raise ValueError(f"{what} must not be negative")
    return float(seconds)


def checked_timeout(value: Union[str, int, float, timedelta, None]) -> Optional[float]:
    """:func:`convert_timeout` where Robot has not run it: on the library's
    import arguments, and where Robot, refused by the converter, fell back to
    the type of the argument's default (a float: ``-1`` gets through)."""
    try:
        return convert_timeout(value)
    except ValueError as exc:
        raise ArgumentError(f"Invalid timeout {value!r}: {exc}.") from None


def convert_comma_list(value: Union[str, List[Any], Tuple[Any, ...], None]) -> List[str]:
    """Robot's argument converter for ``CommaList`` arguments: the names, stripped."""
    if value is None:
        return []
    if isinstance(value, str):
        if value.strip().upper() == "NONE":
            return []
        items: Sequence[Any] = value.split(",")
    else:
        items = value
    return [str(item).strip() for item in items if str(item).strip()]


#: The converters the library registers with Robot, by the type they produce.
CONVERTERS: Dict[Any, Callable[..., Any]] = {
    Timeout: convert_timeout,
    Duration: convert_duration,
    CommaList: convert_comma_list,
}


def _with_types_resolved(converter: Callable[..., Any]) -> None:
    """Give ``converter`` its argument types ready made, as ``@keyword(types=...)`` does.

    Robot Framework builds a library's converters again on every call of one of its
    keywords, resolving each converter's type hints each time; with the hints resolved
    once (and no return type to read) that costs about a quarter less (see
    bench/README.rst, "Robot level"). What the converters accept is unchanged: these are
    the hints themselves, which every supported Robot Framework version reads (its own
    type objects would be faster still, but Robot Framework 7.0 reads them differently)."""
    hints = get_type_hints(converter)
    hints.pop("return", None)
    converter.robot_types = hints  # type: ignore[attr-defined]


for _converter in CONVERTERS.values():
    _with_types_resolved(_converter)


class Revealed(NamedTuple):
    """An argument with every ``Secret`` in it replaced by its value."""

    value: Any
    secrets: List[str]  # the value of each Secret
    keys: List[str]  # the names (dictionary keys) that held a Secret


#: What Robot Framework puts where a Secret is used inside a string or a literal.
_SECRET_TEXT = "<secret>"


def reveal(value: Any, name: str, text: bool = False) -> Revealed:
    """``value`` (the argument ``name``) as it is sent: each Robot Framework
    ``Secret`` in it, however deep in dictionaries and lists, replaced by its
    value, which the caller masks. A string holding ``<secret>`` - what Robot
    puts in place of a Secret used inside a string or a literal such as
    ``{"Authorization": "Bearer ${TOKEN}"}`` - is refused rather than sent,
    unless ``text`` says that a string ``value`` is sent as it is (a raw body,
    a text message: ``<secret>`` may be an XML element there)."""
    secrets: List[str] = []
    keys: List[str] = []
    if text and isinstance(value, str):
        return Revealed(value, secrets, keys)

    def walk(item: Any, key: Optional[str] = None) -> Any:
        if HAS_SECRETS and isinstance(item, Secret):
            secrets.append(str(item.value))
            if key is not None:
                keys.append(key)
            return str(item.value)
        if isinstance(item, str):
            if HAS_SECRETS and _SECRET_TEXT in item:
                raise ArgumentError(
                    f"Invalid {name}: it holds the text '{_SECRET_TEXT}', which Robot Framework puts where a Secret "
                    "is used inside a string or a literal, so the Secret's value would not be sent. Pass the Secret "
                    "itself: build a dictionary or list with Create Dictionary, Create List or VAR, and a value that "
                    "embeds a Secret with VAR    ${value: secret}    Bearer ${TOKEN}."
                )
            return item
        if isinstance(item, dict):
            return {walk(k): walk(v, k if isinstance(k, str) else None) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            # a [name, value] pair names its value as a dictionary key does
            pair_name = item[0] if len(item) == 2 and isinstance(item[0], str) else None
            values = [walk(v, pair_name if index == 1 else None) for index, v in enumerate(item)]
            return values if isinstance(item, list) else tuple(values)
        return item

    return Revealed(walk(value), secrets, keys)
