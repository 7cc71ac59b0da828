"""Settings, all from the environment.

Without any environment the project runs in development mode on an SQLite file in the project folder.
With ``DEBUG`` off it refuses to start unless a secret key and allowed hosts are given, and switches on
the production safety settings.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_lockout_parameters(name: str, default: str) -> list[str | list[str]]:
    """``username+ip_address`` locks the pair; ``username,ip_address`` locks either one on its own."""
    known = {"username", "ip_address", "user_agent"}
    raw = os.environ.get(name) or default
    parameters: list[str | list[str]] = []
    for alternative in raw.split(","):
        fields = [field.strip() for field in alternative.split("+") if field.strip()]
        if not fields or not set(fields) <= known:
            raise ImproperlyConfigured(f"{name}={raw!r}: use {', '.join(sorted(known))}, joined by + or ,")
        parameters.append(fields if len(fields) > 1 else fields[0])
    return parameters


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "committees.apps.RecordsAdminConfig",  # django.contrib.admin with labelled autocompletes
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "treebeard",
    "simple_history",
    "committees",
    "committees.imports",
    "reporting",
    "reporting.summary",
    "reporting.scoring",
    "reporting.dashboards",
    "reporting.apps.AxesConfig",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as Axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reporting.urls"
WSGI_APPLICATION = "reporting.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reporting.chrome.chrome",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL (postgres://…) selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reports run a few large GROUP BYs: JIT compilation costs more than it saves on them (~60 ms a query),
    # sorts of a national year spill to disk at the default 4 MB, and with the default random_page_cost (4, for
    # spinning disks) the planner hash-joins whole tables where a province's rows are a few index lookups away
    # (a province's distinct 社情民意 authors: 126 ms -> 57 ms on the bench dataset).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "PG_SESSION_OPTIONS", "-c jit=off -c work_mem=32MB -c random_page_cost=1.1"
    )
# Covering indexes (INCLUDE) serve PostgreSQL's index-only scans; SQLite builds them without the extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Computed figures are cached under the version of the records (reporting/metrics/cache.py). REDIS_URL shares
# the cache between worker processes; without it each process keeps its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    )
}
METRICS_CACHE_SECONDS = env_int("METRICS_CACHE_SECONDS", 86400)  # 0 turns the figure cache off
# Whole-year figures by committee are kept counted per committee in the database (reporting/metrics/cells.py).
METRICS_CELLS = env_bool("METRICS_CELLS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "committees.User"
LOGIN_URL = "admin:login"
# After login without a usable ?next= (none, or another site's): the home page, not /accounts/profile/.
LOGIN_REDIRECT_URL = "/"

AUTHENTICATION_BACKENDS = [
    "reporting.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

# Excel imports (committees.imports): uploads above either limit are refused before anything is written.
IMPORTS_MAX_BYTES = env_int("IMPORTS_MAX_BYTES", 10 * 1024 * 1024)
IMPORTS_MAX_ROWS = env_int("IMPORTS_MAX_ROWS", 20_000)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)

# Login lockout (django-axes). The default locks a username only for the address the failures came from:
# locking the username alone would let anyone on the internet lock every clerk out by typing their names,
# and locking the address alone would lock out a whole office behind one NAT for one person's typing. The
# password rules above make guessing from many addresses slow enough. Axes sees REMOTE_ADDR: behind a
# reverse proxy that is the proxy's address for everyone, and the lock falls back to the username alone.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = env_lockout_parameters("AXES_LOCKOUT_PARAMETERS", "username+ip_address")
# Hours a lockout lasts, counted from the latest failed attempt; 0 keeps the account locked until an
# administrator runs ``manage.py axes_reset_username <name>``.
cooloff_hours = env_int("AXES_COOLOFF_HOURS", 1)
AXES_COOLOFF_TIME = timedelta(hours=cooloff_hours) if cooloff_hours > 0 else None
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "reporting.security.lockout_response"

# Our own pages need no inline scripts or styles, nor anything from another origin. Nor does the admin,
# treebeard's tree included (checked in Chromium); simple_history's one style="" attribute is taken out by
# templates/simple_history/object_history_list.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: the admin's forms carry the token, treebeard's script takes it from the page.
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
