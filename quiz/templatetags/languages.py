"""The page's language and the content's: `{% html_lang %}`, `{% language_prefix %}`, and the
`lang` of text shown in another language than the page's (a statement not translated yet, a
quote from a programme)."""

import re

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

ORIGINAL = "nl-BE"  # what editors write in (quiz.snapshot.ORIGINAL_LANGUAGE)
QUOTE = re.compile(r"“[^”]*”")  # a justification quotes its programme “like this”


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


@register.simple_tag
def html_lang() -> str:
    """The page's language as <html lang> wants it: nl-BE, fr-BE or en."""
    return settings.HTML_LANGUAGES.get(_language(), ORIGINAL)


@register.simple_tag
def language_prefix() -> str:
    """ "" on Dutch pages, "/fr" or "/en" otherwise: for the addresses base.html writes out
    (it must render without resolving any, for the error pages)."""
    language = _language()
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


@register.filter
def original(info: object, name: str) -> SafeString:
    """` lang="nl-BE"` where `info.<name>` is shown in Dutch on a page in another language, for
    want of a translation (QuizSnapshot, StatementInfo, PartyPosition `original`)."""
    shown = getattr(info, "original", ())
    dutch = shown if isinstance(shown, bool) else name in shown
    return format_html(' lang="{}"', ORIGINAL) if dutch else mark_safe("")


@register.filter
def quotes_lang(text: str, language: str) -> SafeString:
    """`text`, escaped, with each “quote” marked as in `language` (a programme's) where the
    page is in another language: a French justification quotes the Dutch programme."""
    escaped = str(conditional_escape(text))
    if not language or _language().split("-")[0] == language:
        return mark_safe(escaped)
    return mark_safe(QUOTE.sub(lambda m: f'<span lang="{language}">{m.group(0)}</span>', escaped))
