"""The committee tree and the branches under it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from committees.models import Branch, Committee, Member

from .base import PinyinSearchMixin, RecordAdmin, committee_filter, count_of

BASIC_FIELDS = ("name", "short_name", "code", "kind")


class CommitteeForm(movenodeform_factory(Committee)):  # type: ignore[misc]
    """treebeard's move form, except that saving a committee where it already stands does not move it: a move
    rewrites the paths of the whole subtree, which old history versions still refer to."""

    def save(self, commit: bool = True) -> Any:
        if not self.instance._state.adding:
            reference = self.cleaned_data.get("_ref_node_id")
            parent = self.instance.get_parent(update=True)
            staying = (parent is None and reference in (None, "", "0", 0)) or (
                parent is not None
                and str(reference) == str(parent.pk)
                and self.cleaned_data.get("_position") in ("sorted-child", "first-child", "last-child")
            )
            if staying:
                return forms.ModelForm.save(self, commit)
        return super().save(commit)


class CommitteeVersionForm(forms.ModelForm):
    """An old version is shown without the move form: its tree position may no longer exist, and the move form
    would list every committee of the tree."""

    class Meta:
        model = Committee
        fields = BASIC_FIELDS


@admin.register(Committee)
class CommitteeAdmin(PinyinSearchMixin, RecordAdmin, TreeAdmin):
    form = CommitteeForm
    list_display = ("name", "short_name", "code", "kind", "branch_count", "member_count")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "code")
    pinyin_search_also = ("code",)
    ordering = ("path",)
    list_per_page = 500
    fieldsets = (
        (_("Basic information"), {"fields": BASIC_FIELDS}),
        (_("Place in the tree"), {"fields": ("_position", "_ref_node_id")}),
    )

    @staticmethod
    def _old_version(request: HttpRequest) -> bool:
        match = request.resolver_match
        return bool(match and match.url_name and match.url_name.endswith("_simple_history"))

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if self._old_version(request):
            kwargs["form"] = CommitteeVersionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        # An old version, or a committee the user may only read: no "place in the tree" (treebeard's move fields,
        # which read-only show as " position: None").
        if self._old_version(request) or (obj is not None and not self.has_change_permission(request, obj)):
            return ((_("Basic information"), {"fields": BASIC_FIELDS}),)
        return super().get_fieldsets(request, obj)

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        """Count members and branches per committee once, sum them over each listed subtree, and hand every
        listed node its parent, which treebeard's tree view would otherwise fetch one query per row."""
        cl = super().get_changelist_instance(request)
        everyone = {node.path: node for node in Committee.objects.only("path", "depth", "name", "code")}
        members = _per_committee(Member.objects.filter(status=Member.Status.ACTIVE))
        branches = _per_committee(Branch.objects.filter(dissolved_on__isnull=True))
        for node in cl.result_list:
            if node.depth > 1:
                node._cached_parent_obj = everyone[node.path[: -node.steplen]]
            subtree = [other.pk for path, other in everyone.items() if path.startswith(node.path)]
            node.counts = {
                "own_members": members.get(node.pk, 0),
                "own_branches": branches.get(node.pk, 0),
                "members": sum(members.get(pk, 0) for pk in subtree),
                "branches": sum(branches.get(pk, 0) for pk in subtree),
            }
        return cl

    @admin.display(description=_("branches: own / subtree"))
    def branch_count(self, obj: Committee) -> str:
        counts = getattr(obj, "counts", None)
        return f"{counts['own_branches']} / {counts['branches']}" if counts else "–"

    @admin.display(description=_("members: own / subtree"))
    def member_count(self, obj: Committee) -> str:
        counts = getattr(obj, "counts", None)
        return f"{counts['own_members']} / {counts['members']}" if counts else "–"

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        # An old version carries an old tree path; saving it back would corrupt the tree.
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _per_committee(queryset: QuerySet[Any]) -> dict[int, int]:
    return dict(queryset.order_by().values("committee_id").annotate(n=Count("pk")).values_list("committee_id", "n"))


@admin.register(Branch)
class BranchAdmin(PinyinSearchMixin, RecordAdmin):
    list_display = (
        "name",
        "committee",
        "kind",
        "host_institution",
        "founded_on",
        "linked_with_cpc",
        "leader",
        "member_count",
    )
    list_select_related = ("committee", "leader")
    list_filter = (committee_filter("committee"), "kind", "sector", "founded_on", "dissolved_on")
    search_fields = ("name", "host_institution")
    autocomplete_fields = ("committee", "leader")
    ordering = ("committee_id", "name")
    readonly_fields = ("member_count",)
    fieldsets = (
        (_("Basic information"), {"fields": ("committee", "name", "kind", "host_institution", "sector")}),
        (_("Dates"), {"fields": ("founded_on", "dissolved_on")}),
        (_("Link with the CPC organisation"), {"fields": ("cpc_organisation", "cpc_linked_on")}),
        (_("Leadership and liaison"), {"fields": ("leader", "liaison_leader", "liaison_staff", "member_count")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Branch]:
        return (
            super()
            .get_queryset(request)
            .annotate(members_on_roll=count_of(Member, "branch", status=Member.Status.ACTIVE))
        )

    @admin.display(description=_("CPC link"), boolean=True)
    def linked_with_cpc(self, obj: Branch) -> bool:
        return bool(obj.cpc_organisation)

    @admin.display(description=_("members on the roll"), ordering="members_on_roll")
    def member_count(self, obj: Branch) -> str:
        count = getattr(obj, "members_on_roll", None)
        if count is None or obj.pk is None:
            return "–"
        url = reverse("admin:committees_member_changelist")
        return format_html('<a href="{}?branch={}">{}</a>', url, obj.pk, count)
