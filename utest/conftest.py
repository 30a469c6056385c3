"""Shared fixtures for the engine's unit tests.

Every engine behaviour is checked on both anyio backends: tests take the
``backend`` fixture and pass it to ``TestClient(app, backend=backend)``.
"""
from __future__ import annotations

import pytest


@pytest.fixture(params=["asyncio", "trio"])
def backend(request: pytest.FixtureRequest) -> str:
    """The anyio backend the app under test runs on."""
    return request.param
