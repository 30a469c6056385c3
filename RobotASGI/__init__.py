"""RobotASGI: test ASGI web applications in-process from Robot Framework and Python.

``Library    RobotASGI`` in a Robot suite loads the keyword library (the
:class:`RobotASGI.library.RobotASGI` class). Python users import the engine,
:mod:`RobotASGI.testclient`, which does not load Robot Framework at all.
"""
from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Loaded on first use, so importing RobotASGI.testclient stays free of Robot.
    if name == "RobotASGI":
        from .library import RobotASGI

        return RobotASGI
    raise AttributeError(f"module 'RobotASGI' has no attribute {name!r}")
