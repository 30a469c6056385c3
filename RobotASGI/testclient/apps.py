"""Telling ASGI 2 from ASGI 3 applications, and refusing everything else.

The rules follow uvicorn's and asgiref's: explicit markers first; then a class
whose instances are awaitable (it defines ``__await__``) is ASGI 3 and any
other class ASGI 2; an object with an ``async __call__`` is ASGI 3; a plain
callable is judged by how many positional arguments it takes.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Optional, cast

from .errors import quote
from .types import ASGIApp, Receive, Scope, Send

ACCEPTED = (
    "an ASGI 3 application (async def app(scope, receive, send), an object with "
    "an async __call__(scope, receive, send), a class whose instances are awaitable "
    "such as Starlette's HTTPEndpoint, or a functools.partial of one) or an "
    "ASGI 2 application (a class, or a callable taking only the scope, whose result "
    "is awaited with (receive, send))"
)


def as_asgi3(app: Any) -> ASGIApp:
    """Return ``app`` as an ASGI 3 callable, or raise :class:`TypeError`."""
    if app is None or isinstance(app, (str, bytes, int, float, dict, list, tuple)):
        raise TypeError(f"TestClient needs {ACCEPTED}; got {_describe(app)}.")
    if getattr(app, "_asgi_single_callable", False):
        return app
    if getattr(app, "_asgi_double_callable", False):
        return _asgi2_adapter(app)
    if inspect.isclass(app):
        # Cls(scope, receive, send) gives an awaitable (Starlette's HTTPEndpoint
        # and WebSocketEndpoint): ASGI 3, as uvicorn and Starlette decide.
        return cast(ASGIApp, app) if hasattr(app, "__await__") else _asgi2_adapter(app)
    if _is_coroutine_callable(app):
        return app
    if not callable(app):
        raise TypeError(f"TestClient needs {ACCEPTED}; got {_describe(app)}, which is not callable.")
    arity = _positional_arity(app)
    if arity == 1:
        return _asgi2_adapter(app)
    if arity == 3:
        return app  # a plain function returning an awaitable, e.g. a wrapper
    if arity == 2:
        raise TypeError(
            f"TestClient needs {ACCEPTED}; got {_describe(app)}, which takes two "
            "arguments like a WSGI application (environ, start_response). WSGI apps "
            "are not supported: serve them through an ASGI adapter such as "
            "a2wsgi's WSGIMiddleware."
        )
    raise TypeError(
        f"TestClient needs {ACCEPTED}; got {_describe(app)}, a synchronous callable "
        f"taking {arity if arity is not None else 'an unknown number of'} positional arguments."
    )


def _asgi2_adapter(app: Any) -> ASGIApp:
    async def asgi2_app(scope: Scope, receive: Receive, send: Send) -> None:
        instance = app(scope)
        await instance(receive, send)

    asgi2_app.__qualname__ = f"ASGI2({getattr(app, '__qualname__', type(app).__qualname__)})"
    return asgi2_app


def _is_coroutine_callable(app: Any) -> bool:
    while isinstance(app, functools.partial):
        app = app.func
    if inspect.iscoroutinefunction(app):
        return True
    call = getattr(type(app), "__call__", None)  # noqa: B004 - the method itself, to tell if it is async
    return call is not None and not inspect.isfunction(app) and inspect.iscoroutinefunction(call)


def _positional_arity(app: Any) -> Optional[int]:
    try:
        signature = inspect.signature(app)
    except (TypeError, ValueError):
        return None
    count = 0
    for parameter in signature.parameters.values():
        if parameter.kind is parameter.VAR_POSITIONAL:
            return None
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            if parameter.default is parameter.empty:
                count += 1
    return count


def _describe(app: Any) -> str:
    if app is None:
        return "None"
    if isinstance(app, (str, bytes)):
        return f"the {type(app).__name__} {quote(app, 80)}"
    if not callable(app):
        if type(app).__repr__ is object.__repr__:  # an address says nothing
            return f"an instance of {type(app).__qualname__}"
        return f"the {type(app).__name__} {quote(app, 80)}"
    name = getattr(app, "__qualname__", None) or type(app).__qualname__
    kind = "class" if inspect.isclass(app) else type(app).__name__
    return f"{kind} {name}"
