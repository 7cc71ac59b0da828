"""The pages: evidence behind every point, the admin's rules for schemes, and query counts that do not grow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from committees import models as m
from reporting.scoring.models import Item, Scheme, Sheet
from reporting.scoring.services import sheets_ensure
from tests.factories import ActivityFactory, BranchFactory, MemberFactory, ProposalFactory
from tests.reporting.scoring.conftest import World, author, formset

pytestmark = pytest.mark.django_db


def client_for(user: m.User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_point_links_to_the_records_behind_it(world: World, s1: Scheme, hlj_clerk: m.User) -> None:
    client = client_for(hlj_clerk)
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    page = client.get(f"/scoring/sheets/{sheet.pk}/").content.decode()
    split = Item.objects.get(scheme=s1, name="B2 提案")
    link = re.search(rf'href="(/scoring/sheets/{sheet.pk}/evidence/{split.pk}/)">18<', page)
    assert link, "the 18 points of B2 link to their records"
    evidence = client.get(link.group(1)).content.decode()
    # X's members' authorships: P1 (m1 alone), P2 (m1 first), P3 (m2 co-author of Y's proposal).
    for title in ("P1 关于校园安全的提案", "P2 关于冰雪旅游的提案", "P3 关于医疗人才的提案"):
        assert title in evidence
    assert "省直提案" not in evidence
    activities = Item.objects.get(scheme=s1, name="A1 组织生活")
    evidence = client.get(f"/scoring/sheets/{sheet.pk}/evidence/{activities.pk}/").content.decode()
    assert evidence.count("哈尔滨工程大学支部组织生活") == 3 and "哈尔滨第二支部组织生活" not in evidence
    # Another committee's staff do not reach the evidence either.
    gz = m.User.objects.create_user("gz_staff", password="x-password-2020", role="staff", committee=world.tree.gz)
    assert client_for(gz).get(f"/scoring/sheets/{sheet.pk}/evidence/{activities.pk}/").status_code == 404


def test_ladder_evidence_lists_the_reports_and_their_outcomes(world: World, s2: Scheme, gz_clerk: m.User) -> None:
    sheet = sheets_ensure(s2, [world.g1])[world.g1.pk]
    ladder = Item.objects.get(scheme=s2, kind="ladder")
    evidence = client_for(gz_clerk).get(f"/scoring/sheets/{sheet.pk}/evidence/{ladder.pk}/").content.decode()
    assert all(f"r{i} 贵州社情民意" in evidence for i in range(1, 6)) and "r0 往年社情民意" not in evidence


def test_a_published_scheme_is_read_only_and_can_be_copied(s1: Scheme, hlj_clerk: m.User) -> None:
    client = client_for(hlj_clerk)
    change = f"/admin/scoring/scheme/{s1.pk}/change/"
    page = client.get(change).content.decode()
    assert 'name="name"' not in page  # shown, not editable
    response = client.post(change, {"name": "改名", "committee": s1.committee_id, "year": 2020})
    assert response.status_code == 403
    s1.refresh_from_db()
    assert s1.name != "改名"
    client.post("/admin/scoring/scheme/", {"action": "copy_to_next_year", "_selected_action": [s1.pk]})
    copy = Scheme.objects.get(committee=s1.committee, year=2021)
    assert copy.status == "draft" and copy.copied_from == s1
    assert copy.items.count() == s1.items.count() == 8 and copy.bands.count() == 4
    assert client.get(f"/admin/scoring/scheme/{copy.pk}/change/").content.decode().count('name="name"') == 1
    # Copying again is refused with a message, not a second scheme.
    response = client.post(
        "/admin/scoring/scheme/", {"action": "copy_to_next_year", "_selected_action": [s1.pk]}, follow=True
    )
    assert "已有2021年度的考核方案" in response.content.decode()


def test_the_admin_explains_a_wrong_item(world: World, hlj_clerk: m.User) -> None:
    client = client_for(hlj_clerk)
    scheme = Scheme.objects.create(committee=world.tree.hlj, year=2020, name="草稿")
    category = scheme.categories.create(code="A", name="参政议政")
    head = {"committee": world.tree.hlj.pk, "year": 2020, "name": "草稿", "status": "draft"}
    rows = [
        {"category": category.pk, "order": 1, "name": "比例", "kind": "share", "metric": "proposals.proposal",
         "points": 10},
        {"category": category.pk, "order": 2, "name": "阶梯", "kind": "ladder", "metric": "members.total", "points": 1},
        {"category": category.pk, "order": 3, "name": "拆分", "kind": "per_unit", "metric": "proposals.proposal",
         "points": 2, "joint_credit": "on"},
        {"category": category.pk, "order": 4, "name": "无指标", "kind": "per_unit", "metric": "", "points": 2},
    ]  # fmt: skip
    cats = [{"id": category.pk, "scheme": scheme.pk, "order": 1, "code": "A", "name": "参政议政"}]
    data = {**head, **formset("categories", cats, 1), **formset("items", rows), **formset("bands", [])}
    response = client.post(f"/admin/scoring/scheme/{scheme.pk}/change/", data)
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "比例类考核项需要选择比例指标",
        "阶梯加分只适用于按类别统计的提案",
        "请先填写方案的第一作者份额",
        "此类考核项按统计指标计分，请选择指标",
    ):
        assert message in page
    assert not scheme.items.exists()


def grow(world: World, n: int) -> None:
    for i in range(n):
        branch = BranchFactory(committee=world.tree.harbin if i % 2 else world.tree.hlj)
        member = MemberFactory(branch=branch)
        author(ProposalFactory(branch=branch, kind="proposal"), member, world.people["m1"])
        author(ProposalFactory(branch=branch, kind="social_info"), member)
        ActivityFactory(branch=branch, kind="organisational_life", held_on=dt.date(2020, 3, 1))


def count(client: Client, path: str) -> int:
    client.get(path)  # warm-up: fills caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, path
    return len(queries)


def test_pages_cost_the_same_queries_at_ten_times_the_rows(world: World, s1: Scheme, hlj_clerk: m.User) -> None:
    client = client_for(hlj_clerk)
    grow(world, 3)
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    split = Item.objects.get(scheme=s1, name="B2 提案")
    pages = (
        "/scoring/230000/2020/",
        f"/scoring/230000/2020/export.xlsx?scheme={s1.pk}",
        f"/scoring/sheets/{sheet.pk}/",
        f"/scoring/sheets/{sheet.pk}/evidence/{split.pk}/",
    )
    small = {path: count(client, path) for path in pages}
    grow(world, 30)
    large = {path: count(client, path) for path in pages}
    assert large == small
    # Showing the ranking to 36 branches wrote no sheet: the others are shown as unsaved drafts.
    assert Sheet.objects.filter(scheme=s1).count() == 1
    # The ranking: session and user; the schemes; the scheme with its categories, items, steps and bands; the
    # branches; the committee tree for the subtree ids and one query per source of the items' metrics; the sheets;
    # the stored entries; the child committees for the filter; the chrome (switcher, breadcrumb).
    assert small["/scoring/230000/2020/"] <= 25, small
