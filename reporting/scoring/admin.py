"""Schemes are edited in the admin: categories, items and grade bands as inlines on the scheme, ladder steps as an
inline on the item. A published scheme is read-only: it can only be copied (to the next year, as a draft)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from committees.admin.base import LoadedChoicesInlineForm, RecordAdmin, RecordInline, committee_filter
from reporting.metrics import Ratio, metric_labels, registry

from .compute import ladder_kind, work_kind
from .models import Category, GradeBand, Item, LadderStep, Scheme
from .services import scheme_copy

K = Item.Kind
NEEDS_METRIC = (K.PER_UNIT, K.LADDER, K.SHARE, K.RULE)


def _published(obj: Any) -> bool:
    scheme = obj if isinstance(obj, Scheme) else getattr(obj, "scheme", None)
    if isinstance(obj, Item):
        scheme = obj.scheme
    return bool(scheme is not None and scheme.pk and scheme.is_published)


class DraftOnlyInline(RecordInline):
    """Rows of a published scheme are shown, not edited."""

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return not _published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return not _published(obj) and super().has_delete_permission(request, obj)


class CategoryInline(DraftOnlyInline):
    model = Category
    fields = ("order", "code", "name", "cap", "floor")
    ordering = ("order", "code")


class GradeBandInline(DraftOnlyInline):
    model = GradeBand
    fields = ("name", "minimum")
    ordering = ("-minimum",)


def metric_choices() -> list[tuple[str, str]]:
    return [("", "---------"), *metric_labels().items()]


class MetricShown:
    """A published scheme's items are read-only: their metric shows by its label, not its code."""

    @admin.display(description=_("metric"))
    def metric_shown(self, item: Item) -> str:
        return metric_labels().get(item.metric, item.metric) if item.metric else "–"

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)  # type: ignore[misc]
        if self.has_change_permission(request, obj):  # type: ignore[attr-defined]
            return fields
        return ["metric_shown" if name == "metric" else name for name in fields]


class ItemForm(LoadedChoicesInlineForm):
    metric = forms.ChoiceField(label=_("metric"), choices=(), required=False)

    class Meta:
        model = Item
        fields = (
            "category",
            "order",
            "name",
            "kind",
            "metric",
            "points",
            "cap",
            "threshold",
            "below",
            "joint_credit",
            "standard",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metric_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, metric = cleaned.get("kind"), cleaned.get("metric") or ""
        if kind in NEEDS_METRIC and not metric:
            self.add_error("metric", _("This kind of item is counted from a metric: choose one."))
        is_ratio = bool(metric) and isinstance(registry.metrics.get(metric), Ratio)
        if kind == K.SHARE and metric and not is_ratio:
            self.add_error("metric", _("A share item needs a share (a ratio metric)."))
        if kind in (K.PER_UNIT, K.LADDER, K.RULE) and is_ratio:
            self.add_error("metric", _("A share is not counted per unit: use a share item."))
        if kind == K.LADDER and metric and not ladder_kind(metric):
            self.add_error(
                "metric", _("A ladder counts proposals, suggestions, social conditions reports or speeches by kind.")
            )
        if cleaned.get("joint_credit"):
            if kind != K.PER_UNIT or not work_kind(metric):
                self.add_error("joint_credit", _("Only a per-unit item counting one kind of work can be split."))
            if self.scheme_share_missing():
                self.add_error("joint_credit", SHARE_MISSING)
        if kind == K.DEDUCTION and cleaned.get("threshold") is not None and not metric:
            self.add_error("threshold", _("A threshold needs a metric to compare with."))
        return cleaned

    def scheme_share_missing(self) -> bool:
        """On the scheme's page the formset checks this against the scheme as posted."""
        return False


SHARE_MISSING = _("Give the scheme's first author's share to split joint work.")


class ItemFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if self.instance.first_author_share is not None:
            return
        for form in self.forms:
            if form.cleaned_data.get("joint_credit") and not form.cleaned_data.get("DELETE"):
                form.add_error("joint_credit", SHARE_MISSING)


class ItemPageForm(ItemForm):
    def scheme_share_missing(self) -> bool:
        return self.instance.scheme.first_author_share is None


class ItemInline(MetricShown, DraftOnlyInline):
    model = Item
    form = ItemForm
    formset = ItemFormSet
    fields = ItemForm.Meta.fields
    readonly_fields = ("metric_shown",)
    ordering = ("category__order", "category__code", "order", "pk")
    show_change_link = True
    related = ("scheme", "category")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["category"]
        field.queryset = Category.objects.filter(scheme=obj) if obj is not None else Category.objects.none()
        return formset


@admin.register(Scheme)
class SchemeAdmin(RecordAdmin):
    list_display = ("year", "name", "committee", "status", "total_cap")
    list_select_related = ("committee",)
    list_filter = (committee_filter("committee"), "year", "status")
    search_fields = ("name",)
    autocomplete_fields = ("committee",)
    readonly_fields = ("copied_from",)
    fields = ("committee", "year", "name", "status", "total_cap", "first_author_share", "copied_from")
    actions = ("copy_to_next_year", "publish")

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[type[admin.options.InlineModelAdmin[Any, Any]]]:
        # Items choose one of the scheme's categories, so they come once the categories are saved.
        return [CategoryInline, ItemInline, GradeBandInline] if obj is not None else [CategoryInline, GradeBandInline]

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return not _published(obj) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Copy to the next year (as a draft)"), permissions=["add"])
    def copy_to_next_year(self, request: HttpRequest, queryset: models.QuerySet[Scheme]) -> None:
        for scheme in queryset:
            try:
                copy = scheme_copy(scheme=scheme)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("Copied: %(scheme)s") % {"scheme": copy}, messages.SUCCESS)

    @admin.action(description=_("Publish (no further changes)"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: models.QuerySet[Scheme]) -> None:
        drafts = [s for s in queryset if self.has_change_permission(request, s)]
        for scheme in drafts:
            scheme.status = Scheme.Status.PUBLISHED
            scheme.save(update_fields=["status"])
        self.message_user(request, _("%(n)s schemes published.") % {"n": len(drafts)}, messages.SUCCESS)


class LadderStepInline(DraftOnlyInline):
    model = LadderStep
    fields = ("level", "bonus")
    related = ("item__scheme",)


@admin.register(Item)
class ItemAdmin(MetricShown, RecordAdmin):
    """Reached from an item of a scheme: its ladder steps. Not listed on the admin index."""

    form = ItemPageForm
    fields = ItemForm.Meta.fields
    readonly_fields = ("metric_shown",)
    inlines = (LadderStepInline,)
    list_display = ("name", "scheme", "category", "kind")
    list_select_related = ("scheme", "category")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "category" in form.base_fields:  # a published scheme's item is shown read-only
            form.base_fields["category"].queryset = Category.objects.filter(scheme_id=obj.scheme_id)
        return form
