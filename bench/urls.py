"""The product's URLs plus /bench/bare/: a view that only says "ok", through the same
middleware, as the yardstick for bench/load.py and bench/quiz.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("stemtest.urls"))]
