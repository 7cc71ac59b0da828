"""Django in the benchmark process: production settings (DEBUG off) on the bench database, and a superuser."""

from __future__ import annotations

import os
import sys
import warnings
from typing import Any

from .database import ROOT

BENCH_USERNAME = "bench"


def configure(database_url: str) -> None:
    """Point Django at the bench database with DEBUG off, as production runs, and set it up. Child processes
    inherit the environment, so the export workers run the same way."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "reporting.settings"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django
    from django.test.utils import override_settings

    # WhiteNoise looks for collected files, which only production builds have (as in pyproject's pytest filters).
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    # DEBUG off selects WhiteNoise's manifest storage, which needs `collectstatic`; the plain storage renders
    # the same {% static %} URLs without it.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()


def bench_client() -> Any:
    """A test client logged in as the bench superuser (created if missing)."""
    from django.test import Client

    from committees.models import User

    user = User.objects.filter(username=BENCH_USERNAME).first()
    if user is None:
        user = User.objects.create_superuser(BENCH_USERNAME, "bench@example.invalid", None)
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client
