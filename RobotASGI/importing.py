"""Finding the ASGI application a suite names: ``package.module:attribute``."""
from __future__ import annotations

import ast
import importlib
import os
import sys
from typing import Any, Dict, List, Tuple

from .errors import AppImportError

FORMAT = "'package.module:attribute', where the attribute may be a dotted path and may end in a factory call such as 'create_app()'"


def import_app(spec: str) -> Any:
    """The object ``spec`` names, calling a trailing factory call.

    The current working directory is importable, as for uvicorn, so
    ``myservice.main:app`` works when the robot CLI runs from the project root.
    """
    return import_object(spec, "the ASGI app")


def import_object(spec: str, what: str) -> Any:
    """:func:`import_app` for any object; failures name it as ``what`` ("the dependency")."""
    if not isinstance(spec, str) or ":" not in spec:
        raise AppImportError(f"Cannot import {what} {spec!r}: use {FORMAT}.")
    module_name, _, attribute = spec.partition(":")
    module_name, attribute = module_name.strip(), attribute.strip()
    if not module_name or not attribute:
        raise AppImportError(f"Cannot import {what} {spec!r}: use {FORMAT}.")
    path, call = _split_call(spec, attribute, what)
    module = import_module(spec, module_name, what)
    target: Any = module
    walked = module_name
    for name in path:
        if not hasattr(target, name):
            raise AppImportError(f"Cannot import {what} {spec!r}: '{walked}' has no attribute '{name}'.")
        target = getattr(target, name)
        walked = f"{walked}:{name}" if walked == module_name else f"{walked}.{name}"
    if call is None:
        return target
    args, kwargs = call
    if not callable(target):
        raise AppImportError(f"Cannot import {what} {spec!r}: '{walked}' is not callable.")
    try:
        return target(*args, **kwargs)
    except Exception as exc:
        raise AppImportError(
            f"Cannot import {what} {spec!r}: calling the factory raised {type(exc).__name__}: {exc}"
        ) from exc


def import_module(spec: str, module_name: str, what: str) -> Any:
    """The module ``module_name`` of ``spec``, the current directory importable."""
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name) and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise AppImportError(
                f"Cannot import {what} {spec!r}: no module named '{exc.name}' "
                f"(sys.path starts with {sys.path[:3]!r}; run robot from the project root or use --pythonpath)."
            ) from None
        raise AppImportError(f"Cannot import {what} {spec!r}: importing '{module_name}' failed: {exc}") from exc
    except Exception as exc:
        raise AppImportError(
            f"Cannot import {what} {spec!r}: importing '{module_name}' raised {type(exc).__name__}: {exc}"
        ) from exc


def _split_call(spec: str, attribute: str, what: str) -> Tuple[List[str], Any]:
    """``a.b`` -> (["a", "b"], None); ``f(1, x=2)`` -> (["f"], ((1,), {"x": 2}))."""
    if not attribute.endswith(")"):
        return _names(spec, attribute, what), None
    try:
        node = ast.parse(attribute, mode="eval").body
    except SyntaxError:
        raise AppImportError(f"Cannot import {what} {spec!r}: {attribute!r} is not a valid factory call.") from None
    if not isinstance(node, ast.Call):
        raise AppImportError(f"Cannot import {what} {spec!r}: {attribute!r} is not a valid factory call.")
    try:
        args = tuple(ast.literal_eval(arg) for arg in node.args)
        kwargs: Dict[str, Any] = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
    except ValueError:
        raise AppImportError(
            f"Cannot import {what} {spec!r}: factory arguments must be Python literals "
            "(strings, numbers, True/False/None, lists, dicts)."
        ) from None
    return _names(spec, ast.unparse(node.func), what), (args, kwargs)


def _names(spec: str, dotted: str, what: str) -> List[str]:
    names = dotted.split(".")
    if not all(name.isidentifier() for name in names):
        raise AppImportError(f"Cannot import {what} {spec!r}: {dotted!r} is not an attribute path.")
    return names
