"""Stemtest's domain: parties and their programmes, and the quizzes built on them.

A programme is imported from its published text (see `quiz.importing`) into a tree of sections
holding numbered resolutions. A quiz asks statements; each party's position on a statement cites
the resolutions of its programme that decide it.
"""

import re
import time
from collections.abc import Collection
from typing import Self

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import get_language, pgettext, pgettext_lazy

# Content is written in Dutch, the quiz's own language; editors may add a French and an English
# version of what voters read (see `translated`). Programme passages are never translated.
TRANSLATIONS = {"fr": "Frans", "en": "Engels"}
STATEMENT_TRANSLATED = ("text", "short_title", "uitleg")  # each has <name>_fr and <name>_en


ORIGINAL_LANGUAGE = "nl"  # what editors write in; TRANSLATIONS holds the others


def content_language() -> str:
    """The language of the content to show for the active interface language: nl, fr or en."""
    language = (get_language() or ORIGINAL_LANGUAGE).split("-")[0]
    return language if language in TRANSLATIONS else ORIGINAL_LANGUAGE


def with_translations(name: str) -> list[str]:
    """A field's name and its translations' names: text, text_fr, text_en."""
    return [name, *(f"{name}_{language}" for language in TRANSLATIONS)]


def translated(obj: models.Model, name: str, language: str) -> tuple[str, bool]:
    """`obj.<name>` in `language` ("nl", "fr" or "en") and whether that is the original Dutch
    because the translation is missing (always False for Dutch or an empty original)."""
    original = getattr(obj, name)
    if language not in TRANSLATIONS:
        return original, False
    text = getattr(obj, f"{name}_{language}").strip()
    return (text, False) if text else (original, bool(original))


def fictional_name(name: str) -> str:
    """An invented party's name as voters always see it, in the active language."""
    return pgettext("partij", "%(name)s (fictief)") % {"name": name}


