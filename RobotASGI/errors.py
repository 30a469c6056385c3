"""Every error the keyword layer raises: one base, one small class per failure.

Robot Framework shows only the message of these (``ROBOT_SUPPRESS_NAME``):
each message says what went wrong and, for bad input, what is accepted. The
engine's own errors (:mod:`RobotASGI.testclient.errors`) are separate: they
belong to the engine, which knows nothing of Robot.
"""
from typing import List


class RobotASGIError(Exception):
    """Base of the keyword layer's errors."""

    ROBOT_SUPPRESS_NAME = True


class ArgumentError(RobotASGIError, ValueError):
    """A keyword or the library got an argument it cannot use."""


class AppImportError(RobotASGIError):
    """The application an import string names could not be imported."""


class ApplicationError(RobotASGIError):
    """The app raised an exception whose type Robot would not show: the
    message starts with the type's name (``RuntimeError: db is down``)."""


class StoreError(RobotASGIError):
    """An open client or WebSocket session could not be named or found."""


class NothingOpen(StoreError):
    """A keyword needs a client or session, and none is open."""


class UnknownAlias(StoreError):
    """No open resource of the kind asked for has the alias given."""


class AliasInUse(StoreError):
    """An opening keyword was given an alias an open resource already has."""


class CloseFailed(RobotASGIError):
    """Closing one or more resources failed (all the others were closed)."""


class NoResponse(RobotASGIError):
    """A response check was called before any request was sent."""


class CheckFailed(RobotASGIError, AssertionError):
    """What the app did is not what the test expected."""


class StatusMismatch(CheckFailed):
    """A response's status is not the one expected."""


class WebSocketError(RobotASGIError):
    """A WebSocket session failed: refused, denied, timed out, or closed
    while a keyword sent or waited for a message."""


class ExtraMissing(RobotASGIError):
    """A feature needs an optional extra that is not installed: the message
    says which, and the pip command that installs it."""


class OpenAPIDocumentError(RobotASGIError):
    """An OpenAPI document could not be found, read or used."""


class ContractViolation(CheckFailed):
    """A response does not match the app's OpenAPI document, or JSON its schema."""


class StreamError(RobotASGIError):
    """A read on a stream got nothing: the timeout passed, or the app ended
    the body, before what was asked for arrived; or what arrived is not what
    was asked for (a line that is not JSON)."""


class RequestNotFinished(RobotASGIError, TimeoutError):
    """A started request was not done within the time `Wait For Response` gave it."""


# -- internal: what a stream read tells the keyword that reads (never shown as is) --------


class ReadFailed(Exception):
    """A read that got no answer; ``arrived`` lists what came meanwhile."""

    def __init__(self, arrived: List[str]) -> None:
        super().__init__("; ".join(arrived))
        self.arrived = arrived


class NothingArrived(ReadFailed):
    """The deadline passed before what was waited for arrived."""


class BodyEnded(ReadFailed):
    """The app ended the body before what was waited for arrived."""


class StreamClosed(Exception):
    """A read on a stream already closed."""
