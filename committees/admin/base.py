"""Pieces shared by the record admins: filters, count annotations, forms and inline helpers.

Every changelist here must cost the same number of queries for 10 rows as for 200,000: filters list
small tables only (committees, years from one MIN/MAX), counts are correlated subqueries, and
inlines label their autocomplete selections from rows they already loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import reduce, wraps
from operator import or_
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import IntegrityError, models
from django.db.models import F, Func, IntegerField, Max, Min, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from committees.access import editable_by, is_admin, may_read, may_write, may_write_object, visible_to
from committees.choosers import chooser_formfield_kwargs, related_paths
from committees.locking import VERSION_FIELD, VersionedFormMixin
from committees.models import Branch, Committee
from committees.rules import integrity_message
from committees.validators import AdminChineseDateWidget, ChineseDateField

BIG_LIST_PER_PAGE = 100
PINYIN_TERM = re.compile(r"[0-9A-Za-z]+")
# Columns computed from others on save: history lists show the change of their source only.
DERIVED_FIELDS = frozenset({"name_pinyin"})


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


def _visible_cache(request: HttpRequest) -> dict[tuple[type[models.Model], Any], bool]:
    cache: dict[tuple[type[models.Model], Any], bool] = request.__dict__.setdefault("_visible_cache", {})
    return cache


class ScopedFormMixin(forms.BaseForm):
    """Refuses to save a record where the user may not write, whatever committee or branch was posted."""

    scope_user: Any = None
    instance: models.Model

    def _post_clean(self) -> None:
        self.instance.acting_user = self.scope_user  # type: ignore[attr-defined]  # messages say only what this user may see
        super()._post_clean()  # type: ignore[misc]
        if self.scope_user is not None and not self.errors and not may_write_object(self.scope_user, self.instance):
            self.add_error(None, _("You may not save a record outside your committee or branch."))


def scoped_form(form: type[forms.BaseForm], user: Any, *, versioned: bool = True) -> type[forms.BaseForm]:
    """``form`` refusing records outside the user's scope and, when ``versioned``, saves over a newer version."""
    bases = (ScopedFormMixin, VersionedFormMixin, form) if versioned else (ScopedFormMixin, form)
    return type(form.__name__, bases, {"scope_user": user})


# Every date typed as offices type it (2021.03.15, 2021-3-15, 2021年3月15日, 20210315), shown as 2021年3月15日.
DATE_FIELD_OVERRIDES: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.DateField: {"form_class": ChineseDateField, "widget": AdminChineseDateWidget},
}


def _old_version_view(request: HttpRequest) -> bool:
    match = request.resolver_match
    return bool(match and match.url_name and match.url_name.endswith("_simple_history"))


class DuplicateRowsFormSet(forms.BaseInlineFormSet):
    """Rows of an inline that repeat each other are told so beside the repeated field, named as the user
    knows it ("排序"), not by its code name ("order") at the top of the form."""

    def _verbose(self, unique_check: Sequence[str]) -> list[str]:
        opts = self.model._meta
        names = [f for f in unique_check if f != self.fk.name]
        return [str(opts.get_field(f).verbose_name) for f in names]

    def get_unique_error_message(self, unique_check: Sequence[str]) -> str:
        fields = "、".join(self._verbose(unique_check))
        return _("Two rows have the same %(field)s; each must be different.") % {"field": fields}

    def validate_unique(self) -> None:
        try:
            super().validate_unique()
        except forms.ValidationError:
            self._errors_beside_fields()
            raise

    def _errors_beside_fields(self) -> None:
        generic = str(self.get_form_error())
        checks = [
            check
            for form in self.forms[:1]
            for _uclass, check in form.instance._get_unique_checks(include_meta_constraints=True)[0]
        ]
        for form in self.forms:
            errors = form._errors or {}
            if generic not in [str(e) for e in errors.get(NON_FIELD_ERRORS, [])]:
                continue
            del errors[NON_FIELD_ERRORS]
            for check in checks:
                names = [f for f in check if f != self.fk.name and f in form.fields]
                if names and not all(name in form.cleaned_data for name in names):
                    message = _("Repeats the %(field)s of another row.") % {"field": "、".join(self._verbose(check))}
                    form._errors.setdefault(names[-1], form.error_class()).append(message)


