"""RobotASGI's in-process ASGI test client engine.

>>> from RobotASGI.testclient import TestClient
>>> with TestClient(app) as client:
...     response = client.get("/hello")

It knows nothing of Robot Framework: the keywords are built on top of it.
"""
from .client import DEFAULT_TIMEOUT, TestClient
from .errors import (
    ASGIProtocolError,
    ASGITimeout,
    ClientDisconnected,
    Disconnect,
    EventLoopBlocked,
    LifespanError,
    LifespanShutdownError,
    LifespanStartupError,
    RequestAbandoned,
    ResponseNotReady,
    StreamTimeout,
    TestClientError,
    UnexpectedMessage,
    WebSocketDenialResponse,
    WebSocketDisconnect,
    WebSocketTimeout,
)
from .pending import PendingRequest
from .slow_body import SlowBody
from .websocket import WebSocketTestSession

__all__ = [
    "DEFAULT_TIMEOUT",
    "ASGIProtocolError",
    "ASGITimeout",
    "ClientDisconnected",
    "EventLoopBlocked",
    "LifespanError",
    "LifespanShutdownError",
    "LifespanStartupError",
    "PendingRequest",
    "RequestAbandoned",
    "ResponseNotReady",
    "SlowBody",
    "StreamTimeout",
    "TestClient",
    "TestClientError",
    "Disconnect",
    "UnexpectedMessage",
    "WebSocketDenialResponse",
    "WebSocketDisconnect",
    "WebSocketTestSession",
    "WebSocketTimeout",
]
