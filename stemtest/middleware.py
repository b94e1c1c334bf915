from django.conf import settings


def permissions_policy(get_response):
    """Switch off browser features Stemtest never uses (Django has no setting for this header)."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def client_ip_behind_proxy(request) -> str | None:
    """The address our own proxy saw: the last entry it appended to X-Forwarded-For."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.rsplit(",", 1)[-1].strip() or request.META.get("REMOTE_ADDR")
