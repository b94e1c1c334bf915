"""The social preview of a quiz (og:image and friends): one picture per quiz, the same for every
link to it, with no answers or scores in it or in the tags; none for the editors' preview."""

import io
import re

from django.urls import reverse
from PIL import Image, ImageColor

from quiz.snapshot import get_snapshot
from tests.helpers import run_quiz


def meta(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)">', html)
    )


def test_the_picture_is_a_1200_by_630_png_cacheable_for_everyone(client, make_quiz):
    quiz = make_quiz(statements=3, parties=2)
    response = client.get(reverse("share_image", args=[quiz.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    # The parties' colours are in the band at the foot, the site's own colour elsewhere.
    first, second = (party.colour for party in get_snapshot(quiz.slug).parties)
    assert image.getpixel((80, 608)) == ImageColor.getrgb(first)
    assert image.getpixel((1100, 608)) == ImageColor.getrgb(second)
    assert image.getpixel((10, 10)) == (0x1C, 0x25, 0x30)
    assert not response.cookies


def test_landing_results_and_about_name_the_same_picture_with_an_absolute_address(
    client, make_quiz
):
    quiz = make_quiz(statements=2)
    picture = f"http://testserver{reverse('share_image', args=[quiz.slug])}"
    results = run_quiz(client, quiz, ["eens", "oneens"])
    pages = [
        reverse("quiz", args=[quiz.slug]),
        reverse("about", args=[quiz.slug]),
        reverse("results", args=[quiz.slug]),
        results,
    ]
    for url in pages:
        tags = meta(client.get(url).content.decode())
        assert tags["og:image"] == picture, url
        assert tags["og:title"] == quiz.title
        assert tags["twitter:card"] == "summary_large_image"
        assert "a=" not in "".join(tags.values())  # no answers in what a network shows
        assert "%" not in "".join(tags.values())


def test_the_editors_preview_is_not_offered_for_sharing(redacteur_client, make_quiz):
    quiz = make_quiz(statements=2)
    html = redacteur_client.get(reverse("preview:quiz", args=[quiz.slug])).content.decode()
    assert meta(html) == {}


def test_an_unknown_quiz_has_no_picture(client, make_quiz):
    make_quiz(statements=1)
    assert client.get(reverse("share_image", args=["bestaat-niet"])).status_code == 404


def test_the_pictures_font_draws_every_letter_of_dutch_french_and_english():
    from PIL import ImageDraw

    from quiz.preview_image import _font

    def drawn(text: str) -> bytes:
        image = Image.new("L", (80, 80))
        ImageDraw.Draw(image).text((10, 10), text, font=_font(40), fill=255)
        return image.tobytes()

    missing = drawn("\u4e00")  # a character the font does not have: its empty box
    letters = "aeiouéèêëàâçîïôöûüùœæÉÈÀÇ’‘“”«»–—…€"
    assert [letter for letter in letters if drawn(letter) == missing] == []
    assert drawn("é") != drawn("e")


def test_the_french_picture_is_drawn_in_french(client, make_quiz):
    quiz = make_quiz(statements=2)
    dutch = client.get(reverse("share_image", args=[quiz.slug])).content
    french = client.get(f"/fr/stemtest/{quiz.slug}/deelbeeld.png").content
    assert french.startswith(b"\x89PNG")
    assert french != dutch  # "2 affirmations · 1 parti" and the line under it
