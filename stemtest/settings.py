"""Stemtest settings: one file, read from the environment, safe defaults for development.

Every variable is listed with its meaning in `.env.example`.
"""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

django_stubs_ext.monkeypatch()  # ModelForm[Statement] and the like, for the type checker

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
TESTING = "PYTEST_VERSION" in os.environ  # pytest sets it for the whole run
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY and not TESTING:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (see .env.example). "
        "For local development set DEBUG=1."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "stemtest.apps.StemtestAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "quiz",
]

MIDDLEWARE = [
    "stemtest.middleware.no_body_for_head",
    "django.middleware.security.SecurityMiddleware",
    "stemtest.middleware.DatabaseUnavailableMiddleware",
    "stemtest.middleware.no_nul_in_the_address",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "stemtest.locale.language_from_address",
    "stemtest.middleware.SessionMiddleware",  # these three: editors' pages only
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "stemtest.middleware.AuthenticationMiddleware",
    "stemtest.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "stemtest.middleware.permissions_policy",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "stemtest.urls"
WSGI_APPLICATION = "stemtest.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The statistics' counters (quiz.statistics) are added up in Redis when there is one and written
# to the database by `manage.py flush_statistics` (and when an editor opens them).
STATISTICS_REDIS_URL = os.environ.get("STATISTICS_REDIS_URL", os.environ.get("REDIS_URL", ""))

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # A Redis that hangs costs a request half a second, not redis-py's default of none.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Voters read Stemtest in Dutch on the plain addresses, in French under /fr/ and in English under
# /en/ (stemtest/urls.py; stemtest.locale picks the language from the address, nothing else). The
# interface's msgids are its Dutch text; locale/fr and locale/en translate them, locale/nl holds
# the Dutch for Django's admin strings that Django's own catalogue leaves in English. The admin
# is Dutch only. Compiled by `make messages`; checked by tests/test_translations.py.
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", "Nederlands"), ("fr", "Français"), ("en", "English")]
HTML_LANGUAGES = {"nl-be": "nl-BE", "fr": "fr-BE", "en": "en"}  # <html lang>, hreflang
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# The last snapshots of the live quizzes (quiz.snapshot), for a web process that starts while the
# database is down. Every process writes it; keep it on local disk, writable by the web user.
SNAPSHOT_DIR = Path(os.environ.get("SNAPSHOT_DIR", BASE_DIR / "var" / "snapshots"))

# Uploaded files (party logos). nginx serves them in production (deploy/nginx.conf), the
# development server in DEBUG (stemtest/urls.py).
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Served by whitenoise. In production: compressed files with hashed names, cached for a year
# (needs `collectstatic`, which `make serve` runs). Development and tests use the plain files.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security headers. No inline scripts or styles anywhere, so the policy needs no nonce
# and responses stay cacheable.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# Frames: nobody may frame Stemtest. A future embed route opts out explicitly with
# @xframe_options_exempt and @csp_override({... "frame-ancestors": [...]}), nothing else.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# HTTPS: on in production (DEBUG off), off for development and tests; HTTPS=0 serves plain
# HTTP (a load test on 127.0.0.1). Behind a TLS-terminating proxy set BEHIND_PROXY=1.
HTTPS = env_bool("HTTPS", not DEBUG and not TESTING)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# Admin logins: django-axes locks an account from one address, and an address on any account,
# after 5 failures for 15 minutes. Never an account everywhere: then anyone could keep an editor
# out by failing logins with the editor's name. Unlocking: README.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "stemtest.admin.locked_out"
if env_bool("BEHIND_PROXY"):
    AXES_CLIENT_IP_CALLABLE = "stemtest.middleware.client_ip_behind_proxy"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line": {"()": "stemtest.logs.ClientErrorsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
