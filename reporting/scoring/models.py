"""Scoring schemes as data, and the sheets of the branches scored by them.

A :class:`Scheme` belongs to a committee and a year and applies to every branch of the committee's subtree unless
a committee below publishes its own. Its :class:`Category` rows hold :class:`Item` rows of the kinds a real
基层支部年度工作量化考核评分表 has; :class:`GradeBand` rows turn a total into 优秀 / 良好 / 合格 / 不合格.

A :class:`Sheet` is one branch scored by one scheme: its :class:`Entry` rows keep what the records gave (quantity
and points, refreshed while the sheet is open, frozen at approval), the branch's self-assessment and the
reviewer's score. :class:`Transition` rows are the history of the workflow.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from committees.models import Branch, Committee, Level
from committees.rules import Rule, RulesMixin


class Scheme(RulesMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    committee = models.ForeignKey(Committee, models.PROTECT, related_name="+", verbose_name=_("owning committee"))
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    total_cap = models.DecimalField(
        _("total cap"),
        null=True,
        blank=True,
        help_text=_("E.g. 100. Leave empty for an uncapped accumulation ranked against peers."),
        max_digits=8,
        decimal_places=2,
    )
    first_author_share = models.DecimalField(
        _("first author's share of joint work"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("E.g. 0.6: the first author's branch gets 60%, the co-authors' branches share the rest."),
    )
    copied_from = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["-year", "committee__code"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="scheme_once_per_committee_and_year"),
            models.CheckConstraint(condition=Q(year__gte=1945) & Q(year__lte=2100), name="scheme_plausible_year"),
            models.CheckConstraint(
                condition=Q(total_cap__isnull=True) | Q(total_cap__gt=0), name="scheme_cap_positive"
            ),
            models.CheckConstraint(
                condition=Q(first_author_share__isnull=True)
                | (Q(first_author_share__gte=0) & Q(first_author_share__lte=1)),
                name="scheme_share_fraction",
            ),
        ]

    constraint_rules = {
        "scheme_once_per_committee_and_year": Rule("year", _("The committee already has a scheme for that year.")),
        "scheme_plausible_year": Rule("year", _("Enter a year between 1945 and 2100.")),
        "scheme_cap_positive": Rule("total_cap", _("A total cap must be more than 0; leave it empty for none.")),
        "scheme_share_fraction": Rule("first_author_share", _("Enter a share between 0 and 1, e.g. 0.6.")),
    }

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Category(RulesMixin, models.Model):
    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="categories", verbose_name=_("scheme"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    code = models.CharField(_("code"), max_length=10, help_text=_("E.g. A, B, C."))
    name = models.CharField(_("name"), max_length=100)
    cap = models.DecimalField(
        _("cap"), null=True, blank=True, help_text=_("Most points the category gives."), max_digits=8, decimal_places=2
    )
    floor = models.DecimalField(
        _("floor"),
        null=True,
        blank=True,
        help_text=_("For deductions: the lowest the category goes, e.g. -10."),
        max_digits=8,
        decimal_places=2,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["scheme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="category_code_once_per_scheme"),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(floor__isnull=True) | Q(cap__gte=models.F("floor")),
                name="category_cap_above_floor",
            ),
        ]

    constraint_rules = {
        "category_code_once_per_scheme": Rule("code", _("The scheme already has a category with this code.")),
        "category_cap_above_floor": Rule("cap", _("The cap cannot be below the floor.")),
    }

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Item(RulesMixin, models.Model):
    class Kind(models.TextChoices):
        PER_UNIT = "per_unit", _("Points per unit of a metric")
        LADDER = "ladder", _("Per record, with a bonus by the highest outcome level")
        SHARE = "share", _("Points × share of members")
        RULE = "rule", _("Yes/no rule")
        MANUAL = "manual", _("Entered by the reviewer")
        DEDUCTION = "deduction", _("Deduction")
        VETO = "veto", _("Veto (lowest grade)")

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="items", verbose_name=_("scheme"))
    category = models.ForeignKey(Category, models.CASCADE, related_name="items", verbose_name=_("category"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("assessed content"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    metric = models.CharField(
        _("metric"),
        max_length=80,
        blank=True,
        help_text=_("The figure the points are counted from. Manual items, deductions and vetoes may have none."),
    )
    points = models.DecimalField(
        _("points"),
        help_text=_(
            "Per unit, per record (ladder), for the full share, for a met rule, the most a reviewer may give "
            "(manual), or deducted per unit or for a met rule."
        ),
        max_digits=12,
        decimal_places=4,
    )
    cap = models.DecimalField(
        _("cap"),
        null=True,
        blank=True,
        help_text=_("Most points the item gives; for a deduction, the most it takes away."),
        max_digits=8,
        decimal_places=2,
    )
    threshold = models.DecimalField(
        _("threshold"),
        null=True,
        blank=True,
        help_text=_("Rules, deductions and vetoes: the rule is met when the figure reaches it (or stays below it)."),
        max_digits=8,
        decimal_places=2,
    )
    below = models.BooleanField(_("met below the threshold"), default=False)
    joint_credit = models.BooleanField(
        _("split joint work"),
        default=False,
        help_text=_("Count pieces of work by their authors' branches with the scheme's first-author share."),
    )
    standard = models.CharField(
        _("scoring standard"), max_length=300, blank=True, help_text=_("Shown on the sheet; written if empty.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["category__order", "category__code", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="item_points_not_negative"),
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gte=0), name="item_cap_not_negative"),
        ]

    constraint_rules = {
        "item_points_not_negative": Rule("points", _("Enter 0 or more.")),
        "item_cap_not_negative": Rule("cap", _("Enter 0 or more.")),
    }

    def __str__(self) -> str:
        return self.name

    @property
    def is_entered(self) -> bool:
        """Scored by hand: no metric behind it."""
        return not self.metric


class LadderStep(RulesMixin, models.Model):
    """A bonus per record whose highest adoption or endorsement reached ``level`` (and not the next step)."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="steps", verbose_name=_("item"))
    level = models.CharField(_("level reached"), max_length=30, choices=Level.choices)
    bonus = models.DecimalField(_("bonus per record"), max_digits=8, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "level"], name="ladder_step_once_per_level"),
            models.CheckConstraint(condition=Q(bonus__gte=0), name="ladder_bonus_not_negative"),
        ]

    constraint_rules = {
        "ladder_step_once_per_level": Rule("level", _("The item already has a step for this level.")),
        "ladder_bonus_not_negative": Rule("bonus", _("Enter 0 or more.")),
    }

    def __str__(self) -> str:
        return f"{self.get_level_display()} +{self.bonus}"

    @property
    def rank(self) -> int:
        return Level.rank(self.level)


