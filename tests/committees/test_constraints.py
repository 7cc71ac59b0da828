"""The database itself refuses rows that break the records' rules, whatever code path writes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from committees import models as m
from tests.conftest import Tree
from tests.factories import ActivityFactory, MemberFactory, ProposalFactory, TrainingEventFactory

pytestmark = pytest.mark.django_db


def rejected(action: Callable[[], object]) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return True
    return False


def test_a_branch_cannot_be_dissolved_before_it_was_founded(tree: Tree) -> None:
    branch = tree.harbin_branch
    branch.founded_on, branch.dissolved_on = dt.date(2020, 5, 1), dt.date(2019, 5, 1)
    assert rejected(branch.save)


def test_two_branches_of_one_committee_cannot_share_a_name(tree: Tree) -> None:
    assert rejected(lambda: m.Branch.objects.create(committee=tree.harbin, name=tree.harbin_branch.name))
    m.Branch.objects.create(committee=tree.guiyang, name=tree.harbin_branch.name)  # another committee: fine


def test_a_committee_code_has_six_digits(tree: Tree) -> None:
    assert rejected(lambda: tree.central.add_child(name="民进某省委会", code="23", kind="provincial"))


def test_a_member_id_number_is_unique_and_well_formed(tree: Tree) -> None:
    MemberFactory(branch=tree.harbin_branch, id_number="23010219750501123X")
    assert rejected(lambda: MemberFactory(branch=tree.guiyang_branch, id_number="23010219750501123X"))
    assert rejected(lambda: MemberFactory(branch=tree.harbin_branch, id_number="2301021975"))
    MemberFactory(branch=tree.harbin_branch, id_number="")  # blank ID numbers do not collide
    MemberFactory(branch=tree.harbin_branch, id_number="")


def test_a_member_cannot_join_before_birth(tree: Tree) -> None:
    assert rejected(
        lambda: MemberFactory(branch=tree.harbin_branch, birth_date=dt.date(1980, 1, 1), joined_on=dt.date(1979, 1, 1))
    )


def test_a_member_who_left_needs_the_date(tree: Tree) -> None:
    assert rejected(lambda: MemberFactory(branch=tree.harbin_branch, status="deceased", status_changed_on=None))


def test_a_member_takes_the_committee_of_the_branch(tree: Tree) -> None:
    member = MemberFactory(branch=tree.harbin_branch, committee=tree.gz)
    member.refresh_from_db()
    assert member.committee == tree.harbin


def test_a_position_ends_after_it_starts_and_a_seat_has_a_level(hlj_member: m.Member) -> None:
    assert rejected(
        lambda: m.Position.objects.create(
            member=hlj_member, kind="party_post", started_on=dt.date(2020, 1, 1), ended_on=dt.date(2019, 1, 1)
        )
    )
    assert rejected(lambda: m.Position.objects.create(member=hlj_member, kind="cppcc_member", level=""))


def test_a_proposal_has_one_first_author_and_each_author_once(tree: Tree, hlj_member: m.Member) -> None:
    other = MemberFactory(branch=tree.harbin_branch)
    proposal = ProposalFactory(committee=tree.hlj)
    m.Authorship.objects.create(proposal=proposal, member=hlj_member, order=1)
    assert rejected(lambda: m.Authorship.objects.create(proposal=proposal, member=other, order=1))
    assert rejected(lambda: m.Authorship.objects.create(proposal=proposal, member=hlj_member, order=2))
    assert rejected(lambda: m.Authorship.objects.create(proposal=proposal, member=other, order=0))
    m.Authorship.objects.create(proposal=proposal, member=other, order=2)
    assert [a.is_first for a in proposal.authorships.all()] == [True, False]


def test_an_adoption_or_endorsement_names_its_level(tree: Tree) -> None:
    proposal = ProposalFactory(committee=tree.hlj)
    assert rejected(
        lambda: m.Outcome.objects.create(proposal=proposal, kind="endorsed", level="", occurred_on=dt.date(2020, 6, 2))
    )
    m.Outcome.objects.create(proposal=proposal, kind="replied", occurred_on=dt.date(2020, 6, 2))


def test_a_training_event_ends_after_it_starts(tree: Tree) -> None:
    assert rejected(
        lambda: TrainingEventFactory(committee=tree.hlj, started_on=dt.date(2020, 9, 3), ended_on=dt.date(2020, 9, 1))
    )


def test_a_member_attends_an_event_once(tree: Tree, hlj_member: m.Member) -> None:
    event = TrainingEventFactory(committee=tree.hlj)
    m.Attendance.objects.create(event=event, member=hlj_member)
    assert rejected(lambda: m.Attendance.objects.create(event=event, member=hlj_member))


@pytest.mark.parametrize("field", ["donation_cash", "donation_goods"])
def test_donations_are_not_negative(tree: Tree, field: str) -> None:
    assert rejected(lambda: ActivityFactory(committee=tree.hlj, **{field: Decimal("-1")}))


@pytest.mark.parametrize("field", ["participants", "beneficiaries", "questionnaires", "problems_found"])
def test_counts_are_not_negative(tree: Tree, field: str) -> None:
    assert rejected(lambda: ActivityFactory(committee=tree.hlj, **{field: -1}))


def test_an_activity_ends_after_it_starts(tree: Tree) -> None:
    assert rejected(
        lambda: ActivityFactory(committee=tree.hlj, held_on=dt.date(2020, 5, 2), ended_on=dt.date(2020, 5, 1))
    )


def test_an_honour_goes_to_a_member_or_a_branch_not_both(tree: Tree, hlj_member: m.Member) -> None:
    assert rejected(
        lambda: m.Honor.objects.create(
            committee=tree.harbin,
            branch=tree.harbin_branch,
            member=hlj_member,
            title="优秀会员",
            level="city",
            year=2020,
        )
    )


def test_a_user_is_bound_to_a_committee_or_a_branch_not_both(tree: Tree) -> None:
    assert rejected(lambda: m.User.objects.create(username="both", committee=tree.hlj, branch=tree.harbin_branch))


def test_a_concluded_topic_has_its_date(tree: Tree) -> None:
    assert rejected(
        lambda: m.ResearchTopic.objects.create(committee=tree.hlj, title="课题", year=2020, status="concluded")
    )


def test_levels_are_ranked_from_county_to_state_leader() -> None:
    ranks = [m.Level.rank(code) for code in ("county", "provincial", "party_central", "national_cppcc", "state_leader")]
    assert ranks == sorted(ranks)
