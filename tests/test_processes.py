"""Server processes as production runs them: each keeps its own snapshots, and every one must
show an editor's change within a few seconds, without a shared cache (no REDIS_URL); a process
started while the database is gone still serves voters; and behind nginx, slow clients cannot
take gunicorn's threads."""

import contextlib
import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = "/stemtest/vooruit-2024/stellingen/"


def _published_in_fixture() -> int:
    with (ROOT / "fixtures/quizzes/vooruit-2024.csv").open(encoding="utf-8-sig") as file:
        rows = csv.DictReader(file)
        return len({row["order"] for row in rows if row["status"] == "gepubliceerd"})


# The curated quiz's published statements, numbered 1 to PUBLISHED (its concepts come after).
PUBLISHED = _published_in_fixture()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def statements_shown(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{BUNDLE}", timeout=5) as response:
        return len(re.findall(rb"<template data-number=", response.read()))


@pytest.fixture
def environment(tmp_path):
    """A database of its own (the servers cannot see the test database), with the real quiz."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "REDIS_URL"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SNAPSHOT_DIR=str(tmp_path / "snapshots"),
    )
    for command in (
        ["migrate", "-v0"],
        ["import_programme", "fixtures/programmes/vooruit-2024.txt", "--party", "vooruit"],
        [
            "import_quiz",
            "fixtures/quizzes/vooruit-2024.csv",
            "--quiz",
            "fixtures/quizzes/vooruit-2024.json",
        ],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return env


@contextlib.contextmanager
def serving(environment, count: int = 1):
    """`count` server processes, each on a port of its own, until the block ends."""
    ports = [free_port() for _ in range(count)]
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            for _ in range(100):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture
def two_servers(environment):
    with serving(environment, 2) as ports:
        yield ports


def get(
    port: int, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data, headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def edit(environment, code: str) -> None:
    """An editor's change, made by a third process."""
    script = f"from quiz.models import *\n{code}"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", script],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )


def shown_within(ports, expected: int, seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while True:
        counts = [statements_shown(port) for port in ports]
        if counts == [expected] * len(ports) or time.monotonic() > deadline:
            return counts
        time.sleep(0.2)


def test_every_process_shows_an_unpublished_statement_within_seconds(environment, two_servers):
    assert [statements_shown(port) for port in two_servers] == [PUBLISHED] * 2  # both warm
    edit(
        environment,
        f"s = Statement.objects.get(order={PUBLISHED})\n"
        "s.status = Statement.Status.CONCEPT\ns.save()",
    )
    assert shown_within(two_servers, PUBLISHED - 1) == [PUBLISHED - 1] * 2
    edit(
        environment,
        f"Statement.objects.filter(order={PUBLISHED}).update(status=Statement.Status.PUBLISHED)\n"
        "from quiz.snapshot import bump_version\nbump_version()",
    )
    assert shown_within(two_servers, PUBLISHED) == [PUBLISHED] * 2


def test_a_server_restarted_while_the_database_is_gone_still_serves_voters(environment, tmp_path):
    with serving(environment) as [port]:
        assert get(port, "/stemtest/vooruit-2024/stelling/1/")[0] == 200  # the last good quiz
    (tmp_path / "db.sqlite3").rename(tmp_path / "elsewhere.sqlite3")  # the database is gone

    with serving(environment) as [port]:
        status, page = get(port, "/")
        assert (status, "Stemtest Vooruit 2024" in page) == (200, True)
        assert statements_shown(port) == PUBLISHED
        status, page = get(port, "/stemtest/vooruit-2024/stelling/2/")
        assert (status, f"Stelling 2 van {PUBLISHED}" in page) == (200, True)
        status, page = get(port, "/stemtest/vooruit-2024/stellingen/")
        assert (status, page.count("<template data-number=")) == (200, PUBLISHED)
        status, page = get(port, "/stemtest/vooruit-2024/resultaat/")
        assert (status, "data-bundle=" in page) == (200, True)  # what the device fills in
        status, page = get(port, "/admin/", headers={"Cookie": "sessionid=an-editors-session"})
        assert status == 503
        assert "Wat je net wilde bewaren, is niet opgeslagen." in page


def test_slow_clients_cannot_stall_the_production_stack(environment):
    """gunicorn with two threads behind nginx (deploy/): 64 connections that never finish their
    request hold nginx's connections, not gunicorn's threads."""
    from deploy.serve import start_nginx

    app, front = free_port(), free_port()
    env = {**environment, "BIND": f"127.0.0.1:{app}", "WEB_WORKERS": "1", "WEB_THREADS": "2"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "stemtest/gunicorn.conf.py", "stemtest.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    proxy, run = start_nginx(listen=f"127.0.0.1:{front}", app=f"127.0.0.1:{app}")
    slow = []
    try:
        for port in (app, front):
            for _ in range(100):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                    break
                time.sleep(0.1)
        assert get(front, "/stemtest/vooruit-2024/")[0] == 200
        for _ in range(64):
            connection = socket.create_connection(("127.0.0.1", front))
            connection.sendall(b"GET /stemtest/vooruit-2024/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(connection)  # ... and the rest of its request never comes
        time.sleep(0.5)
        for path in ("/stemtest/vooruit-2024/", "/stemtest/vooruit-2024/stelling/1/", BUNDLE):
            assert get(front, path)[0] == 200
    finally:
        for connection in slow:
            connection.close()
        for process in (proxy, server):
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(run, ignore_errors=True)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ("127.0.0.1:8000", "127.0.0.1:8001")),
        ({"PORT": "8123"}, ("127.0.0.1:8123", "127.0.0.1:8124")),  # make serve PORT=8123
        ({"PORT": "8123", "LISTEN": "0.0.0.0:80"}, ("0.0.0.0:80", "127.0.0.1:8124")),
        ({"APP_BIND": "127.0.0.1:9000"}, ("127.0.0.1:8000", "127.0.0.1:9000")),
    ],
)
def test_make_serve_listens_where_it_is_told(environ, expected):
    from deploy.serve import addresses

    assert addresses(environ) == expected


def test_the_static_export_under_nginx_may_be_framed_by_nobody():
    """deploy/nginx-static.conf: the export's pages say frame-ancestors 'none' (embedding goes
    through Django's pages, docs/embedding.md)."""
    from deploy.serve import start_static_nginx

    # In /tmp itself, as bench/load.py's: nginx's workers (another user) cannot go through
    # pytest's own temporary folders.
    folder = Path(tempfile.mkdtemp(prefix="stemtest-export-"))
    site = folder / "site"
    (site / "static").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>Stemtest</title>")
    (site / "static" / "x.css").write_text("body {}")
    folder.chmod(0o711)
    for path in (site, site / "static"):
        path.chmod(0o755)
    for path in (site / "index.html", site / "static" / "x.css"):
        path.chmod(0o644)
    port = free_port()
    server, run = start_static_nginx(listen=f"127.0.0.1:{port}", root=site)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
            assert response.headers["X-Frame-Options"] == "DENY"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/x.css", timeout=5) as response:
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(run, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
