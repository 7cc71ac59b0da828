"""Telling people apart: names compared as people read them, and members who may be the same person.

The finders load what a chooser label shows (:attr:`Member.chooser_label`: 赵建国 · 哈尔滨工程大学支部 · 1975), so a
caller can list them without a query each. A pasted attendance list is matched in
``committees/admin/attendance_entry.py``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from committees.models import Member


def plain_name(name: str) -> str:
    """A name compared as people read it: without spaces (赵 建国 is 赵建国)."""
    return "".join(name.split())


def same_name(typed: str, member: Member) -> bool:
    return plain_name(typed) == plain_name(member.name)


def likely_duplicates(member: Member, members: QuerySet[Member]) -> list[tuple[Member, str]]:
    """Other members of ``members`` who may be the same person as ``member``: the same name and birth date, or
    the same name in the same branch. One query; each with the reason."""
    if not member.name:
        return []
    same = Q(birth_date=member.birth_date) if member.birth_date else Q(pk__in=[])
    if member.branch_id is not None:
        same |= Q(branch_id=member.branch_id)
    others = members.filter(same, name=member.name).exclude(pk=member.pk).select_related("committee", "branch")
    result: list[tuple[Member, str]] = []
    for other in others.order_by("pk")[:10]:
        born = member.birth_date is not None and other.birth_date == member.birth_date
        result.append((other, "birth" if born else "branch"))
    return result
