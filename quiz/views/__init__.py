"""Views, one module per audience: `programme` (public programme pages and open data),
`voter` (the quiz and its results), `editor` (admin pages beyond the ModelAdmins)."""

import functools
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (its documented way to type views)."""

    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx swap, which gets a partial page. Not a history restore: htmx asks for the whole
    page when it has no copy of one to go Back to."""
    return bool(request.htmx and not request.htmx.history_restore_request)


def json_errors[**P](
    view: Callable[P, HttpResponse],
) -> Callable[P, HttpResponse]:
    """Open-data views answer an unknown address or a bad request in JSON, not with a page."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except Http404:
            return JsonResponse({"error": "Niet gevonden."}, status=404)
        except BadRequest as error:
            return JsonResponse({"error": str(error)}, status=400)

    return wrapper
