"""Test doubles that undo themselves: a FastAPI dependency override, or any
attribute of the app's modules replaced, each with the function that puts
back what was there.

The keywords (:mod:`RobotASGI.keywords.doubles`) hand the undo to the scope
stack, which runs it when the test or suite that made the change ends.
"""
from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Callable, List, Optional

from .errors import ArgumentError
from .importing import import_module, import_object

#: The attributes under which ASGI middleware and adapters keep the app they wrap.
WRAPPED = ("app", "application", "_app", "asgi_app", "wrapped_app", "__wrapped__")


@dataclass
class Change:
    """A change made to the app, and how to undo it."""

    done: str  # what was changed: "Overrode the dependency ..."
    undone: str  # what undoing it does: "Removed the override of ..."
    undo: Callable[[], None]


def find_fastapi_app(app: Any) -> Any:
    """The FastAPI app ``app`` is, or wraps (under middleware, adapters), or an error."""
    seen: List[Any] = []
    current: Optional[Any] = app
    while current is not None and not any(current is s for s in seen) and len(seen) < 20:
        if isinstance(getattr(current, "dependency_overrides", None), dict):
            return current
        seen.append(current)
        current = next((getattr(current, name) for name in WRAPPED if getattr(current, name, None) is not None), None)
    chain = " -> ".join(_name(obj) for obj in seen)
    raise ArgumentError(
        f"Override Dependency needs a FastAPI app, and the client's app is {chain}, which has no "
        "dependency_overrides. Use Set App Attribute to replace what other apps use."
    )


def resolve(value: Any, what: str) -> Any:
    """A ``module:attribute`` string as the object it names; any other value as is."""
    if isinstance(value, str):
        return import_object(value, what)
    return value


def override_dependency(app: Any, dependency: Any, replacement: Any, where: str = "") -> Change:
    """Sets ``app.dependency_overrides[dependency] = replacement``; ``where``
    names the app in the log ("in the FastAPI app of client 'api'")."""
    dependency, replacement = resolve(dependency, "the dependency"), resolve(replacement, "the replacement")
    for value, what in ((dependency, "dependency"), (replacement, "replacement")):
        if not callable(value):
            raise ArgumentError(
                f"Invalid {what} {value!r}: give a callable, or a 'module:attribute' string naming one."
            )
    overrides = app.dependency_overrides
    had, previous = dependency in overrides, overrides.get(dependency)
    overrides[dependency] = replacement

    def undo() -> None:
        if had:
            overrides[dependency] = previous
        else:
            overrides.pop(dependency, None)

    what = f"the dependency {_name(dependency)}{where}"
    before = f"the override by {_name(previous)} put back" if had else "no override left"
    return Change(
        f"Overrode {what} with {_name(replacement)}",
        f"Removed the override of {what} by {_name(replacement)} ({before})",
        undo,
    )


def set_attribute(target: str, value: Any) -> Change:
    """Sets the attribute ``module:path.to.attribute`` to ``value``.

    A string ``value`` becomes a bool, int or float when the current value is
    one (``True``/``False``/``yes``/``no``/``on``/``off``/``1``/``0`` as Robot
    reads booleans), so that ``False`` from a test data cell is not a truthy
    string."""
    if not isinstance(target, str) or ":" not in target or not target.partition(":")[2].strip():
        raise ArgumentError(
            f"Invalid attribute {target!r}: give 'module:attribute', e.g. 'myservice.config:settings.debug'."
        )
    module_name, _, path = (part.strip() for part in target.partition(":"))
    names = path.split(".")
    if not all(name.isidentifier() for name in names):
        raise ArgumentError(f"Invalid attribute {target!r}: {path!r} is not an attribute path.")
    parent_path, name = ".".join(names[:-1]), names[-1]
    if parent_path:
        parent = import_object(f"{module_name}:{parent_path}", "the attribute's owner")
    else:
        parent = import_module(target, module_name, "the attribute's module")
    if not hasattr(parent, name):
        public = sorted(n for n in dir(parent) if not n.startswith("_"))
        shown = ", ".join(public[:30]) + (" ..." if len(public) > 30 else "")
        raise ArgumentError(f"Cannot set {target}: {_name(parent)} has no attribute '{name}'. Its attributes: {shown or 'none'}.")
    old = getattr(parent, name)
    new = _like(old, value, target)
    own = name in vars(parent) if hasattr(parent, "__dict__") else True
    try:
        setattr(parent, name, new)
    except Exception as exc:
        raise ArgumentError(f"Cannot set {target}: {type(exc).__name__}: {exc}") from None

    def undo() -> None:
        if own:
            setattr(parent, name, old)
        else:  # it came from the class: remove the instance's copy
            delattr(parent, name)

    return Change(f"Set {target} to {new!r} (was {old!r})", f"Restored {target} to {old!r} (was {new!r})", undo)


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", "none", ""}


def _like(old: Any, value: Any, target: str) -> Any:
    """``value``, a string converted to the type of ``old`` when that is bool, int or float."""
    if not isinstance(value, str) or isinstance(old, str) or type(old) not in (bool, int, float):
        return value
    if isinstance(old, bool):
        if value.strip().lower() in _TRUE:
            return True
        if value.strip().lower() in _FALSE:
            return False
    else:
        try:
            return type(old)(value.strip())
        except ValueError:
            pass
    kind = type(old).__name__
    article = "an" if kind == "int" else "a"
    raise ArgumentError(
        f"Cannot set {target} to {value!r}: it is {article} {kind} ({old!r}), and {value!r} is not one. "
        f"Give {article} {kind}, e.g. ${{{'True' if isinstance(old, bool) else '42'}}}."
    )


def _name(obj: Any) -> str:
    if isinstance(obj, types.ModuleType):
        return f"module {obj.__name__}"
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(qualname, str):  # a function or a class
        module = getattr(obj, "__module__", None)
        return f"{module}.{qualname}" if module else qualname
    return f"a {type(obj).__qualname__} object"
