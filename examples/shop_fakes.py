"""Test doubles for ``examples/fastapi.robot``: what ``Override Dependency`` puts in."""
from __future__ import annotations


class DecliningGateway:
    """A payment gateway that declines every charge, and remembers them."""

    charges: list = []

    def charge(self, amount: float) -> bool:
        self.charges.append(amount)
        return False


def declining_gateway() -> DecliningGateway:
    return DecliningGateway()
