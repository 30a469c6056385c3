"""The RobotASGI demo app: a small plain-ASGI application to test against.

>>> from RobotASGI.demo import app
>>> from RobotASGI.testclient import TestClient
>>> with TestClient(app) as client:
...     client.get("/hello", params={"name": "Robot"}).text
'Hello, Robot!'

Run ``python -m RobotASGI.demo`` for a description of the routes.
"""
from .app import app

__all__ = ["app"]
