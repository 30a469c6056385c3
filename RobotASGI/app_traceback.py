"""The app's traceback, the app first: only the frames of the app and its framework.

An exception the app raises reaches the keyword through the engine's loop
thread, anyio, requests and Robot Framework: its traceback is mostly theirs.
:func:`app_traceback` keeps the frames a tester reads - the app's own and its
framework's (Starlette, FastAPI, Django and asgiref, Quart...): those below
the engine's call of the app, less the frames of RobotASGI, anyio, trio,
requests, urllib3 and Robot Framework and of the standard library's
event-loop and thread machinery (asyncio, threading, concurrent.futures,
contextlib, selectors) - over the whole chain of the exception
(``__cause__``, ``__context__`` and the members of an exception group). An
exception that did not come through the app (a timeout, a bad argument) has
no such frame. The full traceback, chain included, stays in the log at DEBUG
level (:func:`full_traceback`): Robot Framework's own shows neither the chain
nor, for an exception a keyword wraps, the app's frames.
"""
from __future__ import annotations

import importlib.util
import os
import sysconfig
import traceback
from typing import List, Optional, Set, Tuple

#: The packages whose frames are left out: the machinery between the keyword and the app.
HIDDEN_PACKAGES = ("RobotASGI", "anyio", "sniffio", "trio", "outcome", "requests", "urllib3", "robot", "exceptiongroup")
#: The standard library's modules that run event loops, threads and context managers.
HIDDEN_STDLIB = ("asyncio", "concurrent", "threading.py", "contextlib.py", "selectors.py")
#: Inside the library, what is an app: the demo app's frames are shown.
SHOWN_INSIDE = (os.path.join("RobotASGI", "demo"),)
#: The engine's frames that call the app: (file name, function).
APP_CALLERS = frozenset({("task.py", "run"), ("lifespan.py", "_run")})
_ENGINE = os.path.join("RobotASGI", "testclient") + os.sep


def _package_dirs() -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """The directories whose frames are hidden, and those shown inside them."""
    hidden: List[str] = []
    shown: List[str] = []
    for name in HIDDEN_PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        for location in (spec.submodule_search_locations or []) if spec is not None else []:
            hidden.append(os.path.normcase(os.path.realpath(location)) + os.sep)
    stdlib = os.path.normcase(os.path.realpath(sysconfig.get_paths()["stdlib"]))
    for name in HIDDEN_STDLIB:
        hidden.append(os.path.join(stdlib, name) + ("" if name.endswith(".py") else os.sep))
    here = os.path.normcase(os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    shown += [os.path.join(here, part) + os.sep for part in SHOWN_INSIDE]
    return tuple(hidden), tuple(shown)


_DIRS: Optional[Tuple[Tuple[str, ...], Tuple[str, ...]]] = None


def is_hidden(filename: str) -> bool:
    """Whether a frame of ``filename`` belongs to the machinery, not the app."""
    global _DIRS
    if _DIRS is None:
        _DIRS = _package_dirs()
    hidden, shown = _DIRS
    path = os.path.normcase(os.path.realpath(filename)) if os.path.isabs(filename) else filename
    if path.startswith(shown):
        return False
    return path.startswith(hidden)


def app_traceback(error: BaseException) -> Optional[str]:
    """``error``'s traceback, chained exceptions included, with only the
    frames of the app and its framework; None if it did not come through
    the app (the engine's own errors, such as a timeout)."""
    summary = traceback.TracebackException(type(error), error, error.__traceback__)
    if _app_call(summary.stack) is None:
        return None
    _keep_app_frames(summary, set())
    return "".join(summary.format()).rstrip()


def full_traceback(error: BaseException) -> str:
    """``error``'s whole traceback, every frame and chained exception."""
    return "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip()


def _app_call(stack: traceback.StackSummary) -> Optional[int]:
    """The index of the (last) engine frame that called the app, if any."""
    found = None
    for index, frame in enumerate(stack):
        if (os.path.basename(frame.filename), frame.name) in APP_CALLERS and _ENGINE in frame.filename:
            found = index
    return found


def _keep_app_frames(summary: traceback.TracebackException, seen: Set[int]) -> None:
    """Keep the frames of ``summary`` and of what it chains to that are the
    app's: below the engine's call of the app (if it is there), not hidden."""
    if id(summary) in seen:
        return
    seen.add(id(summary))
    call = _app_call(summary.stack)
    below = list(summary.stack)[call + 1 :] if call is not None else list(summary.stack)
    summary.stack = traceback.StackSummary.from_list([frame for frame in below if not is_hidden(frame.filename)])
    for chained in (summary.__cause__, summary.__context__, *(getattr(summary, "exceptions", None) or ())):
        if chained is not None:
            _keep_app_frames(chained, seen)