class Election(models.Model):
    name = models.CharField(
        "naam", max_length=200, help_text="Zoals kiezers ze kennen, bv. ‘Verkiezingen 9 juni 2024’."
    )
    slug = models.SlugField(unique=True)
    date = models.DateField("datum", help_text="De dag van de stemming.")
    name_fr = models.CharField("naam (Frans)", max_length=200, blank=True)
    name_en = models.CharField("naam (Engels)", max_length=200, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "verkiezing"
        verbose_name_plural = "verkiezingen"

    def __str__(self) -> str:
        """The name in the active language (the admin's: Dutch), Dutch without a translation."""
        return translated(self, "name", content_language())[0]


MAX_LOGO_BYTES = 500_000


def validate_logo(logo: FieldFile) -> None:
    if logo.size is not None and logo.size > MAX_LOGO_BYTES:
        raise ValidationError(f"Het logo is {logo.size // 1000} kB; hoogstens 500 kB.")


class Party(models.Model):
    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField(unique=True, help_text="Kort en stabiel: het staat in adressen.")
    short_name = models.CharField(
        "korte naam",
        max_length=20,
        blank=True,
        help_text="Voor smalle schermen en grafieken, bv. ‘HOR’. Leeg: de naam.",
    )
    colour = models.CharField(
        "kleur",
        max_length=7,
        default="#555555",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Een kleur als #rrggbb, bv. #0f766e.")],
        help_text="Kleur voor balken en badges, als #rrggbb. Nooit de enige aanduiding.",
    )
    logo = models.ImageField(
        "logo",
        upload_to="partijen/",
        blank=True,
        validators=[validate_logo],
        help_text="PNG, JPEG of WebP, hoogstens 500 kB; wordt van deze site geladen, nooit van "
        "een andere.",
    )
    is_fictional = models.BooleanField(
        "fictief",
        default=False,
        help_text="Een verzonnen partij voor een oefenverkiezing: kiezers zien overal ‘fictief’.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "partij"
        verbose_name_plural = "partijen"

    def __str__(self) -> str:
        return fictional_name(self.name) if self.is_fictional else self.name

    @property
    def label(self) -> str:
        """The short name where there is one."""
        return self.short_name or self.name


# A programme's language; translatable, for the voters' programme list ("in het frans").
LANGUAGES = [
    ("nl", pgettext_lazy("taal", "Nederlands")),
    ("fr", pgettext_lazy("taal", "Frans")),
    ("en", pgettext_lazy("taal", "Engels")),
    ("de", pgettext_lazy("taal", "Duits")),
]


class Programme(models.Model):
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="programmes", verbose_name="partij"
    )
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="programmes", verbose_name="verkiezing"
    )
    title = models.CharField("titel", max_length=300)
    slug = models.SlugField(unique=True, help_text="Staat in het adres: /programma/<slug>/.")
    language = models.CharField(
        "taal",
        max_length=10,
        choices=LANGUAGES,
        default="nl",
        help_text="De taal van het programma: citaten worden in die taal getoond en doorzocht.",
    )
    source_file = models.CharField(
        max_length=300, blank=True, help_text="Het bestand waaruit het programma komt."
    )
    source_format = models.CharField("bestandsformaat", max_length=20, blank=True, editable=False)
    layout = models.JSONField(
        "opmaak",
        default=dict,
        blank=True,
        help_text="Wat een titel en een voorstel aanduidt, als de import het niet zelf vindt; "
        "wordt bij de volgende versie opnieuw gebruikt.",
    )
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = "programma"
        verbose_name_plural = "programma's"
        constraints = [
            models.UniqueConstraint(
                fields=["party", "election"], name="one_programme_per_party_and_election"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programme", args=[self.slug])


class Section(models.Model):
    """A part (`1`) or a numbered section (`1.2`, `1.2.2.1`) of a programme."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sections", verbose_name="programma"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="hoort bij",
    )
    number = models.CharField(
        "nummer", max_length=20, help_text="Zonder slotpunt: ‘1’, ‘1.2’, ‘1.2.2.1’."
    )
    title = models.CharField("titel", max_length=500)
    intro = models.TextField(blank=True, help_text="De lopende tekst vóór de resoluties.")
    order = models.PositiveIntegerField("volgorde", help_text="Volgorde in het programma.")
    depth = models.PositiveSmallIntegerField("niveau", help_text="0 voor een deel, 1 voor ‘1.1’, …")

    class Meta:
        ordering = ["programme", "order"]
        verbose_name = "hoofdstuk"
        verbose_name_plural = "hoofdstukken"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="one_section_number_per_programme"
            ),
            models.UniqueConstraint(
                fields=["programme", "order"], name="one_section_order_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("section", args=[self.programme.slug, self.number])

    @property
    def is_part(self) -> bool:
        return self.depth == 0


class Resolution(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="resolutions", verbose_name="programma"
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="resolutions", verbose_name="hoofdstuk"
    )
    number = models.PositiveIntegerField(
        "nummer", help_text="Uniek per programma: het eigen nummer, of de volgorde in de tekst."
    )
    label = models.CharField(
        "eigen nummering",
        max_length=20,
        blank=True,
        help_text="Hoe het programma zelf dit voorstel nummert, als dat anders is (‘3.4’).",
    )
    text = models.TextField(
        "tekst", help_text="Komt uit de import van het programma; pas het daar aan."
    )
    page = models.PositiveIntegerField(
        "bladzijde",
        null=True,
        blank=True,
        help_text="Bladzijde in het gedrukte programma, als die bekend is.",
    )

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = "resolutie"
        verbose_name_plural = "resoluties"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="one_resolution_number_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"Resolutie {self.display_number}"

    def get_absolute_url(self) -> str:
        return reverse("resolution", args=[self.programme.slug, self.number])

    @property
    def display_number(self) -> str:
        return self.label or str(self.number)

    @property
    def anchor(self) -> str:
        """Stable fragment id for this resolution on section and search pages."""
        return f"r{self.number}"


class ProgrammeVectors(models.Model):
    """The sentence embeddings of a programme's resolutions and section paths, computed when it is
    imported (`quiz.semantic.embed_programme`) and read by the editors' suggestions. One float16
    matrix: a row per sentence (`spans`: resolution number, start, end), then a row per section
    path (`sections`: section numbers); `keys` hash each row's text so a re-import embeds only
    what changed."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="vectors", verbose_name="programma"
    )
    model = models.CharField(max_length=100)
    keys = models.JSONField(default=list)
    spans = models.JSONField(default=list)
    sections = models.JSONField(default=list)
    resolution_sections = models.JSONField(default=dict)  # resolution number -> section number
    vectors = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)
    encoded = 0  # not stored: how many texts the last `embed_programme` embedded anew

    class Meta:
        verbose_name = "zinsvectoren"
        verbose_name_plural = "zinsvectoren"

    def __str__(self) -> str:
        return f"{self.programme}: {len(self.spans)} zinnen ({self.model})"

    def matrix(self) -> "np.ndarray":
        flat = np.frombuffer(bytes(self.vectors), dtype=np.float16)
        return flat.reshape(len(self.keys), -1).astype(np.float32) if self.keys else flat[:0]


