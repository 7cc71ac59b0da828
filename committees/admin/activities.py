"""Training events and attendance, dated activities, honours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from committees.models import Activity, Attendance, Honor, TrainingEvent

from .attendance_entry import AttendanceEntryMixin
from .base import (
    BranchFilter,
    CommitteeFromOwnerForm,
    RecordAdmin,
    RecordInline,
    committee_filter,
    count_of,
    year_filter,
)


class AttendanceInline(RecordInline):
    model = Attendance
    related = ("event", "member")
    fields = ("member",)
    autocomplete_fields = ("member",)
    ordering = ("id",)


@admin.register(TrainingEvent)
class TrainingEventAdmin(AttendanceEntryMixin, RecordAdmin):
    list_display = (
        "title",
        "kind",
        "committee",
        "organiser_kind",
        "organiser_level",
        "started_on",
        "ended_on",
        "attendance_count",
        "extra_headcount",
        "person_times",
    )
    list_select_related = ("committee",)
    list_filter = (committee_filter("committee"), "kind", "organiser_kind", "organiser_level")
    search_fields = ("title", "organiser_name", "place")
    autocomplete_fields = ("committee",)
    ordering = ("-started_on", "-id")
    date_hierarchy = "started_on"
    inlines = (AttendanceInline,)
    readonly_fields = ("attendance_count", "person_times")
    fieldsets = (
        (_("Basic information"), {"fields": ("committee", "title", "kind", "started_on", "ended_on", "place")}),
        (_("Organiser"), {"fields": ("organiser_kind", "organiser_name", "organiser_level")}),
        (_("Attendance"), {"fields": ("extra_headcount", "attendance_count", "person_times")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrainingEvent]:
        queryset = super().get_queryset(request).annotate(n_attendances=count_of(Attendance, "event"))
        return queryset.annotate(n_person_times=F("n_attendances") + F("extra_headcount"))

    @admin.display(description=_("attendees on the roster"), ordering="n_attendances")
    def attendance_count(self, obj: TrainingEvent) -> int | None:
        return getattr(obj, "n_attendances", None)

    @admin.display(description=_("person-times"), ordering="n_person_times")
    def person_times(self, obj: TrainingEvent) -> int | None:
        return getattr(obj, "n_person_times", None)


@admin.register(Attendance)
class AttendanceAdmin(RecordAdmin):
    list_display = ("member", "event", "event_kind", "event_started_on")
    list_select_related = ("member", "event")
    list_filter = (
        committee_filter("event__committee"),
        year_filter("event__started_on", bounds_model=TrainingEvent, bounds_field="started_on"),
        "event__kind",
    )
    search_fields = ("member__name", "member__name_pinyin", "event__title")
    autocomplete_fields = ("event", "member")
    ordering = ("-id",)
    show_full_result_count = False

    @admin.display(description=_("kind"), ordering="event__kind")
    def event_kind(self, obj: Attendance) -> str:
        return obj.event.get_kind_display()

    @admin.display(description=_("started on"), ordering="event__started_on")
    def event_started_on(self, obj: Attendance) -> object:
        return obj.event.started_on


@admin.register(Activity)
class ActivityAdmin(RecordAdmin):
    form = CommitteeFromOwnerForm
    list_display = ("title", "kind", "committee", "branch", "held_on", "participants", "donation_total")
    list_select_related = ("committee", "branch")
    list_filter = (
        committee_filter("committee"),
        BranchFilter,
        year_filter("held_on"),
        "kind",
        "service_category",
    )
    search_fields = ("title", "topic", "place")
    autocomplete_fields = ("committee", "branch")
    ordering = ("-held_on", "-id")
    show_full_result_count = False
    readonly_fields = ("donation_total",)
    fieldsets = (
        (
            _("Basic information"),
            {"fields": ("kind", "title", "branch", "committee", "held_on", "ended_on", "place", "topic")},
        ),
        (_("Participation"), {"fields": ("participants",)}),
        (
            _("Social service"),
            {
                "fields": (
                    "service_category",
                    ("donation_cash", "donation_goods", "donation_total"),
                    "beneficiaries",
                    ("quantity", "quantity_unit"),
                ),
                "classes": ("collapse",),
            },
        ),
        (
            _("Supervision and research"),
            {
                "fields": ("forums", "questionnaires", "problems_found", "suggestions_made"),
                "classes": ("collapse",),
            },
        ),
        (_("Note"), {"fields": ("note",)}),
    )

    @admin.display(description=_("donations (yuan)"))
    def donation_total(self, obj: Activity) -> Decimal | None:
        if obj.donation_cash is None or obj.donation_goods is None:
            return None
        total = obj.donation_total
        return total if total else None


class HonorForm(CommitteeFromOwnerForm):
    committee_sources = ("member", "branch")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("member") and cleaned.get("branch"):
            self.add_error("branch", _("An honour goes to a member or to a branch, not to both."))
        return cleaned


@admin.register(Honor)
class HonorAdmin(RecordAdmin):
    form = HonorForm
    list_display = ("title", "level", "year", "committee", "branch", "member", "awarded_by", "awarded_on")
    list_select_related = ("committee", "branch", "member")
    list_filter = (committee_filter("committee"), "year", "level")
    search_fields = ("title", "awarded_by")
    autocomplete_fields = ("committee", "branch", "member")
    ordering = ("-year", "title", "id")
    fieldsets = (
        (_("Basic information"), {"fields": ("title", "level", "awarded_by", "year", "awarded_on")}),
        (
            _("Recipient"),
            {
                "fields": ("member", "branch", "committee"),
                "description": _("A member, or a branch, or else the committee itself."),
            },
        ),
    )
