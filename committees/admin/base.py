"""Pieces shared by the record admins: filters, count annotations, forms and inline helpers.

Every changelist here must cost the same number of queries for 10 rows as for 200,000: filters list
small tables only (committees, years from one MIN/MAX), counts are correlated subqueries, and
inlines label their autocomplete selections from rows they already loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.db.models import F, Func, IntegerField, Max, Min, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from committees.models import Branch, Committee

BIG_LIST_PER_PAGE = 100


def count_of(model: type[models.Model], fk: str, **filters: Any) -> Subquery:
    """``COUNT(*)`` of the ``model`` rows whose ``fk`` points at the outer row, as a correlated subquery.

    A subquery rather than ``Count()`` keeps the outer query free of GROUP BY: the database counts for the
    rows on the page only, and two counts do not multiply each other through joins.
    """
    rows = (
        model._default_manager.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Subquery(rows, output_field=IntegerField())


class RecordAdmin(SimpleHistoryAdmin):
    """Base for every record: history view, and the empty value shown as a dash."""

    empty_value_display = "–"

    class Media:
        css = {"all": ("committees/admin.css",)}


class CommitteeSubtreeFilter(admin.SimpleListFilter):
    """Records of a committee and of every committee below it, chosen by the committee's code."""

    title = _("committee")
    parameter_name = "committee"
    field_path = "committee"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        self.committees = list(Committee.objects.order_by("path").only("path", "depth", "name", "short_name", "code"))
        return [(c.code, "\u3000" * (c.depth - 1) + c.display_name) for c in self.committees]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        code = self.value()
        if not code:
            return queryset
        selected = next((c for c in self.committees if c.code == code), None)
        if selected is None:
            return queryset.none()
        subtree = [c.pk for c in self.committees if c.path.startswith(selected.path)]
        return queryset.filter(**{f"{self.field_path}__in": subtree})


def committee_filter(field_path: str) -> type[CommitteeSubtreeFilter]:
    return type("CommitteeSubtreeFilter", (CommitteeSubtreeFilter,), {"field_path": field_path})


class BranchFilter(admin.SimpleListFilter):
    """Branches can number 10,000: offered only for the committee chosen in the committee filter."""

    title = _("branch")
    parameter_name = "branch"
    field_path = "branch"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        code = request.GET.get(CommitteeSubtreeFilter.parameter_name, "")
        selected = self.value() or ""
        wanted = [Q(committee__code=code)] if code else []
        if selected.isdigit():
            wanted.append(Q(pk=int(selected)))
        if not wanted:
            return []
        rows = Branch.objects.filter(reduce(or_, wanted)).order_by("name").values_list("pk", "name")
        return [(str(pk), name) for pk, name in rows]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.field_path}_id": int(value)})


class YearFilter(admin.SimpleListFilter):
    """Years between the earliest and the latest date: one MIN/MAX query, whatever the table size."""

    title = _("year")
    parameter_name = "year"
    date_field = ""
    bounds_model: type[models.Model] | None = None
    bounds_field = ""

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        model = self.bounds_model or model_admin.model
        field = self.bounds_field or self.date_field
        bounds = model._default_manager.order_by().aggregate(first=Min(field), last=Max(field))
        if bounds["first"] is None:
            return []
        return [(str(y), str(y)) for y in range(bounds["last"].year, bounds["first"].year - 1, -1)]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.date_field}__year": int(value)})


def year_filter(
    date_field: str, *, bounds_model: type[models.Model] | None = None, bounds_field: str = ""
) -> type[YearFilter]:
    attrs = {"date_field": date_field, "bounds_model": bounds_model, "bounds_field": bounds_field}
    return type("YearFilter", (YearFilter,), attrs)


class CommitteeFromOwnerForm(forms.ModelForm):
    """``committee`` may stay empty when a record it can be taken from is given (branch, member).

    The models fill ``committee`` from the branch on save; the form does the same so that validation
    sees the committee the record will have.
    """

    committee_sources: Sequence[str] = ("branch",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "committee" in self.fields:
            self.fields["committee"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner = next((cleaned[name] for name in self.committee_sources if cleaned.get(name)), None)
        if owner is not None:
            cleaned["committee"] = owner.committee
        elif cleaned.get("committee") is None and "committee" in self.fields and not self.has_error("committee"):
            self.add_error("committee", _("Give the committee, or a record it can be taken from."))
        return cleaned


class LoadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its selection with an object already loaded, instead of a query."""

    loaded: models.Model | None = None

    def optgroups(self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None) -> list[Any]:
        obj = self.loaded
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if obj is None or selected != [str(obj.pk)]:
            return super().optgroups(name, value, attr)
        options: list[Any] = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(obj)
        options.append(self.create_option(name, obj.pk, label, True, len(options)))
        return [(None, options, 0)]


class LoadedChoicesInlineForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, LoadedAutocompleteSelect):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.is_cached(self.instance):  # type: ignore[union-attr]
                widget.loaded = getattr(self.instance, name)


class RecordInline(admin.TabularInline):
    """A tabular inline whose rows cost no query each.

    ``related`` is selected with the rows: the parent (each row's ``__str__`` names it) and the
    autocomplete targets, whose labels then come from the loaded rows.
    """

    form = LoadedChoicesInlineForm
    extra = 0
    related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).select_related(*self.related)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = LoadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
