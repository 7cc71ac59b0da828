"""Writes that other code calls by name (HackSoft style: keyword-only, typed, ``<thing>_<action>``)."""

from __future__ import annotations

from typing import Any

from .access import may_see_personal_data
from .models import Committee, ExportLog


def export_log_create(
    *,
    user: Any,
    kind: str,
    committee: Committee | None,
    year: int | None = None,
    rows: int = 0,
    contains_personal_data: bool = False,
    path: str = "",
) -> ExportLog:
    """Record an export. ``personal_data`` is set when the file carried personal data unmasked, i.e. when it
    contains personal fields and the user may see them."""
    return ExportLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        kind=kind,
        committee=committee,
        year=year,
        rows=rows,
        personal_data=contains_personal_data and may_see_personal_data(user),
        path=path[:300],
    )
