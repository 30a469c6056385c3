"""The scope-managed store: open clients and WebSocket sessions by alias.

Every resource is owned by the Robot Framework scope that opened it - the
running test, or the running suite when opened in a suite setup or teardown -
and is closed when that scope ends (see :class:`AutoClose`). Closing a client
closes its sessions first. A close that fails is reported but never stops the
others from closing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Generic, Iterator, List, Optional, TypeVar

from .data_types import AutoClose
from .errors import AliasInUse, NothingOpen, UnknownAlias
from .testclient import TestClient, WebSocketTestSession

T = TypeVar("T")


@dataclass
class Entry(Generic[T]):
    alias: str
    resource: T
    owner: int  # the id of the scope frame that owns it
    client_alias: Optional[str] = None  # for WebSocket sessions


@dataclass
class _Frame:
    id: int
    kind: str  # "suite" or "test"
    name: str
    pending: bool = False
    aliases: List[str] = field(default_factory=list)


class Store:
    """Clients and sessions by alias, each owned by the scope that opened it."""

    def __init__(self, auto_close: AutoClose = AutoClose.TEST) -> None:
        self.auto_close = auto_close
        self._clients: Dict[str, Entry[TestClient]] = {}
        self._sessions: Dict[str, Entry[WebSocketTestSession]] = {}
        self._frames: List[_Frame] = []
        self._next_frame = 0
        self._counters = {"client": 0, "websocket": 0}
        self.current_client: Optional[str] = None
        self.current_session: Optional[str] = None

    # -- scopes -----------------------------------------------------------------
    def enter(self, kind: str, name: str, pending: bool = False) -> None:
        """A scope starts. ``pending`` marks one recorded before its start event
        arrives (the library was imported inside it); that event then only
        confirms it instead of opening a second frame."""
        top = self._frames[-1] if self._frames else None
        if top is not None and top.pending and top.kind == kind and top.name == name:
            top.pending = False
            return
        self._next_frame += 1
        self._frames.append(_Frame(self._next_frame, kind, name, pending=pending))

    def leave(self, kind: str) -> List[str]:
        """End the innermost ``kind`` scope; close what it owns. Returns the errors."""
        while self._frames:
            frame = self._frames.pop()
            errors = self._close_owned_by(frame)
            if frame.kind == kind:
                return errors
        return []

    def _owner(self) -> int:
        """The frame a resource opened now belongs to, per the auto-close policy."""
        if not self._frames:
            return 0  # opened outside any suite (e.g. from a listener): the run owns it
        if self.auto_close is AutoClose.MANUAL:
            return 0
        frame = self._frames[-1]
        if self.auto_close is AutoClose.SUITE and frame.kind == "test" and len(self._frames) > 1:
            frame = self._frames[-2]
        return frame.id

    def _frame(self, owner: int) -> Optional[_Frame]:
        for frame in self._frames:
            if frame.id == owner:
                return frame
        return None

    def _close_owned_by(self, frame: _Frame) -> List[str]:
        errors: List[str] = []
        for alias in reversed(frame.aliases):
            if alias in self._sessions:
                errors += self.close_session(alias)
            elif alias in self._clients:
                errors += self.close_client(alias)
        return errors

    # -- opening ----------------------------------------------------------------
    def new_alias(self, kind: str, alias: Optional[str]) -> str:
        if alias is not None and alias != "":
            if alias in self._clients or alias in self._sessions:
                what = "client" if alias in self._clients else "WebSocket session"
                raise AliasInUse(
                    f"The alias '{alias}' is already used by an open ASGI {what}: "
                    "close it first or choose another alias."
                )
            return alias
        while True:
            self._counters[kind] += 1
            generated = f"{kind}{self._counters[kind]}"
            if generated not in self._clients and generated not in self._sessions:
                return generated

    def add_client(self, alias: str, client: TestClient) -> None:
        self._add(self._clients, Entry(alias, client, self._owner()))
        self.current_client = alias

    def add_session(self, alias: str, session: WebSocketTestSession, client_alias: str) -> None:
        self._add(self._sessions, Entry(alias, session, self._owner(), client_alias))
        self.current_session = alias

    def _add(self, table: Dict[str, Entry[Any]], entry: Entry[Any]) -> None:
        table[entry.alias] = entry
        frame = self._frame(entry.owner)
        if frame is not None:
            frame.aliases.append(entry.alias)

    # -- finding ----------------------------------------------------------------
    def client(self, alias: Optional[str] = None) -> Entry[TestClient]:
        return self._find(self._clients, alias, self.current_client, "client", "Open ASGI Client")

    def session(self, alias: Optional[str] = None) -> Entry[WebSocketTestSession]:
        return self._find(self._sessions, alias, self.current_session, "WebSocket session", "Websocket Connect")

    def _find(
        self, table: Dict[str, Entry[T]], alias: Optional[str], current: Optional[str], what: str, opener: str
    ) -> Entry[T]:
        if alias is None or alias == "":
            if current is None or current not in table:
                raise NothingOpen(f"No ASGI {what} is open: open one with '{opener}' first.")
            return table[current]
        if alias not in table:
            open_ones = ", ".join(sorted(table)) or "none"
            raise UnknownAlias(f"No open ASGI {what} has the alias '{alias}'. Open {what}s: {open_ones}.")
        return table[alias]

    def switch_client(self, alias: str) -> None:
        self.current_client = self.client(alias).alias

    def switch_session(self, alias: str) -> None:
        self.current_session = self.session(alias).alias

    def aliases(self) -> Dict[str, List[str]]:
        return {"clients": list(self._clients), "websockets": list(self._sessions)}

    def sessions_of(self, client_alias: str) -> Iterator[str]:
        return iter([a for a, e in self._sessions.items() if e.client_alias == client_alias])

    # -- closing ----------------------------------------------------------------
    def close_session(self, alias: str, closer: Optional[Callable[[WebSocketTestSession], None]] = None) -> List[str]:
        entry = self._sessions.pop(alias, None)
        if entry is None:
            return []
        self._forget(alias, entry.owner)
        if self.current_session == alias:
            self.current_session = next(reversed(list(self._sessions)), None)
        try:
            (closer or _shut_down_session)(entry.resource)
        except Exception as exc:
            return [f"Closing WebSocket session '{alias}' failed: {_describe(exc)}"]
        return []

    def close_client(self, alias: str) -> List[str]:
        entry = self._clients.get(alias)
        if entry is None:
            return []
        errors: List[str] = []
        for session_alias in list(self.sessions_of(alias)):
            errors += self.close_session(session_alias)
        del self._clients[alias]
        self._forget(alias, entry.owner)
        if self.current_client == alias:
            self.current_client = next(reversed(list(self._clients)), None)
        try:
            entry.resource.close()
        except Exception as exc:
            errors.append(f"Closing ASGI client '{alias}' failed: {_describe(exc)}")
        return errors

    def close_all(self) -> List[str]:
        errors: List[str] = []
        for alias in list(self._sessions):
            errors += self.close_session(alias)
        for alias in list(self._clients):
            errors += self.close_client(alias)
        return errors

    def _forget(self, alias: str, owner: int) -> None:
        frame = self._frame(owner)
        if frame is not None and alias in frame.aliases:
            frame.aliases.remove(alias)


def _shut_down_session(session: WebSocketTestSession) -> None:
    session.shut_down()


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
