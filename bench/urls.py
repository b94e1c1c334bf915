"""The product's URLs plus /bench/bare/: a view that only says "ok", through the same
middleware, as the yardstick for bench/load.py and bench/quiz.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from stemtest.urls import urlpatterns as product


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


# The product's list itself, not include()d: it holds i18n_patterns (/fr/, /en/).
urlpatterns = [path("bench/bare/", bare), *product]
