"""The metric registry: the seeds' figures counted from the demo records, consistency across groupings, and a
constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from committees import models as m
from reporting.metrics import Metric, Ratio, Scope, compute, registry
from reporting.metrics.engine import Total

pytestmark = pytest.mark.django_db


def values(scope: Scope, *codes: str) -> dict[str, object]:
    result = compute([(code, scope) for code in codes])
    return {code: result[(code, scope)].get(None, 0) for code in codes}


@pytest.fixture
def hlj_2020(demo_data: None) -> Scope:
    return Scope.year(m.Committee.objects.get(code="230000"), 2020)


@pytest.fixture
def gz_2019(demo_data: None) -> Scope:
    return Scope.year(m.Committee.objects.get(code="520000"), 2019)


def test_heilongjiang_2020_figures_are_counted_from_records(hlj_2020: Scope) -> None:
    v = values(
        hlj_2020,
        "branches.founded",
        "training.classes.branch_leaders",
        "training.person_times.branch_leaders",
        "training.sent_higher",
        "research.key_topics",
        "outcomes.endorsed.provincial_leader",
        "activities.supervision",
        "supervision.forums",
        "supervision.questionnaires",
        "supervision.problems",
        "supervision.suggestions",
        "service.scholarship.cash",
        "service.scholarship.beneficiaries",
        "service.medical.goods",
        "service.fitness.quantity",
        "service.books.quantity",
        "service.epidemic.cash",
        "service.epidemic.goods",
        "service.epidemic.total",
        "lectures.committees",
        "activities.consultation",
    )
    assert v["branches.founded"] == 7
    assert v["training.classes.branch_leaders"] == 2
    assert v["training.person_times.branch_leaders"] >= 400
    assert 30 <= v["training.sent_higher"] < 40
    assert v["research.key_topics"] == 12
    assert v["outcomes.endorsed.provincial_leader"] >= 3
    assert (v["activities.supervision"], v["supervision.forums"]) == (3, 3)
    assert v["supervision.questionnaires"] >= 200
    assert (v["supervision.problems"], v["supervision.suggestions"]) == (22, 6)
    assert v["service.scholarship.cash"] == 130_000 and v["service.scholarship.beneficiaries"] == 55
    assert v["service.medical.goods"] == 200_000
    assert v["service.fitness.quantity"] == 2 and v["service.books.quantity"] >= 1000
    assert 1_900_000 <= v["service.epidemic.cash"] < 2_000_000
    assert 39_600_000 <= v["service.epidemic.goods"] < 39_700_000
    assert 41_500_000 <= v["service.epidemic.total"] < 41_600_000
    assert v["lectures.committees"] == 8 and v["activities.consultation"] == 6


def test_guizhou_2019_member_structure(gz_2019: Scope) -> None:
    v = values(gz_2019, "members.total", "members.senior_titles", "members.senior_share", "members.doctorates")
    assert v["members.senior_titles"] == 1071
    assert v["members.doctorates"] == 94
    assert round(v["members.senior_share"] * 100) == 24
    assert v["members.senior_share"] == Decimal(1071) / Decimal(v["members.total"])


ADDITIVE = [metric.code for metric in registry if isinstance(metric, Metric | Total)]


@pytest.mark.parametrize("province, year", [("230000", 2020), ("520000", 2019)])
def test_every_figure_adds_up_over_branches_and_child_committees(demo_data: None, province: str, year: int) -> None:
    scope = Scope.year(m.Committee.objects.get(code=province), year)
    requests = [(code, scope) for code in ADDITIVE]
    totals = compute(requests)
    by_branch = compute(requests, group="branch")
    by_child = compute(requests, group="child")
    for request in requests:
        total = totals[request].get(None, 0)
        # A weighted figure (a co-author's share, 1/3 …) is a float: it adds up to rounding.
        same = pytest.approx(total, abs=1e-9) if isinstance(total, float) else total
        assert sum(by_branch[request].values()) == same, request[0]
        assert sum(by_child[request].values()) == same, request[0]


def test_ratios_divide_their_parts(hlj_2020: Scope) -> None:
    for metric in registry:
        if isinstance(metric, Ratio):
            v = values(hlj_2020, metric.code, metric.numerator, metric.denominator)
            if v[metric.denominator]:
                assert v[metric.code] == Decimal(v[metric.numerator]) / Decimal(v[metric.denominator]), metric.code


def test_evidence_lists_the_records_behind_a_figure(hlj_2020: Scope) -> None:
    for code in ("training.sent_higher", "branches.founded", "supervision.problems"):
        metric = registry[code]
        assert isinstance(metric, Metric)
        rows = metric.evidence(hlj_2020)
        if metric.measure == "count":
            assert rows.count() == values(hlj_2020, code)[code]
    founded = registry["branches.founded"].evidence(hlj_2020)  # type: ignore[union-attr]
    assert {b.host_institution for b in founded} >= {"哈尔滨工程大学", "黑龙江应用职业学院"}
