"""Production settings and the security headers they put on every response."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "stemtest.example.be",
    "CSRF_TRUSTED_ORIGINS": "https://stemtest.example.be",
}
SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py outside pytest (so the settings see a production environment)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTEST_VERSION", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production_settings():
    code = (
        "from django.conf import settings; import json; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    result = run_manage("shell", "-v", "0", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def in_production(settings, production_settings):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    return settings


def test_check_deploy_reports_nothing_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_with_the_dev_key_when_debug_is_off():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_turns_on_https_cookies_and_hsts(production_settings):
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True


def test_plain_http_is_redirected_to_https(client, in_production):
    response = client.get("/admin/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_hsts_header_on_https(client, in_production):
    response = client.get("/admin/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_csrf_cookie_is_secure_and_httponly(client, in_production):
    response = client.get("/admin/login/", secure=True)
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_session_cookie_is_secure_and_httponly(client, in_production, db):
    User.objects.create_superuser("redactie", "r@example.be", "een-lang-wachtwoord-1")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "redactie", "password": "een-lang-wachtwoord-1"},
        secure=True,
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_content_security_policy_is_strict(client, db):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "http" not in policy  # no third-party origins


def test_nosniff_referrer_and_frame_headers(client, db):
    response = client.get("/admin/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_permissions_policy_switches_off_unused_features(client, db):
    policy = client.get("/admin/login/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def _login(client, username, password, address="10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_an_account_is_locked_from_the_address_that_failed_five_times(client, db):
    User.objects.create_superuser("redactie", "r@example.be", "een-lang-wachtwoord-1")
    for attempt in range(5):
        _login(client, "redactie", f"fout-{attempt}", address="10.0.0.1")
    response = _login(client, "redactie", "een-lang-wachtwoord-1", address="10.0.0.1")
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd | Stemtest redactie" in response.content.decode()


def test_failing_with_an_editors_name_elsewhere_does_not_lock_the_editor_out(client, db):
    User.objects.create_superuser("redactie", "r@example.be", "een-lang-wachtwoord-1")
    for attempt in range(10):  # someone else, from addresses of their own
        _login(client, "redactie", f"fout-{attempt}", address=f"10.0.0.{attempt + 1}")
    response = _login(client, "redactie", "een-lang-wachtwoord-1", address="10.0.1.50")
    assert response.status_code == 302


def test_an_address_is_locked_after_five_failed_logins_on_any_accounts(client, db):
    User.objects.create_superuser("redactie", "r@example.be", "een-lang-wachtwoord-1")
    for attempt in range(5):
        _login(client, f"gok-{attempt}", "fout", address="10.0.0.7")
    response = _login(client, "redactie", "een-lang-wachtwoord-1", address="10.0.0.7")
    assert response.status_code == 429
    other_address = _login(client, "redactie", "een-lang-wachtwoord-1", address="10.0.0.8")
    assert other_address.status_code == 302
