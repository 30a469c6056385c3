"""Test doubles that undo themselves: ``Override Dependency`` and ``Set App Attribute``."""
from typing import Any, Optional

from robot.api import logger
from robot.api.deco import keyword

from ..doubles import Change, find_fastapi_app, override_dependency, set_attribute
from ..store import Aliases, Kind, Registry
from .base import LibraryComponent


class TestDoubleKeywords(LibraryComponent):
    """Changes to the app in the Robot process, undone when the test or suite that made them ends."""

    __test__ = False  # not a pytest test class, despite the name

    changes: Registry[Change]

    def _init_changes(self) -> None:
        """The registry of changes: the scope stack undoes them (the last
        first) when the test or suite that made them ends, whatever the
        auto-close policy; Close All ASGI Clients leaves them alone."""
        kind: Kind[Change] = Kind(
            "app change", "app change", "Override Dependency", "change", self._undo,
            closing="Undoing", by_close_all=False,
        )
        self.changes = Registry(kind, Aliases())

    def _undo(self, change: Change) -> None:
        change.undo()
        self._log_on_close("Changes RobotASGI undid", f"{change.undone}.")

    def _keep(self, change: Change) -> None:
        """Hands ``change`` to the scope stack and logs it."""
        alias = self.changes.new_alias(None)
        scope = self.scopes.defer(self.changes, alias, change)
        logger.info(f"{change.done}; undone when {scope} ends.")

    @keyword("Override Dependency", tags=["test doubles"])
    def override_dependency(self, dependency: Any, replacement: Any, client: Optional[str] = None) -> None:
        """Makes the FastAPI app of ``client`` (the current client when
        omitted) call ``replacement`` wherever its routes depend on
        ``dependency``, until the test or suite that called this keyword ends.

        Both are ``module:attribute`` strings (``myservice.db:get_session``) or
        objects from variables. This sets the app's ``dependency_overrides``;
        the app may be wrapped in middleware. When the test or suite ends -
        passed or failed - the override is removed (or the one there before
        is put back), and the log says so. An app that is not FastAPI fails
        the keyword: use `Set App Attribute` there.

        | Open ASGI Client | myservice.main:app |
        | Override Dependency | myservice.db:get_session | tests.fakes:empty_session |
        | ${resp}= | GET | /orders | # served from the empty session |
        """
        app = find_fastapi_app(self.clients.get(client).app)
        alias = self.clients.resolve(client)
        self._keep(override_dependency(app, dependency, replacement, f" in the FastAPI app of client '{alias}'"))

    @keyword("Set App Attribute", tags=["test doubles"])
    def set_app_attribute(self, attribute: str, value: Any) -> None:
        """Sets ``attribute``, a ``module:attribute.path`` (``myservice.config:settings.debug``),
        to ``value`` until the test or suite that called this keyword ends.

        Anything the app reads at request time can be replaced: a setting, a
        feature flag, a clock, a client for another service. When the test or
        suite ends - passed or failed - the old value is put back, and the log
        says so. When the current value is a bool, an int or a float, a string
        ``value`` is converted to that type (``False``, ``no``, ``0`` are
        false), so ``False`` from the test data does not become a true string.
        An attribute that does not exist fails the keyword (it lists those that do).

        | Set App Attribute | myservice.config:settings.new_checkout | True |
        | Set App Attribute | myservice.clock:now | ${fixed_clock} |
        """
        self._keep(set_attribute(attribute, value))
