"""The organisation: the committee tree and the grassroots branches under it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from committees.pinyin import MAX_LENGTH as PINYIN_LENGTH
from committees.pinyin import place_pinyin
from committees.rules import Rule, RulesMixin

from .choices import Sector


def with_pinyin(update_fields: Any) -> Any:
    """``save(update_fields=…)`` naming ``name`` writes ``name_pinyin`` too."""
    if update_fields is None or "name" not in update_fields:
        return update_fields
    return {*update_fields, "name_pinyin"}


class Committee(MP_Node, RulesMixin):  # type: ignore[django-manager-missing]
    """A node of the committee tree: 民进中央 → 省委会 → 市委会 / 工委 → ….

    The tree is a materialized path, so a whole subtree is one indexed ``path LIKE 'prefix%'`` query.
    """

    class Kind(models.TextChoices):
        CENTRAL = "central", _("Central committee")
        PROVINCIAL = "provincial", _("Provincial committee")
        CITY = "city", _("City / prefecture committee")
        COUNTY = "county", _("County committee")
        WORKING = "working", _("Working committee")

    # MP_Node has no type stubs, so the fields of its subclass are annotated by hand.
    name: models.CharField[str, str] = models.CharField(_("name"), max_length=100, unique=True)
    name_pinyin: models.CharField[str, str] = models.CharField(
        _("pinyin"), max_length=PINYIN_LENGTH, blank=True, editable=False
    )
    short_name: models.CharField[str, str] = models.CharField(_("short name"), max_length=30, blank=True)
    code: models.CharField[str, str] = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        help_text=_("GB/T 2260 division code of the committee's region, e.g. 230000."),
    )
    kind: models.CharField[str, str] = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    node_order_by = ["code"]
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{6}$"), name="committee_code_six_digits"),
        ]

    constraint_rules = {
        "committee_code_six_digits": Rule("code", _("Enter the six-digit GB/T 2260 division code, e.g. 230000.")),
    }

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_pinyin = place_pinyin(self.name)
        kwargs["update_fields"] = with_pinyin(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    @property
    def chooser_label(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def subtree_q(self, prefix: str = "committee__") -> Q:
        """A filter for records of this committee and every committee below it."""
        return Q(**{f"{prefix}path__startswith": self.path})


class Branch(RulesMixin, models.Model):
    """A grassroots organisation (基层组织) under a committee."""

    class Kind(models.TextChoices):
        BRANCH = "branch", _("Branch")
        GENERAL = "general", _("General branch")
        DIRECT = "direct", _("Directly affiliated branch")
        GROUP = "group", _("Group")

    committee = models.ForeignKey(Committee, models.PROTECT, related_name="branches", verbose_name=_("committee"))
    name = models.CharField(_("name"), max_length=100)
    name_pinyin = models.CharField(_("pinyin"), max_length=PINYIN_LENGTH, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BRANCH)
    host_institution = models.CharField(_("host institution"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    cpc_organisation = models.CharField(
        _("linked CPC organisation"),
        max_length=100,
        blank=True,
        help_text=_("The CPC organisation of the host unit the branch keeps contact with."),
    )
    cpc_linked_on = models.DateField(_("linked with the CPC organisation since"), null=True, blank=True)
    leader = models.ForeignKey(
        "committees.Member",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch leader"),
    )
    liaison_leader = models.CharField(_("liaison leader of the committee"), max_length=50, blank=True)
    liaison_staff = models.CharField(_("liaison staff of the committee"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["committee__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="branch_unique_name_per_committee"),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="branch_dissolved_after_founded",
            ),
            models.CheckConstraint(
                condition=Q(cpc_linked_on__isnull=True) | ~Q(cpc_organisation=""),
                name="branch_cpc_link_names_organisation",
            ),
        ]

    constraint_rules = {
        "branch_unique_name_per_committee": Rule("name", _("The committee already has a branch of this name.")),
        "branch_dissolved_after_founded": Rule(
            "dissolved_on", _("The branch cannot be dissolved before it was founded.")
        ),
        "branch_cpc_link_names_organisation": Rule(
            "cpc_organisation", _("Name the CPC organisation the branch is linked with since that date.")
        ),
    }

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_pinyin = place_pinyin(self.name)
        kwargs["update_fields"] = with_pinyin(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        leader = self.leader if self.leader_id is not None else None
        if leader is not None and (self.pk is None or leader.branch_id != self.pk):
            raise ValidationError(
                {"leader": _("The branch leader must be a member of this branch: %(name)s is not.") % {"name": leader}}
            )

    @property
    def chooser_label(self) -> str:
        """The branch as a chooser lists it: 第一支部 · 哈尔滨市委会 (needs the committee loaded)."""
        return f"{self.name} · {self.committee.display_name}"


class CommitteeFromBranchMixin:
    """For records that belong to a branch or directly to a committee.

    ``committee`` is always filled, from the branch when there is one, so that a subtree filter on
    ``committee__path`` finds every record in one query, whether a branch or a committee owns it.
    """

    branch_id: int | None
    committee_id: int | None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.branch_id is not None:
            self.committee_id = Branch.objects.values_list("committee_id", flat=True).get(pk=self.branch_id)
        super().save(*args, **kwargs)  # type: ignore[misc]
