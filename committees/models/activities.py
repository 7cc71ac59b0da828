"""Training, dated activities (study, 宣讲, 民主监督, 社会服务 …) and honours."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.rules import Rule, RulesMixin
from committees.validators import chinese_date

from .choices import Tier
from .members import Member
from .organisation import Branch, Committee, CommitteeFromBranchMixin


class TrainingEvent(RulesMixin, models.Model):
    """A training class. 人次 = attendances on the roster + ``extra_headcount``."""

    class Kind(models.TextChoices):
        BRANCH_LEADERS = "branch_leaders", _("Training for grassroots leaders")
        NEW_MEMBERS = "new_members", _("Training for new members")
        CORE_MEMBERS = "core_members", _("Training for core members")
        RESERVE_CADRES = "reserve_cadres", _("Training for reserve cadres")
        OTHER = "other", _("Other training")

    class Organiser(models.TextChoices):
        OWN = "own", _("This committee")
        PARTY_HIGHER = "party_higher", _("Higher CAPD organisation")
        CPC = "cpc", _("CPC committee or United Front Work Department")
        ACADEMY = "academy", _("Institute of Socialism")
        OTHER = "other", _("Other organiser")

    committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        related_name="training_events",
        verbose_name=_("committee"),
        help_text=_("The committee that held the class, or that sent members to it."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organiser_kind = models.CharField(_("organiser"), max_length=20, choices=Organiser.choices, default=Organiser.OWN)
    organiser_name = models.CharField(_("organiser name"), max_length=100, blank=True)
    organiser_level = models.CharField(_("organiser level"), max_length=20, choices=Tier.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    extra_headcount = models.PositiveIntegerField(
        _("attendees not on the roster"),
        default=0,
        help_text=_("Person-times of attendees who are not registered members."),
    )
    attendees: models.ManyToManyField[Member, Attendance] = models.ManyToManyField(
        Member, through="Attendance", related_name="training_events", verbose_name=_("attendees"), blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__gte=F("started_on")), name="training_ends_after_start"),
            models.CheckConstraint(condition=Q(extra_headcount__gte=0), name="training_headcount_non_negative"),
        ]

    constraint_rules = {
        "training_ends_after_start": Rule("ended_on", _("The training cannot end before it started.")),
        "training_headcount_non_negative": Rule("extra_headcount", _("Enter 0 or more.")),
    }

    def __str__(self) -> str:
        return self.title


class Attendance(RulesMixin, models.Model):
    event = models.ForeignKey(
        TrainingEvent, models.CASCADE, related_name="attendances", verbose_name=_("training event")
    )
    member = models.ForeignKey(Member, models.PROTECT, related_name="attendances", verbose_name=_("member"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="attendance_once_per_event"),
        ]

    constraint_rules = {
        "attendance_once_per_event": Rule("member", _("This member is already on the event's attendance list.")),
    }

    def __str__(self) -> str:
        return f"{self.member} @ {self.event}"

    def clean(self) -> None:
        """The member was a member while the event ran: joined by its last day, not left before its first."""
        super().clean()
        if self.member_id is None or (self.event_id is None and not Attendance.event.is_cached(self)):
            return
        member, event = self.member, self.event
        if event.started_on is None or event.ended_on is None:
            return
        if member.joined_on is not None and member.joined_on > event.ended_on:
            raise ValidationError(
                {
                    "member": _("%(name)s joined on %(joined)s, after the training ended (%(ended)s).")
                    % {"name": member, "joined": chinese_date(member.joined_on), "ended": chinese_date(event.ended_on)}
                }
            )
        left = member.status != Member.Status.ACTIVE and member.status_changed_on
        if left and left < event.started_on:
            raise ValidationError(
                {
                    "member": _("%(name)s left on %(left)s, before the training started (%(started)s).")
                    % {"name": member, "left": chinese_date(left), "started": chinese_date(event.started_on)}
                }
            )


class Activity(CommitteeFromBranchMixin, RulesMixin, models.Model):
    """Dated work of a branch or a committee, with the figures its kind needs."""

    class Kind(models.TextChoices):
        ORGANISATIONAL_LIFE = "organisational_life", _("Organisational life")
        STUDY = "study", _("Study session")
        THEME_EDUCATION = "theme_education", _("Theme education")
        LECTURE = "lecture", _("Lecture tour")
        CONSULTATION = "consultation", _("Consultation")
        RESEARCH = "research", _("Research visit")
        SUPERVISION = "supervision", _("Democratic supervision")
        INSPECTION = "inspection", _("Political inspection")
        SOCIAL_SERVICE = "social_service", _("Social service")
        PUBLICITY = "publicity", _("Publicity")
        MEETING = "meeting", _("Meeting")
        OTHER = "other", _("Other")

    class ServiceCategory(models.TextChoices):
        SCHOLARSHIP = "scholarship", _("Scholarships")
        MEDICAL = "medical", _("Medical aid")
        FITNESS = "fitness", _("Fitness facilities")
        BOOKS = "books", _("Book donation")
        EPIDEMIC = "epidemic", _("Epidemic relief")
        POVERTY = "poverty", _("Poverty alleviation")
        CONDOLENCE = "condolence", _("Condolence")
        OTHER = "other", _("Other")

    committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        related_name="activities",
        verbose_name=_("committee"),
        help_text=_("Filled from the branch when a branch is given."),
    )
    branch = models.ForeignKey(
        Branch, models.PROTECT, null=True, blank=True, related_name="activities", verbose_name=_("branch")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    service_category = models.CharField(
        _("service category"), max_length=20, choices=ServiceCategory.choices, blank=True
    )
    donation_cash = models.DecimalField(_("cash donated (yuan)"), max_digits=14, decimal_places=2, default=0)
    donation_goods = models.DecimalField(_("value of goods donated (yuan)"), max_digits=14, decimal_places=2, default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    quantity = models.PositiveIntegerField(
        _("quantity"), default=0, help_text=_("Items delivered, e.g. books or fitness trails.")
    )
    quantity_unit = models.CharField(_("unit"), max_length=10, blank=True)
    forums = models.PositiveIntegerField(_("forums held"), default=0)
    questionnaires = models.PositiveIntegerField(_("questionnaires"), default=0)
    problems_found = models.PositiveIntegerField(_("problems found"), default=0)
    suggestions_made = models.PositiveIntegerField(_("suggestions made"), default=0)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "id"]
        indexes = [models.Index(fields=["committee", "kind", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("held_on")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(donation_cash__gte=0) & Q(donation_goods__gte=0),
                name="activity_donations_non_negative",
            ),
        ]

    constraint_rules = {
        "activity_ends_after_start": Rule("ended_on", _("The activity cannot end before it started.")),
        "activity_donations_non_negative": Rule(
            lambda obj: "donation_goods" if (obj.donation_cash or 0) >= 0 else "donation_cash",
            _("Donations cannot be negative."),
        ),
    }

    def __str__(self) -> str:
        return self.title

    @property
    def donation_total(self) -> Any:
        return self.donation_cash + self.donation_goods


class Honor(RulesMixin, models.Model):
    """表彰: an honour for a member, a branch, or the committee itself."""

    committee = models.ForeignKey(Committee, models.PROTECT, related_name="honors", verbose_name=_("committee"))
    branch = models.ForeignKey(
        Branch, models.PROTECT, null=True, blank=True, related_name="honors", verbose_name=_("branch")
    )
    member = models.ForeignKey(
        Member, models.PROTECT, null=True, blank=True, related_name="honors", verbose_name=_("member")
    )
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Tier.choices)
    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(branch__isnull=True) | Q(member__isnull=True),
                name="honor_one_recipient",
            ),
            models.CheckConstraint(condition=Q(year__gte=1945) & Q(year__lte=2100), name="honor_plausible_year"),
        ]

    constraint_rules = {
        "honor_one_recipient": Rule("branch", _("An honour goes to a member or to a branch, not to both.")),
        "honor_plausible_year": Rule("year", _("Enter a year between 1945 and 2100.")),
    }

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.member_id is not None:
            self.committee_id = Member.objects.values_list("committee_id", flat=True).get(pk=self.member_id)
        elif self.branch_id is not None:
            self.committee_id = Branch.objects.values_list("committee_id", flat=True).get(pk=self.branch_id)
        super().save(*args, **kwargs)
