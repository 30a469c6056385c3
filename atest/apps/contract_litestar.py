"""A Litestar pet shop with a real OpenAPI 3.1 document (at ``/schema/openapi.json``).

msgspec models: nested (``Pet.owner``), an enum (``Color``), a tagged union
``Cat | Dog`` (a ``oneOf`` in the document), required fields; path, query and
header parameters; Litestar answers invalid input with a declared 400.

- ``GET /pets?color=&limit=`` (header ``X-Tenant`` required): the pets
- ``POST /pets``: a ``PetIn`` body; 201 with the new ``Pet``
- ``GET /pets/{pet_id:int}``: the pet; 404 unless it exists (declared)
- ``GET /settings``: :data:`settings` as the app sees it
- ``GET /broken``: declares ``Pet`` but answers ``color: "green"`` and
  ``animal.lives: "nine"``
"""
from __future__ import annotations

import enum
from typing import Annotated, Any, Dict, List, Optional, Union

from litestar import Litestar, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.openapi import ResponseSpec
from litestar.params import Parameter
from msgspec import Meta, Struct

from .litestar_app import logging_config


class Color(str, enum.Enum):
    red = "red"
    black = "black"
    white = "white"


class Owner(Struct):
    name: str
    email: Optional[str] = None


class Cat(Struct, tag_field="kind", tag="cat"):
    lives: Annotated[int, Meta(ge=0, le=9)]


class Dog(Struct, tag_field="kind", tag="dog"):
    good: bool


class PetIn(Struct):
    name: Annotated[str, Meta(min_length=1)]
    color: Color
    animal: Union[Cat, Dog]
    tags: List[str] = []
    owner: Optional[Owner] = None


class Pet(Struct):
    id: int
    name: str
    color: Color
    animal: Union[Cat, Dog]
    tags: List[str] = []
    owner: Optional[Owner] = None


class Message(Struct):
    detail: str


class Settings:
    """What a real app reads from its environment; the suites change it with ``Set App Attribute``."""

    def __init__(self) -> None:
        self.greeting = "Hello"
        self.new_checkout = False


settings = Settings()

PETS: Dict[int, Pet] = {
    1: Pet(id=1, name="Tom", color=Color.black, animal=Cat(lives=9), tags=["lazy"], owner=Owner(name="Ann")),
    2: Pet(id=2, name="Rex", color=Color.white, animal=Dog(good=True)),
}


@get("/pets")
async def list_pets(
    x_tenant: Annotated[str, Parameter(header="X-Tenant")],
    color: Optional[Color] = None,
    limit: Annotated[int, Parameter(ge=1, le=100)] = 10,
) -> List[Pet]:
    return [pet for pet in PETS.values() if color is None or pet.color == color][:limit]


@post("/pets")
async def create_pet(data: PetIn) -> Pet:
    pet = Pet(id=max(PETS, default=0) + 1, name=data.name, color=data.color, animal=data.animal,
              tags=data.tags, owner=data.owner)
    PETS[pet.id] = pet
    return pet


@get("/pets/{pet_id:int}", responses={404: ResponseSpec(data_container=Message, description="No such pet")})
async def read_pet(pet_id: int) -> Pet:
    if pet_id not in PETS:
        raise NotFoundException(f"No pet {pet_id}")
    return PETS[pet_id]


@get("/settings")
async def show_settings() -> Dict[str, Any]:
    return {"greeting": settings.greeting, "new_checkout": settings.new_checkout}


@get("/broken")
async def broken() -> Response[Pet]:
    content: Any = {"id": 3, "name": "Odd", "color": "green", "tags": [], "owner": None,
                    "animal": {"kind": "cat", "lives": "nine"}}
    return Response(content)


def create_app() -> Litestar:
    return Litestar(
        route_handlers=[list_pets, create_pet, read_pet, show_settings, broken],
        logging_config=logging_config(),
    )


app = create_app()
