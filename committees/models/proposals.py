"""参政议政 work: proposals, suggestions, 社情民意信息, speeches, reports and papers, and their outcomes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.rules import Rule, RulesMixin

from .choices import Level, Tier
from .members import Member
from .organisation import Branch, Committee, CommitteeFromBranchMixin


class ResearchTopic(RulesMixin, models.Model):
    """调研课题 of a committee (usually owned by one of its 专委会)."""

    class Source(models.TextChoices):
        OWN = "own", _("Set by the committee")
        PARTY_CENTRAL = "party_central", _("Won from the CAPD Central Committee")
        GOVERNMENT = "government", _("Commissioned by the government or CPPCC")

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        WON = "won", _("Won in a bid")
        CONCLUDED = "concluded", _("Concluded")

    committee = models.ForeignKey(
        Committee, models.PROTECT, related_name="research_topics", verbose_name=_("committee")
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    special_committee = models.CharField(_("special committee"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.OWN)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPROVED)
    is_key = models.BooleanField(_("key topic"), default=False)
    won_on = models.DateField(_("won on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("research topic")
        verbose_name_plural = _("research topics")
        ordering = ["-year", "committee__code", "title"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "title"], name="research_topic_unique_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1945) & Q(year__lte=2100), name="research_topic_plausible_year"
            ),
            models.CheckConstraint(
                condition=~Q(status="concluded") | Q(concluded_on__isnull=False),
                name="research_topic_concluded_with_date",
            ),
        ]

    constraint_rules = {
        "research_topic_unique_per_year": Rule(
            "title", _("The committee already has a topic of this title that year.")
        ),
        "research_topic_plausible_year": Rule("year", _("Enter a year between 1945 and 2100.")),
        "research_topic_concluded_with_date": Rule("concluded_on", _("Give the date a concluded topic concluded.")),
    }

    def __str__(self) -> str:
        return self.title


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def for_list(self) -> ProposalQuerySet:
        return self.select_related("committee", "branch")

    def in_subtree(self, committee: Committee) -> ProposalQuerySet:
        return self.filter(committee__path__startswith=committee.path)


class Proposal(CommitteeFromBranchMixin, RulesMixin, models.Model):
    """One piece of 参政议政 work; ``kind`` tells 提案 from 社情民意信息 and the rest."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        SUGGESTION = "suggestion", _("Suggestion")
        SOCIAL_INFO = "social_info", _("Social conditions report")
        SPEECH = "speech", _("Speech")
        RESEARCH_REPORT = "research_report", _("Research report")
        THEORY_PAPER = "theory_paper", _("Theory paper")

    class RaisedAs(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        JOINT = "joint", _("Joint")
        SECTOR = "sector", _("Sector group")
        PARTY = "party", _("Party group")
        SPECIAL_COMMITTEE = "special_committee", _("Special committee")

    class Occasion(models.TextChoices):
        PLENARY = "plenary", _("During the plenary session")
        ROUTINE = "routine", _("Between sessions")
        CONSULTATION = "consultation", _("Consultation meeting")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        FILED = "filed", _("Filed")
        NOT_FILED = "not_filed", _("Not filed")
        MERGED = "merged", _("Merged")
        CONVERTED = "converted", _("Converted to a social conditions report")

    class ReplyResult(models.TextChoices):
        SOLVED = "A", _("A: solved or adopted")
        PLANNED = "B", _("B: partly solved or planned")
        REFERENCE = "C", _("C: kept for reference")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        related_name="proposals",
        verbose_name=_("committee"),
        help_text=_("Filled from the branch when a branch is given."),
    )
    branch = models.ForeignKey(
        Branch, models.PROTECT, null=True, blank=True, related_name="proposals", verbose_name=_("branch")
    )
    submitted_on = models.DateField(_("submitted on"), db_index=True)
    serial_number = models.CharField(_("serial number"), max_length=50, blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    raised_as = models.CharField(_("raised as"), max_length=20, choices=RaisedAs.choices, default=RaisedAs.INDIVIDUAL)
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices, blank=True)
    venue = models.CharField(_("venue and session"), max_length=200, blank=True)
    venue_level = models.CharField(_("venue level"), max_length=20, choices=Tier.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    is_key = models.BooleanField(_("key proposal"), default=False)
    is_excellent = models.BooleanField(_("excellent"), default=False)
    host_units = models.CharField(_("host units"), max_length=200, blank=True)
    co_units = models.CharField(_("co-handling units"), max_length=200, blank=True)
    reply_number = models.CharField(_("reply document number"), max_length=100, blank=True)
    reply_result = models.CharField(_("reply result"), max_length=1, choices=ReplyResult.choices, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    research_topic = models.ForeignKey(
        ResearchTopic,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("research topic"),
    )
    summary = models.TextField(_("summary"), blank=True)
    authors: models.ManyToManyField[Member, Authorship] = models.ManyToManyField(
        Member, through="Authorship", related_name="proposals", verbose_name=_("authors"), blank=True
    )

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal or report")
        verbose_name_plural = _("proposals and reports")
        ordering = ["-submitted_on", "id"]
        indexes = [
            models.Index(fields=["committee", "kind", "submitted_on"]),
            # A year's proposals counted by kind, month, committee or branch without reading the table (PostgreSQL
            # index-only scans; other databases ignore INCLUDE).
            models.Index(
                fields=["submitted_on"], include=["kind", "committee", "branch", "id"], name="proposal_year_cover"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.pk is not None and self.submitted_on is not None:
            earlier = self.outcomes.filter(occurred_on__lt=self.submitted_on).order_by("occurred_on").first()
            if earlier is not None:
                raise ValidationError(
                    {
                        "submitted_on": _(
                            "An outcome of this proposal is dated %(date)s, before this date; correct one of them."
                        )
                        % {"date": earlier.occurred_on.isoformat()}
                    }
                )


class Authorship(RulesMixin, models.Model):
    """An author of a proposal. ``order`` 1 is the first author (第一提案人); the rest are co-signers."""

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="authorships", verbose_name=_("proposal"))
    member = models.ForeignKey(Member, models.PROTECT, related_name="authorships", verbose_name=_("member"))
    order = models.PositiveSmallIntegerField(_("order"), default=1, help_text=_("1 is the first author."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("authorship")
        verbose_name_plural = _("authorships")
        ordering = ["proposal_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="authorship_member_once"),
            models.UniqueConstraint(fields=["proposal", "order"], name="authorship_one_per_place"),
            models.CheckConstraint(condition=Q(order__gte=1), name="authorship_order_from_one"),
        ]

    constraint_rules = {
        "authorship_member_once": Rule("member", _("This member is already an author of the proposal.")),
        "authorship_one_per_place": Rule("order", _("Another author already holds this place; number them 1, 2, 3 …")),
        "authorship_order_from_one": Rule("order", _("Places are numbered from 1 (the first author).")),
    }

    def __str__(self) -> str:
        return f"{self.member} ({self.order})"

    @property
    def is_first(self) -> bool:
        return self.order == 1


class Outcome(RulesMixin, models.Model):
    """What happened to a piece of work: adopted, endorsed (批示), awarded, filed, replied, forwarded."""

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        ENDORSED = "endorsed", _("Endorsed by a leader")
        AWARDED = "awarded", _("Awarded")
        FILED = "filed", _("Filed")
        REPLIED = "replied", _("Replied")
        FORWARDED = "forwarded", _("Forwarded")

    proposal = models.ForeignKey(Proposal, models.CASCADE, related_name="outcomes", verbose_name=_("proposal"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=30, choices=Level.choices, blank=True)
    by_whom = models.CharField(_("by whom"), max_length=100, blank=True)
    occurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["proposal_id", "occurred_on"]
        indexes = [models.Index(fields=["kind", "level"]), models.Index(fields=["occurred_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["adopted", "endorsed", "awarded"]) | ~Q(level=""),
                name="outcome_level_required",
            ),
        ]

    constraint_rules = {
        "outcome_level_required": Rule("level", _("Give the level of an adoption, endorsement or award.")),
    }

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_level_display() or ''}"

    def clean(self) -> None:
        super().clean()
        proposal = self.proposal if self.proposal_id is not None or _cached(self, "proposal") else None
        submitted = getattr(proposal, "submitted_on", None)
        if submitted is not None and self.occurred_on is not None and self.occurred_on < submitted:
            raise ValidationError(
                {
                    "occurred_on": _("The outcome cannot come before the proposal was submitted (%(date)s).")
                    % {"date": submitted.isoformat()}
                }
            )


def _cached(obj: models.Model, name: str) -> bool:
    return obj._meta.get_field(name).is_cached(obj)  # type: ignore[union-attr]
