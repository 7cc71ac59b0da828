"""The committee dashboard: who may open it, the figures it shows, its drill-down links and its charts' data."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client

from committees import models as m
from reporting.summary.models import Target, ThemeYear
from tests.conftest import Tree, make_user
from tests.factories import ActivityFactory, BranchFactory, MemberFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def client_for(user: m.User | None) -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    if user is not None:
        client.force_login(user)
    return client


def card(page: str, code: str) -> str:
    start = page.index(f'class="figure-card dashboard-card" data-metric="{code}"')
    end = min(i for i in (page.find('<div class="col">', start), page.find("</section>", start)) if i > 0)
    return page[start:end]


def card_value(page: str, code: str) -> str:
    found = re.search(r'class="figure-link"[^>]*>([^<]*)</a>', card(page, code))
    assert found
    return unescape(found.group(1))


def chart(page: str, chart_id: str) -> dict:  # type: ignore[type-arg]
    found = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', page, re.S)
    assert found, chart_id
    return json.loads(found.group(1))  # type: ignore[no-any-return]


@pytest.fixture
def hlj_leader(tree: Tree) -> m.User:
    return make_user("hlj_leader", m.User.Role.LEADER, committee=tree.hlj)


@pytest.fixture
def records(tree: Tree) -> None:
    """Heilongjiang: 3 members in Harbin (one joined in 2020), 1 in a 省直 branch; work in 2019 and 2020."""
    direct = BranchFactory(committee=tree.hlj, name="省直第一支部")
    for _ in range(2):
        MemberFactory(branch=tree.harbin_branch, gender=m.Gender.MALE, birth_date=dt.date(1990, 1, 1))
    MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2020, 3, 1), title_level=m.TitleLevel.SENIOR)
    MemberFactory(branch=direct)
    for month in (3, 3, 7):
        info = ProposalFactory(branch=tree.harbin_branch, kind="social_info", submitted_on=dt.date(2020, month, 5))
    m.Authorship.objects.create(proposal=info, member=m.Member.objects.filter(branch=tree.harbin_branch)[0], order=1)
    ProposalFactory(branch=direct, kind="proposal", submitted_on=dt.date(2020, 11, 1))
    ProposalFactory(branch=direct, kind="proposal", submitted_on=dt.date(2019, 11, 1))
    ProposalFactory(branch=direct, kind="proposal", submitted_on=dt.date(2019, 12, 1))
    ActivityFactory(
        branch=tree.harbin_branch, kind="social_service", donation_cash=Decimal(125000), held_on=dt.date(2020, 6, 1)
    )
    MemberFactory(branch=tree.guiyang_branch)  # Guizhou: never counted for Heilongjiang


def test_a_leader_sees_the_figures_of_the_year(records: None, hlj_leader: m.User) -> None:
    response = client_for(hlj_leader).get("/dashboard/230000/2020/")
    assert response.status_code == 200
    page = response.content.decode()
    assert card_value(page, "members.total") == "4"
    assert card_value(page, "proposals.social_info") == "3"
    assert card_value(page, "proposals.proposal") == "1"
    assert "上年 2" in card(page, "proposals.proposal") and "▼-1" in card(page, "proposals.proposal")
    assert card_value(page, "service.cash") == "12.5"  # 万元
    assert "万元" in card(page, "service.cash")
    assert card_value(page, "three_ones.service_rate") == "50.0%"  # 1 of 2 branches
    # Every card links to the records behind it.
    assert 'href="/evidence/230000/2020/members.total/"' in page
    assert 'href="/evidence/230000/2020/members.joined/"' in page


def test_the_charts_carry_the_structure_and_the_months(records: None, hlj_leader: m.User) -> None:
    page = client_for(hlj_leader).get("/dashboard/230000/2020/").content.decode()
    gender = chart(page, "chart-gender")["series"][0]["data"]
    assert [(d["name"], d["value"]) for d in gender] == [("男", 2), ("女", 2)]
    title = chart(page, "chart-title")
    assert title["series"][0]["data"][title["xAxis"]["data"].index("正高级")] == 1
    months = chart(page, "chart-month")
    social_info = next(s for s in months["series"] if s["name"] == "社情民意信息")
    assert social_info["data"] == [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert months["xAxis"]["data"][:2] == ["1月", "2月"]


def test_child_committees_are_compared_and_open_their_dashboards(records: None, hlj_leader: m.User) -> None:
    client = client_for(hlj_leader)
    page = client.get("/dashboard/230000/2020/").content.decode()
    data = chart(page, "compare-data")
    assert data["categories"] == ["民进哈尔滨市委会", "民进黑龙江省委会（本级）"]
    assert data["urls"] == ["/dashboard/230100/2020/", None]
    assert data["metrics"]["members.total"]["values"] == [3, 1]
    assert data["metrics"]["service.total"]["unit"] == "万元"
    assert data["metrics"]["service.total"]["values"] == [12.5, 0]
    assert data["metrics"]["three_ones.social_info_rate"]["values"] == [33.3, 0.0]  # 1 of 3 members
    assert '<a href="/dashboard/230100/2020/">民进哈尔滨市委会</a>' in page
    # The selector chooses the figure the bars show (without JavaScript, by reloading).
    chosen = chart(
        client.get("/dashboard/230000/2020/?compare=proposals.social_info").content.decode(), "chart-compare"
    )
    assert chosen["series"][0]["data"] == [3, 0]
    # A city committee has no child committees: no comparison chart.
    city = client.get("/dashboard/230100/2020/").content.decode()
    assert 'data-chart="chart-compare"' not in city


def test_the_branch_ranking_orders_branches_by_the_chosen_figure(records: None, hlj_leader: m.User, tree: Tree) -> None:
    client = client_for(hlj_leader)
    page = client.get("/dashboard/230000/2020/?rank=proposals.social_info").content.decode()
    ranked = re.findall(r'<tr data-branch="(\d+)">', page)
    assert ranked[0] == str(tree.harbin_branch.pk)
    assert f'href="/dashboard/branch/{tree.harbin_branch.pk}/2020/"' in page
    lowest = client.get("/dashboard/230000/2020/?rank=proposals.social_info&order=asc").content.decode()
    assert re.findall(r'<tr data-branch="(\d+)">', lowest)[0] != str(tree.harbin_branch.pk)
    # An unknown figure falls back to the default rather than failing.
    assert client.get("/dashboard/230000/2020/?rank=nonsense&compare=nonsense&order=x").status_code == 200


def test_a_card_shows_the_theme_years_target(records: None, hlj_leader: m.User) -> None:
    theme = ThemeYear.objects.get(year=2020)
    Target.objects.create(theme_year=theme, metric="three_ones.service_rate", value=Decimal("0.8"))
    Target.objects.create(theme_year=theme, metric="proposals.social_info", value=3)
    page = client_for(hlj_leader).get("/dashboard/230000/2020/").content.decode()
    assert "目标 80.0%" in card(page, "three_ones.service_rate")
    assert "未达标" in card(page, "three_ones.service_rate")
    assert "目标 3" in card(page, "proposals.social_info")
    assert "已达标" in card(page, "proposals.social_info")
    assert "目标" not in card(page, "members.total")


def test_a_user_opens_only_dashboards_of_their_own_subtree(
    tree: Tree, hlj_leader: m.User, gz_leader: m.User, hrb_clerk: m.User, branch_chair: m.User, outsider: m.User
) -> None:
    assert client_for(hlj_leader).get("/dashboard/230100/2020/").status_code == 200
    assert client_for(hlj_leader).get("/dashboard/520000/2020/").status_code == 404
    assert client_for(hlj_leader).get("/dashboard/000000/2020/").status_code == 404
    assert client_for(gz_leader).get("/dashboard/230000/2020/").status_code == 404
    assert client_for(hrb_clerk).get("/dashboard/230000/2020/").status_code == 404
    assert client_for(hrb_clerk).get("/dashboard/230100/2020/").status_code == 200
    # A branch chair reads her branch, not a committee's figures.
    assert client_for(branch_chair).get("/dashboard/230000/2020/").status_code == 404
    assert client_for(branch_chair).get("/dashboard/520100/2020/").status_code == 404
    assert client_for(outsider).get("/dashboard/230000/2020/").status_code == 404
    assert client_for(hlj_leader).get("/dashboard/230000/1800/").status_code == 404
    anonymous = client_for(None).get("/dashboard/230000/2020/")
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


XSS = "<img src=x onerror=alert(1)>"


def test_names_are_escaped_in_the_page_and_the_chart_data(tree: Tree, hlj_leader: m.User) -> None:
    city = tree.hlj
    evil_committee = city.add_child(name=XSS, short_name=XSS, code="239900", kind=m.Committee.Kind.CITY)
    branch = BranchFactory(committee=evil_committee, name=XSS)
    member = MemberFactory(branch=branch, name=XSS)
    ProposalFactory(branch=branch, kind="social_info", submitted_on=dt.date(2020, 5, 1))
    assert member.pk
    page = client_for(hlj_leader).get("/dashboard/230000/2020/?rank=proposals.social_info").content.decode()
    assert XSS not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # in the committee table and the ranking, as text
    assert XSS in chart(page, "compare-data")["categories"]  # json_script escapes it as \\u003C…


def test_the_page_has_no_inline_script_or_style(records: None, hlj_leader: m.User) -> None:
    page = client_for(hlj_leader).get("/dashboard/230000/2020/").content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert " style=" not in page and "<style" not in page
