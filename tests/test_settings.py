"""Settings come from the environment and refuse unsafe production values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_production_without_a_secret_key_refuses_to_start() -> None:
    result = run_manage("check", DEBUG="false", ALLOWED_HOSTS="reporting.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start() -> None:
    result = run_manage("check", DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_a_bad_boolean_fails_loudly() -> None:
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_sqlite_is_the_default_and_database_url_selects_postgres() -> None:
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    default = run_manage("shell", "--no-imports", "-c", code)
    assert default.stdout.strip() == "django.db.backends.sqlite3"
    postgres = run_manage(
        "shell", "--no-imports", "-c", code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/reporting"
    )
    assert postgres.stdout.strip() == "django.db.backends.postgresql"


def test_language_and_time_zone_defaults() -> None:
    code = "from django.conf import settings; print(settings.LANGUAGE_CODE, settings.TIME_ZONE)"
    assert run_manage("shell", "--no-imports", "-c", code).stdout.split() == ["zh-hans", "Asia/Shanghai"]
