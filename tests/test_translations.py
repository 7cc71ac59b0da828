"""Simplified Chinese is the default language and it is complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from committees.management.commands.compiletranslations import merged_catalogue
from tests.tools import require_program

ROOT = Path(settings.BASE_DIR)
ZH = ROOT / "locale" / "zh_Hans"


def untranslated(msgids: set[tuple[str | None, str]]) -> list[str]:
    catalogue = {(e.msgctxt, e.msgid): e for e in merged_catalogue(ZH) if not e.obsolete}
    missing = []
    for key in sorted(msgids, key=lambda k: (k[0] or "", k[1])):
        entry = catalogue.get(key)
        if entry is None or not entry.translated() or "fuzzy" in entry.flags:
            missing.append(key[1] if key[0] is None else f"{key[0]}|{key[1]}")
    return missing


def test_every_string_of_the_project_has_a_chinese_translation(tmp_path: Path) -> None:
    require_program("xgettext", install_hint="apt-get install gettext")
    for name in ("manage.py", "reporting", "committees", "templates", "static"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
        elif source.exists():
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))
    msgids = {(e.msgctxt, e.msgid) for e in extracted}
    assert len(msgids) > 100, "makemessages found suspiciously few strings"
    missing = untranslated(msgids)
    assert not missing, f"{len(missing)} strings have no Chinese translation: {missing[:20]}"


def test_libraries_without_a_chinese_catalogue_are_translated_by_the_project() -> None:
    treebeard_de = Path(__import__("treebeard").__file__).parent / "locale/de/LC_MESSAGES/django.po"
    msgids = {(e.msgctxt, e.msgid) for e in polib.pofile(str(treebeard_de)) if not e.obsolete}
    assert not untranslated(msgids)


def test_the_compiled_catalogue_is_current() -> None:
    compiled = polib.mofile(str(ZH / "LC_MESSAGES" / "django.mo"))
    source = merged_catalogue(ZH)
    compiled_map = {(e.msgctxt, e.msgid): e.msgstr for e in compiled}
    for entry in source.translated_entries():
        assert compiled_map.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid


@pytest.mark.django_db
def test_the_admin_login_page_speaks_chinese_by_default() -> None:
    body = Client().get("/admin/login/").content.decode()
    assert 'lang="zh-hans"' in body
    assert "用户名" in body and "密码" in body
    assert "民进履职统计" in body


@pytest.mark.django_db
def test_english_can_be_chosen() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/login/"})
    body = client.get("/admin/login/").content.decode()
    assert "Username" in body and "Committee reporting" in body
