"""The proposal form by kind, and co-authors numbered in entry order.

Which fields belong to which kind is declared once, in ``committees.proposal_kinds``; the kind's select carries
that declaration to the script that hides the other fields. On save, fields that do not belong to the chosen
kind are *cleared* (set to their default), not kept out of sight: a 社情民意信息 must not keep a 立案 status or a
reply from the time it was entered as a 提案. The user is told which fields were cleared; the history keeps
their old values.

Co-authors are numbered 1, 2, 3 … in the order of the rows (existing rows first, in their order, then the new
ones); nobody types the order, so a duplicate order can never reach the user. A row moves up with its ↑ button
(``author_order.js``), which writes the rows' positions into a hidden field; without the script the order is the
order of the rows.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import F, Field
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from committees.models import Authorship, Proposal
from committees.proposal_kinds import fields_not_of_kind, kind_fields_script_data

from .base import CommitteeFromOwnerForm, DuplicateRowsFormSet, LoadedChoicesInlineForm

# Rows whose place changes are lifted out of the way first, so that no two rows ever hold one place.
ORDER_SHIFT = 10_000


class ProposalKindForm(CommitteeFromOwnerForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cleared: list[str] = []
        if "kind" in self.fields:
            self.fields["kind"].widget.attrs["data-kind-fields"] = json.dumps(kind_fields_script_data())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        model_fields = Proposal._meta
        for name in fields_not_of_kind(cleaned.get("kind") or "", self.fields):
            field = model_fields.get_field(name)
            assert isinstance(field, Field)
            default = field.get_default()
            if cleaned.get(name, default) not in (default, None):
                self.cleared.append(str(self.fields[name].label))
            cleaned[name] = default
        return cleaned


class ProposalKindAdminMixin:
    """Tells the user which fields the kind cleared."""

    def save_model(self, request: HttpRequest, obj: Proposal, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        cleared = getattr(form, "cleared", [])
        if cleared:
            messages.warning(
                request,
                format_lazy(
                    _("Not used for {kind}, so cleared: {fields}. The history keeps the old values."),
                    kind=obj.get_kind_display(),
                    fields="、".join(cleared),
                ),
            )


class PositionField(forms.IntegerField):
    """Where the script put the row. Never a change by itself: a blank new row it numbered stays blank."""

    widget = forms.HiddenInput

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False


class AuthorshipForm(LoadedChoicesInlineForm):
    position = PositionField(required=False, min_value=1, label=_("place among the authors"))


class AuthorshipFormSet(DuplicateRowsFormSet):
    """Numbers the authors 1, 2, 3 … in the order of the rows (or of their positions) when it saves."""

    def save(self, commit: bool = True) -> list[Any]:
        dropped = set(self.deleted_forms) if self.can_delete else set()
        rows = [
            form for form in self.forms if form not in dropped and (form.instance.pk is not None or form.has_changed())
        ]
        # Rows without a position (no script) keep their order after those that have one; sorted() is stable.
        kept = sorted(rows, key=lambda form: form.cleaned_data.get("position") or len(self.forms) + 1)
        moving: list[int] = []
        for place, form in enumerate(kept, 1):
            if form.instance.pk is not None and form.instance.order != place:
                moving.append(form.instance.pk)
            form.instance.order = place
        deleted = [form.instance.pk for form in dropped if form.instance.pk is not None]
        if commit and (moving or deleted):
            Authorship.objects.filter(pk__in=moving + deleted).update(order=F("order") + ORDER_SHIFT)
        saved: list[Any] = super().save(commit)
        if commit:
            for form in kept:
                if form.instance.pk in moving and not form.has_changed():
                    form.instance.save(update_fields=["order"])
        return saved


class AuthorPlaceMixin:
    """A read-only column with each saved author's place."""

    @admin.display(description=_("place among the authors"))
    def place(self, obj: Authorship | None) -> str:
        if obj is None or obj.pk is None:
            return ""
        return str(_("first author")) if obj.order == 1 else str(obj.order)
