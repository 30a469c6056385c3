"""A minimal Django project in one package, configured in code, served by Channels.

``application`` is Channels' ``ProtocolTypeRouter``: HTTP goes to Django's own
ASGI handler, WebSockets to Channels consumers (in-memory channel layer, no
database: sessions live in signed cookies). Importing the package configures
Django once per process (``settings.configure`` guarded by
``settings.configured``), so importing it again, under any name, is safe.

``create_application(propagate_exceptions=False)`` returns the same
application after setting Django's ``DEBUG_PROPAGATE_EXCEPTIONS``: with
``True`` an exception in a view reaches the server (RobotASGI) with its type,
as in the other apps; with ``False`` (Django's default, and what the bare
``application`` starts with) Django logs it to ``django.request`` and answers
its ``Server Error (500)`` page. The setting is process-wide: the last call wins.

Neither Django nor Channels has lifespan events: ``ProtocolTypeRouter`` raises on
the ``lifespan`` scope, which servers (and RobotASGI) take as "no lifespan".

HTTP (``views.py``; ``DEBUG=False``, ``ALLOWED_HOSTS=["testserver"]``):

- ``GET /hello?name=X``: ``Hello, X!`` (text/plain)
- ``POST /echo``: the JSON body sent back (CSRF exempt)
- ``POST /items``: ``{"name": str, "price": number > 0}``; 201 with the item and
  an ``id``, 400 ``{"errors": [{"loc": ..., "msg": ...}]}`` on bad input (CSRF
  exempt); ``GET /items/<id>``: the item, or Django's 404 page
- ``POST /upload``: form fields and uploaded files (name, type, size, text), 201
  (CSRF exempt)
- ``POST /form/protected``: a form view guarded by the CSRF middleware (403
  without a token)
- ``GET /cookies/set?name=value``: sets cookies; ``GET /cookies``: the cookies sent
- ``GET /session/set?user=X`` and ``GET /session``: a value kept in Django's
  session (signed-cookie backend)
- ``GET /redirect``: 302 to ``/hello`` (query kept)
- ``GET /backend``: ``{"backend": "asyncio" | "trio"}``
- ``GET /raise``: raises ``ValueError('django view failed')`` (see above)
- ``GET /server-error``: a 500 response ``explicit server error`` from the view
- any other path: Django's 404 page

WebSocket (``consumers.py``), routed by Channels' ``URLRouter``:

- ``/ws``: echo of text and bytes; text ``close`` closes with 1000 ``bye``
- ``/ws/json``: each JSON message sent back as ``{"echo": message}``
- ``/ws/reject``: closed with 1008 ``forbidden`` before accepting; the consumer's
  ``disconnect()`` records its code in ``consumers.REFUSED_DISCONNECTS``
- ``/ws/origin``: the echo behind Channels' ``OriginValidator`` (only the origin
  ``http://testserver`` may connect; Channels' ``WebsocketDenier`` refuses the
  others, with code 1000)
- ``/ws/room/<room>``: a chat room on the channel layer: every JSON message is
  broadcast to each session in the room as ``{"room": R, "message": M}``
- ``/ws/raise``: accepts, then raises ``ValueError('django consumer failed')``
- any other path: ``URLRouter`` raises ``ValueError("No route found for path ...")``
"""
from __future__ import annotations

from typing import Any

from .settings import configure

configure()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402
from django.urls import path  # noqa: E402

from .consumers import EchoConsumer, JsonEchoConsumer, RaisingConsumer, RejectConsumer, RoomConsumer  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": get_asgi_application(),
        "websocket": URLRouter(
            [
                path("ws", EchoConsumer.as_asgi()),
                path("ws/json", JsonEchoConsumer.as_asgi()),
                path("ws/reject", RejectConsumer.as_asgi()),
                path("ws/origin", OriginValidator(EchoConsumer.as_asgi(), ["http://testserver"])),
                path("ws/room/<str:room>", RoomConsumer.as_asgi()),
                path("ws/raise", RaisingConsumer.as_asgi()),
            ]
        ),
    }
)


def create_application(propagate_exceptions: bool = False) -> Any:
    """``application``, with Django's ``DEBUG_PROPAGATE_EXCEPTIONS`` set as asked."""
    settings.DEBUG_PROPAGATE_EXCEPTIONS = propagate_exceptions
    return application
