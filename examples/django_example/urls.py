from django.urls import path

from . import views

urlpatterns = [
    path("hello", views.hello),
    path("feedback", views.feedback),
    path("crash", views.crash),
]
