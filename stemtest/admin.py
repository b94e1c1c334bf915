"""The editors' admin site: Stemtest's branding, and a resolution autocomplete that shows each
resolution's opening words. Django uses it as `admin.site` (see `stemtest.apps`)."""

from typing import Any, cast

from axes.conf import settings as axes_settings
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import Truncator

from quiz.models import Resolution


class ResolutionAutocompleteView(AutocompleteJsonView):
    """The site's autocomplete, showing a resolution's opening words next to its number."""

    def serialize_result(self, obj: Model, to_field_name: str) -> dict[str, Any]:
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Resolution):
            result["text"] = f"{obj.number}. {Truncator(obj.text).chars(110)}"
        return result


class StemtestAdminSite(admin.AdminSite):
    site_header = "Stemtest redactie"
    site_title = "Stemtest redactie"
    index_title = "Stellingen, standpunten en programma's"

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        response = ResolutionAutocompleteView.as_view(admin_site=self)(request)
        return cast(HttpResponse, response)  # a JsonResponse, as AdminSite's own


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): a page in the
    admin's look and branding."""
    context = admin.site.each_context(request)
    status = axes_settings.AXES_HTTP_RESPONSE_CODE
    return render(request, "admin/locked_out.html", context, status=status)
