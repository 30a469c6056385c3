"""The URLconf (``ROOT_URLCONF``)."""
from django.urls import path

from . import views

urlpatterns = [
    path("hello", views.hello),
    path("echo", views.echo),
    path("items", views.create_item),
    path("items/<int:item_id>", views.read_item),
    path("upload", views.upload),
    path("form/protected", views.protected_form),
    path("cookies/set", views.set_cookies),
    path("cookies", views.cookies),
    path("session/set", views.set_session),
    path("session", views.read_session),
    path("redirect", views.go_elsewhere),
    path("backend", views.backend),
    path("raise", views.fail),
    path("server-error", views.server_error),
]
