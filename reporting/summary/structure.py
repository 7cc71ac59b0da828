"""What a year summary holds: its sections, the figures of each, and the sentences the draft is written in.

Every figure is a metric code of ``reporting.metrics``; nothing here counts anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Section


@dataclass(frozen=True)
class Sentence:
    """A sentence of the draft. ``figures`` maps each placeholder to a metric code and a format: ``n`` exact,
    ``approx`` in the reports' "400余" style, ``money`` in 万元, ``pct`` a share. The sentence is left out
    when its first figure is zero."""

    text: str | Promise
    figures: dict[str, tuple[str, str]]


FIGURES: dict[str, list[str]] = {
    Section.IDEOLOGY: [
        "activities.study",
        "activities.theme_education",
        "activities.lecture",
        "lectures.committees",
        "activities.publicity",
        "proposals.theory_paper",
        "research.won_central",
        "research.concluded",
    ],
    Section.ORGANISATION: [
        "branches.total",
        "branches.founded",
        "branches.dissolved",
        "coverage.cpc_linked",
        "coverage.leader_trained",
        "coverage.active",
        "three_ones.proposal_rate",
        "three_ones.service_rate",
        "three_ones.social_info_rate",
        "members.total",
        "members.joined",
        "members.left",
        "members.senior_titles",
        "members.senior_share",
        "members.doctorates",
        "members.representatives",
        "members.reserve_cadres",
        "activities.organisational_life",
    ],
    Section.GOVERNANCE: [
        "proposals.proposal",
        "proposals.suggestion",
        "proposals.social_info",
        "social_info.authors",
        "proposals.research_report",
        "proposals.speech",
        "proposals.plenary_speeches",
        "proposals.filed",
        "outcomes.adopted",
        "outcomes.endorsed",
        "outcomes.endorsed.state_leader",
        "outcomes.endorsed.party_central",
        "outcomes.endorsed.provincial_leader",
        "outcomes.awarded",
        "research.topics",
        "research.key_topics",
    ],
    Section.SUPERVISION: [
        "activities.supervision",
        "supervision.forums",
        "supervision.questionnaires",
        "supervision.problems",
        "supervision.suggestions",
    ],
    Section.CONSULTATION: ["activities.consultation", "activities.consultation.participants"],
    Section.SERVICE: [
        "activities.social_service",
        "service.total",
        "service.cash",
        "service.goods",
        "service.beneficiaries",
        "service.scholarship.cash",
        "service.scholarship.beneficiaries",
        "service.medical.goods",
        "service.fitness.quantity",
        "service.books.quantity",
        "service.epidemic.total",
        "service.epidemic.cash",
        "service.epidemic.goods",
    ],
    Section.TRAINING: [
        "training.classes",
        "training.person_times",
        "training.classes.branch_leaders",
        "training.person_times.branch_leaders",
        "training.classes.new_members",
        "training.person_times.new_members",
        "training.sent_higher",
        "training.members_trained",
    ],
    Section.OFFICE: [
        "activities.meeting",
        "activities.inspection",
        "honors.total",
        "honors.national",
        "honors.provincial",
    ],
}

SENTENCES: dict[str, list[Sentence]] = {
    Section.IDEOLOGY: [
        Sentence(
            _("Organised %(study)s study sessions and %(theme)s theme education activities."),
            {"study": ("activities.study", "n"), "theme": ("activities.theme_education", "n")},
        ),
        Sentence(
            _("The leadership gave lectures in %(committees)s committees."),
            {"committees": ("lectures.committees", "n")},
        ),
        Sentence(
            _("Won %(won)s research topics from the CAPD Central Committee; %(concluded)s topics were concluded."),
            {"won": ("research.won_central", "n"), "concluded": ("research.concluded", "n")},
        ),
    ],
    Section.ORGANISATION: [
        Sentence(
            _("Founded %(founded)s new grassroots organisations; there are %(total)s grassroots organisations in all."),
            {"founded": ("branches.founded", "n"), "total": ("branches.total", "n")},
        ),
        Sentence(
            _(
                "Coverage: %(cpc)s of grassroots organisations linked with a CPC organisation, %(trained)s with "
                "their leader trained, %(active)s holding activities."
            ),
            {
                "cpc": ("coverage.cpc_linked", "pct"),
                "trained": ("coverage.leader_trained", "pct"),
                "active": ("coverage.active", "pct"),
            },
        ),
        Sentence(
            _(
                "%(total)s members, %(joined)s of them new; %(senior)s hold an associate senior title or above, "
                "%(share)s of all members; %(doctors)s hold a doctorate."
            ),
            {
                "total": ("members.total", "n"),
                "joined": ("members.joined", "n"),
                "senior": ("members.senior_titles", "n"),
                "share": ("members.senior_share", "pct"),
                "doctors": ("members.doctorates", "n"),
            },
        ),
        Sentence(
            _(
                "Three ones: %(proposal)s of branches submitted a proposal or suggestion, %(service)s did a social "
                "service deed, %(info)s of members submitted a social conditions report."
            ),
            {
                "proposal": ("three_ones.proposal_rate", "pct"),
                "service": ("three_ones.service_rate", "pct"),
                "info": ("three_ones.social_info_rate", "pct"),
            },
        ),
    ],
    Section.GOVERNANCE: [
        Sentence(
            _("Submitted %(proposals)s proposals, %(suggestions)s suggestions and %(info)s social conditions reports."),
            {
                "proposals": ("proposals.proposal", "n"),
                "suggestions": ("proposals.suggestion", "n"),
                "info": ("proposals.social_info", "n"),
            },
        ),
        Sentence(
            _("%(endorsed)s pieces of work were endorsed by leaders, %(provincial)s of them by provincial leaders."),
            {"endorsed": ("outcomes.endorsed", "n"), "provincial": ("outcomes.endorsed.provincial_leader", "n")},
        ),
        Sentence(_("%(awarded)s pieces of work won awards."), {"awarded": ("outcomes.awarded", "n")}),
        Sentence(_("Made %(plenary)s plenary speeches."), {"plenary": ("proposals.plenary_speeches", "n")}),
        Sentence(_("The special committees set %(key)s key research topics."), {"key": ("research.key_topics", "n")}),
    ],
    Section.SUPERVISION: [
        Sentence(
            _(
                "Carried out %(surveys)s special surveys of democratic supervision, held %(forums)s forums, handed out "
                "%(questionnaires)s questionnaires, found %(problems)s problems and made %(suggestions)s suggestions."
            ),
            {
                "surveys": ("activities.supervision", "n"),
                "forums": ("supervision.forums", "n"),
                "questionnaires": ("supervision.questionnaires", "approx"),
                "problems": ("supervision.problems", "n"),
                "suggestions": ("supervision.suggestions", "n"),
            },
        ),
    ],
    Section.CONSULTATION: [
        Sentence(
            _("Took part in %(consultations)s consultations and put forward views."),
            {"consultations": ("activities.consultation", "n")},
        ),
    ],
    Section.SERVICE: [
        Sentence(
            _("Donated scholarships of %(cash)s to %(students)s students."),
            {"cash": ("service.scholarship.cash", "money"), "students": ("service.scholarship.beneficiaries", "n")},
        ),
        Sentence(_("Donated medical equipment worth %(goods)s."), {"goods": ("service.medical.goods", "money")}),
        Sentence(_("Arranged %(trails)s fitness trails."), {"trails": ("service.fitness.quantity", "n")}),
        Sentence(_("Donated %(books)s books."), {"books": ("service.books.quantity", "approx")}),
        Sentence(
            _("Against the epidemic, members donated %(total)s in all: %(cash)s in cash and goods worth %(goods)s."),
            {
                "total": ("service.epidemic.total", "money"),
                "cash": ("service.epidemic.cash", "money"),
                "goods": ("service.epidemic.goods", "money"),
            },
        ),
    ],
    Section.TRAINING: [
        Sentence(
            _("Held %(classes)s training classes for grassroots leaders, training %(person_times)s person-times."),
            {
                "classes": ("training.classes.branch_leaders", "n"),
                "person_times": ("training.person_times.branch_leaders", "approx"),
            },
        ),
        Sentence(
            _("Held %(classes)s training classes for new members."), {"classes": ("training.classes.new_members", "n")}
        ),
        Sentence(
            _("Sent members to training held by higher bodies: %(sent)s person-times."),
            {"sent": ("training.sent_higher", "approx")},
        ),
    ],
    Section.OFFICE: [
        Sentence(_("Received %(honors)s honours."), {"honors": ("honors.total", "n")}),
    ],
}


def all_codes() -> list[str]:
    codes = [code for section in FIGURES.values() for code in section]
    codes += [code for sentences in SENTENCES.values() for s in sentences for code, _fmt in s.figures.values()]
    return list(dict.fromkeys(codes))
