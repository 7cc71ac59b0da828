"""Figures kept counted per committee and year by ``reporting.metrics.cells``: derived data, never entered by anyone."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cell(models.Model):
    """A metric's value over the rows of one branch of one committee in one calendar year (branch -1: the
    committee's own work; branch 0: the committee's total, its own rows, not its subtree); zero values are not
    kept."""

    year = models.SmallIntegerField(_("year"))
    committee_id = models.IntegerField(_("committee"))
    branch_id = models.IntegerField(_("branch"), default=0)
    metric = models.CharField(_("metric"), max_length=80)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=6)

    class Meta:
        verbose_name = _("figure cell")
        verbose_name_plural = _("figure cells")
        constraints = [
            models.UniqueConstraint(fields=["year", "metric", "committee_id", "branch_id"], name="metrics_cell_unique"),
        ]
        # The committee totals of a subtree without reading the branches' cells (index-only on PostgreSQL).
        indexes = [
            models.Index(
                fields=["year", "branch_id", "committee_id", "metric"], include=["value"], name="metrics_cell_totals"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.committee_id} {self.metric}={self.value}"


class CellState(models.Model):
    """Which generation of a committee's records its cells of a year from one source were counted at, and under
    which metric definitions."""

    year = models.SmallIntegerField(_("year"))
    committee_id = models.IntegerField(_("committee"))
    source = models.CharField(_("source"), max_length=40)
    generation = models.BigIntegerField(_("generation"))
    definitions = models.CharField(_("definitions"), max_length=16)

    class Meta:
        verbose_name = _("figure cell state")
        verbose_name_plural = _("figure cell states")
        constraints = [
            models.UniqueConstraint(fields=["year", "committee_id", "source"], name="metrics_cellstate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.committee_id} {self.source}@{self.generation}"
