"""Computing every metric costs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from committees import models as m
from reporting.metrics import Metric, Scope, compute, registry
from tests.conftest import Tree
from tests.factories import ActivityFactory, MemberFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def queries_for_all_metrics(scope: Scope) -> int:
    requests = [(metric.code, s) for metric in registry for s in (scope, scope.shifted(-1))]
    with CaptureQueriesContext(connection) as captured:
        compute(requests, fresh=True)
        compute(requests, group="child", fresh=True)
        compute(requests, group="branch", fresh=True)
    return len(captured)


def test_the_query_count_does_not_grow_with_the_rows(tree: Tree) -> None:
    scope = Scope.year(tree.hlj, 2020)
    small = queries_for_all_metrics(scope)
    for i in range(30):
        member = MemberFactory(branch=tree.harbin_branch)
        proposal = ProposalFactory(branch=tree.harbin_branch, kind="social_info")
        m.Authorship.objects.create(proposal=proposal, member=member, order=1)
        ActivityFactory(branch=tree.harbin_branch, kind="social_service", donation_cash=i)
    assert queries_for_all_metrics(scope) == small
    # Per compute() call: one query on the committee tree for the subtree ids, then one per source for its
    # counts and sums and one for its distinct counts.
    plain = [metric for metric in registry if isinstance(metric, Metric)]
    parts = {(metric.source, metric.measure.startswith("distinct:")) for metric in plain}
    assert small == 3 * (len(parts) + 1)


def test_a_cached_result_costs_one_query(tree: Tree) -> None:
    scope = Scope.year(tree.hlj, 2020)
    requests = [(metric.code, scope) for metric in registry]
    compute(requests, group="child")
    with CaptureQueriesContext(connection) as captured:
        compute(requests, group="child")
    assert len(captured) == 1  # the records version


def test_queries_run_the_same_whether_or_not_they_are_logged(tree: Tree) -> None:
    # Unlogged, the engine runs its queries on the driver's cursor (Django's wrapper costs as much as a small
    # query); logged (DEBUG, query counts), through Django's wrapper. Both give the same figures.
    requests = [(metric.code, Scope.year(tree.hlj, 2020)) for metric in registry]
    MemberFactory(branch=tree.harbin_branch)
    unlogged = compute(requests, group="branch", fresh=True)
    with CaptureQueriesContext(connection) as captured:
        logged = compute(requests, group="branch", fresh=True)
    assert len(captured) > 0
    assert logged == unlogged


def test_a_failing_query_raises_djangos_database_error(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    # The driver's errors come out as Django's, as they would through its cursor wrapper.
    from reporting.metrics import engine

    monkeypatch.setattr(engine, "_tree_sql", lambda vendor: "SELECT no_such_column FROM no_such_table")
    with pytest.raises(DatabaseError):
        compute([("members.total", Scope.year(tree.hlj, 2020))], fresh=True)
