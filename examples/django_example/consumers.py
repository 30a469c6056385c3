"""The Channels consumers.

- ``/ws/rooms/<room>``: every JSON message a member sends reaches each member
  of the room (a group on the channel layer) as ``{"room": R, "message": M}``
"""
from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class RoomConsumer(AsyncJsonWebsocketConsumer):
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