class Theme(models.Model):
    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    order = models.PositiveIntegerField("volgorde", default=0)
    name_fr = models.CharField("naam (Frans)", max_length=100, blank=True)
    name_en = models.CharField("naam (Engels)", max_length=100, blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "thema"
        verbose_name_plural = "thema's"

    def __str__(self) -> str:
        return self.name


class QuizQuerySet(models.QuerySet["Quiz"]):
    def live(self) -> Self:
        return self.filter(is_live=True)


class Quiz(models.Model):
    title = models.CharField("titel", max_length=200)
    slug = models.SlugField(unique=True, help_text="Staat in het adres: /stemtest/<slug>/.")
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="quizzes", verbose_name="verkiezing"
    )
    intro = models.TextField(blank=True, help_text="Wat de kiezer ziet voor de start.")
    about = models.TextField(
        "over deze stemtest",
        blank=True,
        help_text="Voor de pagina ‘Over deze stemtest’: wie maakte hem, hoe werden de "
        "stellingen gekozen en wie heeft ze nagekeken? Lege regel: nieuwe alinea.",
    )
    facts_as_of = models.DateField(
        "stand van de feiten",
        null=True,
        blank=True,
        help_text="De datum waarop de uitleg bij de stellingen de toestand beschrijft.",
    )
    parties = models.ManyToManyField(Party, related_name="quizzes", verbose_name="partijen")
    is_live = models.BooleanField(
        "live", default=False, help_text="Alleen een live stemtest is zichtbaar voor kiezers."
    )
    embed_origins = models.TextField(
        "sites die de stemtest mogen insluiten",
        blank=True,
        help_text="Eén adres per regel, zoals https://www.vrt.be: alleen die sites mogen de "
        "stemtest in een iframe tonen (/embed/<slug>/). Geen jokers (*), geen pad.",
    )
    # Translations (TRANSLATIONS): empty shows the Dutch, with a note in the voter's language.
    title_fr = models.CharField("titel (Frans)", max_length=200, blank=True)
    title_en = models.CharField("titel (Engels)", max_length=200, blank=True)
    intro_fr = models.TextField("intro (Frans)", blank=True)
    intro_en = models.TextField("intro (Engels)", blank=True)
    about_fr = models.TextField("over deze stemtest (Frans)", blank=True)
    about_en = models.TextField("over deze stemtest (Engels)", blank=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "stemtest"
        verbose_name_plural = "stemtests"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        try:
            self.embed_origins = "\n".join(embed_origin_list(self.embed_origins))
        except ValueError as error:
            raise ValidationError({"embed_origins": str(error)}) from error

    @property
    def allowed_embed_origins(self) -> list[str]:
        """The partners' sites that may frame the quiz, as CSP frame-ancestors sources."""
        try:
            return embed_origin_list(self.embed_origins)
        except ValueError:
            return []  # saved before the check (a fixture): nobody frames it until it is fixed


# An origin a partner frames the quiz from: https, or http on this machine (tests, a demo).
EMBED_ORIGIN = re.compile(
    r"(?:https://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|http://(?:localhost|127\.0\.0\.1|\[::1\]))"
    r"(?::[0-9]{1,5})?"
)


def embed_origin_list(text: str) -> list[str]:
    """The origins of `text`, one a line, normalised (lower case, no trailing slash); a
    ValueError in Dutch names the first line that is not one."""
    origins: list[str] = []
    for line in text.splitlines():
        origin = line.strip().rstrip("/").lower()
        if not origin:
            continue
        if "*" in origin:
            raise ValueError(f"‘{line.strip()}’: geen jokers (*); noem elke site apart.")
        if not EMBED_ORIGIN.fullmatch(origin):
            raise ValueError(
                f"‘{line.strip()}’ is geen site-adres: schrijf https://naam.be (zonder pad); "
                "http:// alleen voor localhost of 127.0.0.1."
            )
        if origin not in origins:
            origins.append(origin)
    return origins


# A statement is read once and answered: longer ones are flagged to the editor (quiz.warnings).
STATEMENT_MAX_WORDS = 20


class Status(models.TextChoices):
    """Where a statement is in its review (`quiz.review` has the rules): written, offered for a
    check, checked by another editor than its last changer, and shown to voters."""

    CONCEPT = "concept", "Concept"
    READY = "klaar", "Klaar voor nazicht"
    CHECKED = "nagekeken", "Nagekeken"
    PUBLISHED = "gepubliceerd", "Gepubliceerd"


class StatementQuerySet(models.QuerySet["Statement"]):
    def published(self) -> Self:
        return self.filter(is_published=True)

    def awaiting_review(self) -> Self:
        return self.filter(status=Status.READY)

    def for_quiz(self, quiz: "Quiz") -> Self:
        return self.filter(quiz=quiz)


class Statement(models.Model):
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="statements", verbose_name="stemtest"
    )
    order = models.PositiveIntegerField(
        "nummer", help_text="Volgorde in de stemtest, uniek per stemtest."
    )
    text = models.CharField(
        "stelling",
        max_length=300,
        help_text=(
            f"Eén onderwerp, zonder ontkenning of ‘en/of’, hoogstens {STATEMENT_MAX_WORDS} woorden."
        ),
    )
    short_title = models.CharField("korte titel", max_length=60)
    uitleg = models.TextField(
        blank=True, help_text="Neutrale achtergrond: wat betekent het, hoe is het nu geregeld?"
    )
    # Translations (TRANSLATIONS), part of what the reviewer checks (quiz.review.CONTENT_FIELDS).
    text_fr = models.CharField("stelling (Frans)", max_length=300, blank=True)
    text_en = models.CharField("stelling (Engels)", max_length=300, blank=True)
    short_title_fr = models.CharField("korte titel (Frans)", max_length=60, blank=True)
    short_title_en = models.CharField("korte titel (Engels)", max_length=60, blank=True)
    uitleg_fr = models.TextField("uitleg (Frans)", blank=True)
    uitleg_en = models.TextField("uitleg (Engels)", blank=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="statements", verbose_name="thema"
    )
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.CONCEPT
    )
    # What voters see follows from the status, in the database, so that every query of the
    # voter's pages keeps filtering on one indexed boolean.
    is_published = models.GeneratedField(
        expression=models.Case(
            models.When(status=Status.PUBLISHED, then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name="gepubliceerd",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="laatst gewijzigd door",
    )
    changed_at = models.DateTimeField("laatst gewijzigd op", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="nagekeken door",
    )
    reviewed_at = models.DateTimeField("nagekeken op", null=True, blank=True)

    Status = Status

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["quiz", "order"]
        verbose_name = "stelling"
        verbose_name_plural = "stellingen"
        constraints = [
            models.UniqueConstraint(fields=["quiz", "order"], name="one_statement_order_per_quiz")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.short_title}"

    def clean(self) -> None:
        if self.status == Status.PUBLISHED and self.pk:
            self.check_publishable()

    def check_publishable(self, party_ids: Collection[int] | None = None) -> None:
        """Raise unless every party of the quiz has a position on this statement.

        `party_ids` are the parties that will have a position once pending edits are saved (the
        admin's position formset, the spreadsheet importer); by default, the saved positions.
        """
        if not self.quiz_id:
            return
        if party_ids is None:
            party_ids = set(self.positions.values_list("party_id", flat=True)) if self.pk else set()
        missing = self.quiz.parties.exclude(pk__in=party_ids)
        if missing.exists():
            names = ", ".join(party.name for party in missing)
            raise ValidationError(
                {
                    "status": "Een gepubliceerde stelling heeft een standpunt nodig van "
                    f"elke partij; ontbreekt: {names}."
                }
            )


class Stance(models.TextChoices):
    """A party's position on a statement; the voter's answers share the first three."""

    # Translatable: voters read them on French and English pages (the admin is Dutch).
    EENS = "eens", pgettext_lazy("standpunt of antwoord", "Eens")
    ONEENS = "oneens", pgettext_lazy("standpunt of antwoord", "Oneens")
    NEUTRAAL = "neutraal", pgettext_lazy("standpunt of antwoord", "Neutraal")
    GEEN = "geen", pgettext_lazy("standpunt", "Geen standpunt")


class Position(models.Model):
    Stance = Stance

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="positions", verbose_name="stelling"
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="positions", verbose_name="partij"
    )
    stance = models.CharField("standpunt", max_length=10, choices=Stance.choices)
    justification = models.TextField(
        "toelichting",
        blank=True,
        help_text="Waarom dit standpunt, met een citaat uit de geciteerde resolutie(s).",
    )
    # Translations (TRANSLATIONS); a quote from the programme stays in the programme's language.
    justification_fr = models.TextField("toelichting (Frans)", blank=True)
    justification_en = models.TextField("toelichting (Engels)", blank=True)
    source = models.CharField(
        "bron",
        max_length=500,
        blank=True,
        help_text=(
            "Alleen voor een partij zonder ingelezen programma: waar komt het standpunt vandaan?"
        ),
    )
    resolutions = models.ManyToManyField(
        Resolution, through="Citation", related_name="positions", blank=True
    )

    class Meta:
        ordering = ["statement", "party"]
        verbose_name = "standpunt"
        verbose_name_plural = "standpunten"
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "party"], name="one_position_per_party_and_statement"
            ),
            models.CheckConstraint(
                condition=models.Q(stance__in=Stance.values),
                name="position_stance_is_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.get_stance_display()}"

    @property
    def takes_a_stance(self) -> bool:
        return self.stance != self.Stance.GEEN

    def clean(self) -> None:
        statement = getattr(self, "statement", None)
        if statement is None or not self.party_id or not statement.quiz_id:
            return
        if not statement.quiz.parties.filter(pk=self.party_id).exists():
            raise ValidationError({"party": f"{self.party} doet niet mee aan {statement.quiz}."})

    def programme(self) -> "Programme | None":
        """The party's imported programme for the quiz's election, if there is one."""
        statement = getattr(self, "statement", None)
        if statement is None or not self.party_id:
            return None
        return Programme.objects.filter(
            party_id=self.party_id, election_id=statement.quiz.election_id
        ).first()

    def check_grounding(self, resolutions: Collection[Resolution]) -> None:
        """Raise unless this position is grounded in the party's own words.

        An eens, oneens or neutraal position cites at least one resolution of the party's
        programme; for a party without an imported programme it carries a justification and its
        source instead. Every cited resolution belongs to that programme.

        This is not part of `clean()`: citations are saved after their position (an admin inline,
        a spreadsheet row), so `clean()` cannot see them. Whoever saves a position with its
        citations passes the resolutions it is about to cite: the admin's position and citation
        formsets, the spreadsheet importer and the tests all call this one method.
        """
        programme = self.programme()
        foreign = [r for r in resolutions if programme is None or r.programme_id != programme.pk]
        if foreign:
            numbers = ", ".join(str(r.number) for r in foreign)
            raise ValidationError(
                f"Resolutie {numbers} komt niet uit het programma van {self.party}."
            )
        if not self.takes_a_stance:
            return
        if programme is not None and not resolutions:
            raise ValidationError(
                f"{self.party}: een standpunt ‘{self.get_stance_display().lower()}’ citeert "
                "minstens één resolutie uit het programma. Anders is het ‘geen standpunt’."
            )
        if programme is None and not (self.justification.strip() and self.source.strip()):
            raise ValidationError(
                f"{self.party} heeft geen ingelezen programma: geef een toelichting en de bron "
                "van het standpunt."
            )


class Citation(models.Model):
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, related_name="citations", verbose_name="standpunt"
    )
    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, related_name="citations", verbose_name="resolutie"
    )
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    excerpt = models.TextField(
        "fragment",
        blank=True,
        help_text="Optioneel: de beslissende zin, letterlijk uit de resolutie.",
    )
    needs_review = models.BooleanField(
        "na te kijken",
        default=False,
        help_text="De tekst van de resolutie veranderde bij een nieuwe import van het programma: "
        "kijk na of ze het standpunt nog onderbouwt, en vink dit dan uit.",
    )

    class Meta:
        ordering = ["position", "order", "resolution__number"]
        verbose_name = "citaat"
        verbose_name_plural = "citaten"
        constraints = [
            models.UniqueConstraint(
                fields=["position", "resolution"], name="one_citation_per_resolution_and_position"
            )
        ]

    def __str__(self) -> str:
        return str(self.resolution)

    def clean(self) -> None:
        if not (self.position_id and self.resolution_id):
            return
        position, resolution = self.position, self.resolution
        if resolution.programme.party_id != position.party_id:
            raise ValidationError(
                {"resolution": f"{resolution} komt niet uit het programma van {position.party}."}
            )
        if self.excerpt and self.excerpt not in resolution.text:
            raise ValidationError(
                {"excerpt": "Het fragment moet letterlijk in de tekst van de resolutie staan."}
            )