def _dash_for_none(method: Callable[[Any], Any], dash: str) -> Callable[[Any], Any]:
    @wraps(method)
    def shown(obj: Any) -> Any:
        value = method(obj)
        return dash if value is None else value

    return shown


class ScopedAdminMixin:
    """Every admin and inline goes through ``committees.access``: rows outside the scope are not in the
    queryset (so they answer 404), choices in forms are limited to it, and saving outside it is refused.
    Permissions come from the user's role, not from Django's per-model permission rows."""

    model: type[models.Model]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django shows a read-only computed field's None as "None" in a form (the list shows the empty value
        # display): an unsaved record's counts, an empty total read as a dash instead.
        for name in getattr(self, "readonly_fields", ()):
            method = getattr(self, name, None) if isinstance(name, str) else None
            if callable(method) and not getattr(method, "boolean", False):
                setattr(self, name, _dash_for_none(method, "–"))

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return visible_to(request.user, super().get_queryset(request))  # type: ignore[misc]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_read(request.user, self.model)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # An action the user is not offered (a forged or stale form) is refused, not silently passed over.
        action = request.POST.get("action") if request.method == "POST" else None
        if action and action not in self.get_actions(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        return super().changelist_view(request, extra_context)  # type: ignore[misc,no-any-return]

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str) -> HttpResponse:
        # A record outside the scope is not in the queryset: answer as if it did not exist at all.
        raise Http404

    def _visible(self, request: HttpRequest, obj: models.Model) -> bool:
        if is_admin(request.user):
            return True
        cache = _visible_cache(request)
        key = (type(obj), obj.pk)
        if key not in cache:
            cache[key] = visible_to(request.user, type(obj)).filter(pk=obj.pk).exists()
        return cache[key]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is not None:  # it came through the scoped queryset
            _visible_cache(request)[(type(obj), obj.pk)] = True
        return obj

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        kwargs.setdefault("queryset", visible_to(request.user, db_field.remote_field.model))
        kwargs = chooser_formfield_kwargs(db_field.remote_field.model, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        target = db_field.remote_field.model
        if target in (Committee, Branch) or target.__module__.startswith("committees."):
            kwargs.setdefault("queryset", visible_to(request.user, target))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class ReadableHistory(HistoricalRecordContextHelper):
    """A history's old and new values as a user reads them: choice labels, 是/否, dates in Chinese, a dash for
    nothing (simple_history shows codes, True/False, None and "Deleted … (pk=None)" for an empty link)."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, DeletedObject) and value.pk is None:
            value = None
        if value is None or value == "":
            return "–"
        field = self.model._meta.get_field(change.field)
        if getattr(field, "choices", None):
            return str(dict(field.flatchoices).get(value, value))  # type: ignore[union-attr]
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, list):
            return value
        return formats.localize(value)


class RecordAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Base for every record: scoped by role, history view, and the empty value shown as a dash."""

    empty_value_display = "–"
    formfield_overrides = DATE_FIELD_OVERRIDES

    class Media:
        css = {"all": ("committees/admin.css",)}
        js = ("committees/admin.js",)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if not may_read(request.user, self.model):
            return False
        return obj is None or obj.pk is None or self._visible(request, obj)

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """The database is the last guard: a save that breaks a constraint after the form's checks passed (two
        saves racing) is validated once more — the form then sees the other save's row and says so beside the
        field — and, should the database still refuse, told in plain words, never by the constraint's name."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[no-any-return]
        except IntegrityError as error:
            found = integrity_message(error)
            if request.method != "POST" or found is None:
                raise
            if not getattr(request, "_integrity_retried", False):
                request._integrity_retried = True  # type: ignore[attr-defined]
                return self.changeform_view(request, object_id, form_url, extra_context)
            messages.error(request, found[1])
            return HttpResponseRedirect(request.get_full_path())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_write(request.user, self.model)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if not may_write(request.user, self.model):
            return False
        return obj is None or (self._visible(request, obj) and may_write_object(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return scoped_form(form, request.user, versioned=not _old_version_view(request))

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        super().delete_queryset(request, editable_by(request.user, queryset))

    def get_historical_record_context_helper(self, request: HttpRequest, historical_record: Any) -> ReadableHistory:
        return ReadableHistory(self.model, historical_record)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        if not may_read(request.user, self.model):
            raise PermissionDenied
        # simple_history falls back to the last historical row of a record it cannot find in the queryset,
        # which would show a deleted record of another committee. Only administrators get that fallback.
        if not is_admin(request.user) and not self._visible_pk(request, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if not may_read(request.user, self.model):
            raise PermissionDenied
        if not self._visible_pk(request, object_id):
            raise Http404
        # Reverting to an old version is a change: it needs the right to write, not just to read.
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records: Sequence[Any], foreign_keys_are_objs: bool = True
    ) -> None:
        """simple_history's changes between versions, without the columns derived from others (``name_pinyin``)."""
        derived = [f.name for f in self.model._meta.concrete_fields if f.name in DERIVED_FIELDS]
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, foreign_keys_are_objs=foreign_keys_are_objs, excluded_fields=derived
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def _visible_pk(self, request: HttpRequest, object_id: str) -> bool:
        try:
            return self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError):
            return False


