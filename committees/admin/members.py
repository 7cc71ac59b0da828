"""Members, their positions and their status history."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from committees.models import Member, MemberStatusChange, Position

from .base import BranchFilter, CommitteeFromOwnerForm, RecordAdmin, RecordInline, committee_filter, year_filter


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


@admin.register(Member)
class MemberAdmin(RecordAdmin):
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


@admin.register(Position)
class PositionAdmin(RecordAdmin):
    list_display = ("member", "kind", "level", "title", "organisation", "started_on", "ended_on")
    list_select_related = ("member",)
    list_filter = (committee_filter("member__committee"), "kind", "level")
    search_fields = ("member__name", "title", "organisation")
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
    search_fields = ("member__name", "note")
    autocomplete_fields = ("member",)
    ordering = ("-id",)
    show_full_result_count = False
