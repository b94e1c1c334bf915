"""The voter side as static files, for any static host or CDN (`manage.py export_site DIR`).

With JavaScript a voter needs nothing from Django that is not the same for every voter: the
landing page, the statement pages, the bundle, the results page (results.js fills it in from the
answers in the fragment), the method and "Over deze stemtest", the programme pages and the
static files, in Dutch, French and English (the language switcher's links; /fr/vertalingen.js
and /en/vertalingen.js, the JavaScript's catalogues, with them). This writes each of them at
the address Django serves it, as `<path>/index.html`
(or the file itself for `….json`), so a static server that maps `/x/` to `/x/index.html` serves
the same site; next to each text file its gzip copy (`….gz`, for nginx's gzip_static and the
like). The pages are rendered through Django's own views and middleware, by the test client,
then the site is walked from its start pages by its links.

Not exported, because they need the server: the programme search (its form is left out of the
exported programme pages), the preview, the admin, and the plain-form flow of a voter without
JavaScript (the forms post to the server), and the statistics' consent on the results page.
Export again after publishing: the files are a
snapshot of the quiz at that moment.
"""

import gzip
import logging
import re
import shutil
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from quiz.snapshot import get_snapshot, live_quizzes
from stemtest.locale import language_of

LINK = re.compile(r'(?:href|src|action|data-stellingen|data-bundle|data-results)="(/[^"#?]*)')
# Views whose pages differ per visitor or need the server (a query, a POST, a login).
SKIPPED_VIEWS = {"search", "search_json", "results_json", "count_answers"}
# The statistics' consent posts to the server: its box is left out of the exported pages.
CONSENT = re.compile(rb"<!-- consent -->.*?<!-- /consent -->", re.S)
COMPRESSED = {".html", ".json", ".js", ".css", ".svg", ".txt"}
EXPORT_META = "STEMTEST_EXPORT"  # in request.META: the page is rendered for the export


class ExportError(Exception):
    """A page that did not render, or a file a page names that is not there."""


@dataclass
class Exported:
    pages: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # static files and uploads
    bytes: int = 0


def start_pages() -> Iterator[str]:
    """Where the walk starts: every live quiz's pages (statement pages are not linked from one
    another without answers), the method page and the programmes."""
    yield reverse("home")
    yield reverse("method")
    yield reverse("programmes")
    for slug in live_quizzes():
        yield reverse("quiz", args=[slug])
        yield reverse("about", args=[slug])
        yield reverse("statements", args=[slug])
        yield reverse("results", args=[slug])
        yield reverse("quiz_json", args=[slug])
        yield reverse("share_image", args=[slug])
        for number in range(1, len(get_snapshot(slug)) + 1):
            yield reverse("statement", args=[slug, number])


def exported_path(directory: Path, path: str) -> Path:
    relative = path.lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    target = (directory / relative).resolve()
    if not target.is_relative_to(directory.resolve()):
        raise ExportError(f"{path}: outside the export")
    return target


def _exportable(path: str) -> bool:
    # /fr/… and /en/… resolve only in their language (i18n_patterns): the export walks all three.
    language = language_of(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return False
    return match.url_name not in SKIPPED_VIEWS and match.namespace not in {"admin", "preview"}


def _write(target: Path, content: bytes, exported: Exported) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    exported.bytes += len(content)
    if target.suffix in COMPRESSED:
        target.with_name(target.name + ".gz").write_bytes(gzip.compress(content, mtime=0))


def asset_prefixes() -> tuple[str, str]:
    return f"/{settings.STATIC_URL.strip('/')}/", f"/{settings.MEDIA_URL.strip('/')}/"


def _asset(path: str) -> Path | None:
    """The file behind a /static/ or /media/ address: collected (hashed names), else found."""
    static, media = asset_prefixes()
    if path.startswith(static):
        name = path.removeprefix(static)
        collected = Path(settings.STATIC_ROOT) / name
        if collected.is_file():
            return collected
        found = finders.find(name)
        return Path(found) if found else None
    if path.startswith(media):
        upload = Path(settings.MEDIA_ROOT) / path.removeprefix(media)
        return upload if upload.is_file() else None
    return None


def export_site(directory: Path, *, host: str = "localhost", secure: bool = False) -> Exported:
    """Write the voter site into `directory` (emptied first); returns what was written."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    exported = Exported()
    queue, seen = deque(start_pages()), set()
    assets: set[str] = set()
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host]):
        client = Client(SERVER_NAME=host, headers={"Accept-Encoding": "identity"})
        if secure:  # absolute addresses (the social preview's picture) in https
            client.defaults.update({"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
        client.defaults[EXPORT_META] = "1"  # in every request's META, as SERVER_NAME
        while queue:
            path = queue.popleft()
            if path in seen:
                continue
            seen.add(path)
            if path.startswith(asset_prefixes()):
                assets.add(path)
                continue
            if not _exportable(path):
                continue
            response = client.get(path)
            if response.status_code != 200:
                raise ExportError(f"{path}: status {response.status_code}")
            content = CONSENT.sub(b"", response.content)
            _write(exported_path(directory, path), content, exported)
            exported.pages.append(path)
            if response.get("Content-Type", "").startswith("text/html"):
                queue.extend(LINK.findall(content.decode()))
        request_log = logging.getLogger("django.request")
        level = request_log.level
        request_log.setLevel(logging.ERROR)  # the 404 asked for on purpose is no warning
        try:
            not_found = client.get("/stemtest-export-bestaat-niet/")
        finally:
            request_log.setLevel(level)
        _write(directory / "404.html", not_found.content, exported)
    for path in sorted(assets):
        source = _asset(path)
        if source is None:
            raise ExportError(f"{path}: not found (run `manage.py collectstatic` first)")
        target = exported_path(directory, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        exported.bytes += source.stat().st_size
        if target.suffix in COMPRESSED:
            target.with_name(target.name + ".gz").write_bytes(
                gzip.compress(source.read_bytes(), mtime=0)
            )
        exported.files.append(path)
    return exported


def hostname(origin: str) -> str:
    """The host of an origin like https://stemtest.example."""
    return urlsplit(origin if "//" in origin else f"//{origin}").hostname or "localhost"