class GradeBand(RulesMixin, models.Model):
    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="bands", verbose_name=_("scheme"))
    name = models.CharField(_("grade"), max_length=20)
    minimum = models.DecimalField(_("from (points)"), max_digits=8, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["scheme", "-minimum"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="grade_once_per_scheme"),
            models.UniqueConstraint(fields=["scheme", "minimum"], name="grade_threshold_once_per_scheme"),
        ]

    constraint_rules = {
        "grade_once_per_scheme": Rule("name", _("The scheme already has a grade of this name.")),
        "grade_threshold_once_per_scheme": Rule("minimum", _("Another grade already starts at this score.")),
    }

    def __str__(self) -> str:
        return f"{self.name} ≥ {self.minimum}"


class SheetQuerySet(models.QuerySet["Sheet"]):
    def for_list(self) -> SheetQuerySet:
        return self.select_related("scheme", "branch", "branch__committee")


class Sheet(RulesMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("sheet state", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("sheet state", "Submitted")
        REVIEWED = "reviewed", pgettext_lazy("sheet state", "Reviewed")
        APPROVED = "approved", pgettext_lazy("sheet state", "Approved")

    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="sheets", verbose_name=_("scheme"))
    branch = models.ForeignKey(Branch, models.PROTECT, related_name="+", verbose_name=_("branch"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    returned_reason = models.CharField(_("reason for return"), max_length=300, blank=True)
    # Stored with the entries each time they are saved; what the ranking shows for an approved sheet.
    total = models.DecimalField(_("total"), null=True, blank=True, max_digits=8, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    category_points = models.JSONField(_("points by category"), default=dict, blank=True)
    # Optimistic locking: every write of the sheet or its entries advances the version; a form carries the version
    # it was opened at and is refused when the sheet has moved on since (who and when below).
    version = models.PositiveIntegerField(_("version"), default=0)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)

    objects = SheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        ordering = ["scheme", "branch__committee__code", "branch__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "branch"], name="sheet_once_per_branch_and_scheme"),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_at__isnull=False), name="sheet_approved_with_time"
            ),
        ]

    constraint_rules = {
        "sheet_once_per_branch_and_scheme": Rule("branch", _("The branch already has a sheet under this scheme.")),
        "sheet_approved_with_time": Rule(None, _("An approved sheet needs the time of its approval.")),
    }

    def __str__(self) -> str:
        return f"{self.branch} · {self.scheme}"

    @property
    def is_frozen(self) -> bool:
        return self.state == self.State.APPROVED


class Entry(RulesMixin, models.Model):
    sheet = models.ForeignKey(Sheet, models.CASCADE, related_name="entries", verbose_name=_("sheet"))
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4, null=True, blank=True)
    points = models.DecimalField(_("computed points"), null=True, blank=True, max_digits=8, decimal_places=2)
    self_points = models.DecimalField(_("self-assessed points"), null=True, blank=True, max_digits=8, decimal_places=2)
    reviewed_points = models.DecimalField(_("reviewed points"), null=True, blank=True, max_digits=8, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score entry")
        verbose_name_plural = _("score entries")
        ordering = ["sheet", "item__category__order", "item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "item"], name="entry_once_per_item")]

    constraint_rules = {"entry_once_per_item": Rule("item", _("The sheet already has a line for this item."))}

    def __str__(self) -> str:
        return f"{self.sheet_id} · {self.item_id}"


class Transition(RulesMixin, models.Model):
    class Action(models.TextChoices):
        SUBMIT = "submit", pgettext_lazy("sheet action", "Submitted")
        REVIEW = "review", pgettext_lazy("sheet action", "Reviewed")
        APPROVE = "approve", pgettext_lazy("sheet action", "Approved")
        RETURN = "return", pgettext_lazy("sheet action", "Returned")
        SAVE = "save", pgettext_lazy("sheet action", "Saved")

    sheet = models.ForeignKey(Sheet, models.CASCADE, related_name="transitions", verbose_name=_("sheet"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=Sheet.State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=Sheet.State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["sheet", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(action="return") | ~Q(reason=""), name="transition_return_has_reason")
        ]

    constraint_rules = {"transition_return_has_reason": Rule("reason", _("Give the reason for returning the sheet."))}

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
