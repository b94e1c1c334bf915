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

import functools

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.response import HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from stemtest.middleware import GetResponse

LINKS_HOLE = b"<!-- STEMTESTLANGUAGES -->"
ALTERNATES_HOLE = b"<!-- STEMTESTALTERNATES -->"
# What the switcher is called in the page's language. Its links say NL, FR and EN, as Belgian
# sites do, with the name of each language in itself for screen readers.
SWITCHER_LABELS = {"nl-be": "Taal", "fr": "Langue", "en": "Language"}
# The languages with a prefix: /fr/ → fr. (Django's get_language_from_path, without its regex:
# this runs on every request.)
PREFIXED = {code: code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}
QUERY = "\x00query\x00"  # where each link of the cached switcher takes this request's query


def language_of(path: str) -> str | None:
    """The language whose prefix `path` starts with (/fr/…), None for a Dutch address."""
    return PREFIXED.get(path.split("/", 2)[1]) if path.count("/") >= 2 else None


def language_from_address(get_response: GetResponse) -> GetResponse:
    def middleware(request: HttpRequest) -> HttpResponseBase:
        language = language_of(request.path_info) or settings.LANGUAGE_CODE
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
    """`path` (of this site, in any language) in `language`: under its prefix for fr and en,
    the plain address for Dutch (nl-be, or the content's nl)."""
    current = language_of(path)
    if current:
        path = path[len(current) + 1 :]
    return f"/{language}{path}" if language in PREFIXED else path


@functools.lru_cache(maxsize=4096)
def _switcher(current: str, path: str, origin: str) -> tuple[bytes, bytes]:
    """The switcher (with QUERY where the query goes) and the alternates of `path` in `current`
    (`origin`: this site's scheme and host). The same for every voter on that page: made once."""
    links = format_html(
        '<nav class="languages" aria-label="{}"><ul>{}</ul></nav>',
        SWITCHER_LABELS.get(current, "Taal"),
        format_html_join(
            "",
            '<li><a href="{}' + QUERY + '" lang="{}" hreflang="{}"{}>{}'
            '<span class="visually-hidden"> – {}</span></a></li>',
            (
                (
                    address_in(path, code),
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
    # Alternates without the query: a search engine indexes the page, not a voter's answers.
    alternates = format_html_join(
        "\n",
        '<link rel="alternate" hreflang="{}" href="{}">',
        (
            (settings.HTML_LANGUAGES[code], origin + address_in(path, code))
            for code, _name in settings.LANGUAGES
            if code != current
        ),
    )
    return links.encode(), alternates.encode()


def _fill_holes(response: HttpResponse, request: HttpRequest, current: str) -> None:
    content = response.content
    if LINKS_HOLE not in content:
        return
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:  # the page says so (400); it has nothing to index
        origin = ""
    links, alternates = _switcher(current, request.path, origin)
    query = request.META.get("QUERY_STRING", "")
    links = links.replace(QUERY.encode(), escape(f"?{query}").encode() if query else b"")
    if response.status_code != 200 or not origin:
        alternates = b""  # an error page: nothing to index
    content = content.replace(LINKS_HOLE, links).replace(ALTERNATES_HOLE, alternates)
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))
