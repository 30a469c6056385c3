"""The traceback of an exception the app raised, as a tester reads it: the
app's own frames (and its framework's) only, the outermost first.

The app runs on the engine's event loop thread, and the keyword re-raises
its exception in Robot's thread, so a plain traceback starts with Robot's,
this library's and anyio's frames and buries the app's under them.
:func:`app_traceback` keeps the frames of every other module - the app, its
framework, what they call in the standard library - and leaves out those of
the machinery in between: RobotASGI itself (except its demo app), anyio,
asyncio, trio, threading, requests, urllib3 and Robot Framework. A chained
exception (``raise ... from``, or one raised while handling another) is
shown too, as Python shows it.
"""
from __future__ import annotations

import importlib.util
import os
import traceback
from typing import List, Optional, Set, Tuple

#: The modules whose frames are machinery, not the app.
_MACHINERY = ("RobotASGI", "anyio", "asyncio", "trio", "threading", "concurrent", "requests", "urllib3", "robot",
              "sniffio", "outcome", "selectors")
#: Inside the machinery, what is an app after all.
_APPS = ("RobotASGI.demo",)

_places: Optional[Tuple[Tuple[str, ...], Tuple[str, ...]]] = None


def _where(names: Tuple[str, ...]) -> Tuple[str, ...]:
    """The directories (``dir/``) and files of the modules named."""
    places: List[str] = []
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        if spec.submodule_search_locations:
            places += [os.path.join(os.path.normcase(os.path.abspath(path)), "") for path in spec.submodule_search_locations]
        elif spec.origin:
            places.append(os.path.normcase(os.path.abspath(spec.origin)))
    return tuple(places)


def _is_machinery(filename: str) -> bool:
    global _places
    if _places is None:
        _places = (_where(_MACHINERY), _where(_APPS))
    machinery, apps = _places
    path = os.path.normcase(os.path.abspath(filename))
    if any(path == place or path.startswith(place) for place in apps):
        return False
    return any(path == place or (place.endswith(os.sep) and path.startswith(place)) for place in machinery)


def _machinery_type(error: BaseException) -> bool:
    module = type(error).__module__

    def within(names: Tuple[str, ...]) -> bool:
        return any(module == name or module.startswith(name + ".") for name in names)

    return within(_MACHINERY) and not within(_APPS)


def app_traceback(error: BaseException) -> Optional[str]:
    """``error``'s traceback with the app's frames only, the outermost first,
    and its chained exceptions; None if none of its frames is the app's."""
    parts: List[str] = []
    seen: Set[int] = set()
    current: Optional[BaseException] = error
    link = ""
    found = False
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = [frame for frame in traceback.extract_tb(current.__traceback__) if not _is_machinery(frame.filename)]
        if current is not error and not frames and _machinery_type(current):
            break  # the engine's own exception, in whose handling it raised the app's
        found = found or bool(frames)
        head = "Traceback of the app (its own and its framework's frames, most recent call last):\n" if frames else ""
        part = head + "".join(traceback.format_list(frames)) + "".join(traceback.format_exception_only(type(current), current))
        parts.append(part + link)
        if current.__cause__ is not None:
            current, link = current.__cause__, "\nThe above exception was the direct cause of the exception below:\n\n"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, "\nDuring handling of the above exception, the exception below occurred:\n\n"
        else:
            current = None
    if not found:
        return None
    return "".join(reversed(parts)).rstrip("\n")
