"""A small world whose sheets are computed by hand, and schemes configured through the admin's forms.

Heilongjiang 2020, scheme S1 (capped at 100, owned by 黑龙江省委会, first author's share 0.6):

| category (cap / floor) | item | kind |
|---|---|---|
| A 组织建设 (≤ 40) | A1 组织生活 10 per activity, ≤ 30 · A2 计划总结 manual ≤ 10 | per unit · manual |
| B 参政议政 (≤ 40) | B1 三个一提案 rule → 10 · B2 提案 10 per credited proposal, ≤ 40, split | rule · per unit |
| C 社情民意 (≤ 30) | C1 30 × share of members who submitted 社情民意 | share |
| D 扣分 (≤ 0, ≥ −8) | D1 fewer than 2 activities → −5 · D2 迟报 manual ≥ −5 | deductions |
| E 否决 | E1 违纪 manual | veto |

Grades 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 ≥ 0. The branches:

- X 哈尔滨工程大学支部 (Harbin; members m1, m2): 3 activities; P1 by m1 alone; P2 by m1 first with y1;
  P3 (Y's) by y1 first with m2 and y2; m1 wrote a 社情民意. Credit 1 + 0.6 + 0.4 / 2 = 1.8.
- Y 哈尔滨第二支部 (Harbin; y1, y2, y3): 1 activity; credit 0.4 + 0.6 + 0.2 = 1.2; y1 wrote a 社情民意.
- Z 省直第一支部 (under the province; z1): 4 activities; 5 proposals by z1 alone; z1 wrote a 社情民意.

Guizhou 2020, scheme S2 (uncapped accumulation, no grades): A 社情民意: 2 per report, bonus by the highest
level an adoption or endorsement reached (provincial +3, CAPD central +5, national CPPCC +10, state leader +20);
B 提案: 4 per proposal.

- G1 贵州大学支部: r1 no outcome; r2 adopted provincially; r3 adopted provincially and endorsed by a state
  leader; r4 adopted by the city only; r5 adopted by the CAPD central committee only in 2021; r0 from 2019
  (adopted nationally, outside the year); 25 proposals. 5 × 2 + 3 + 20 + 25 × 4 = 133.
- G2 贵阳第二支部: one report adopted by the national CPPCC: 2 + 10 = 12.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from committees import models as m
from reporting.scoring.models import Item, Scheme
from tests.conftest import Tree, make_user
from tests.factories import ActivityFactory, BranchFactory, MemberFactory, ProposalFactory

D2020 = dt.date(2020, 5, 1)


@dataclass
class World:
    tree: Tree
    x: m.Branch
    y: m.Branch
    z: m.Branch
    g1: m.Branch
    g2: m.Branch
    people: dict[str, m.Member]
    proposals: dict[str, m.Proposal]


def author(proposal: m.Proposal, *members: m.Member) -> m.Proposal:
    for order, member in enumerate(members, start=1):
        m.Authorship.objects.create(proposal=proposal, member=member, order=order)
    return proposal


def outcome(proposal: m.Proposal, kind: str, level: str, day: dt.date = dt.date(2020, 9, 1)) -> None:
    m.Outcome.objects.create(proposal=proposal, kind=kind, level=level, occurred_on=day)


@pytest.fixture
def world(tree: Tree) -> World:
    x = tree.harbin_branch
    y = BranchFactory(committee=tree.harbin, name="哈尔滨第二支部")
    z = BranchFactory(committee=tree.hlj, name="省直第一支部")
    g1 = tree.guiyang_branch
    g2 = BranchFactory(committee=tree.guiyang, name="贵阳第二支部")
    people = {
        "m1": MemberFactory(branch=x, name="马一"),
        "m2": MemberFactory(branch=x, name="马二"),
        "y1": MemberFactory(branch=y, name="杨一"),
        "y2": MemberFactory(branch=y, name="杨二"),
        "y3": MemberFactory(branch=y, name="杨三"),
        "z1": MemberFactory(branch=z, name="赵一"),
        "g1": MemberFactory(branch=g1, name="高一"),
        "g2": MemberFactory(branch=g2, name="郭二"),
    }
    p = people
    for branch, n in ((x, 3), (y, 1), (z, 4)):
        for i in range(n):
            ActivityFactory(
                branch=branch, kind="organisational_life", title=f"{branch.name}组织生活{i + 1}", held_on=D2020
            )
    proposals = {
        "P1": author(ProposalFactory(branch=x, title="P1 关于校园安全的提案"), p["m1"]),
        "P2": author(ProposalFactory(branch=x, title="P2 关于冰雪旅游的提案"), p["m1"], p["y1"]),
        "P3": author(ProposalFactory(branch=y, title="P3 关于医疗人才的提案"), p["y1"], p["m2"], p["y2"]),
        "SX": author(ProposalFactory(branch=x, kind="social_info", title="SX 社情民意"), p["m1"]),
        "SY": author(ProposalFactory(branch=y, kind="social_info", title="SY 社情民意"), p["y1"]),
        "SZ": author(ProposalFactory(branch=z, kind="social_info", title="SZ 社情民意"), p["z1"]),
    }
    for i in range(5):
        author(ProposalFactory(branch=z, title=f"Z{i + 1} 省直提案"), p["z1"])
    # Guizhou: the ladder.
    info = {"kind": "social_info", "branch": g1}
    r = {f"r{i}": author(ProposalFactory(**info, title=f"r{i} 贵州社情民意"), p["g1"]) for i in range(1, 6)}
    outcome(r["r2"], "adopted", "provincial")
    outcome(r["r3"], "adopted", "provincial")
    outcome(r["r3"], "endorsed", "state_leader")
    outcome(r["r4"], "adopted", "city")
    outcome(r["r5"], "adopted", "party_central", dt.date(2021, 2, 1))
    r0 = author(ProposalFactory(**info, title="r0 往年社情民意", submitted_on=dt.date(2019, 5, 1)), p["g1"])
    outcome(r0, "adopted", "national_cppcc", dt.date(2020, 3, 1))
    for i in range(25):
        ProposalFactory(branch=g1, title=f"G{i + 1} 贵州提案")
    g2_info = author(ProposalFactory(kind="social_info", branch=g2, title="g2 社情民意"), p["g2"])
    outcome(g2_info, "adopted", "national_cppcc")
    proposals.update(r)
    return World(tree, x, y, z, g1, g2, people, proposals)


# ---- The admin's forms --------------------------------------------------------------------------------------------
def formset(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = "" if value is None else str(value)
    return data


def post_ok(client: Client, url: str, data: dict[str, Any]) -> Any:
    response = client.post(url, data)
    if response.status_code != 302:
        context = response.context or {}
        inlines = context.get("inline_admin_formsets", [])
        errors = [(f.prefix, f.errors) for fs in inlines for f in fs.formset.forms if f.errors]
        form = context.get("adminform")
        raise AssertionError(f"{url}: {response.status_code} {form and form.form.errors} {errors}")
    return response


def item_row(item: dict[str, Any], category: int) -> dict[str, Any]:
    row = {"category": category, "order": 1, "metric": "", "cap": "", "threshold": "", "standard": ""}
    row.update(item)
    if row.pop("below", False):
        row["below"] = "on"
    if row.pop("joint_credit", False):
        row["joint_credit"] = "on"
    return row


def configure(
    client: Client,
    *,
    committee: m.Committee,
    scheme: dict[str, Any],
    categories: list[tuple[dict[str, Any], list[dict[str, Any]]]],
    bands: list[tuple[str, int]],
    steps: dict[str, list[tuple[str, int]]] | None = None,
) -> Scheme:
    """Create a scheme as an administrator would: add it with categories and grade bands, then add the items on
    its change form, then the ladder steps on each ladder item's page, then publish it."""
    head = {"committee": committee.pk, "status": "draft", **{k: ("" if v is None else v) for k, v in scheme.items()}}
    cats = [{"order": i, **c} for i, (c, _items) in enumerate(categories, start=1)]
    band_rows = [{"name": n, "minimum": v} for n, v in bands]
    post_ok(
        client, "/admin/scoring/scheme/add/", {**head, **formset("categories", cats), **formset("bands", band_rows)}
    )
    created = Scheme.objects.get(committee=committee, year=scheme["year"])
    saved = list(created.categories.order_by("order"))
    items = [item_row(i, saved[n].pk) for n, (_c, its) in enumerate(categories) for i in its]
    change = f"/admin/scoring/scheme/{created.pk}/change/"
    existing_cats = [{**c, "id": s.pk, "scheme": created.pk} for c, s in zip(cats, saved, strict=True)]
    bands_saved = created.bands.order_by("-minimum")
    existing_bands = [{**b, "id": s.pk, "scheme": created.pk} for b, s in zip(band_rows, bands_saved, strict=True)]
    post_ok(
        client,
        change,
        {
            **head,
            **formset("categories", existing_cats, len(cats)),
            **formset("items", items),
            **formset("bands", existing_bands, len(band_rows)),
        },
    )
    for name, ladder in (steps or {}).items():
        item = Item.objects.get(scheme=created, name=name)
        fields = {k: v for k, v in item_row({}, item.category_id).items()}
        fields.update({"name": item.name, "kind": item.kind, "metric": item.metric, "points": item.points, "order": 1})
        if item.cap is not None:
            fields["cap"] = item.cap
        rows = [{"level": level, "bonus": bonus} for level, bonus in ladder]
        post_ok(client, f"/admin/scoring/item/{item.pk}/change/", {**fields, **formset("steps", rows)})
    client.post("/admin/scoring/scheme/", {"action": "publish", "_selected_action": [created.pk]})
    created.refresh_from_db()
    assert created.is_published
    return created