class ContentVersion(models.Model):
    """One row: a number that changes whenever anything a voter sees changes (`quiz.signals`).

    Every process reads it at most once a second (`quiz.snapshot.current_version`) and rebuilds
    its snapshots when it differs, so all processes agree within a second without a shared
    cache. A bump is part of the editor's transaction: it becomes visible with the change.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "inhoudsversie"
        verbose_name_plural = "inhoudsversies"

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("value", flat=True).first() or 0

    @classmethod
    def bump(cls) -> int:
        """A new value (the clock in nanoseconds, so a restored database never repeats one)."""
        value = time.time_ns()
        if not cls.objects.filter(pk=1).update(value=value):
            cls.objects.update_or_create(pk=1, defaults={"value": value})
        return value


class ProgrammeUpload(models.Model):
    """A programme file an editor uploaded, kept between the import's preview and its
    confirmation (in the database, so any web process can confirm it), then deleted."""

    token = models.CharField(max_length=64, unique=True)
    data = models.BinaryField()
    filename = models.CharField(max_length=255)
    options = models.JSONField(default=dict)  # party, election, language, title, slug, hints
    uploaded_by = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="+", verbose_name="door"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "opgeladen programma"
        verbose_name_plural = "opgeladen programma's"

    def __str__(self) -> str:
        return self.filename


# Statistics: counters that consenting voters add to (quiz.statistics), never a row per voter.

ANSWERS = [
    ("eens", "Eens"),
    ("oneens", "Oneens"),
    ("neutraal", "Neutraal"),
    ("overslaan", "Overgeslagen"),
]


class AnswerTally(models.Model):
    """How many consenting voters gave `answer` on `statement` on `day`. No time finer than a
    day, no address, nothing that links two answers of one voter."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="tallies", verbose_name="stelling"
    )
    day = models.DateField("dag")
    answer = models.CharField("antwoord", max_length=10, choices=ANSWERS)
    count = models.PositiveIntegerField("aantal", default=0)

    class Meta:
        verbose_name = "getelde antwoorden"
        verbose_name_plural = "getelde antwoorden"
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "day", "answer"], name="one_tally_per_statement_day_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement}, {self.day}: {self.answer} × {self.count}"


class ConsentTally(models.Model):
    """How many voters of `quiz` chose, on `day`, to add their answers to the statistics."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="consents", verbose_name="stemtest"
    )
    day = models.DateField("dag")
    count = models.PositiveIntegerField("aantal", default=0)

    class Meta:
        verbose_name = "toestemming"
        verbose_name_plural = "toestemmingen"
        constraints = [
            models.UniqueConstraint(fields=["quiz", "day"], name="one_consent_tally_per_quiz_day")
        ]

    def __str__(self) -> str:
        return f"{self.quiz}, {self.day}: {self.count}"
