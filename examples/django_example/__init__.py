"""A small Django project served with Channels, laid out as ``django-admin
startproject`` lays one out, tested in-process by ``examples/django_channels.robot``.
``asgi.py`` holds the application: ``django_example.asgi:application``."""
