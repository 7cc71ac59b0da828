"""Compile the project's .po catalogues into .mo files with polib: no GNU gettext needed.

Each language folder under ``locale/`` has ``LC_MESSAGES/django.po`` (our own strings, kept up to date
by ``makemessages``) and may have ``vendor/*.po`` (translations for libraries that ship none in that
language, e.g. django-treebeard has no Simplified Chinese). All are merged into one ``django.mo``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def merged_catalogue(language_dir: Path) -> polib.POFile:
    main = language_dir / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(main))
    known = {(entry.msgctxt, entry.msgid) for entry in catalogue}
    for extra in sorted((language_dir / "vendor").glob("*.po")):
        for entry in polib.pofile(str(extra)):
            if (entry.msgctxt, entry.msgid) not in known and not entry.obsolete:
                catalogue.append(entry)
                known.add((entry.msgctxt, entry.msgid))
    return catalogue


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po (and locale/*/vendor/*.po) into django.mo files."

    def handle(self, *args: Any, **options: Any) -> None:
        written = unchanged = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/django.po")):
                language_dir = po_path.parent.parent
                mo_path = po_path.with_suffix(".mo")
                catalogue = merged_catalogue(language_dir)
                tmp_path = mo_path.with_suffix(".mo.tmp")
                catalogue.save_as_mofile(str(tmp_path))
                if mo_path.exists() and mo_path.read_bytes() == tmp_path.read_bytes():
                    tmp_path.unlink()
                    unchanged += 1
                else:
                    tmp_path.replace(mo_path)
                    written += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled translations: {written} written, {unchanged} unchanged.")
