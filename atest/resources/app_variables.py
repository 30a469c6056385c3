"""A variables file handing app objects (not import strings) to the suites."""
from apps import asgi2_app, starlette_app
from testapps import faults

STARLETTE_APP = starlette_app.app
ASGI2_CLASS = asgi2_app.App
WSGI_APP = faults.wsgi_app
