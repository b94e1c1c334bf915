"""Template filters for the programme pages."""

from django import template

from quiz.programme_text import readable_title

register = template.Library()
readable = register.filter("readable", readable_title)
