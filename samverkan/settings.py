"""Settings for Samverkan: one file, read from environment variables.

SQLite under the data folder is the default so that a fresh clone runs; set
DATABASE_URL (postgres://...) for production. Every variable that is set but
malformed stops the start with ImproperlyConfigured rather than being ignored.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


DEBUG = env_bool("SAMVERKAN_DEBUG", False)
DATA_DIR = Path(os.environ.get("SAMVERKAN_DATA_DIR", BASE_DIR / "var"))

DEVELOPMENT_SECRET_KEY = "samverkan-insecure-development-key-do-not-use-in-production"
_secret = os.environ.get("SAMVERKAN_SECRET_KEY")
_secret_file = os.environ.get("SAMVERKAN_SECRET_KEY_FILE")
if _secret_file:
    try:
        _secret = Path(_secret_file).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"SAMVERKAN_SECRET_KEY_FILE cannot be read: {exc}") from exc
if not _secret:
    if not (DEBUG or env_bool("SAMVERKAN_INSECURE_DEV_KEY", True)):
        raise ImproperlyConfigured("SAMVERKAN_SECRET_KEY must be set in production")
    # Only for the demo and tests: a fixed key that is never used with real data
    # (`samverkan check --deploy` fails while it is in use; samverkan/web/checks.py).
    _secret = DEVELOPMENT_SECRET_KEY
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list(
    "SAMVERKAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("SAMVERKAN_CSRF_TRUSTED_ORIGINS", [])

# Which cooperations a staff user may edit in the admin (the domain apps' admin base asks this).
SAMVERKAN_ADMIN_COOPERATIONS = "samverkan.accounts.roles.admin_cooperation_ids"

INSTALLED_APPS = [
    # Before django_tasks_db: its `db_worker` command is replaced by one that survives a
    # locked database (samverkan/reports/management/commands/db_worker.py).
    "samverkan.reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "samverkan.core",
    "samverkan.accounts",
    "samverkan.audit",
    "samverkan.members",
    "samverkan.governance",
    "samverkan.plan",
    "samverkan.consultations",
    "samverkan.projects",
    "samverkan.finance",
    "samverkan.yearfile",
    "samverkan.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samverkan.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "samverkan.web.middleware.PrivatePagesMiddleware",
    "samverkan.web.middleware.NotAllowedPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samverkan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'samverkan.sqlite3'}",
        conn_max_age=int(os.environ.get("SAMVERKAN_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Waiting for a lock beats failing with "database is locked" under the web app's concurrency.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = float(
        os.environ.get("SAMVERKAN_SQLITE_TIMEOUT", "20")
    )
    # Write-ahead log: readers never wait for a writer, and a writer never waits for readers,
    # so pages keep answering while an import or a decision writes. NORMAL is durable across
    # an application crash (kill -9); only a power cut may lose the last commits, never consistency.
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    # Writers take the lock when their transaction starts, so two concurrent saves wait for
    # each other instead of one failing with "database is locked" when it upgrades its read lock.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:public-index"

# Uploaded files (SCB population files, SIE files) are streamed to a temporary file, never held
# whole in memory; one larger than UPLOAD_MAX_BYTES is refused while it arrives.
FILE_UPLOAD_HANDLERS = ["samverkan.web.uploads.LimitedTemporaryFileUploadHandler"]
try:
    UPLOAD_MAX_BYTES = int(os.environ.get("SAMVERKAN_UPLOAD_MAX_BYTES", str(200 * 1024 * 1024)))
except ValueError as exc:
    raise ImproperlyConfigured("SAMVERKAN_UPLOAD_MAX_BYTES must be a number of bytes") from exc

AXES_FAILURE_LIMIT = int(os.environ.get("SAMVERKAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("SAMVERKAN_LOGIN_THROTTLING", True)
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Behind a reverse proxy: its addresses or networks, comma-separated (off when empty). Login
# throttling then takes the client's address from X-Forwarded-For as the proxy wrote it
# (samverkan/web/client_address.py) instead of the proxy's own, which every user shares.
SAMVERKAN_TRUSTED_PROXIES = env_list("SAMVERKAN_TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "samverkan.web.client_address.client_address"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "samverkan" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves static files from the app folders too, so the demo and a plain
# gunicorn need no separate web server for them.
WHITENOISE_USE_FINDERS = True
with contextlib.suppress(OSError):  # a read-only data folder: collectstatic will say so
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
# SIE uploads: streamed to a temporary file, then kept here between preview and import.
SIE_UPLOAD_DIR = Path(os.environ.get("SAMVERKAN_SIE_UPLOAD_DIR", DATA_DIR / "sie-uploads"))

# Background work (the PDF and Word editions of a large report take Typst seconds and
# python-docx tens of seconds): django-tasks, queued in the database and run by
# `samverkan db_worker`. "immediate" runs each task inside the request instead,
# for a set-up without a worker process.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {"BACKEND": TASK_BACKENDS[os.environ.get("SAMVERKAN_TASKS", "database")]},
}

# Content-Security-Policy on every response (django-csp): the app's own files only, no inline
# script or style, never inside a frame. The HTML edition of the report, a file that stands
# alone, adds the hash of its own style sheet (web/reports.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
        "object-src": [csp_constants.NONE],
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A form without its token: a Swedish page saying nothing was saved (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "samverkan.web.views.account.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and env_bool("SAMVERKAN_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SAMVERKAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAMVERKAN_LOG_LEVEL", "WARNING")},
}
