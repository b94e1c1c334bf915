"""Template filters for the programme pages and the quotes in the results."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quiz.programme_text import readable_title

register = template.Library()
readable = register.filter("readable", readable_title)


@register.filter
def with_excerpt_marked(text: str, excerpt: str) -> SafeString:
    """The passage, escaped, with its decisive words (the citation's excerpt) in <mark>."""
    start = text.find(excerpt) if excerpt else -1
    if start < 0:
        return escape(text)
    end = start + len(excerpt)
    return mark_safe(f"{escape(text[:start])}<mark>{escape(excerpt)}</mark>{escape(text[end:])}")
