"""Where open resources live, and when they close.

A :class:`Registry` holds the open resources of one kind - clients, WebSocket
sessions - by alias, and knows which one is current; lookups return the
resource itself. The registries of a library share one :class:`Aliases`
namespace: an alias names one open resource, whatever its kind.

The :class:`ScopeStack` follows Robot's suites and tests. Every resource
belongs to the scope that opened it (see :class:`AutoClose`) and is closed
when that scope ends; a resource opened on another one - a session on its
client - is closed first whenever that one closes. A close that fails is
reported but never stops the others from closing.

A new kind of resource takes a :class:`Kind` and a registry; the scope stack
closes it like the others. :meth:`ScopeStack.defer` holds what must be undone
when the running test or suite ends whatever the auto-close policy (a test
double): the scope stack undoes it with the resources, the last first. A close
may also end with a note rather than an error - a WebSocket app that did not
catch the client's close - which the stack keeps (:meth:`ScopeStack.take_notes`)
for the library to log.

Robot's ``robot.utils.ConnectionCache`` (which SeleniumLibrary's
``WebDriverCache`` extends) does not fit: it addresses connections by index as
well as by alias (an alias ``1`` would be ambiguous), keeps closed ones, and
forgets the current connection when it closes where this store falls back to
the one opened before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Generic, List, Optional, TypeVar

from .data_types import AutoClose
from .errors import AliasInUse, NothingOpen, UnknownAlias
from .testclient import TestClient, WebSocketTestSession

T = TypeVar("T")


@dataclass(frozen=True)
class Kind(Generic[T]):
    """A kind of resource, as messages name it and as it is closed."""

    name: str  # "client": "No ASGI client is open", "Open clients: ..."
    title: str  # "ASGI client": "Closing ASGI client 'api' failed: ..."
    opener: str  # the keyword that opens one
    prefix: str  # of generated aliases: client1, client2...
    close: Callable[[T], Optional[str]]  # returns a note to report, if any
    closing: str = "Closing"  # "Closing ASGI client 'api' failed", "Undoing app change ... failed"
    by_close_all: bool = True  # False: close_all leaves it to its scope (unless everything=True)


def shut_down_session(
    session: WebSocketTestSession, close: Optional[Callable[[WebSocketTestSession], None]] = None
) -> Optional[str]:
    """Shuts ``session`` down (with ``close`` if given) and raises what the app
    raised - except an exception that only says the app did not catch the
    client's close (a framework's ``WebSocketDisconnect`` from a receive after
    it): that is no failure, and is returned as a note instead."""
    try:
        if close is None:
            session.shut_down()
        else:
            close(session)
    except Exception as exc:
        if not session.is_unhandled_disconnect(exc):
            raise
        code = getattr(exc, "code", None)
        ended = f"{type(exc).__name__}" + (f" (code {code})" if code is not None else "")
        return (
            f"after the client closed the connection, the app ended with {ended}: "
            "it does not catch the disconnect, which is not a failure"
        )
    return None


CLIENTS: Kind[TestClient] = Kind("client", "ASGI client", "Open ASGI Client", "client", TestClient.close)
SESSIONS: Kind[WebSocketTestSession] = Kind(
    "WebSocket session", "WebSocket session", "Websocket Connect", "websocket", shut_down_session
)


class Aliases:
    """The alias namespace registries share."""

    def __init__(self) -> None:
        self.registries: List[Registry[Any]] = []

    def holder(self, alias: str) -> Optional[Registry[Any]]:
        """The registry with an open resource of that alias, if any."""
        return next((registry for registry in self.registries if alias in registry), None)


class Registry(Generic[T]):
    """Open resources of one kind by alias; the last opened or switched to is current."""

    def __init__(self, kind: Kind[T], aliases: Aliases) -> None:
        self.kind = kind
        self._aliases = aliases
        aliases.registries.append(self)
        self._open: Dict[str, T] = {}
        self._generated = 0
        self.current: Optional[str] = None

    def __contains__(self, alias: object) -> bool:
        return alias in self._open

    def aliases(self) -> List[str]:
        return list(self._open)

    def new_alias(self, alias: Optional[str]) -> str:
        """``alias`` if no open resource has it, else an error; a generated one
        (``client1``...) when omitted."""
        if alias is not None and alias != "":
            holder = self._aliases.holder(alias)
            if holder is not None:
                raise AliasInUse(
                    f"The alias '{alias}' is already used by an open ASGI {holder.kind.name}: "
                    "close it first or choose another alias."
                )
            return alias
        while True:
            self._generated += 1
            generated = f"{self.kind.prefix}{self._generated}"
            if self._aliases.holder(generated) is None:
                return generated

    def resolve(self, alias: Optional[str] = None) -> str:
        """The alias of the resource ``alias`` names: the current one when omitted."""
        if alias is None or alias == "":
            if self.current is None:
                raise NothingOpen(f"No ASGI {self.kind.name} is open: open one with '{self.kind.opener}' first.")
            return self.current
        if alias not in self._open:
            open_ones = ", ".join(sorted(self._open)) or "none"
            raise UnknownAlias(
                f"No open ASGI {self.kind.name} has the alias '{alias}'. Open {self.kind.name}s: {open_ones}."
            )
        return alias

    def get(self, alias: Optional[str] = None) -> T:
        """The resource ``alias`` names: the current one when omitted."""
        return self._open[self.resolve(alias)]

    def switch(self, alias: str) -> Optional[str]:
        """Makes ``alias`` current; returns the alias that was."""
        previous, self.current = self.current, self.resolve(alias)
        return previous

    def add(self, alias: str, resource: T) -> None:
        """Opened: ``resource`` becomes the current one (use :meth:`ScopeStack.hold`)."""
        self._open[alias] = resource
        self.current = alias

    def remove(self, alias: str) -> None:
        """Closed: the one opened last before it becomes current if it was."""
        del self._open[alias]
        if self.current == alias:
            self.current = next(reversed(list(self._open)), None)


@dataclass(eq=False)
class _Held:
    """A resource the scope stack owns."""

    registry: Registry[Any]
    alias: str
    resource: Any
    parent: Optional[_Held]  # what it was opened on: closed after it
    frame: Optional[_Frame]  # None: the run owns it


@dataclass(eq=False)
class _Frame:
    kind: str  # "suite" or "test"
    name: str
    pending: bool = False


class ScopeStack:
    """Robot's running suites and tests, and the resources each owns."""

    def __init__(self, auto_close: AutoClose = AutoClose.TEST) -> None:
        self.auto_close = auto_close
        self._frames: List[_Frame] = []
        self._held: List[_Held] = []  # in the order they were opened
        self._notes: List[str] = []

    # -- scopes -----------------------------------------------------------------
    def enter(self, kind: str, name: str, pending: bool = False) -> None:
        """A scope starts. ``pending`` marks one recorded before its start event
        arrives (the library was imported inside it); that event then only
        confirms it instead of opening a second frame."""
        top = self._frames[-1] if self._frames else None
        if top is not None and top.pending and top.kind == kind and top.name == name:
            top.pending = False
            return
        self._frames.append(_Frame(kind, name, pending=pending))

    def leave(self, kind: str) -> List[str]:
        """Ends the innermost ``kind`` scope (and any left open inside it), closing
        what they own, the last opened first. Returns the errors."""
        errors: List[str] = []
        while self._frames:
            frame = self._frames.pop()
            for held in [held for held in self._held if held.frame is frame][::-1]:
                errors += self._close(held)
            if frame.kind == kind:
                break
        return errors

    def _owner(self) -> Optional[_Frame]:
        """The frame a resource opened now belongs to, per the auto-close policy."""
        if not self._frames or self.auto_close is AutoClose.MANUAL:
            return None  # the run owns it (opened outside any suite, e.g. from a listener)
        if self.auto_close is AutoClose.SUITE and self._frames[-1].kind == "test" and len(self._frames) > 1:
            return self._frames[-2]
        return self._frames[-1]

    # -- opening and closing ----------------------------------------------------
    def hold(self, registry: Registry[T], alias: str, resource: T, parent: Any = None) -> None:
        """``resource``, just opened, joins ``registry`` as ``alias`` and is owned
        by the running scope. ``parent`` is the resource it was opened on."""
        parent_held = None
        if parent is not None:
            parent_held = next((held for held in self._held if held.resource is parent), None)
            if parent_held is None:
                raise ValueError(f"{alias!r} is opened on a resource the store does not hold")
        registry.add(alias, resource)
        self._held.append(_Held(registry, alias, resource, parent_held, self._owner()))

    def defer(self, registry: Registry[T], alias: str, resource: T) -> str:
        """Like :meth:`hold`, but owned by the running test or suite whatever the
        auto-close policy: closed when it ends. Returns that scope's description
        (``test 'Login'``, ``suite 'Shop'``, ``the run``)."""
        frame = self._frames[-1] if self._frames else None
        registry.add(alias, resource)
        self._held.append(_Held(registry, alias, resource, None, frame))
        return "the run" if frame is None else f"{frame.kind} '{frame.name}'"

    def take_notes(self) -> List[str]:
        """What closes reported that is not a failure, since last asked."""
        notes, self._notes = self._notes, []
        return notes

    def close(
        self, registry: Registry[T], alias: str, close: Optional[Callable[[T], Optional[str]]] = None
    ) -> List[str]:
        """Closes what was opened on the resource, then the resource itself (with
        ``close`` instead of its kind's close, if given). Returns the errors."""
        held = next((h for h in self._held if h.registry is registry and h.alias == alias), None)
        return [] if held is None else self._close(held, close)

    def close_all(self, everything: bool = False) -> List[str]:
        """Closes every resource: those opened on another first. Kinds that are
        not closed by close_all (app changes) only with ``everything``. Returns the errors."""
        errors: List[str] = []
        held_now = [h for h in self._held if everything or h.registry.kind.by_close_all]
        for held in [h for h in held_now if h.parent is not None] + [h for h in held_now if h.parent is None]:
            errors += self._close(held)
        return errors

    def _close(self, held: _Held, close: Optional[Callable[[Any], Optional[str]]] = None) -> List[str]:
        if held not in self._held:
            return []  # closed already, with what it was opened on
        errors: List[str] = []
        for child in [h for h in self._held if h.parent is held]:
            errors += self._close(child)
        self._held.remove(held)
        held.registry.remove(held.alias)
        try:
            note = (close or held.registry.kind.close)(held.resource)
        except Exception as exc:
            errors.append(f"{held.registry.kind.closing} {held.registry.kind.title} '{held.alias}' failed: {_describe(exc)}")
        else:
            if note:
                self._notes.append(f"{held.registry.kind.title} '{held.alias}': {note}.")
        return errors


def _describe(exc: BaseException) -> str:
    """An exception as a close failure names it: the library's own errors by
    their message alone, as Robot shows them."""
    text = str(exc)
    if text and getattr(exc, "ROBOT_SUPPRESS_NAME", False):
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
