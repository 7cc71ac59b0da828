"""Bulk actions on the member list: move to a branch, record a dated change of status.

Each action shows an intermediate page (the chosen members, a small form, a confirm button) and writes through
``committees.services`` in one transaction, saving each member like a single edit so that its history row names
the user. The branch offered is one the user may write; a member or branch outside the scope refuses the whole
action.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from committees.access import editable_by
from committees.models import Branch, Member
from committees.services import OutOfScope, member_bulk_move, member_status_change_record
from committees.validators import AdminChineseDateWidget, ChineseDateField

from .attendance_entry import BranchChoiceField, member_label

MAX_SHOWN = 200


class MoveForm(forms.Form):
    branch = BranchChoiceField(queryset=Branch.objects.none(), label=_("new branch"), empty_label=_("Choose a branch"))

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=Member.Status.choices)
    changed_on = ChineseDateField(label=_("date of the change"), widget=AdminChineseDateWidget)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class MemberActionsMixin:
    """The bulk actions of the member admin."""

    actions = ("move_to_branch", "record_status_change")

    def _intermediate(
        self,
        request: HttpRequest,
        queryset: QuerySet[Member],
        form: forms.Form,
        *,
        action: str,
        title: str,
        button: str,
    ) -> HttpResponse:
        opts = Member._meta
        shown = list(queryset.select_related("branch", "committee").order_by("name", "pk")[:MAX_SHOWN])
        count = len(shown) if len(shown) < MAX_SHOWN else queryset.count()
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "title": title,
            "opts": opts,
            "form": form,
            "action": action,
            "button": button,
            "labels": [member_label(m) for m in shown],
            "count": count,
            "more": count - len(shown),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "media": self.media + form.media,  # type: ignore[attr-defined]
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/committees/member/bulk_action.html", context)

    @admin.action(description=_("Move to a branch"), permissions=["change"])
    def move_to_branch(self, request: HttpRequest, queryset: QuerySet[Member]) -> HttpResponse | None:
        members = editable_by(request.user, queryset)
        branches = editable_by(request.user, Branch).select_related("committee").order_by("committee__path", "name")
        form = MoveForm(request.POST if "apply" in request.POST else None, branches=branches)
        if "apply" in request.POST and form.is_valid():
            branch = form.cleaned_data["branch"]
            try:
                moved = member_bulk_move(members=list(members), branch=branch, user=request.user)
            except OutOfScope as refused:
                self._refuse(request, refused)
                return None
            messages.success(
                request,
                ngettext("%(n)d member moved to %(branch)s.", "%(n)d members moved to %(branch)s.", moved)
                % {"n": moved, "branch": branch.name},
            )
            return None
        return self._intermediate(
            request, members, form, action="move_to_branch", title=str(_("Move to a branch")), button=str(_("Move"))
        )

    @admin.action(description=_("Record a change of status"), permissions=["change"])
    def record_status_change(self, request: HttpRequest, queryset: QuerySet[Member]) -> HttpResponse | None:
        members = editable_by(request.user, queryset)
        form = StatusForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                changed = member_status_change_record(
                    members=list(members),
                    status=data["status"],
                    changed_on=data["changed_on"],
                    note=data["note"],
                    user=request.user,
                )
            except OutOfScope as refused:
                self._refuse(request, refused)
                return None
            status = Member.Status(data["status"]).label
            messages.success(
                request,
                ngettext(
                    "Status of %(n)d member recorded as %(status)s.",
                    "Status of %(n)d members recorded as %(status)s.",
                    changed,
                )
                % {"n": changed, "status": status},
            )
            return None
        return self._intermediate(
            request,
            members,
            form,
            action="record_status_change",
            title=str(_("Record a change of status")),
            button=str(_("Record")),
        )

    @staticmethod
    def _refuse(request: HttpRequest, refused: OutOfScope) -> None:
        names = "、".join(str(r) for r in refused.records[:10])
        messages.error(request, _("Outside your scope, nothing was changed: %(names)s") % {"names": names})
