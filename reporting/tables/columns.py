"""The columns of the two statistics tables: each is a metric of the registry, under a header group."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MetricColumn:
    code: str
    group: str | Promise
    header: str | Promise | None = None  # defaults to the metric's label
    money: bool = False
    flag: bool = False  # a yes/no rule met by the branch (three ones)


BRANCH_COLUMNS = (
    MetricColumn("members.total", _("Members"), _("On the roll")),
    MetricColumn("members.joined", _("Members"), _("Joined")),
    MetricColumn("members.left", _("Members"), _("Left")),
    MetricColumn("proposals.proposal", _("Participation in governance")),
    MetricColumn("proposals.suggestion", _("Participation in governance")),
    MetricColumn("proposals.social_info", _("Participation in governance")),
    MetricColumn("social_info.authors", _("Participation in governance"), _("Members reporting")),
    MetricColumn("outcomes.adopted", _("Participation in governance")),
    MetricColumn("outcomes.endorsed", _("Participation in governance")),
    MetricColumn("outcomes.awarded", _("Participation in governance")),
    MetricColumn("activities.organisational_life", _("Activities")),
    MetricColumn("activities.study", _("Activities")),
    MetricColumn("activities.social_service", _("Activities")),
    MetricColumn("service.total", _("Activities"), _("Donations (yuan)"), money=True),
    MetricColumn("training.attendances", _("Training")),
    MetricColumn("branches.three_ones.proposal", _("Three ones"), _("Proposal"), flag=True),
    MetricColumn("branches.three_ones.service", _("Three ones"), _("Service deed"), flag=True),
)

MEMBER_COLUMNS = (
    MetricColumn("authored.proposal", _("Participation in governance")),
    MetricColumn("authored.suggestion", _("Participation in governance")),
    MetricColumn("authored.social_info", _("Participation in governance")),
    MetricColumn("authored.speech", _("Participation in governance")),
    MetricColumn("authored.research_report", _("Participation in governance")),
    MetricColumn("training.attendances", _("Training")),
    MetricColumn("honors.total", _("Honours")),
)
