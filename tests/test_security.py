"""The security baseline: deploy checks, response headers, login lockout, password rules."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import axes
import polib
import pytest
import simple_history
from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import Client, override_settings
from django.utils import translation

from committees import models as m
from tests.conftest import Tree
from tests.factories import ProposalFactory
from tests.tools import require_program

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-clerk-password-2020"
PRODUCTION = {"DEBUG": "false", "ALLOWED_HOSTS": "reporting.example.org"}
# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process, and a deployment must not have it.
INHERITED = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in INHERITED and not k.startswith("AXES_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def production_secret_key() -> str:
    return secrets.token_urlsafe(60)


def test_production_settings_pass_the_deploy_check() -> None:
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=production_secret_key(), **PRODUCTION
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "W0" not in output, output
    assert "System check identified no issues" in output


def test_production_cookies_and_transport() -> None:
    names = (
        "SECURE_SSL_REDIRECT SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE CSRF_COOKIE_HTTPONLY SESSION_COOKIE_HTTPONLY "
        "SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_SECONDS SESSION_EXPIRE_AT_BROWSER_CLOSE"
    ).split()
    code = f"from django.conf import settings; print(*(getattr(settings, n) for n in {names!r}))"
    values = run_manage("shell", "--no-imports", "-c", code, SECRET_KEY=production_secret_key(), **PRODUCTION)
    assert values.stdout.split() == ["True"] * 6 + ["31536000", "False"], values.stderr
    closing = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SESSION_EXPIRE_AT_BROWSER_CLOSE)",
        SECRET_KEY=production_secret_key(),
        SESSION_EXPIRE_AT_BROWSER_CLOSE="true",
        **PRODUCTION,
    )
    assert closing.stdout.strip() == "True", closing.stderr


def test_lockout_settings_come_from_the_environment() -> None:
    code = (
        "from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME, settings.AXES_LOCKOUT_PARAMETERS)"
    )
    assert run_manage("shell", "--no-imports", "-c", code).stdout.strip() == ("5 1:00:00 [['username', 'ip_address']]")
    custom = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        AXES_FAILURE_LIMIT="8",
        AXES_COOLOFF_HOURS="0",
        AXES_LOCKOUT_PARAMETERS="username, ip_address",
    )
    assert custom.stdout.strip() == "8 None ['username', 'ip_address']", custom.stderr
    wrong = run_manage("check", AXES_LOCKOUT_PARAMETERS="username+password")
    assert wrong.returncode != 0
    assert "AXES_LOCKOUT_PARAMETERS='username+password'" in wrong.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers() -> None:
    response = Client().get("/admin/login/")
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.cookies["csrftoken"]["httponly"]


@pytest.fixture
def superuser(tree: Tree) -> m.User:
    return m.User.objects.create_superuser("root", password=PASSWORD)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


@pytest.mark.django_db
def test_admin_pages_need_no_inline_script_or_style(superuser: m.User, tree: Tree, hlj_member: m.Member) -> None:
    """What the policy would block: the browser, run by hand, showed no violation on these pages either."""
    proposal = ProposalFactory(branch=tree.harbin_branch)
    client = Client()
    client.force_login(superuser)
    pages = [
        "/admin/",
        "/admin/committees/member/",
        "/admin/committees/member/add/",
        f"/admin/committees/member/{hlj_member.pk}/change/",
        f"/admin/committees/member/{hlj_member.pk}/history/",
        f"/admin/committees/proposal/{proposal.pk}/change/",
        "/admin/committees/committee/",
        f"/admin/committees/user/{superuser.pk}/change/",
        "/admin/password_change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not INLINE_SCRIPT.findall(body), (url, INLINE_SCRIPT.findall(body))
        assert not INLINE_STYLE.findall(body), url


def test_the_history_template_is_simple_historys_own_without_its_inline_style() -> None:
    original = Path(simple_history.__file__).parent / "templates/simple_history/object_history_list.html"
    ours = (ROOT / "templates/simple_history/object_history_list.html").read_text()
    assert ours.startswith("{#")
    expected = original.read_text()
    for theirs, mine in (
        ('<p class="paginator" style="border-top: 0">', '<p class="paginator">'),
        # An empty value reads "–", never "None".
        ("{{ record|getattribute:column }}", '{{ record|getattribute:column|default_if_none:"–" }}'),
        ('{% trans "None" %}', "–"),
        ("{{ record.history_change_reason }}", '{{ record.history_change_reason|default:"–" }}'),
        ("{{ change.old }}", '{{ change.old|default_if_none:"–" }}'),
        ("{{ change.new }}", '{{ change.new|default_if_none:"–" }}'),
    ):
        assert theirs in expected, "simple_history changed its template: copy it again"
        expected = expected.replace(theirs, mine)
    assert ours.split("\n", 1)[1] == expected, "simple_history changed its template: copy it again"


@pytest.fixture
def clerk(tree: Tree) -> m.User:
    return m.User.objects.create_user("hlj_clerk", password=PASSWORD, is_staff=True, committee=tree.hlj)


@pytest.fixture
def other_clerk(tree: Tree) -> m.User:
    return m.User.objects.create_user("gz_clerk", password=PASSWORD, is_staff=True, committee=tree.gz)


def attempt(client: Client, username: str, password: str, ip: str = "203.0.113.7") -> HttpResponse:
    return client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_five_failed_logins_lock_the_account(clerk: m.User, other_clerk: m.User) -> None:
    client = Client()
    for _ in range(4):
        response = attempt(client, clerk.username, "wrong-password")
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()

    fifth = attempt(client, clerk.username, "wrong-password")
    assert fifth.status_code == 429

    sixth = attempt(client, clerk.username, PASSWORD)
    assert sixth.status_code == 429
    body = sixth.content.decode()
    assert 'lang="zh-hans"' in body
    assert "登录失败次数过多，此账号已被锁定。" in body
    assert "请在 1 小时后再试" in body
    assert "民进履职统计" in body
    assert "script-src 'self'" in sixth.headers["Content-Security-Policy"]
    assert not is_logged_in(client)
    assert client.get("/admin/").status_code == 302

    bystander = Client()
    assert attempt(bystander, other_clerk.username, PASSWORD).status_code == 302
    assert is_logged_in(bystander)

    # The lock is on the name together with the address the failures came from.
    elsewhere = Client()
    assert attempt(elsewhere, clerk.username, PASSWORD, ip="198.51.100.20").status_code == 302
    assert is_logged_in(elsewhere)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_a_successful_login_clears_earlier_failures(clerk: m.User) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, clerk.username, "wrong-password")
    assert attempt(client, clerk.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, clerk.username, "wrong-password").status_code == 200
    assert attempt(client, clerk.username, PASSWORD).status_code == 302


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_COOLOFF_TIME=None)
def test_without_a_cool_off_an_administrator_unlocks(clerk: m.User) -> None:
    client = Client()
    for _ in range(5):
        response = attempt(client, clerk.username, "wrong-password")
    assert response.status_code == 429
    assert "请联系管理员解锁。" in response.content.decode()


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_logins_without_a_request_pass_the_lockout_backend(clerk: m.User) -> None:
    """The test client's login() calls authenticate() without a request, which plain Axes refuses."""
    assert Client().login(username=clerk.username, password=PASSWORD)


