"""参政议政 records: research topics, proposals and reports, their authors and outcomes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committees.models import Authorship, Outcome, Proposal, ResearchTopic

from .base import (
    BranchFilter,
    RecordAdmin,
    RecordInline,
    committee_filter,
    count_of,
    year_filter,
)
from .proposal_form import AuthorPlaceMixin, AuthorshipForm, AuthorshipFormSet, ProposalKindAdminMixin, ProposalKindForm


@admin.register(ResearchTopic)
class ResearchTopicAdmin(RecordAdmin):
    list_display = ("title", "committee", "year", "special_committee", "source", "status", "is_key", "proposal_count")
    list_select_related = ("committee",)
    list_filter = (committee_filter("committee"), "year", "source", "status", "is_key")
    search_fields = ("title", "special_committee")
    autocomplete_fields = ("committee",)
    ordering = ("-year", "title", "id")
    readonly_fields = ("proposal_count",)
    fieldsets = (
        (_("Basic information"), {"fields": ("committee", "title", "year", "special_committee", "source", "is_key")}),
        (_("Status"), {"fields": ("status", "won_on", "concluded_on", "proposal_count")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResearchTopic]:
        return super().get_queryset(request).annotate(n_proposals=count_of(Proposal, "research_topic"))

    @admin.display(description=_("reports and proposals"), ordering="n_proposals")
    def proposal_count(self, obj: ResearchTopic) -> int | None:
        return getattr(obj, "n_proposals", None)


class AuthorshipInline(AuthorPlaceMixin, RecordInline):
    model = Authorship
    form = AuthorshipForm
    formset = AuthorshipFormSet
    related = ("proposal", "member")
    fields = ("place", "member", "position")
    readonly_fields = ("place",)
    autocomplete_fields = ("member",)
    ordering = ("order",)


class OutcomeInline(RecordInline):
    model = Outcome
    related = ("proposal",)
    fields = ("kind", "level", "by_whom", "occurred_on", "note")
    ordering = ("occurred_on", "id")


@admin.register(Proposal)
class ProposalAdmin(ProposalKindAdminMixin, RecordAdmin):
    form = ProposalKindForm
    list_display = (
        "title",
        "kind",
        "committee",
        "branch",
        "submitted_on",
        "status",
        "first_author",
        "author_count",
        "outcome_count",
    )
    list_select_related = ("committee", "branch")
    list_filter = (
        committee_filter("committee"),
        BranchFilter,
        year_filter("submitted_on"),
        "kind",
        "status",
        "raised_as",
        "occasion",
        "venue_level",
        "is_key",
        "is_excellent",
    )
    search_fields = ("title", "serial_number")
    autocomplete_fields = ("committee", "branch", "research_topic")
    ordering = ("-submitted_on", "-id")
    show_full_result_count = False
    inlines = (AuthorshipInline, OutcomeInline)
    readonly_fields = ("first_author", "author_count", "outcome_count")
    fieldsets = (
        (
            _("Basic information"),
            {"fields": ("kind", "title", "branch", "committee", "submitted_on", "serial_number", "category")},
        ),
        (
            _("Submission"),
            {"fields": ("raised_as", "occasion", "venue", "venue_level", "research_topic", "status")},
        ),
        (_("Distinctions"), {"fields": ("is_key", "is_excellent")}),
        (
            _("Handling and reply"),
            {"fields": ("host_units", "co_units", "reply_number", "reply_result", "satisfaction")},
        ),
        (pgettext_lazy("proposal", "Summary"), {"fields": ("summary",)}),
    )

    class Media:
        js = ("committees/proposal_kind.js", "committees/author_order.js")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Proposal]:
        first_author = Authorship.objects.filter(proposal=OuterRef("pk"), order=1).values("member__name")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(
                first_author_name=Subquery(first_author),
                n_authors=count_of(Authorship, "proposal"),
                n_outcomes=count_of(Outcome, "proposal"),
            )
        )

    @admin.display(description=_("first author"))
    def first_author(self, obj: Proposal) -> str | None:
        return getattr(obj, "first_author_name", None)

    @admin.display(description=_("authors"), ordering="n_authors")
    def author_count(self, obj: Proposal) -> int | None:
        return getattr(obj, "n_authors", None)

    @admin.display(description=_("outcomes"), ordering="n_outcomes")
    def outcome_count(self, obj: Proposal) -> int | None:
        return getattr(obj, "n_outcomes", None)


class FirstAuthorFilter(admin.SimpleListFilter):
    title = _("place among the authors")
    parameter_name = "first"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("yes", _("First author")), ("no", _("Co-signer"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Authorship]) -> QuerySet[Authorship]:
        if self.value() == "yes":
            return queryset.filter(order=1)
        if self.value() == "no":
            return queryset.filter(order__gt=1)
        return queryset


@admin.register(Authorship)
class AuthorshipAdmin(RecordAdmin):
    list_display = ("proposal", "member", "order", "proposal_kind", "submitted_on")
    list_select_related = ("proposal", "member")
    list_filter = (
        committee_filter("proposal__committee"),
        year_filter("proposal__submitted_on", bounds_model=Proposal, bounds_field="submitted_on"),
        "proposal__kind",
        FirstAuthorFilter,
    )
    search_fields = ("proposal__title", "member__name", "member__name_pinyin")
    autocomplete_fields = ("proposal", "member")
    ordering = ("-id",)
    show_full_result_count = False

    @admin.display(description=_("kind"), ordering="proposal__kind")
    def proposal_kind(self, obj: Authorship) -> str:
        return obj.proposal.get_kind_display()

    @admin.display(description=_("submitted on"), ordering="proposal__submitted_on")
    def submitted_on(self, obj: Authorship) -> object:
        return obj.proposal.submitted_on


@admin.register(Outcome)
class OutcomeAdmin(RecordAdmin):
    list_display = ("proposal", "kind", "level", "by_whom", "occurred_on")
    list_select_related = ("proposal",)
    list_filter = (committee_filter("proposal__committee"), year_filter("occurred_on"), "kind", "level")
    search_fields = ("proposal__title", "by_whom", "note")
    autocomplete_fields = ("proposal",)
    ordering = ("-id",)
    show_full_result_count = False
    fieldsets = ((None, {"fields": ("proposal", "kind", "level", "by_whom", "occurred_on", "note")}),)
