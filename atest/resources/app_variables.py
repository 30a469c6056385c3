"""A variables file handing app objects (not import strings) to the suites."""
from apps import asgi2_app, faulty, starlette_app

STARLETTE_APP = starlette_app.app
ASGI2_CLASS = asgi2_app.App
WSGI_APP = faulty.wsgi_app
