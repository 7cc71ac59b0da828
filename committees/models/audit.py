"""The audit trail beyond record history: who exported what."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committees.rules import Rule, RulesMixin

from .organisation import Committee


class ExportLog(RulesMixin, models.Model):
    """One export of records (a workbook, a document): who, when, which scope, and whether it carried
    unmasked personal data. Written by ``committees.services.export_log_create``; never edited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("user")
    )
    username = models.CharField(_("user name"), max_length=150)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("export"), max_length=50)
    committee = models.ForeignKey(
        Committee, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("committee")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    personal_data = models.BooleanField(_("unmasked personal data"), default=False)
    path = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1945), name="export_log_plausible_year"
            ),
        ]

    constraint_rules = {"export_log_plausible_year": Rule("year", _("Enter a year from 1945 on."))}

    def __str__(self) -> str:
        return f"{self.username} · {self.kind} · {self.created_at:%Y-%m-%d %H:%M}"