@pytest.mark.django_db
def test_weak_passwords_are_refused_in_chinese(clerk: m.User) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password("12345678", clerk)
    codes = [error.code for error in refused.value.error_list]
    assert codes == ["password_too_short", "password_too_common", "password_entirely_numeric"]
    messages = refused.value.messages
    assert messages[0] == "密码长度太短。密码必须包含至少 10 个字符。"
    assert all(re.search(r"[\u4e00-\u9fff]", message) for message in messages), messages

    with translation.override("zh-hans"), pytest.raises(ValidationError) as similar:
        validate_password("hlj_clerk2020", clerk)
    assert [error.code for error in similar.value.error_list] == ["password_too_similar"]

    validate_password("lantern-orchard-1987", clerk)


def test_axes_speaks_chinese(tmp_path: Path) -> None:
    xgettext = require_program("xgettext", install_hint="apt-get install gettext")
    axes_dir = Path(axes.__file__).parent
    pot = tmp_path / "axes.pot"
    sources = sorted(str(path) for path in axes_dir.rglob("*.py") if "migrations" not in path.parts)
    subprocess.run(
        [xgettext, "--language=Python", "--keyword=_", "--from-code=UTF-8", "-o", str(pot), *sources], check=True
    )
    msgids = [entry.msgid for entry in polib.pofile(str(pot)) if "{" not in entry.msgid]
    assert len(msgids) > 20
    with translation.override("zh-hans"):
        untranslated = [msgid for msgid in msgids if translation.gettext(msgid) == msgid]
        assert not untranslated
        assert str(apps.get_app_config("axes").verbose_name) == "登录锁定"
