"""The dashboard shows the summary's and the statistics tables' numbers for the same committee and year."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.utils import translation

from committees import models as m
from reporting.dashboards.build import build_dashboard, shown
from reporting.dashboards.layout import CARD_GROUPS, COMPARE_TABLE, card_codes
from reporting.metrics import Scope, compute, registry
from reporting.summary.build import build_summary
from reporting.tables.build import branch_table
from reporting.tables.columns import BRANCH_COLUMNS

pytestmark = pytest.mark.django_db

CASES = (("230000", 2020), ("520000", 2019), ("230100", 2020))


def client_for(username: str) -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(m.User.objects.get(username=username))
    return client


def card_text(page: str, code: str) -> str:
    """The figure a card shows, as the reader sees it."""
    start = page.index(f'class="figure-card dashboard-card" data-metric="{code}"')
    value = re.search(r'class="figure-link"[^>]*>([^<]*)</a>', page[start:])
    assert value, code
    return unescape(value.group(1))


def detail_text(page: str, code: str) -> str:
    start = page.index(f'<li data-metric="{code}">')
    value = re.search(r'<span class="num">([^<]*)</span>', page[start:])
    assert value, code
    return unescape(value.group(1))


@pytest.mark.parametrize(("code", "year"), CASES)
def test_the_cards_show_the_summarys_figures(demo_data: None, code: str, year: int) -> None:
    committee = m.Committee.objects.get(code=code)
    in_summary = {f.code: f for s in build_summary(committee, year).sections for f in s.figures}
    with translation.override("zh-hans"):
        page = client_for("admin").get(f"/dashboard/{code}/{year}/").content.decode()
    headline = [card.code for group in CARD_GROUPS for card in group.cards]
    details = [d for group in CARD_GROUPS for card in group.cards for d in card.details]
    for metric in headline:
        assert card_text(page, metric) == shown(metric, in_summary[metric].value), metric
    for metric in details:
        if metric in in_summary:
            assert detail_text(page, metric) == shown(metric, in_summary[metric].value), metric
    board = build_dashboard(committee, year)
    for metric in headline:
        assert board.figure(metric).previous == in_summary[metric].previous, metric


@pytest.mark.parametrize(("code", "year"), CASES)
def test_every_figure_equals_a_direct_computation(demo_data: None, code: str, year: int) -> None:
    # Figures the summary does not show (outcomes by level, three-ones counts) against the registry itself.
    committee = m.Committee.objects.get(code=code)
    scope = Scope.year(committee, year)
    board = build_dashboard(committee, year)
    direct = compute([(metric, s) for metric in card_codes() for s in (scope, scope.shifted(-1))])
    for metric in card_codes():
        if metric.startswith("outcomes.") and metric.count(".") == 2:
            level_figures = [f for _g, cards in board.groups for c in cards for f in c.levels if f.code == metric]
            value = direct[(metric, scope)].get(None, 0)
            assert [f.value for f in level_figures] == ([value] if value else []), metric
            continue
        figure = board.figure(metric)
        assert figure.value == direct[(metric, scope)].get(None, 0 if not figure.code.count("rate") else None), metric


@pytest.mark.parametrize(("code", "year"), CASES)
def test_committees_and_branches_match_the_summary_and_the_tables(demo_data: None, code: str, year: int) -> None:
    committee = m.Committee.objects.get(code=code)
    summary = build_summary(committee, year)
    board = build_dashboard(committee, year)

    # The committee table: one row per child committee and the committee's own line, as the summary's breakdown.
    assert [row.committee.code for row in board.children] == [c.code for _label, c in summary.children]
    for index, metric in enumerate(COMPARE_TABLE):
        if registry[metric].__class__.__name__ == "Ratio":
            continue
        by_child = summary.figure(metric).by_child
        assert [row.values[index] for row in board.children] == by_child, metric

    # The branch ranking: each row's figures are the branch table's row; the branch table's totals the cards'.
    rows, totals = branch_table(committee, year)
    table = {row.branch.pk: row.values for row in rows if row.branch is not None}
    columns = [c.code for c in BRANCH_COLUMNS]
    for rank_by in ("proposals.social_info", "members.total", "three_ones.social_info_rate"):
        for order in ("desc", "asc"):
            ranked = build_dashboard(committee, year, rank_by=rank_by, order=order)
            assert ranked.ranked == len(table)
            keys = [-1 if row.key is None else row.key for row in ranked.ranking]
            assert keys == sorted(keys, reverse=order == "desc")
            for row in ranked.ranking:
                for metric, value in zip(row.codes, row.values, strict=True):
                    if metric in columns:
                        assert value == table[row.branch.pk][columns.index(metric)], (row.branch, metric)
    for metric in ("members.total", "proposals.proposal", "proposals.social_info", "outcomes.adopted"):
        assert board.figure(metric).value == totals[columns.index(metric)], metric
