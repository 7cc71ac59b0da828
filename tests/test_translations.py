"""Simplified Chinese is the default language and it is complete."""

from __future__ import annotations

import re
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


# Where our catalogue words a string that Django or an installed app already translates, differently but with
# the same meaning, and why. Anything else must read as theirs: give our own use a context (pgettext) instead.
SAME_MEANING = {
    "This year": "本年 is how the reports say it (本年 / 上年); Django's 今年 means the same",
    "Filter": "筛选 is the everyday word for the ranking's filter button; Django's 过滤器 means the same",
    "entry": "条记录 counts history entries; Django's 条目 means the same",
}


def library_translations() -> dict[tuple[str | None, str], str]:
    """What Django would show for each msgid without our catalogue: the first installed app that translates
    it, else Django's own catalogue (django/conf/locale)."""
    import django
    from django.apps import apps

    folders = [Path(app.path) / "locale" for app in apps.get_app_configs()]
    folders.append(Path(django.__file__).parent / "conf" / "locale")
    translations: dict[tuple[str | None, str], str] = {}
    for folder in folders:
        for name in ("django.mo", "djangojs.mo"):
            compiled = folder / "zh_Hans" / "LC_MESSAGES" / name
            if compiled.exists():
                for entry in polib.mofile(str(compiled)):
                    text = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
                    if entry.msgid and text:
                        translations.setdefault((entry.msgctxt, entry.msgid), text)
    return translations


def test_our_catalogue_does_not_change_the_meaning_of_djangos_words() -> None:
    theirs = library_translations()
    assert len(theirs) > 500, "Django's catalogues were not found"
    overridden = {}
    for entry in merged_catalogue(ZH):
        key = (entry.msgctxt, entry.msgid)
        ours = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
        if key in theirs and ours and ours != theirs[key]:
            overridden[entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}|{entry.msgid}"] = (
                ours,
                theirs[key],
            )
    unexplained = {msgid: pair for msgid, pair in overridden.items() if msgid not in SAME_MEANING}
    assert not unexplained, f"our catalogue overrides Django's (ours, theirs): {unexplained}"
    stale = set(SAME_MEANING) - set(overridden)
    assert not stale, f"no longer overridden, drop from SAME_MEANING: {stale}"


def test_admin_words_read_as_djangos() -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Change") == "修改"
        assert translation.gettext("History") == "历史"
        assert translation.gettext("After you’ve created a user, you’ll be able to edit more user options.") == (
            "创建用户后，你可以编辑更多的用户选项。"
        )


def test_djangos_own_gaps_in_chinese_are_filled_by_the_project() -> None:
    """Strings Django's English catalogues have and its zh_Hans ones lack (new in a release) read in Chinese."""
    import django

    root = Path(django.__file__).parent
    msgids: set[tuple[str | None, str]] = set()
    for folder in ("contrib/admin", "contrib/auth", "contrib/contenttypes", "contrib/humanize", "conf"):
        english = polib.pofile(str(root / folder / "locale/en/LC_MESSAGES/django.po"))
        chinese = polib.mofile(str(root / folder / "locale/zh_Hans/LC_MESSAGES/django.mo"))
        known = {(e.msgctxt, e.msgid) for e in chinese if e.msgstr or e.msgstr_plural}
        msgids |= {(e.msgctxt, e.msgid) for e in english if not e.obsolete and (e.msgctxt, e.msgid) not in known}
    assert not untranslated(msgids)


def test_translation_functions_keep_names_makemessages_extracts() -> None:
    # makemessages finds strings by the functions' names: under another alias (``gettext_lazy as _lazy``) a string
    # is never extracted, so it would drop out of the catalogue at the next makemessages and show in English.
    known = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop"}
    alias = re.compile(r"from django\.utils\.translation import .*\b(\w*gettext\w*) as (\w+)")
    wrong = [
        f"{path.relative_to(ROOT)}: {found.group(1)} as {found.group(2)}"
        for name in ("committees", "reporting")
        for path in (ROOT / name).rglob("*.py")
        for found in alias.finditer(path.read_text(encoding="utf-8"))
        if found.group(2) not in known
    ]
    assert not wrong, wrong
