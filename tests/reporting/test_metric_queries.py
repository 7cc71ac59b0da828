"""Computing every metric costs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committees import models as m
from reporting.metrics import Metric, Scope, compute, registry
from tests.conftest import Tree
from tests.factories import ActivityFactory, MemberFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def queries_for_all_metrics(scope: Scope) -> int:
    requests = [(metric.code, s) for metric in registry for s in (scope, scope.shifted(-1))]
    with CaptureQueriesContext(connection) as captured:
        compute(requests)
        compute(requests, group="child")
        compute(requests, group="branch")
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
    sources = {metric.source for metric in registry if isinstance(metric, Metric)}
    # Per compute() call: one query on the committee tree for the subtree ids, then one per source.
    assert small == 3 * (len(sources) + 1)
