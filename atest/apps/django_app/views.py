"""The HTTP views: async ones and, to run Django's sync-to-async path too, sync ones.

The ``csrf_exempt`` views are sync: Django 4.2's decorators do not wrap async views.
"""
from __future__ import annotations

import json
from typing import Any, Dict

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.views.decorators.csrf import csrf_exempt

from ..common import current_backend, describe_file, validate_item

ITEMS: Dict[int, Dict[str, Any]] = {}


async def hello(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "world")
    return HttpResponse(f"Hello, {name}!", content_type="text/plain; charset=utf-8")


@csrf_exempt
def echo(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    return JsonResponse(data, safe=False)


@csrf_exempt
def create_item(request: HttpRequest) -> HttpResponse:
    try:
        data = json.loads(request.body)
    except ValueError:
        data = None
    item, errors = validate_item(data)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    item_id = len(ITEMS) + 1
    ITEMS[item_id] = {"id": item_id, **item}
    return JsonResponse(ITEMS[item_id], status=201)


async def read_item(request: HttpRequest, item_id: int) -> HttpResponse:
    if item_id not in ITEMS:
        raise Http404("Item not found")
    return JsonResponse(ITEMS[item_id])


@csrf_exempt
def upload(request: HttpRequest) -> HttpResponse:
    files = [
        describe_file(field, upload.name, upload.content_type, upload.read())
        for field, uploaded in request.FILES.lists()
        for upload in uploaded
    ]
    return JsonResponse({"fields": request.POST.dict(), "files": files}, status=201)


def protected_form(request: HttpRequest) -> HttpResponse:
    """A form POST that Django's CSRF middleware guards (403 without a token)."""
    return JsonResponse({"fields": request.POST.dict()})


async def set_cookies(request: HttpRequest) -> HttpResponse:
    response = JsonResponse({"set": request.GET.dict()})
    for name, value in request.GET.items():
        response.set_cookie(name, value)
    return response


async def cookies(request: HttpRequest) -> HttpResponse:
    return JsonResponse(dict(request.COOKIES))


def set_session(request: HttpRequest) -> HttpResponse:
    request.session["user"] = request.GET["user"]
    return JsonResponse({"stored": request.session["user"]})


def read_session(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"user": request.session.get("user")})


async def go_elsewhere(request: HttpRequest) -> HttpResponse:
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect("/hello" + (f"?{query}" if query else ""))


async def backend(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"backend": current_backend()})


async def fail(request: HttpRequest) -> HttpResponse:
    raise ValueError("django view failed")


async def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError("explicit server error", content_type="text/plain")
