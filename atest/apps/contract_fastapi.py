"""A FastAPI pet shop with a real OpenAPI 3.1 document, for contract testing.

The schema has nested models (``Pet.owner``), an enum (``Color``), a
discriminated ``oneOf`` (``Pet.animal``: ``Cat`` or ``Dog`` by ``kind``), required
fields, path, query and header parameters, and FastAPI's 422 answers.

- ``GET /pets?color=&limit=`` (header ``X-Tenant`` required): the pets of the
  store that :func:`get_store` provides - a dependency the suites override
- ``POST /pets``: a ``PetIn`` body; 201 with the new ``Pet``
- ``GET /pets/{pet_id}``: the pet; 404 ``{"detail": ...}`` (declared) unless it exists
- ``DELETE /pets/{pet_id}``: 204
- ``GET /settings``: :data:`settings` as the app sees it (a feature flag and a greeting)
- ``GET /undeclared/{pet_id}``: answers 404, which the operation does not declare
- ``GET /broken``: declares ``Pet`` but answers ``color: "green"`` and
  ``animal.lives: "nine"`` - a response that violates its schema
- ``GET /plain``: text/plain, ``schema: string``
"""
from __future__ import annotations

import enum
from typing import Dict, List, Literal, Optional, Union

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field
from typing_extensions import Annotated


class Color(str, enum.Enum):
    red = "red"
    black = "black"
    white = "white"


class Owner(BaseModel):
    name: str
    email: Optional[str] = None


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = Field(ge=0, le=9)


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool


class PetIn(BaseModel):
    name: str = Field(min_length=1)
    color: Color
    tags: List[str] = []
    owner: Optional[Owner] = None
    animal: Annotated[Union[Cat, Dog], Field(discriminator="kind")]


class Pet(PetIn):
    id: int


class Message(BaseModel):
    detail: str


class Settings:
    """What a real app reads from its environment; the suites change it with ``Set App Attribute``."""

    def __init__(self) -> None:
        self.greeting = "Hello"
        self.new_checkout = False


settings = Settings()

#: The pet store the app starts with; :func:`get_store` hands it to the routes.
STORE: Dict[int, Dict[str, object]] = {
    1: {"id": 1, "name": "Tom", "color": "black", "tags": ["lazy"], "owner": {"name": "Ann", "email": None},
        "animal": {"kind": "cat", "lives": 9}},
    2: {"id": 2, "name": "Rex", "color": "white", "tags": [], "owner": None, "animal": {"kind": "dog", "good": True}},
}


def get_store() -> Dict[int, Dict[str, object]]:
    """The dependency that gives routes the store (a database session in a real app)."""
    return STORE


def fake_store() -> Dict[int, Dict[str, object]]:
    """A replacement for :func:`get_store`: one pet, a dog named Fake."""
    return {7: {"id": 7, "name": "Fake", "color": "red", "tags": ["double"], "owner": None,
                "animal": {"kind": "dog", "good": False}}}


def create_app() -> FastAPI:
    api = FastAPI(title="Pet shop (FastAPI)", version="1.0")

    @api.get("/pets", response_model=List[Pet])
    async def list_pets(
        x_tenant: Annotated[str, Header()],
        store: Annotated[Dict[int, Dict[str, object]], Depends(get_store)],
        color: Optional[Color] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
    ) -> List[Dict[str, object]]:
        pets = [pet for pet in store.values() if color is None or pet["color"] == color.value]
        return pets[:limit]

    @api.post("/pets", status_code=201, response_model=Pet)
    async def create_pet(pet: PetIn, store: Annotated[Dict[int, Dict[str, object]], Depends(get_store)]) -> Dict[str, object]:
        new = {"id": max(store, default=0) + 1, **pet.model_dump(mode="json")}
        store[int(new["id"])] = new  # type: ignore[call-overload]
        return new

    @api.get("/pets/{pet_id}", response_model=Pet, responses={404: {"model": Message}})
    async def read_pet(pet_id: int, store: Annotated[Dict[int, Dict[str, object]], Depends(get_store)]) -> Dict[str, object]:
        if pet_id not in store:
            raise HTTPException(status_code=404, detail=f"No pet {pet_id}")
        return store[pet_id]

    @api.delete("/pets/{pet_id}", status_code=204, response_class=Response)
    async def delete_pet(pet_id: int, store: Annotated[Dict[int, Dict[str, object]], Depends(get_store)]) -> Response:
        store.pop(pet_id, None)
        return Response(status_code=204)

    @api.get("/settings")
    async def show_settings() -> Dict[str, object]:
        return {"greeting": settings.greeting, "new_checkout": settings.new_checkout}

    @api.get("/undeclared/{pet_id}", response_model=Pet)
    async def undeclared(pet_id: int) -> Dict[str, object]:
        raise HTTPException(status_code=404, detail="not declared")

    @api.get("/broken", response_model=Pet)
    async def broken() -> JSONResponse:
        return JSONResponse({"id": 3, "name": "Odd", "color": "green", "tags": [], "owner": None,
                             "animal": {"kind": "cat", "lives": "nine"}})

    @api.get("/plain", response_class=PlainTextResponse)
    async def plain() -> str:
        return "plain text"

    return api


app = create_app()
