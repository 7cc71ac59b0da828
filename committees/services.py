"""Writes that other code calls by name (HackSoft style: keyword-only, typed, ``<thing>_<action>``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .access import may_see_personal_data, may_write_object
from .models import Attendance, Branch, Committee, ExportLog, Member, MemberStatusChange, TrainingEvent


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


class OutOfScope(Exception):
    """A bulk write would put a record where the acting user may not write: nothing was written."""

    def __init__(self, records: Sequence[Any]) -> None:
        super().__init__(", ".join(str(r) for r in records))
        self.records = list(records)


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def attendance_bulk_create(*, event: TrainingEvent, members: Sequence[Member], user: Any) -> int:
    """Put ``members`` on the event's list, skipping those already on it; one history row each, like a single
    save. Returns how many were added. Raises :class:`OutOfScope` (writing nothing) for a member whose
    attendance the user may not record."""
    rows = [Attendance(event=event, member=member) for member in members]
    refused = [row.member for row in rows if not may_write_object(user, row)]
    if refused:
        raise OutOfScope(refused)
    attending = set(
        Attendance.objects.select_for_update()
        .filter(event=event, member__in=[m.pk for m in members])
        .values_list("member_id", flat=True)
    )
    new, seen = [], set(attending)
    for row in rows:
        if row.member.pk not in seen:
            seen.add(row.member.pk)
            new.append(row)
    problems = []
    for row in new:
        try:
            row.clean()  # the member was on the roll while the event ran, as a single entry checks
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    bulk_create_with_history(
        new, Attendance, default_user=_user_or_none(user), default_change_reason=_("Entered as a list")
    )
    return len(new)


@transaction.atomic
def member_bulk_move(*, members: Sequence[Member], branch: Branch, user: Any) -> int:
    """Move ``members`` to ``branch`` (and its committee), saving each like a single edit so that its history
    row names the user. Members already in the branch are left alone. Raises :class:`OutOfScope`, writing
    nothing, when a member or the branch lies outside the user's scope."""
    moving = [m for m in members if m.branch_id != branch.pk]
    refused = [m for m in moving if not may_write_object(user, m)]
    for member in moving:
        member.branch = branch
        member.committee = branch.committee
    refused += [m for m in moving if m not in refused and not may_write_object(user, m)]
    if refused:
        raise OutOfScope(refused)
    reason = _("Moved to %(branch)s") % {"branch": branch.name}
    for member in moving:
        member._change_reason = reason  # type: ignore[attr-defined]
        member._history_user = _user_or_none(user)  # type: ignore[attr-defined]
        member.save()
    return len(moving)


@transaction.atomic
def member_status_change_record(
    *, members: Sequence[Member], status: str, changed_on: dt.date, note: str = "", user: Any
) -> int:
    """Record a dated change of status for each member, as a single edit does: a :class:`MemberStatusChange` row
    (unless the same change is already recorded) and, unless the member's status already dates from later, the
    status and its date on the member. Returns how many members something was written for. Raises
    :class:`OutOfScope`, writing nothing, for a member outside the scope."""
    refused = [m for m in members if not may_write_object(user, m)]
    if refused:
        raise OutOfScope(refused)
    recorded = set(
        MemberStatusChange.objects.filter(
            member__in=[m.pk for m in members], status=status, changed_on=changed_on
        ).values_list("member_id", flat=True)
    )
    written = 0
    for member in members:
        wrote = False
        latest = member.status_changed_on is None or member.status_changed_on <= changed_on
        if latest and (member.status != status or member.status_changed_on != changed_on):
            member.status = status
            member.status_changed_on = changed_on
            member._history_user = _user_or_none(user)  # type: ignore[attr-defined]
            member.save()
            wrote = True
        if member.pk not in recorded:
            change = MemberStatusChange(member=member, status=status, changed_on=changed_on, note=note)
            change._history_user = _user_or_none(user)  # type: ignore[attr-defined]
            change.save()
            wrote = True
        written += wrote
    return written
