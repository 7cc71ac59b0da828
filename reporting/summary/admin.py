"""Theme years with their targets (administrators), and narratives (office staff of the committee)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from committees.admin.base import LoadedChoicesInlineForm, RecordAdmin, RecordInline, committee_filter
from reporting.metrics import metric_labels

from .models import Narrative, Target, ThemeYear


class TargetForm(LoadedChoicesInlineForm):
    metric = forms.ChoiceField(label=_("metric"), choices=())

    class Meta:
        model = Target
        fields = ("metric", "value")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["metric"].choices = list(metric_labels().items())  # type: ignore[attr-defined]


class TargetInline(RecordInline):
    model = Target
    form = TargetForm
    fields = ("metric", "value")


@admin.register(ThemeYear)
class ThemeYearAdmin(RecordAdmin):
    list_display = ("year", "theme")
    search_fields = ("theme",)
    inlines = (TargetInline,)


@admin.register(Narrative)
class NarrativeAdmin(RecordAdmin):
    list_display = ("committee", "year", "section")
    list_select_related = ("committee",)
    list_filter = (committee_filter("committee"), "year", "section")
    autocomplete_fields = ("committee",)
