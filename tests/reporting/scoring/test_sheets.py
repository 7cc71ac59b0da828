"""Sheets computed from records against hand-computed expectations (see conftest.py for the world)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from committees import models as m
from reporting.scoring.build import build_ranking, build_sheet
from reporting.scoring.models import Item, Scheme, Sheet
from reporting.scoring.services import Entered, sheet_move, sheet_save, sheets_ensure
from tests.factories import BranchFactory
from tests.reporting.scoring.conftest import World

pytestmark = pytest.mark.django_db


def ranked(committee: m.Committee, scheme: Scheme) -> dict[str, object]:
    ranking = build_ranking(committee, 2020, scheme.pk)
    return {s.branch.name: s for s in ranking.scored}


def lines(scored: object) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    return {row.item.name.split()[0]: (row.quantity, row.final) for row in scored.rows}  # type: ignore[attr-defined]


def review(world: World, scheme: Scheme, branch: m.Branch, values: dict[str, int]) -> Sheet:
    """Submit the branch's sheet (as an administrator) and enter the reviewer's scores by item name prefix."""
    admin = m.User.objects.create_superuser(f"a{branch.pk}", "a@example.invalid", "x-password-2020")
    sheet = sheets_ensure(scheme, [branch])[branch.pk]
    sheet_move(user=admin, sheet=sheet, action="submit")
    items = {i.name.split()[0]: i for i in Item.objects.filter(scheme=scheme)}
    sheet_save(user=admin, sheet=sheet, reviewed={items[k].pk: Entered(Decimal(v)) for k, v in values.items()})
    return sheet


def test_a_capped_scheme_configured_in_the_admin_scores_each_branch_by_hand(world: World, s1: Scheme) -> None:
    scores = ranked(world.tree.hlj, s1)
    x, y, z = scores["哈尔滨工程大学支部"], scores["哈尔滨第二支部"], scores["省直第一支部"]
    # X: 3 activities × 10 = 30 (the item cap); joint credit 1 + 0.6 + 0.4 / 2 = 1.8 → 18; share 1/2 × 30 = 15.
    assert lines(x)["A1"] == (Decimal(3), Decimal(30))
    assert lines(x)["B2"] == (Decimal("1.8"), Decimal(18))
    assert lines(x)["B1"] == (Decimal(1), Decimal(10))
    assert lines(x)["C1"] == (Decimal("0.5"), Decimal(15))
    assert lines(x)["D1"] == (Decimal(3), Decimal(0))
    assert lines(x)["A2"] == (None, None)  # entered by the reviewer
    # Y: co-author of P2 (0.4), first author of P3 (0.6), and y2's half of the co-authors' 0.4 (0.2).
    assert lines(y)["B2"] == (Decimal("1.2"), Decimal(12))
    assert lines(y)["C1"][1] == Decimal(10)  # one of three members: 30 / 3
    assert lines(y)["D1"] == (Decimal(1), Decimal(-5))  # fewer than 2 activities
    # Z: 4 activities → 40 capped at 30; 5 proposals → 50 capped at 40, B = 10 + 40 capped at 40; all members reported.
    assert lines(z)["A1"] == (Decimal(4), Decimal(30)) and lines(z)["B2"] == (Decimal(5), Decimal(40))
    # Before any review: X = A 30 + B 28 + C 15 = 73.
    assert x.total == Decimal(73) and x.grade == "合格"

    review(world, s1, world.x, {"A2": 10, "D2": -5})
    review(world, s1, world.y, {"A2": 4, "D2": -5})
    review(world, s1, world.z, {"A2": 10})
    scores = ranked(world.tree.hlj, s1)
    x, y, z = scores["哈尔滨工程大学支部"], scores["哈尔滨第二支部"], scores["省直第一支部"]
    cats = {c.code: c.pk for c in s1.categories.all()}
    # X: A = min(30 + 10, 40) = 40, B = 28, C = 15, D = −5 → 78, 合格.
    assert [x.categories[cats[c]] for c in "ABCD"] == [40, 28, 15, -5]
    assert (x.total, x.grade) == (Decimal(78), "合格")
    # Y: A = 10 + 4, B = 10 + 12, C = 10, D = −5 − 5 = −10 floored at −8 → 38, 不合格.
    assert [y.categories[cats[c]] for c in "ABCD"] == [14, 22, 10, -8]
    assert (y.total, y.grade) == (Decimal(38), "不合格")
    # Z: 40 + 40 + 30 = 110, capped at 100 → 优秀; ranked first.
    assert (z.total, z.grade, z.rank) == (Decimal(100), "优秀", 1)
    assert [s.branch.name for s in build_ranking(world.tree.hlj, 2020, s1.pk).scored] == [
        "省直第一支部",
        "哈尔滨工程大学支部",
        "哈尔滨第二支部",
    ]


def test_a_veto_forces_the_lowest_grade_and_keeps_the_points(world: World, s1: Scheme) -> None:
    review(world, s1, world.z, {"A2": 10, "E1": 1})
    z = ranked(world.tree.hlj, s1)["省直第一支部"]
    assert (z.total, z.vetoed, z.grade) == (Decimal(100), True, "不合格")
    assert z.rank == 3  # vetoed sheets rank after the others


def test_an_uncapped_scheme_with_ladder_bonuses(world: World, s2: Scheme) -> None:
    scores = ranked(world.tree.gz, s2)
    g1, g2 = scores["贵州大学支部"], scores["贵阳第二支部"]
    ladder = next(row for row in g1.rows if row.item.kind == "ladder")
    # 5 reports of 2020 × 2 = 10; r2 +3 (provincial), r3 +20 (state leader: the highest level, not both);
    # r4 adopted by a city only and r5 adopted after the year get nothing; r0 is a 2019 report.
    assert (ladder.quantity, ladder.final) == (Decimal(5), Decimal(33))
    # Reports whose highest level is each step: provincial, CAPD central, national CPPCC, state leader.
    assert [n for _label, n in ladder.detail] == [1, 0, 0, 1]
    assert g1.total == Decimal(133)  # 33 + 25 proposals × 4: no cap
    assert (g2.total, g2.rank, g1.rank) == (Decimal(12), 2, 1)
    assert g1.grade == ""  # no grade bands: ranked against peers


def test_a_lower_committee_with_its_own_scheme_scores_its_branches(world: World, s1: Scheme, hrb_clerk: m.User) -> None:
    client = Client()
    client.force_login(hrb_clerk)
    from tests.reporting.scoring.conftest import configure

    own = configure(
        client,
        committee=world.tree.harbin,
        scheme={"year": 2020, "name": "哈尔滨市委会考核", "total_cap": None, "first_author_share": None},
        categories=[({"code": "A", "name": "提案", "cap": "", "floor": ""},
                     [{"name": "提案", "kind": "per_unit", "metric": "proposals.proposal", "points": 1}])],
        bands=[],
    )  # fmt: skip
    province = build_ranking(world.tree.hlj, 2020, s1.pk)
    assert [s.branch.name for s in province.scored] == ["省直第一支部"]
    harbin = build_ranking(world.tree.harbin, 2020)
    assert harbin.scheme is not None and harbin.scheme.scheme == own
    assert {s.branch.name: s.total for s in harbin.scored} == {"哈尔滨工程大学支部": 2, "哈尔滨第二支部": 1}


def test_the_sheet_page_shows_the_computed_points(world: World, s1: Scheme, branch_chair: m.User) -> None:
    client = Client()
    client.force_login(branch_chair)
    response = client.get("/scoring/230100/2020/", follow=True)
    assert response.status_code == 200
    # The branch's own sheet, shown from the records before it is first saved (opening it writes nothing).
    assert response.redirect_chain[-1][0] == f"/scoring/sheets/new/{s1.pk}/{world.x.pk}/"
    assert not Sheet.objects.filter(scheme=s1, branch=world.x).exists()
    page = response.content.decode()
    assert 'id="total">73<' in page and "合格" in page
    # Once stored, the same page is the sheet's own.
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    response = client.get("/scoring/230100/2020/", follow=True)
    assert response.redirect_chain[-1][0] == f"/scoring/sheets/{sheet.pk}/"
    _scheme, scored = build_sheet(sheet)
    assert 'id="total">73<' in response.content.decode() and scored.total == 73


def test_a_veto_counted_from_the_records_and_the_ranking_agrees_with_each_sheet(world: World) -> None:
    """A veto when a branch held fewer than 2 activities: Y (1 activity) and a branch without any record are
    vetoed, X (3) and Z (4) are not; the ranking, which scores branches sharing their figures together, gives
    each branch what its own sheet gives."""
    empty = BranchFactory(committee=world.tree.harbin, name="哈尔滨无记录支部")
    scheme = Scheme.objects.create(committee=world.tree.hlj, year=2020, name="否决测试", status="published")
    a = scheme.categories.create(code="A", name="组织建设", order=1, cap=Decimal(20))
    v = scheme.categories.create(code="V", name="否决", order=2)
    scheme.items.create(
        category=a,
        name="组织生活",
        kind="per_unit",
        metric="activities.organisational_life",
        points=Decimal(5),
        cap=Decimal(15),
    )
    scheme.items.create(category=a, name="提案", kind="rule", metric="branches.three_ones.proposal", points=Decimal(5))
    scheme.items.create(category=v, name="组织生活不足", kind="veto", metric="activities.organisational_life",
                        points=Decimal(1), threshold=Decimal(2), below=True)  # fmt: skip
    scheme.bands.create(name="好", minimum=Decimal(15))
    scheme.bands.create(name="差", minimum=Decimal(0))
    ranking = build_ranking(world.tree.hlj, 2020, scheme.pk)
    scores = {s.name: (s.total, s.vetoed, s.grade) for s in ranking.scored}
    assert scores == {
        "哈尔滨工程大学支部": (Decimal(20), False, "好"),  # 15 (3 × 5) + 5 (a proposal)
        "省直第一支部": (Decimal(20), False, "好"),
        "哈尔滨第二支部": (Decimal(10), True, "差"),  # 5 + 5, vetoed
        empty.name: (Decimal(0), True, "差"),
    }
    assert [s.vetoed for s in ranking.scored] == sorted(s.vetoed for s in ranking.scored)  # vetoed ones last
    for shown in ranking.scored:
        _scheme, alone = build_sheet(shown.sheet)
        assert (alone.total, alone.vetoed, alone.grade, alone.categories) == (
            shown.total,
            shown.vetoed,
            shown.grade,
            shown.categories,
        )
        assert [(r.quantity, r.points, r.final) for r in alone.rows] == [
            (r.quantity, r.points, r.final) for r in shown.rows
        ]
