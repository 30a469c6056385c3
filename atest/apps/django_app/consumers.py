"""The Channels consumers behind the WebSocket routes."""
from __future__ import annotations

from typing import Any, List, Optional

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

#: The close codes ``RejectConsumer.disconnect()`` was called with: a server tells
#: an app that refused a connection that it is gone (uvicorn: code 1006).
REFUSED_DISCONNECTS: List[int] = []


class EchoConsumer(AsyncWebsocketConsumer):
    """Echoes text and bytes; the text ``close`` closes with 1000 ``bye``."""

    async def receive(self, text_data: Optional[str] = None, bytes_data: Optional[bytes] = None) -> None:
        if text_data == "close":
            await self.close(code=1000, reason="bye")
        elif text_data is not None:
            await self.send(text_data=text_data)
        else:
            await self.send(bytes_data=bytes_data)


class JsonEchoConsumer(AsyncJsonWebsocketConsumer):
    """Sends each JSON message back as ``{"echo": message}``."""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json({"echo": content})


class RejectConsumer(AsyncWebsocketConsumer):
    """Refuses every connection: closed with 1008 ``forbidden`` before accepting."""

    async def connect(self) -> None:
        await self.close(code=1008, reason="forbidden")

    async def disconnect(self, code: int) -> None:
        REFUSED_DISCONNECTS.append(code)


class RaisingConsumer(AsyncWebsocketConsumer):
    """Accepts, then raises on the first message."""

    async def receive(self, text_data: Optional[str] = None, bytes_data: Optional[bytes] = None) -> None:
        raise ValueError("django consumer failed")


class RoomConsumer(AsyncJsonWebsocketConsumer):
    """Joins the group of the URL's room on the in-memory channel layer; every
    JSON message is broadcast to the room as ``{"room": R, "message": M}``."""

    async def connect(self) -> None:
        self.room = self.scope["url_route"]["kwargs"]["room"]
        await self.channel_layer.group_add(self.room, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.room, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.channel_layer.group_send(self.room, {"type": "room.message", "message": content})

    async def room_message(self, event: Any) -> None:
        await self.send_json({"room": self.room, "message": event["message"]})
