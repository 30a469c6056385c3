"""Settings of the example project: no database (nothing here needs one)."""

SECRET_KEY = "an-example-not-a-secret"
DEBUG = False
# RobotASGI's requests go to http://testserver unless the client's base_url says
# otherwise: that host must be allowed, or Django answers 400 Bad Request.
ALLOWED_HOSTS = ["testserver"]
# An exception in a view reaches the server - RobotASGI fails the keyword with it -
# instead of becoming Django's "Server Error (500)" page.
DEBUG_PROPAGATE_EXCEPTIONS = True

INSTALLED_APPS = ["channels"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]
ROOT_URLCONF = "django_example.urls"
ASGI_APPLICATION = "django_example.asgi.application"
DATABASES = {}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
USE_TZ = True
# Django sets the process's time zone (the TZ environment variable) to TIME_ZONE when it
# starts - America/Chicago unless set - and Robot's timestamps follow it from then on.
TIME_ZONE = "UTC"
