"""Every type a Robot suite gives the library: its enums, and the argument
types Robot converts with the library's own converters (:data:`CONVERTERS`).

Libdoc documents each of them once, under its name, from the docstring here.
"""
import enum
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from .errors import ArgumentError


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


if TYPE_CHECKING:
    # What keywords receive once Robot has converted the argument. Robot does
    # not run these converters on the library's import arguments (nor on
    # defaults): the library calls them there itself.
    Timeout = Optional[float]
    CommaList = Union[List[str], str]
else:

    class Timeout:
        """A time, written as Robot Framework times are: ``2s``, ``500ms``,
        ``1 minute 30 seconds``, or a number of seconds such as ``1.5``. Never
        negative. ``NONE`` (where the keyword allows it) means the default."""

    class CommaList:
        """Names separated by commas: ``Authorization, X-Api-Key``. Spaces
        around a name do not count; ``NONE`` or an empty value is no name at
        all. A Robot list works too."""


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
        from robot.utils import timestr_to_secs  # type: ignore[import-untyped]

        try:
            seconds = timestr_to_secs(value)
        except (ValueError, TypeError):
            raise ValueError("use a time such as 2s, 500ms or 1 minute 30 seconds, or a number of seconds") from None
    if seconds < 0:
        raise ValueError("a timeout must not be negative")
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
CONVERTERS: Dict[Any, Callable[..., Any]] = {Timeout: convert_timeout, CommaList: convert_comma_list}
