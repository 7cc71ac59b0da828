"""How a record is named where a user picks it: members, branches and committees told apart.

Two members may share a name (the demo has namesakes), so a chooser lists a member as name · branch ·
birth year (:attr:`Member.chooser_label`) and a branch as name · committee. The labels read related rows,
which every chooser loads with the records themselves (:func:`for_chooser`): a list of 20 or 200 costs
the same queries. Lists and history keep the plain name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.admin import AdminSite
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db import models
from django.http import HttpRequest, HttpResponse

# The related rows each model's chooser label reads.
LABEL_RELATED: dict[str, tuple[str, ...]] = {
    "committees.member": ("committee", "branch"),
    "committees.branch": ("committee",),
}


def label_related(model: type[models.Model]) -> tuple[str, ...]:
    return LABEL_RELATED.get(model._meta.label_lower, ())


def for_chooser(queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    related = label_related(queryset.model)
    return queryset.select_related(*related) if related else queryset


def chooser_label(obj: models.Model) -> str:
    return str(getattr(obj, "chooser_label", obj))


def related_paths(model: type[models.Model], paths: Iterable[str]) -> list[str]:
    """``paths`` (``select_related`` arguments from ``model``) with what the chooser labels of the rows they
    reach read: ``member`` → ``member``, ``member__committee``, ``member__branch``."""
    result: list[str] = []
    for path in paths:
        result.append(path)
        target: Any = model
        for name in path.split("__"):
            target = target._meta.get_field(name).related_model
        result.extend(f"{path}__{extra}" for extra in label_related(target))
    return result


class ChooserField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of a record, labelled as choosers label it (needs :func:`for_chooser` on the queryset)."""

    def label_from_instance(self, obj: models.Model) -> str:
        return chooser_label(obj)


class ChooserMultipleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several records (a roster to tick), labelled as choosers label them."""

    def label_from_instance(self, obj: models.Model) -> str:
        return chooser_label(obj)


def chooser_formfield_kwargs(model: type[models.Model], kwargs: dict[str, Any]) -> dict[str, Any]:
    """``formfield()`` arguments for a foreign key to ``model``: the labelled field and a queryset loading what the
    labels read. Models without a chooser label are left as they are."""
    if model._meta.label_lower not in LABEL_RELATED:
        return kwargs
    queryset = kwargs.get("queryset")
    if queryset is None:
        queryset = model._default_manager.all()
    return {**kwargs, "queryset": for_chooser(queryset), "form_class": ChooserField}


class ChooserAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, with chooser labels read from rows loaded in the same query."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return for_chooser(super().get_queryset())

    def serialize_result(self, obj: models.Model, to_field_name: str) -> dict[str, Any]:
        return {"id": str(getattr(obj, to_field_name)), "text": chooser_label(obj)}


class RecordsAdminSite(AdminSite):
    """Django's admin site with labelled autocompletes (``committees.apps.RecordsAdminConfig`` makes it the
    default ``admin.site``)."""

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        return ChooserAutocompleteJsonView.as_view(admin_site=self)(request)  # type: ignore[return-value]
