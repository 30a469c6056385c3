"""A small Litestar book catalogue, tested in-process by ``examples/litestar.robot``.
It runs on asyncio and trio.

- ``on_startup`` opens the catalogue (``app.state.books``)
- ``POST /books``: a msgspec-validated book (``title``, ``year`` from 1450);
  201 with its ``id``, 400 with Litestar's ``Validation failed`` details
- ``GET /books/{book_id}``: the book, 404 unless it exists
- ``GET /books/{book_id}/cover``: raises ``LookupError('no cover')``: Litestar
  answers 500 itself
- WebSocket ``/ws/search``: a ``websocket_listener``: each ``{"q": text}``
  gets ``{"matches": [titles containing it]}``

Litestar serves its OpenAPI document at ``/schema/openapi.json``, so a client
opened with ``openapi=auto`` checks every exchange against it.
"""
from __future__ import annotations

from typing import Annotated, Any, Dict, List

from litestar import Litestar, get, post, websocket_listener
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from msgspec import Meta, Struct


class NewBook(Struct):
    title: Annotated[str, Meta(min_length=1)]
    year: Annotated[int, Meta(ge=1450)]


class Book(Struct):
    id: int
    title: str
    year: int


def open_catalogue(app: Litestar) -> None:
    app.state.books = {}


@post("/books")
async def add_book(data: NewBook, state: State) -> Book:
    books: Dict[int, Book] = state.books
    book = Book(id=len(books) + 1, title=data.title, year=data.year)
    books[book.id] = book
    return book


@get("/books/{book_id:int}", raises=[NotFoundException])
async def read_book(book_id: int, state: State) -> Book:
    if book_id not in state.books:
        raise NotFoundException("Book not found")
    return state.books[book_id]


@get("/books/{book_id:int}/cover")
async def cover(book_id: int) -> bytes:
    raise LookupError("no cover")


@websocket_listener("/ws/search")
async def search(data: Dict[str, Any], state: State) -> Dict[str, List[str]]:
    books: Dict[int, Book] = state.books
    return {"matches": [book.title for book in books.values() if data["q"].lower() in book.title.lower()]}


app = Litestar(route_handlers=[add_book, read_book, cover, search], on_startup=[open_catalogue])