S1_CATEGORIES = [
    ({"code": "A", "name": "组织建设", "cap": 40, "floor": ""}, [
        {"name": "A1 组织生活", "kind": "per_unit", "metric": "activities.organisational_life", "points": 10,
         "cap": 30},
        {"name": "A2 计划总结", "kind": "manual", "points": 10},
    ]),
    ({"code": "B", "name": "参政议政", "cap": 40, "floor": ""}, [
        {"name": "B1 三个一提案", "kind": "rule", "metric": "branches.three_ones.proposal", "points": 10},
        {"name": "B2 提案", "kind": "per_unit", "metric": "proposals.proposal", "points": 10, "cap": 40,
         "joint_credit": True},
    ]),
    ({"code": "C", "name": "社情民意", "cap": 30, "floor": ""}, [
        {"name": "C1 报送比例", "kind": "share", "metric": "three_ones.social_info_rate", "points": 30},
    ]),
    ({"code": "D", "name": "扣分", "cap": 0, "floor": -8}, [
        {"name": "D1 组织生活不足", "kind": "deduction", "metric": "activities.organisational_life", "points": 5,
         "threshold": 2, "below": True},
        {"name": "D2 迟报", "kind": "deduction", "points": 5},
    ]),
    ({"code": "E", "name": "否决", "cap": "", "floor": ""}, [
        {"name": "E1 违纪", "kind": "veto", "points": 1},
    ]),
]  # fmt: skip
S1_BANDS = [("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0)]

S2_CATEGORIES = [
    ({"code": "A", "name": "社情民意", "cap": "", "floor": ""}, [
        {"name": "社情民意采用", "kind": "ladder", "metric": "proposals.social_info", "points": 2},
    ]),
    ({"code": "B", "name": "提案", "cap": "", "floor": ""}, [
        {"name": "提案", "kind": "per_unit", "metric": "proposals.proposal", "points": 4},
    ]),
]  # fmt: skip
S2_STEPS = {"社情民意采用": [("provincial", 3), ("party_central", 5), ("national_cppcc", 10), ("state_leader", 20)]}


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(m.User.objects.create_superuser("root", "root@example.invalid", "a-test-password-2020"))
    return client


@pytest.fixture
def s1(world: World, hlj_clerk: m.User) -> Scheme:
    client = Client()
    client.force_login(hlj_clerk)
    scheme = {"year": 2020, "name": "2020年度支部工作考核（百分制）", "total_cap": 100, "first_author_share": "0.6"}
    return configure(client, committee=world.tree.hlj, scheme=scheme, categories=S1_CATEGORIES, bands=S1_BANDS)


@pytest.fixture
def s2(world: World, gz_clerk: m.User) -> Scheme:
    client = Client()
    client.force_login(gz_clerk)
    scheme = {"year": 2020, "name": "2020年度支部履职积分（累计）", "total_cap": None, "first_author_share": None}
    return configure(client, committee=world.tree.gz, scheme=scheme, categories=S2_CATEGORIES, bands=[], steps=S2_STEPS)


@pytest.fixture
def hlj_leader(tree: Tree) -> m.User:
    return make_user("hlj_leader", m.User.Role.LEADER, committee=tree.hlj)
