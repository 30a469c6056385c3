"""A small FastAPI shop, tested in-process by ``examples/fastapi.robot``.

- lifespan: startup opens the shop's stock (``app.state.items``)
- ``POST /items``: a Pydantic-validated item (``name``, ``price > 0``); 201 with
  its ``id``, 422 with FastAPI's details on bad input
- ``GET /items`` and ``GET /items/{item_id}`` (404 unless it exists)
- ``POST /orders``: charges the item's price through the ``get_gateway``
  dependency; 201, or 402 when the payment is declined. The price is cut by
  10% while ``settings.discounts`` is on
- WebSocket ``/ws/orders``: each order placed from then on, as JSON

The OpenAPI document FastAPI serves at ``/openapi.json`` declares every answer,
the 404 and 402 included, so a client opened with ``openapi=auto`` checks them.
"""
from __future__ import annotations

import contextlib
from typing import AsyncIterator, Dict, List, Set

from fastapi import Depends, FastAPI, HTTPException, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field


class Settings:
    """What the app reads at request time: ``Set App Attribute`` can change it."""

    discounts = False


settings = Settings()


class NewItem(BaseModel):
    name: str = Field(min_length=1)
    price: float = Field(gt=0)


class Item(NewItem):
    id: int


class NewOrder(BaseModel):
    item_id: int


class Order(BaseModel):
    item_id: int
    charged: float


class Problem(BaseModel):
    detail: str


class PaymentGateway:
    """The real gateway would call a payment provider."""

    def charge(self, amount: float) -> bool:
        return True


def get_gateway() -> PaymentGateway:
    return PaymentGateway()


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.items = {}
    app.state.watchers = set()
    yield
    app.state.items.clear()


app = FastAPI(title="Example shop", lifespan=lifespan)


def stock(request: Request) -> Dict[int, Item]:
    return request.app.state.items


@app.post("/items", status_code=201, response_model=Item)
async def create_item(new: NewItem, items: Dict[int, Item] = Depends(stock)) -> Item:
    item = Item(id=len(items) + 1, **new.model_dump())
    items[item.id] = item
    return item


@app.get("/items", response_model=List[Item])
async def list_items(items: Dict[int, Item] = Depends(stock)) -> List[Item]:
    return list(items.values())


@app.get("/items/{item_id}", response_model=Item, responses={404: {"model": Problem}})
async def read_item(item_id: int, items: Dict[int, Item] = Depends(stock)) -> Item:
    if item_id not in items:
        raise HTTPException(404, "Item not found")
    return items[item_id]


@app.post("/orders", status_code=201, response_model=Order, responses={402: {"model": Problem}, 404: {"model": Problem}})
async def place_order(
    new: NewOrder,
    request: Request,
    items: Dict[int, Item] = Depends(stock),
    gateway: PaymentGateway = Depends(get_gateway),
) -> Order:
    if new.item_id not in items:
        raise HTTPException(404, "Item not found")
    price = items[new.item_id].price
    amount = round(price * 0.9, 2) if settings.discounts else price
    if not gateway.charge(amount):
        raise HTTPException(402, "Payment declined")
    order = Order(item_id=new.item_id, charged=amount)
    watchers: Set[WebSocket] = request.app.state.watchers
    for watcher in list(watchers):
        await watcher.send_json(order.model_dump())
    return order


@app.websocket("/ws/orders")
async def watch_orders(websocket: WebSocket) -> None:
    await websocket.accept()
    watchers: Set[WebSocket] = websocket.app.state.watchers
    watchers.add(websocket)
    try:
        while True:
            await websocket.receive_text()  # nothing to read: wait for the client to leave
    except WebSocketDisconnect:
        pass
    finally:
        watchers.discard(websocket)
