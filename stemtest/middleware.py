"""Stemtest's own middleware: a Permissions-Policy header, and the session, authentication
and messages middlewares run only for the editors' pages."""

from collections.abc import Awaitable, Callable

from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.http import HttpRequest, HttpResponseBase
from django.utils.deprecation import MiddlewareMixin

type GetResponse = Callable[[HttpRequest], HttpResponseBase]


def permissions_policy(get_response: GetResponse) -> GetResponse:
    """Switch off browser features Stemtest never uses (Django has no setting for this header)."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def client_ip_behind_proxy(request: HttpRequest) -> str | None:
    """The address our own proxy saw: the last entry it appended to X-Forwarded-For."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.rsplit(",", 1)[-1].strip() or request.META.get("REMOTE_ADDR")


# Only the editors' pages read a session, a user or messages: the admin (with its login) and the
# preview of a quiz. Voters' pages and the programme skip those middlewares, which is a fifth of
# a voter request's CPU time (docs/PERFORMANCE.md).
EDITOR_PATHS = ("/admin/", "/voorbeeld/")


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
