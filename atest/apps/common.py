"""Helpers shared by the test apps."""
from __future__ import annotations

import asyncio


def current_backend() -> str:
    """The async library running the caller: ``asyncio`` or ``trio``."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return "trio"  # the engine's only other backend
    return "asyncio"
