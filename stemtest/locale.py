"""The language of a page is in its address, and only there.

Dutch on the plain addresses, French under /fr/, English under /en/ (stemtest/urls.py). Not
Django's LocaleMiddleware: it would also read a cookie and Accept-Language, and mark every Dutch
page `Vary: Accept-Language`, so that a shared cache keeps one copy of it per browser language
although the page never changes with it. A link, a bookmark and a partner's iframe show the
language their address says.

Every page has the same page in the other languages at hand: base.html leaves LINKS_HOLE (the
language switcher) and ALTERNATES_HOLE (`<link rel="alternate" hreflang>` for search engines)
in the page, which is rendered once and cached for every voter; they are filled in here from
the address of this request, query included, so that a voter switching language mid-quiz keeps
their answers (static/js/languages.js adds the ones a device keeps in the fragment).
"""

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from stemtest.middleware import GetResponse

LINKS_HOLE = b"<!-- STEMTESTLANGUAGES -->"
ALTERNATES_HOLE = b"<!-- STEMTESTALTERNATES -->"
# What the switcher is called in the page's language. Its links say NL, FR and EN, as Belgian
# sites do, with the name of each language in itself for screen readers.
SWITCHER_LABELS = {"nl-be": "Taal", "fr": "Langue", "en": "Language"}


def language_from_address(get_response: GetResponse) -> GetResponse:
    def middleware(request: HttpRequest) -> HttpResponseBase:
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = get_response(request)
        finally:
            translation.deactivate()  # nothing carries over to the next request of this thread
        response.headers.setdefault("Content-Language", settings.HTML_LANGUAGES[language])
        if isinstance(response, HttpResponse) and _is_html(response):
            _fill_holes(response, request, language)
        return response

    return middleware


def _is_html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("text/html") and not response.has_header(
        "Content-Encoding"
    )


def address_in(path: str, language: str) -> str:
    """`path` (of this site, in any language) in `language`."""
    current = translation.get_language_from_path(path)
    if current and current != settings.LANGUAGE_CODE:
        path = path[len(current) + 1 :]
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def _fill_holes(response: HttpResponse, request: HttpRequest, current: str) -> None:
    content = response.content
    if LINKS_HOLE not in content:
        return
    query = request.META.get("QUERY_STRING", "")
    addresses = {
        code: address_in(request.path, code) + (f"?{query}" if query else "")
        for code, _name in settings.LANGUAGES
    }
    links = format_html(
        '<nav class="languages" aria-label="{}"><ul>{}</ul></nav>',
        SWITCHER_LABELS.get(current, "Taal"),
        format_html_join(
            "",
            '<li><a href="{}" lang="{}" hreflang="{}"{}>{}'
            '<span class="visually-hidden"> – {}</span></a></li>',
            (
                (
                    addresses[code],
                    settings.HTML_LANGUAGES[code],
                    settings.HTML_LANGUAGES[code],
                    mark_safe(' aria-current="true"') if code == current else "",
                    code.split("-")[0].upper(),
                    name,
                )
                for code, name in settings.LANGUAGES
            ),
        ),
    )
    # Alternates without the query: a search engine indexes the page, not a voter's answers;
    # none on an error page.
    alternates = response.status_code == 200 and format_html_join(
        "\n",
        '<link rel="alternate" hreflang="{}" href="{}">',
        (
            (
                settings.HTML_LANGUAGES[code],
                request.build_absolute_uri(address_in(request.path, code)),
            )
            for code, _name in settings.LANGUAGES
            if code != current
        ),
    )
    content = content.replace(LINKS_HOLE, links.encode()).replace(
        ALTERNATES_HOLE, alternates.encode() if alternates else b""
    )
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))
