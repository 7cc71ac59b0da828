"""Members, their positions and their status history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalChanges, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from committees.access import may_see_personal_data, visible_to
from committees.models import Member, MemberStatusChange, Position
from committees.privacy import MASKERS, PERSONAL_FIELDS, shown
from committees.selectors import likely_duplicates

from .base import (
    BranchFilter,
    CommitteeFromOwnerForm,
    PinyinSearchMixin,
    ReadableHistory,
    RecordAdmin,
    RecordInline,
    committee_filter,
    year_filter,
)
from .member_actions import MemberActionsMixin


class PositionInline(RecordInline):
    model = Position
    related = ("member",)
    fields = ("kind", "level", "title", "organisation", "started_on", "ended_on")
    ordering = ("kind", "started_on")


class StatusChangeInline(RecordInline):
    model = MemberStatusChange
    related = ("member",)
    fields = ("status", "changed_on", "note")
    ordering = ("changed_on",)


class MaskedHistoryHelper(ReadableHistory):
    """History diffs of personal fields, masked for users who may not see personal data."""

    def prepare_delta_change_value(self, change: ModelChange, value: Any) -> Any:
        value = super().prepare_delta_change_value(change, value)
        if change.field in MASKERS and value and value != "–":
            return MASKERS[change.field](str(value))
        return value


def _masked_display(field: str) -> Callable[[Any, Member], str]:
    def display(self: Any, obj: Member) -> str:
        return MASKERS[field](getattr(obj, field) or "")

    display.short_description = Member._meta.get_field(field).verbose_name  # type: ignore[attr-defined,union-attr]
    display.__name__ = f"{field}_masked"
    return display


@admin.register(Member)
class MemberAdmin(MemberActionsMixin, PinyinSearchMixin, RecordAdmin):
    form = CommitteeFromOwnerForm
    # No ID number, phone or address columns: personal data stays off the lists.
    list_display = (
        "name",
        "gender",
        "birth_date",
        "branch",
        "committee",
        "title_level",
        "education",
        "status",
    )
    list_select_related = ("committee", "branch")
    list_filter = (
        committee_filter("committee"),
        BranchFilter,
        "status",
        "gender",
        "education",
        "degree",
        "title_level",
        "sector",
    )
    search_fields = ("name",)
    autocomplete_fields = ("committee", "branch")
    ordering = ("name", "id")
    show_full_result_count = False
    inlines = (PositionInline, StatusChangeInline)
    fieldsets = (
        (_("Basic information"), {"fields": ("name", "gender", "birth_date", "ethnicity")}),
        (_("Organisation"), {"fields": ("branch", "committee", "joined_on")}),
        (_("Education and professional title"), {"fields": ("education", "degree", "title_level")}),
        (_("Work"), {"fields": ("work_unit", "job_title", "sector")}),
        (_("Status"), {"fields": ("status", "status_changed_on")}),
        (
            _("Personal data"),
            {
                "fields": ("id_number", "phone", "address"),
                "classes": ("collapse",),
                "description": _("Personal information protected by law: lists and exports leave it out or mask it."),
            },
        ),
    )

    id_number_masked = _masked_display("id_number")
    phone_masked = _masked_display("phone")
    address_masked = _masked_display("address")

    def get_list_display(self, request: HttpRequest) -> Sequence[Any]:
        user = request.user

        @admin.display(description=_("phone"))
        def phone_shown(obj: Member) -> str:
            return shown(user, "phone", obj.phone)

        return (*self.list_display, phone_shown)

    def _masks(self, request: HttpRequest, obj: Member | None) -> bool:
        # A clerk may type the data of a new member; once saved, it is shown masked unless permitted.
        return obj is not None and not may_see_personal_data(request.user)

    def get_fieldsets(self, request: HttpRequest, obj: Member | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if not self._masks(request, obj):
            return fieldsets
        masked = tuple(f"{name}_masked" for name in PERSONAL_FIELDS)
        return [
            (title, {**options, "fields": masked}) if tuple(options["fields"]) == PERSONAL_FIELDS else (title, options)
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Member | None = None) -> Sequence[str]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if self._masks(request, obj):
            readonly += tuple(f"{name}_masked" for name in PERSONAL_FIELDS)
        return readonly

    def save_model(self, request: HttpRequest, obj: Member, form: forms.ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or {"name", "birth_date", "branch"} & set(form.changed_data):
            self._warn_of_duplicates(request, obj)

    def _warn_of_duplicates(self, request: HttpRequest, member: Member) -> None:
        """Another member of the same name and birth date, or of the same name in the same branch, is likely the
        same person: say so with links. A warning, not a refusal: namesakes exist."""
        found = likely_duplicates(member, visible_to(request.user, Member))
        if not found:
            return
        reasons = {"birth": _("same name and birth date"), "branch": _("same name, same branch")}
        links = format_html_join(
            "、",
            '<a href="{}">{}</a>（{}）',
            (
                (reverse("admin:committees_member_change", args=[other.pk]), other.chooser_label, reasons[reason])
                for other, reason in found
            ),
        )
        messages.warning(
            request,
            format_html(
                "{} {} {}",
                _("This may be a member already on record:"),
                links,
                _("If it is the same person, keep one record and delete the other; if not, nothing needs doing."),
            ),
        )

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: HistoricalChanges
    ) -> HistoricalRecordContextHelper:
        if may_see_personal_data(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskedHistoryHelper(self.model, historical_record)


@admin.register(Position)
class PositionAdmin(RecordAdmin):
    list_display = ("member", "kind", "level", "title", "organisation", "started_on", "ended_on")
    list_select_related = ("member",)
    list_filter = (committee_filter("member__committee"), "kind", "level")
    search_fields = ("member__name", "member__name_pinyin", "title", "organisation")
    autocomplete_fields = ("member",)
    ordering = ("-id",)
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("member", "kind", "level", "title", "organisation")}),
        (_("Dates"), {"fields": ("started_on", "ended_on")}),
    )


@admin.register(MemberStatusChange)
class MemberStatusChangeAdmin(RecordAdmin):
    list_display = ("member", "status", "changed_on", "note")
    list_select_related = ("member",)
    list_filter = (committee_filter("member__committee"), year_filter("changed_on"), "status")
    search_fields = ("member__name", "member__name_pinyin", "note")
    autocomplete_fields = ("member",)
    ordering = ("-id",)
    show_full_result_count = False
