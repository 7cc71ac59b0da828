"""Generated everyday records: 社情民意信息, branch proposals, service deeds and branch life."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from committees.models import Activity, Branch, Level, Member, Outcome, Proposal, Tier

from . import titles
from .records import Work, activity, outcome, work
from .sync import day
from .tree import SPEC_BY_CODE, Tree


class Dates:
    """Hands out dates so that generated records never share a natural key."""

    def __init__(self) -> None:
        self.used: set[tuple[object, ...]] = set()

    def pick(self, rand: random.Random, start: dt.date, end: dt.date, *key: object) -> dt.date:
        for _ in range(50):
            on = day(rand, start, end)
            if (*key, on) not in self.used:
                self.used.add((*key, on))
                return on
        raise ValueError(f"no free date for {key}")


def _adoption(rand: random.Random, tree: Tree, branch: Branch, on: dt.date) -> Outcome:
    place = tree.place(branch)
    province = SPEC_BY_CODE[tree.province(branch)].place
    level, by = rand.choices(
        (
            (Level.CITY, f"{place}政协"),
            (Level.PROVINCIAL, f"{province}政协"),
            (Level.PROVINCIAL, f"中共{province}委统战部"),
            (Level.PARTY_CENTRAL, "民进中央"),
            (Level.NATIONAL_CPPCC, "全国政协办公厅"),
            (Level.CENTRAL_OFFICE, "中共中央办公厅"),
        ),
        (36, 22, 16, 16, 8, 2),
    )[0]
    return outcome(Outcome.Kind.ADOPTED, on + dt.timedelta(days=rand.randint(10, 60)), level, by)


def social_info(
    rand: random.Random,
    tree: Tree,
    dates: Dates,
    authors: Sequence[Member],
    year: int,
    serial: str,
    adopted_share: float,
) -> Work:
    first = authors[0]
    branch = tree.by_pk[first.branch_id or 0]
    province = tree.province(branch)
    title, category = titles.social_info_title(rand, province, tree.place(branch))
    on = dates.pick(rand, dt.date(year, 1, 5), dt.date(year, 12, 20), branch.pk, Proposal.Kind.SOCIAL_INFO, title)
    outcomes = [_adoption(rand, tree, branch, on)] if rand.random() < adopted_share else []
    return work(
        branch,
        Proposal.Kind.SOCIAL_INFO,
        title,
        on,
        authors,
        outcomes,
        serial_number=serial,
        category=category,
        raised_as=Proposal.RaisedAs.JOINT if len(authors) > 1 else Proposal.RaisedAs.INDIVIDUAL,
    )


def branch_proposal(
    rand: random.Random,
    tree: Tree,
    dates: Dates,
    branch: Branch,
    authors: Sequence[Member],
    year: int,
    *,
    suggestion: bool,
    may_excel: bool = True,
) -> Work:
    province = tree.province(branch)
    kind = Proposal.Kind.SUGGESTION if suggestion else Proposal.Kind.PROPOSAL
    title, category = titles.proposal_title(rand, province, tree.place(branch), suggestion)
    on = dates.pick(rand, dt.date(year, 1, 5), dt.date(year, 11, 30), branch.pk, kind, title)
    outcomes: list[Outcome] = []
    fields: dict[str, Any] = {}
    if not suggestion:
        city = tree.specs[branch.pk].committee != province
        fields = {
            "occasion": Proposal.Occasion.PLENARY if on.month <= 3 else Proposal.Occasion.ROUTINE,
            "venue": f"{tree.place(branch)}政协" if city else f"{SPEC_BY_CODE[province].place}政协",
            "venue_level": Tier.CITY if city else Tier.PROVINCIAL,
        }
        if rand.random() < 0.8:
            fields["status"] = Proposal.Status.FILED
            outcomes.append(outcome(Outcome.Kind.FILED, on + dt.timedelta(days=20), by_whom=fields["venue"]))
            if rand.random() < 0.7:
                fields["reply_result"] = rand.choice(Proposal.ReplyResult.values)
                fields["satisfaction"] = rand.choice(Proposal.Satisfaction.values)
                outcomes.append(
                    outcome(Outcome.Kind.REPLIED, on + dt.timedelta(days=rand.randint(60, 150)), by_whom="承办单位")
                )
            if may_excel and rand.random() < 0.08:
                fields["is_excellent"] = True
                outcomes.append(
                    outcome(
                        Outcome.Kind.AWARDED,
                        dt.date(year, 12, 20),
                        Level.CITY if city else Level.PROVINCIAL,
                        fields["venue"],
                        "优秀提案",
                    )
                )
    elif rand.random() < 0.3:
        outcomes.append(_adoption(rand, tree, branch, on))
    raised = Proposal.RaisedAs.JOINT if len(authors) > 1 else Proposal.RaisedAs.INDIVIDUAL
    return work(branch, kind, title, on, authors, outcomes, raised_as=raised, category=category, **fields)


def service(rand: random.Random, dates: Dates, branch: Branch, year: int) -> Activity:
    deed, category = titles.service_deed(rand, branch.sector)
    on = dates.pick(rand, dt.date(year, 3, 1), dt.date(year, 12, 15), branch.pk, Activity.Kind.SOCIAL_SERVICE, deed)
    figures: dict[str, Any] = {"participants": rand.randint(5, 25)}
    C = Activity.ServiceCategory
    if category == C.SCHOLARSHIP:
        figures |= {"donation_cash": Decimal(rand.randint(4, 30) * 1000), "beneficiaries": rand.randint(4, 30)}
    elif category == C.BOOKS:
        count = rand.randint(10, 80) * 10
        figures |= {"quantity": count, "quantity_unit": "册", "donation_goods": Decimal(count * 30)}
    elif category == C.MEDICAL:
        figures |= {"beneficiaries": rand.randint(60, 300), "donation_goods": Decimal(rand.randint(0, 20) * 1000)}
    elif category == C.POVERTY:
        figures |= {"donation_cash": Decimal(rand.randint(2, 30) * 1000), "beneficiaries": rand.randint(5, 40)}
    else:
        figures |= {"beneficiaries": rand.randint(30, 200)}
    return activity(
        branch, Activity.Kind.SOCIAL_SERVICE, f"{branch.name}{deed}", on, service_category=category, **figures
    )


def branch_life(rand: random.Random, dates: Dates, branch: Branch, year: int, members: int) -> list[Activity]:
    """Two to four meetings a year: 组织生活 and 学习."""
    rows = []
    for n in range(rand.randint(2, 4)):
        kind = Activity.Kind.STUDY if n % 2 else Activity.Kind.ORGANISATIONAL_LIFE
        label = "专题学习会" if kind == Activity.Kind.STUDY else "组织生活会"
        title = f"{branch.name}{year}年第{n // 2 + 1}次{label}"
        on = dates.pick(
            rand,
            dt.date(year, 2, 1) + dt.timedelta(days=80 * n),
            dt.date(year, 2, 28) + dt.timedelta(days=80 * n),
            branch.pk,
            kind,
            title,
        )
        rows.append(activity(branch, kind, title, on, participants=max(3, int(members * rand.uniform(0.4, 0.8)))))
    return rows
