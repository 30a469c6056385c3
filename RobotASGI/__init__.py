"""RobotASGI: test ASGI web applications in-process from Robot Framework and Python."""

__version__ = "0.1.0"
