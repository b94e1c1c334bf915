"""Stemtest's own middleware: a Permissions-Policy header, a clear page when the database is
unavailable, and the session, authentication and messages middlewares run only for the
editors' pages."""

import ipaddress
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.deprecation import MiddlewareMixin

type GetResponse = Callable[[HttpRequest], HttpResponseBase]

logger = logging.getLogger(__name__)


def permissions_policy(get_response: GetResponse) -> GetResponse:
    """Switch off browser features Stemtest never uses (Django has no setting for this header)."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def no_nul_in_the_address(get_response: GetResponse) -> GetResponse:
    """A NUL character in the path or the query string is never ours (PostgreSQL refuses it in a
    query): a 400 page, before any view or admin filter sees it."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        query = unquote_plus(request.META.get("QUERY_STRING", ""), errors="replace")
        if "\x00" in request.path or "\x00" in query:
            raise BadRequest("Het adres bevat een ongeldig teken.")
        return get_response(request)

    return middleware


def no_body_for_head(get_response: GetResponse) -> GetResponse:
    """A HEAD response as the GET's, with its Content-Length but without the body, which a WSGI
    server would otherwise drop with a warning on every request."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        if request.method == "HEAD" and isinstance(response, HttpResponse):
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return middleware


def client_ip_behind_proxy(request: HttpRequest) -> str | None:
    """The address our own proxy saw: the last entry it appended to X-Forwarded-For, if that is
    an address at all; else the proxy's own."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return request.META.get("REMOTE_ADDR")


# Only the editors' pages read a session, a user or messages: the admin (with its login) and the
# preview of a quiz. Voters' pages and the programme skip those middlewares, which is a fifth of
# a voter request's CPU time (docs/PERFORMANCE.md).
EDITOR_PATHS = ("/admin/", "/voorbeeld/")


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """A request that the database failed (down, refusing, or gone) gets a 503 page that says so,
    not the 500 page: for an editor, that the change was not saved. Voters rarely see it: they
    are served from snapshots (quiz.snapshot), also while the database is down."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        editor = request.path_info.startswith(EDITOR_PATHS)
        html = render_to_string("503.html", {"editor": editor})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "30"
        return response


class EditorsOnly(MiddlewareMixin):
    """Mixin that runs a middleware only for requests to EDITOR_PATHS."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if request.path_info.startswith(EDITOR_PATHS):
            return super().__call__(request)
        return self.get_response(request)


class SessionMiddleware(EditorsOnly, sessions.SessionMiddleware):
    pass


class AuthenticationMiddleware(EditorsOnly, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(EditorsOnly, messages.MessageMiddleware):
    pass
