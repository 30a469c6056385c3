"""The cost of OpenAPI validation per request: a GET with and without it, on the same client.

Run from the repository root::

    python -m bench.contracts            # 5 interleaved rounds of 1000 requests per row
    python -m bench.contracts --quick    # 3 rounds of 200

The app is a FastAPI pet shop whose ``GET /pets/{pet_id}`` answers a pet with a nested owner,
an enum and a discriminated ``oneOf`` (OpenAPI 3.1). One RobotASGI client serves every row:

``GET``
    ``client.get("/pets/1")``: the engine and requests, what any GET costs.
``GET + response check``
    The same, then the response checked against its operation (openapi-core's
    ``validate_response``): what ``Response Should Match OpenAPI`` adds.
``GET + what openapi= does``
    The same, then what a client opened with ``openapi=`` does for every exchange: the
    operation and status recorded for coverage, the request checked (only noted in the log)
    and the response checked.

Columns: microseconds per request (median of the rounds), the lowest and highest round, the
ratio to the plain GET and the validation's own cost (the row minus the plain GET). No target:
the numbers say what validation costs. Needs the bench and openapi extras.
"""

from __future__ import annotations

import argparse
import enum
from collections.abc import Callable
from typing import Literal, Optional, Union

from bench._common import (
    ROBOT_IMPORT_ERROR,
    RobotClient,
    interleaved_rounds,
    medians,
    per_op_us,
    print_table,
    ratio,
    start,
)

PLAIN = "GET"
RESPONSE = "GET + response check"
EVERYTHING = "GET + what openapi= does"


def create_app():  # type: ignore[no-untyped-def]
    from fastapi import FastAPI
    from pydantic import BaseModel, Field
    from typing_extensions import Annotated

    class Color(str, enum.Enum):
        red = "red"
        black = "black"

    class Owner(BaseModel):
        name: str
        email: Optional[str] = None

    class Cat(BaseModel):
        kind: Literal["cat"]
        lives: int = Field(ge=0, le=9)

    class Dog(BaseModel):
        kind: Literal["dog"]
        good: bool

    class Pet(BaseModel):
        id: int
        name: str
        color: Color
        tags: list[str] = []
        owner: Optional[Owner] = None
        animal: Annotated[Union[Cat, Dog], Field(discriminator="kind")]

    app = FastAPI(title="bench pet shop")
    pet = {"id": 1, "name": "Tom", "color": "black", "tags": ["lazy"], "owner": {"name": "Ann", "email": None},
           "animal": {"kind": "cat", "lives": 9}}

    @app.get("/pets/{pet_id}", response_model=Pet)
    async def read_pet(pet_id: int) -> dict:  # type: ignore[type-arg]
        return dict(pet, id=pet_id)

    return app


def run(rounds: int, count: int) -> None:
    from RobotASGI.contracts import Contract, OpenAPIDocument, load_document

    with RobotClient(create_app()) as client:
        document, source = load_document("auto", client)
        contract = Contract(OpenAPIDocument(document, source), client="bench")

        def plain() -> None:
            response = client.get("/pets/1")
            assert response.status_code == 200, response.text

        def checked() -> None:
            response = client.get("/pets/1")
            assert contract.document.response_violation(response) is None

        def everything() -> None:
            response = client.get("/pets/1")
            contract.record(response)
            assert contract.document.request_problems(response.request) is None
            assert contract.document.response_violation(response) is None

        rows: dict[str, Callable[[], None]] = {PLAIN: plain, RESPONSE: checked, EVERYTHING: everything}
        for operation in rows.values():  # check once, warm up
            operation()
            per_op_us(operation, max(20, count // 10))
        samples = interleaved_rounds(
            {name: (lambda operation=operation: per_op_us(operation, count)) for name, operation in rows.items()},
            rounds,
        )
        assert contract.coverage()["GET /pets/{pet_id}"] == [200]
    median = medians(samples)
    print_table(
        f"GET /pets/1 with and without OpenAPI validation (one client): {rounds} interleaved rounds of {count} requests",
        ["row", "us/request (median)", "range over rounds", f"vs {PLAIN}", "validation us/request"],
        [
            [
                name,
                f"{median[name]:.1f}",
                f"{min(samples[name]):.1f}-{max(samples[name]):.1f}",
                ratio(median[name], median[PLAIN]),
                f"{median[name] - median[PLAIN]:.1f}",
            ]
            for name in rows
        ],
    )


def main(argv: list[str] | None = None, header: bool = True) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.contracts", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of 200 requests")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (>= 3; default 5, --quick 3)")
    args = parser.parse_args(argv)
    rounds = start(parser, args, header)
    if RobotClient is None:
        print(f"NOTE: skipping the OpenAPI validation rows: {ROBOT_IMPORT_ERROR}")
        return
    try:
        import openapi_core  # noqa: F401
    except ImportError as error:
        print(f"NOTE: skipping the OpenAPI validation rows: the openapi extra is not installed ({error})")
        return
    run(rounds, 200 if args.quick else 1000)


if __name__ == "__main__":
    main()
