"""The HTTP views.

- ``GET /hello?name=X``: ``{"message": "Hello, X!"}``
- ``GET /feedback``: sets the ``csrftoken`` cookie; ``POST /feedback`` (a form
  with ``text``): 201 ``{"thanks": text}``, or 403 from the CSRF middleware
  without the token in an ``X-CSRFToken`` header
- ``GET /crash``: raises ``ValueError('the view crashed')``
"""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token


async def hello(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"message": f"Hello, {request.GET.get('name', 'world')}!"})


def feedback(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return JsonResponse({"thanks": request.POST["text"]}, status=201)
    get_token(request)  # sets the csrftoken cookie
    return JsonResponse({"form": "feedback"})


async def crash(request: HttpRequest) -> HttpResponse:
    raise ValueError("the view crashed")
