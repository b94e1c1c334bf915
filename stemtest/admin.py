"""The editors' admin site: Stemtest's branding, and a resolution autocomplete that shows each
resolution's opening words. Django uses it as `admin.site` (see `stemtest.apps`)."""

from typing import Any, cast

from axes.conf import settings as axes_settings
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.text import Truncator

from quiz.models import Resolution


class ResolutionAutocompleteView(AutocompleteJsonView):
    """The site's autocomplete, showing a resolution's opening words next to its number."""

    def serialize_result(self, obj: Model, to_field_name: str) -> dict[str, Any]:
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Resolution):
            result["text"] = f"{obj.number}. {Truncator(obj.text).chars(110)}"
        return result


# The index: the quiz first (statements before the programmes they cite), users and login
# lockouts last.
APP_ORDER = ["quiz", "auth", "axes"]
APP_NAMES = {"axes": "Aanmeldpogingen"}
MODEL_ORDER = [
    "Statement",
    "Quiz",
    "Position",
    "Theme",
    "Programme",
    "Resolution",
    "Section",
    "Party",
    "Election",
]


def _position(order: list[str], name: str) -> int:
    return order.index(name) if name in order else len(order)


class StemtestAdminSite(admin.AdminSite):
    site_header = "Stemtest redactie"
    site_title = "Stemtest redactie"
    index_title = "Start"
    index_template = "admin/stemtest_index.html"
    # The breadcrumbs and the start page lead everywhere; the sidebar's 300 px would cut off
    # the statement list's last columns at 1280 px.
    enable_nav_sidebar = False

    def get_app_list(
        self, request: HttpRequest, app_label: str | None = None
    ) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        apps.sort(key=lambda app: (_position(APP_ORDER, app["app_label"]), app["name"]))
        for app in apps:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            app["models"].sort(key=lambda model: _position(MODEL_ORDER, model["object_name"]))
        return apps

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        """The editor's start page: what waits for them, then the models."""
        from quiz.views.editor import start_page  # the quiz app's models, loaded by now

        context = {**(extra_context or {}), "work": start_page(request)}
        return super().index(request, context)

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
