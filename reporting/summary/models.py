"""Theme years with their targets, and the narrative paragraphs office staff write for a year's summary."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models import Committee
from committees.rules import Rule, RulesMixin


class Section(models.TextChoices):
    """The sections of a year summary, in the order of the seed reports."""

    IDEOLOGY = "ideology", _("Ideological and political work")
    ORGANISATION = "organisation", _("Grassroots organisations")
    GOVERNANCE = "governance", _("Participation in governance")
    SUPERVISION = "supervision", _("Democratic supervision")
    CONSULTATION = "consultation", _("Political consultation")
    SERVICE = "service", _("Social service")
    TRAINING = "training", _("Training")
    OFFICE = "office", _("Building the office")


class ThemeYear(RulesMixin, models.Model):
    """A theme year set by 民进中央 (2020 履职能力建设主题年 …)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    theme = models.CharField(_("theme"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme year")
        verbose_name_plural = _("theme years")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(year__gte=1945), name="theme_year_plausible")]

    constraint_rules = {"theme_year_plausible": Rule("year", _("Enter a year from 1945 on."))}

    def __str__(self) -> str:
        return f"{self.year} {self.theme}"


class Target(RulesMixin, models.Model):
    """What a theme year aims at for one metric (a count, or a share between 0 and 1)."""

    theme_year = models.ForeignKey(ThemeYear, models.CASCADE, related_name="targets", verbose_name=_("theme year"))
    metric = models.CharField(_("metric"), max_length=80)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["theme_year", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["theme_year", "metric"], name="target_once_per_metric"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    constraint_rules = {
        "target_once_per_metric": Rule("metric", _("The theme year already has a target for this figure.")),
        "target_not_negative": Rule("value", _("Enter 0 or more.")),
    }

    def __str__(self) -> str:
        return f"{self.metric} ≥ {self.value}"


class Narrative(RulesMixin, models.Model):
    """A paragraph office staff write for one section of a committee's year summary."""

    committee = models.ForeignKey(Committee, models.CASCADE, related_name="+", verbose_name=_("committee"))
    year = models.PositiveSmallIntegerField(_("year"))
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    text = models.TextField(_("text"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        ordering = ["committee", "year", "section"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "section"], name="narrative_once_per_section"),
        ]

    constraint_rules = {
        "narrative_once_per_section": Rule(
            "section", _("The committee already has a narrative for this section of that year's summary.")
        ),
    }

    def __str__(self) -> str:
        return f"{self.committee} {self.year} {self.get_section_display()}"
