"""The project's settings, configured in code: :func:`configure` is safe to call again."""
from __future__ import annotations

import django
from django.conf import settings

#: The package the project lives in (``apps.django_app`` when ``atest/`` is on the path).
PACKAGE = __name__.rpartition(".")[0]


def configure() -> None:
    """Configure Django and set it up, once per process."""
    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        # The setting Django documents for test setups; the app factory switches it.
        DEBUG_PROPAGATE_EXCEPTIONS=False,
        SECRET_KEY="robotasgi-atest-not-secret",
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=f"{PACKAGE}.urls",
        INSTALLED_APPS=["django.contrib.sessions", "channels"],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
        ],
        # No database at all: sessions live in a signed cookie.
        DATABASES={},
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        CHANNEL_LAYERS={"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
        USE_TZ=True,
        # Django's default logging: 'django.request' warns of every 4xx ("Not
        # Found: /nope"), the CSRF middleware of each refusal; the records
        # propagate to the root logger, where RobotASGI collects them.
    )
    django.setup()
