"""Members (会员), their positions and their status history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from committees.pinyin import MAX_LENGTH as PINYIN_LENGTH
from committees.pinyin import person_pinyin
from committees.rules import Rule, RulesMixin
from committees.validators import normalise_id_number

from .choices import Degree, Education, Gender, Sector, Tier, TitleLevel
from .organisation import Branch, Committee, CommitteeFromBranchMixin, with_pinyin


class MemberQuerySet(models.QuerySet["Member"]):
    def for_list(self) -> MemberQuerySet:
        return self.select_related("committee", "branch")

    def for_chooser(self) -> MemberQuerySet:
        """With what :attr:`Member.chooser_label` shows."""
        return self.select_related("committee", "branch")

    def in_subtree(self, committee: Committee) -> MemberQuerySet:
        return self.filter(committee__path__startswith=committee.path)


def _duplicate_id_number(member: Member) -> str:
    """Names the member who already holds the ID number: in full to a user who may see personal data and the
    holder, else with the given name masked; the place is the branch, or only the committee when the holder
    lies outside what the user may see."""
    from committees.access import may_see_personal_data, visible_to

    holder = (
        Member.objects.filter(id_number=member.id_number)
        .exclude(pk=member.pk)
        .select_related("branch", "committee")
        .first()
    )
    if holder is None:
        return str(_("This ID number is already recorded for another member."))
    user = member.acting_user
    visible = user is None or visible_to(user, Member).filter(pk=holder.pk).exists()
    place = holder.branch.name if holder.branch and visible else holder.committee.display_name
    name = holder.name
    if user is None or not visible or not may_see_personal_data(user):
        name = name[:1] + "*" * max(len(name) - 1, 1)
    return str(_("This ID number is already recorded for %(name)s (%(place)s).") % {"name": name, "place": place})


class Member(CommitteeFromBranchMixin, RulesMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("On the roll")
        TRANSFERRED = "transferred", _("Transferred out")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECEASED = "deceased", _("Deceased")

    committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        related_name="members",
        verbose_name=_("committee"),
        help_text=_("Filled from the branch when a branch is given."),
    )
    branch = models.ForeignKey(
        Branch, models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("branch")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, db_index=True)
    name_pinyin = models.CharField(_("pinyin"), max_length=PINYIN_LENGTH, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    degree = models.CharField(_("degree"), max_length=20, choices=Degree.choices, blank=True)
    title_level = models.CharField(_("professional title level"), max_length=20, choices=TitleLevel.choices, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    job_title = models.CharField(_("post at work"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["committee", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=~Q(id_number=""), name="member_unique_id_number"),
            models.CheckConstraint(
                condition=Q(id_number="") | Q(id_number__regex=r"^[0-9]{17}[0-9X]$"),
                name="member_id_number_format",
            ),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True) | Q(birth_date__isnull=True) | Q(joined_on__gt=F("birth_date")),
                name="member_joined_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_changed_on__isnull=False),
                name="member_left_with_date",
            ),
        ]

    constraint_rules = {
        "member_unique_id_number": Rule("id_number", _duplicate_id_number),
        "member_id_number_format": Rule(
            "id_number", _("An ID number has 18 characters: 17 digits and a final digit or X.")
        ),
        "member_joined_after_birth": Rule("joined_on", _("The member cannot have joined before being born.")),
        "member_left_with_date": Rule(
            "status_changed_on", _("Give the date of the status change for a member who is not on the roll.")
        ),
    }

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_pinyin = person_pinyin(self.name)
        kwargs["update_fields"] = with_pinyin(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        errors: dict[str, list[Any]] = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.id_number and "id_number" not in (exclude or ()) and "id_number" not in errors:
            try:
                self.id_number = normalise_id_number(self.id_number)
            except ValidationError as error:
                errors.setdefault("id_number", []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    @property
    def chooser_label(self) -> str:
        """The member as a chooser lists it: 赵建国 · 哈尔滨工程大学支部 · 1975 (needs branch and committee loaded)."""
        place = self.branch.name if self.branch is not None else self.committee.display_name
        parts = [self.name, place]
        if self.birth_date is not None:
            parts.append(str(self.birth_date.year))
        return " · ".join(parts)


class MemberStatusChange(RulesMixin, models.Model):
    """A dated change of a member's status (转出, 退会, 去世, re-admission)."""

    member = models.ForeignKey(Member, models.CASCADE, related_name="status_changes", verbose_name=_("member"))
    status = models.CharField(_("status"), max_length=20, choices=Member.Status.choices)
    changed_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["member_id", "changed_on"]
        indexes = [models.Index(fields=["changed_on", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["member", "changed_on", "status"], name="status_change_unique_per_day"),
        ]

    constraint_rules = {
        "status_change_unique_per_day": Rule(
            "changed_on", _("This status change is already recorded for the member on that day.")
        ),
    }

    def __str__(self) -> str:
        return f"{self.member} {self.get_status_display()} {self.changed_on}"


class Position(RulesMixin, models.Model):
    """A seat or role a member holds: 人大代表, 政协委员, 会内职务, 代表人士, 后备干部, 挂职."""

    class Kind(models.TextChoices):
        NPC_DEPUTY = "npc_deputy", _("People's Congress deputy")
        CPPCC_MEMBER = "cppcc_member", _("CPPCC member")
        PARTY_POST = "party_post", _("Post within the association")
        REPRESENTATIVE = "representative", _("Representative figure")
        RESERVE_CADRE = "reserve_cadre", _("Reserve cadre")
        SECONDMENT = "secondment", _("Temporary post")

    member = models.ForeignKey(Member, models.CASCADE, related_name="positions", verbose_name=_("member"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Tier.choices, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["member_id", "kind", "started_on"]
        indexes = [models.Index(fields=["kind", "level"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="position_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["npc_deputy", "cppcc_member"]) | ~Q(level=""),
                name="position_seat_has_level",
            ),
        ]

    constraint_rules = {
        "position_ends_after_start": Rule("ended_on", _("A position cannot end before it started.")),
        "position_seat_has_level": Rule(
            "level", _("Give the level of a People's Congress or CPPCC seat (national, provincial …).")
        ),
    }

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()}"