class PinyinSearchMixin:
    """Search terms in Latin letters or digits ("zjg", "zhaojianguo") look in ``name_pinyin``, which holds the
    name's spelling, initials and its own Latin letters and digits: a ``LIKE`` on one lowercase column, served on
    PostgreSQL by a trigram index (migration 0005). Other terms (Chinese) go to ``search_fields``."""

    pinyin_search_also: tuple[str, ...] = ()

    def get_search_results(
        self, request: HttpRequest, queryset: models.QuerySet[Any], search_term: str
    ) -> tuple[models.QuerySet[Any], bool]:
        latin = [t for t in search_term.split() if PINYIN_TERM.fullmatch(t)]
        for term in latin:
            word = term.lower()
            also = [Q(**{f"{name}__icontains": term}) for name in self.pinyin_search_also]
            queryset = queryset.filter(reduce(or_, also, Q(name_pinyin__contains=word)))
        rest = " ".join(t for t in search_term.split() if not PINYIN_TERM.fullmatch(t))
        return super().get_search_results(request, queryset, rest)  # type: ignore[misc,no-any-return]


class CommitteeSubtreeFilter(admin.SimpleListFilter):
    """Records of a committee and of every committee below it, chosen by the committee's code."""

    title = _("committee")
    parameter_name = "committee"
    field_path = "committee"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        committees = visible_to(request.user, Committee).order_by("path")
        self.committees = list(committees.only("path", "depth", "name", "short_name", "code"))
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
        branches = visible_to(request.user, Branch).filter(reduce(or_, wanted))
        rows = branches.order_by("name").values_list("pk", "name")
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
        bounds = visible_to(request.user, model).order_by().aggregate(first=Min(field), last=Max(field))
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
    # Declared so that an inline may list it among its fields: the tabular inline renders the hidden
    # version of each row (committees.locking) only for listed fields.
    record_version = forms.CharField(label=_("record version"), widget=forms.HiddenInput, required=False)

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


class RecordInline(ScopedAdminMixin, admin.TabularInline):
    """A tabular inline whose rows cost no query each.

    ``related`` is selected with the rows: the parent (each row's ``__str__`` names it) and the
    autocomplete targets, whose labels then come from the loaded rows (with what their chooser labels read).
    """

    form = LoadedChoicesInlineForm
    formset: type[forms.BaseInlineFormSet] = DuplicateRowsFormSet
    formfield_overrides = DATE_FIELD_OVERRIDES
    extra = 0
    related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).select_related(*related_paths(self.model, self.related))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if VERSION_FIELD in fields or not self.has_change_permission(request, obj):
            return fields  # a read-only inline saves nothing: no version (it would show as a column)
        return [*fields, VERSION_FIELD]

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = LoadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return may_read(request.user, self.model) and (obj is None or obj.pk is None or self._visible(request, obj))

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return may_write(request.user, self.model) and (obj is None or may_write_object(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.has_add_permission(request, obj)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        versioned = not _old_version_view(request)
        formset.form = scoped_form(formset.form, request.user, versioned=versioned)  # type: ignore[assignment]
        return formset
