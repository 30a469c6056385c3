"""The ASGI application: ``django_example.asgi:application``, as a server - or
``Open ASGI Client`` - imports it."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_example.settings")
# Set Django up before importing anything that uses its models or settings.
django_http = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from .consumers import RoomConsumer  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_http,
        # Only pages of an allowed host may open a WebSocket: the Origin header must name one.
        "websocket": AllowedHostsOriginValidator(URLRouter([path("ws/rooms/<str:room>", RoomConsumer.as_asgi())])),
    }
)
