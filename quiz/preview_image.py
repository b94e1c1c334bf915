"""The picture a social network or chat app shows for a link to a quiz (og:image): the quiz's
title, its election, how many statements and parties, in the site's neutral colours with a bar
per party in that party's colour. The same for every link to the quiz: no answers, no scores.

Drawn with Pillow (with its own font, nothing from the system), 1200 × 630 (what Facebook,
LinkedIn, Mastodon and the like expect), once per quiz snapshot.
"""

import functools
import io
import textwrap
from pathlib import Path

from django.utils.translation import gettext, ngettext
from PIL import Image, ImageDraw, ImageFont

from quiz.snapshot import QuizSnapshot

WIDTH, HEIGHT = 1200, 630
BRAND = "#1c2530"  # the header's graphite (static/css/stemtest.css --brand)
PAPER = "#ffffff"
MUTED = "#c8d0d8"
ACCENT = "#0f5b6f"


FONT = Path(__file__).parent / "fonts" / "DejaVuSans-Latin.ttf"  # with accents (fonts/README.md)


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size=size)


def _rgb(colour: str) -> str:
    return colour if colour.startswith("#") and len(colour) in {4, 7} else ACCENT


def preview_png(snapshot: QuizSnapshot) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    margin = 72
    draw.text((margin, 64), "Stemtest", font=_font(40), fill=MUTED)
    title_font = _font(72)
    lines = textwrap.wrap(snapshot.title, width=26)[:3]
    y = 150
    for line in lines:
        draw.text((margin, y), line, font=title_font, fill=PAPER)
        y += 88
    count, parties = len(snapshot), len(snapshot.parties)
    statements = ngettext("%(count)s stelling", "%(count)s stellingen", count) % {"count": count}
    party_count = ngettext("%(count)s partij", "%(count)s partijen", parties) % {"count": parties}
    facts = f"{statements} · {party_count}"
    draw.text((margin, y + 16), facts, font=_font(40), fill=MUTED)
    draw.text(
        (margin, HEIGHT - 110),
        gettext("Vergelijk je mening met de programma’s, en lees waarom."),
        font=_font(34),
        fill=PAPER,
    )
    # A band of the parties' colours at the foot: party colours only on party elements.
    band = HEIGHT - 28
    width = (WIDTH - 2 * margin) / max(parties, 1)
    for index, party in enumerate(snapshot.parties):
        left = margin + index * width
        draw.rectangle((left, band, left + width - 8, band + 12), fill=_rgb(party.colour))
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
