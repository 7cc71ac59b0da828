"""Personal information (PIPL): how ID numbers, phones and addresses are shown to whom.

Lists, change forms, history pages and exports show these masked unless the user may see personal data
(``committees.access.may_see_personal_data``).
"""

from __future__ import annotations

from typing import Any

from .access import may_see_personal_data

PERSONAL_FIELDS = ("id_number", "phone", "address")
MASK = "*"


def mask_id_number(value: str) -> str:
    """230102197505011234 → 230102********1234: the region stays readable, the birth date does not."""
    if len(value) <= 10:
        return MASK * len(value)
    return value[:6] + MASK * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678."""
    if len(value) <= 7:
        return MASK * len(value)
    return value[:3] + MASK * (len(value) - 7) + value[-4:]


def mask_address(value: str) -> str:
    """Keep the first six characters (province and city), hide the rest."""
    if not value:
        return value
    return value[:6] + MASK * 4


MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "address": mask_address}


def shown(user: Any, field: str, value: str | None) -> str:
    """``value`` of personal ``field`` as ``user`` may see it."""
    if not value:
        return ""
    if may_see_personal_data(user):
        return value
    return MASKERS[field](value)
