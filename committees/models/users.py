"""Users of the system: each bound to one committee or one branch, with a role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.rules import Rule, RulesMixin

from .organisation import Branch, Committee


def _binding_field(user: User) -> str:
    return "branch" if user.role == User.Role.BRANCH else "committee"


def _binding_message(user: User) -> str:
    if user.role == User.Role.BRANCH:
        return str(_("A branch user must be bound to a branch."))
    return str(_("Office staff and leaders must be bound to a committee."))


class User(RulesMixin, AbstractUser):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Committee office staff")
        LEADER = "leader", _("Leadership")
        BRANCH = "branch", _("Branch")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("committee"),
    )
    branch = models.ForeignKey(
        Branch, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("branch")
    )
    can_view_personal_data = models.BooleanField(
        _("may see personal data"),
        default=False,
        help_text=_("ID numbers, phones and addresses are shown unmasked to this user."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(committee__isnull=True) | Q(branch__isnull=True),
                name="user_bound_to_committee_or_branch",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["", "admin"])
                | Q(role="branch", branch__isnull=False)
                | Q(role__in=["staff", "leader"], committee__isnull=False),
                name="user_role_has_its_binding",
            ),
        ]

    constraint_rules = {
        "user_bound_to_committee_or_branch": Rule(
            "branch", _("Bind the user to one committee or to one branch, not both.")
        ),
        "user_role_has_its_binding": Rule(_binding_field, _binding_message),
    }

    def __str__(self) -> str:
        return self.get_full_name() or self.get_username()

    def get_full_name(self) -> str:
        """The name in Chinese order, family name first and no space: 张显友."""
        return f"{self.last_name.strip()}{self.first_name.strip()}"

    def get_short_name(self) -> str:
        # The admin greets users by their short name: a Chinese office says the whole name.
        return self.get_full_name()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A role is what admits a user to data entry; Django's admin asks for is_staff.
        if self.role:
            self.is_staff = True
        super().save(*args, **kwargs)
