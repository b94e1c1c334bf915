"""Template filters for the programme pages."""

from django import template

register = template.Library()


@register.filter
def readable(title: str) -> str:
    """A title set in capitals in the source ('VOORUIT MET ONZE GEZONDHEID') in sentence case;
    other titles as they are. The stored title is not changed."""
    return title.capitalize() if title.isupper() else title
