"""Figures kept per committee and year equal counting them, after every kind of write, and a write recounts only
the committees it touches."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models import F

from committees import models as m
from committees.models.generations import AFFECTED, TREE_TABLE
from reporting.metrics import CELLS, Scope, compute, registry
from reporting.metrics.cells import keeps
from reporting.metrics.engine import Tree as CommitteeTree
from reporting.metrics.engine import _statement
from tests.reporting.test_metric_cache import trigger_names

pytestmark = pytest.mark.django_db

CODES = [metric.code for metric in registry]
KEPT = [metric.code for metric in registry if keeps(metric)]


def committee(code: str) -> m.Committee:
    return m.Committee.objects.get(code=code)


def assert_same(scope: Scope, group: Any, branches: list[int] | None = None) -> None:
    """Every metric from the cells (and the counting of what they do not keep) equals counting it all."""
    kept = compute([(code, scope) for code in CODES], group=group, branches=branches)
    counted = compute([(code, scope) for code in CODES], group=group, branches=branches, fresh=True)
    for code in CODES:
        got, expected = kept[(code, scope)], counted[(code, scope)]
        assert got.keys() == expected.keys(), (code, scope.committee.code, group)
        for key, value in expected.items():
            # weighted shares are floating point: summed in another order, they differ in the last digit
            assert got[key] == pytest.approx(value, rel=1e-9), (code, scope.committee.code, group, key)


def stale_after(action: Callable[[], object], year: int = 2020) -> set[str]:
    """The codes of the committees whose cells of ``year`` a write leaves to be recounted."""
    tree = CommitteeTree.load()
    every = set(tree.ids)
    CELLS.refresh(registry, {year: every}, tree)
    action()
    recounted = CELLS.refresh(registry, {year: every}, tree).get(year, [])
    return set(m.Committee.objects.filter(pk__in=recounted).values_list("code", flat=True))


def test_every_counted_table_advances_the_generations() -> None:
    names = trigger_names()
    from committees.models.versioning import COUNTED_TABLES

    assert set(COUNTED_TABLES) == {TREE_TABLE, *AFFECTED}
    for table in COUNTED_TABLES:
        for event in ("insert", "update", "delete"):
            assert f"{table}_generation_{event}" in names or f"{table}_generation" in names, (table, event)


def test_each_source_declares_every_table_its_figures_read(tree: object) -> None:
    # A write advances the generation of the table written; a source's cells are recounted when a table it reads
    # moved. So every table in a kept metric's GROUP BY must be the source's own, the tree's or declared.
    root = m.Committee.objects.get(code="000000")
    scope = Scope.year(root, 2020)
    for code in KEPT:
        metric = registry[code]
        statement = _statement(metric.source, [(metric, scope)], "committee", None)  # type: ignore[union-attr, arg-type]
        tables = set(re.findall(r'"(committees_[a-z]+)"', statement.sql))
        assert tables <= metric.source.tables, (code, tables - metric.source.tables)  # type: ignore[union-attr]


def test_what_cells_keep() -> None:
    # "Sent to higher-level training" depends on which committee asks: counted, never kept.
    assert "training.sent_higher" not in KEPT
    assert not any(registry[code].measure == "weighted" for code in KEPT)  # type: ignore[union-attr]
    assert len(KEPT) > 200


@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize("year", [2019, 2020])
def test_the_cells_equal_counting_for_every_metric_and_committee(year: int) -> None:
    # Every grouping for the nation (the child committees are the provinces); a province and a city by total and
    # by branch.
    for code, groups in (
        ("000000", (None, "child", "committee", "branch")),
        ("230000", (None, "branch")),
        ("230100", (None,)),
    ):
        for group in groups:
            assert_same(Scope.year(committee(code), year), group)
    some = list(m.Branch.objects.filter(committee__code__startswith="23").values_list("pk", flat=True)[:5])
    assert_same(Scope.year(committee("000000"), year), "branch", some)
    assert_same(Scope.year(committee("000000"), year), "branch", [])


def _move_member() -> None:
    member = m.Member.objects.filter(committee__code="230100", authorships__isnull=False).first()
    assert member is not None
    branch = m.Branch.objects.filter(committee__code="520000").first()
    member.branch = branch
    member.save()


def _proposal_kind() -> None:
    proposal = m.Proposal.objects.filter(committee__code="230100", kind="social_info").first()
    assert proposal is not None
    m.Proposal.objects.filter(pk=proposal.pk).update(kind="suggestion")


def _proposal_year() -> None:
    proposal = m.Proposal.objects.filter(submitted_on__year=2020, outcomes__isnull=False).first()
    assert proposal is not None
    proposal.submitted_on = dt.date(2019, 6, 1)
    proposal.save()


def _outcome_deleted() -> None:
    pks = list(m.Outcome.objects.filter(occurred_on__year=2020).values_list("pk", flat=True)[:5])
    m.Outcome.objects.filter(pk__in=pks).delete()


def _co_author_elsewhere() -> None:
    proposal = m.Proposal.objects.filter(committee__code="520000", submitted_on__year=2020).first()
    member = m.Member.objects.filter(committee__code="230000").first()
    assert proposal is not None and member is not None
    m.Authorship.objects.create(proposal=proposal, member=member, order=9)


def _event_moved() -> None:
    event = m.TrainingEvent.objects.filter(started_on__year=2020, attendances__isnull=False).first()
    assert event is not None
    event.started_on = dt.date(2019, 9, 1)
    event.kind = m.TrainingEvent.Kind.BRANCH_LEADERS
    event.save()


def _attendance_deleted() -> None:
    pks = list(m.Attendance.objects.filter(event__started_on__year=2020).values_list("pk", flat=True)[:10])
    m.Attendance.objects.filter(pk__in=pks).delete()


def _branch_dissolved() -> None:
    branch = m.Branch.objects.filter(committee__code="230100", dissolved_on__isnull=True).first()
    assert branch is not None
    branch.dissolved_on = dt.date(2020, 3, 1)
    branch.save()


def _leader_changed() -> None:
    branch = m.Branch.objects.filter(leader__isnull=False).first()
    assert branch is not None
    trained = m.Attendance.objects.filter(event__kind="branch_leaders").exclude(member=branch.leader).first()
    assert trained is not None
    branch.leader = trained.member
    branch.save()


def _raw_delete() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM committees_memberstatuschange")
        cursor.execute("DELETE FROM committees_position WHERE kind = 'reserve_cadre'")


def _honour_and_activity() -> None:
    member = m.Member.objects.filter(committee__code="520100").first()
    assert member is not None
    m.Honor.objects.create(committee=member.committee, member=member, title="x", level="national", year=2020)
    m.Activity.objects.filter(held_on__year=2020).update(donation_cash=1234)


def _topic_concluded() -> None:
    m.ResearchTopic.objects.filter(year=2020).update(
        status=m.ResearchTopic.Status.CONCLUDED, concluded_on=dt.date(2020, 12, 1)
    )


def _committee_renamed() -> None:
    m.Committee.objects.filter(code="230100").update(name="民进哈尔滨市委员会")


@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize(
    "write",
    [
        _move_member,
        _proposal_kind,
        _proposal_year,
        _outcome_deleted,
        _co_author_elsewhere,
        _event_moved,
        _attendance_deleted,
        _branch_dissolved,
        _leader_changed,
        _raw_delete,
        _honour_and_activity,
        _topic_concluded,
        _committee_renamed,
    ],
    ids=lambda write: write.__name__.strip("_"),
)
def test_after_a_write_the_cells_still_equal_counting(write: Callable[[], None]) -> None:
    root = committee("000000")
    for year in (2019, 2020):
        compute([(code, Scope.year(root, year)) for code in KEPT], group="child")  # cells counted
    write()
    assert_same(Scope.year(root, 2020), "child")
    assert_same(Scope.year(root, 2020), "branch")
    assert_same(Scope.year(root, 2019), "child")  # some writes move records from one year to the other


@pytest.mark.usefixtures("demo_data")
def test_a_write_recounts_only_the_committees_it_touches() -> None:
    member = m.Member.objects.filter(committee__code="230100", authorships__isnull=True).first()
    assert member is not None
    assert stale_after(lambda: m.Member.objects.filter(pk=member.pk).update(phone="13900000000")) == {"230100"}
    # Moving her to Guizhou touches both committees.
    branch = m.Branch.objects.filter(committee__code="520000").first()
    assert branch is not None

    def move() -> None:
        member.branch = branch
        member.save()

    assert stale_after(move) == {"230100", "520000"}
    # Nothing written, nothing recounted; a change of the tree recounts every committee.
    assert stale_after(lambda: None) == set()
    assert stale_after(lambda: m.Committee.objects.filter(code="230100").update(name="x")) == set(
        m.Committee.objects.values_list("code", flat=True)
    )


@pytest.mark.usefixtures("demo_data")
def test_a_new_co_author_recounts_the_first_authors_committee() -> None:
    # Whether a first author's piece of work was co-signed depends on the other authorships of the proposal.
    first = (
        m.Authorship.objects.filter(order=1, proposal__submitted_on__year=2020, proposal__authorships__order=1)
        .exclude(member__committee=F("proposal__committee"))
        .select_related("member__committee", "proposal")
        .first()
    )
    assert first is not None
    m.Authorship.objects.filter(proposal=first.proposal).exclude(pk=first.pk).delete()
    elsewhere = m.Member.objects.exclude(committee=first.member.committee).exclude(committee=first.proposal.committee)
    co_author = elsewhere.first()
    assert co_author is not None
    stale = stale_after(lambda: m.Authorship.objects.create(proposal=first.proposal, member=co_author, order=2))
    assert first.member.committee.code in stale
    assert_same(Scope.year(committee("000000"), 2020), "committee")


@pytest.mark.usefixtures("demo_data")
def test_the_training_of_a_leader_from_elsewhere_recounts_the_branch_committee() -> None:
    attended = m.Attendance.objects.filter(event__kind="branch_leaders", event__started_on__year=2020)
    trained = attended.exclude(member__committee__code="230100").select_related("member").first()
    assert trained is not None
    branch = m.Branch.objects.filter(committee__code="230100", dissolved_on__isnull=True).first()
    assert branch is not None
    branch.leader = trained.member
    branch.save()
    stale = stale_after(lambda: attended.filter(member=trained.member).delete())
    assert "230100" in stale
    assert_same(Scope.year(committee("000000"), 2020), "committee")


@pytest.mark.usefixtures("demo_data")
def test_count_figures_counts_ahead_and_then_has_nothing_to_do() -> None:
    import io

    from django.core.management import call_command

    every = m.Committee.objects.count()
    out = io.StringIO()
    call_command("count_figures", year=[2018], stdout=out)
    assert f"2018: {every} of {every} committees recounted" in out.getvalue()
    out = io.StringIO()
    call_command("count_figures", year=[2018], stdout=out)
    assert f"2018: 0 of {every} committees recounted" in out.getvalue()
