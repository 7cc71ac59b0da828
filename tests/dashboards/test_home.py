"""The home page routes each role: leaders to their dashboard, branch users to their branch, staff to what needs
doing; and the branch page shows a branch its own figures."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from committees import models as m
from reporting.dashboards.home import Panel, PanelItem, register_home_panel, unregister_home_panel
from reporting.tables.build import branch_table
from tests.conftest import Tree, make_user
from tests.factories import ActivityFactory, BranchFactory, MemberFactory, ProposalFactory, TrainingEventFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def client_for(user: m.User | None) -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    if user is not None:
        client.force_login(user)
    return client


def test_a_leader_lands_on_the_dashboard_of_the_committee(gz_leader: m.User) -> None:
    response = client_for(gz_leader).get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/520000/{THIS_YEAR}/"


def test_a_branch_chair_lands_on_the_branch_page(tree: Tree, branch_chair: m.User) -> None:
    response = client_for(branch_chair).get("/")
    assert response["Location"] == f"/dashboard/branch/{tree.harbin_branch.pk}/{THIS_YEAR}/"


def test_pages_open_on_the_latest_year_with_work_on_record(tree: Tree, gz_leader: m.User, hlj_clerk: m.User) -> None:
    # In January an office still reports on last year; the demo's records end in 2021. A record dated after
    # today (a planned training) and Guizhou's newer work do not move Heilongjiang's year.
    ProposalFactory(branch=tree.harbin_branch, submitted_on=dt.date(2019, 3, 1))
    ActivityFactory(branch=tree.harbin_branch, held_on=dt.date(2021, 6, 1))
    later = timezone.localdate() + dt.timedelta(days=400)
    TrainingEventFactory(committee=tree.hlj, started_on=later, ended_on=later)
    ActivityFactory(committee=tree.gz, held_on=dt.date(2024, 6, 1))
    hlj_leader = make_user("hlj_leader", m.User.Role.LEADER, committee=tree.hlj)
    assert client_for(hlj_leader).get("/")["Location"] == "/dashboard/230000/2021/"
    assert client_for(gz_leader).get("/")["Location"] == "/dashboard/520000/2024/"
    home = client_for(hlj_clerk).get("/")
    assert home.context["home_year"] == 2021
    assert 'href="/dashboard/230000/2021/"' in home.content.decode()  # the top bar follows the page's year


def test_an_anonymous_visitor_is_asked_to_log_in(db: None) -> None:
    response = client_for(None).get("/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_an_unbound_account_is_told_so(outsider: m.User) -> None:
    page = client_for(outsider).get("/").content.decode()
    assert "尚未绑定委员会或支部" in page


@pytest.fixture
def year_2020(tree: Tree) -> None:
    """In Harbin: the first branch did all three ones with one of its two members; the second did nothing."""
    first = tree.harbin_branch
    writer, _silent = MemberFactory(branch=first), MemberFactory(branch=first)
    info = ProposalFactory(branch=first, kind="social_info", submitted_on=dt.date(2020, 4, 1))
    m.Authorship.objects.create(proposal=info, member=writer, order=1)
    ProposalFactory(branch=first, kind="suggestion", submitted_on=dt.date(2020, 5, 1))
    ActivityFactory(branch=first, kind="social_service", held_on=dt.date(2020, 6, 1))
    idle = BranchFactory(committee=tree.harbin, name="哈尔滨空白支部")
    MemberFactory(branch=idle)


def test_staff_see_the_branches_missing_a_three_ones_item(year_2020: None, tree: Tree, hlj_clerk: m.User) -> None:
    page = client_for(hlj_clerk).get("/?year=2020").content.decode()
    assert "民进黑龙江省委会：待办事项" in page and "2020年三个“一”尚缺的记录" in page
    rows = dict(re.findall(r'<tr data-branch="(\d+)">(.*?)</tr>', page, re.S))
    idle = m.Branch.objects.get(name="哈尔滨空白支部")
    assert rows[str(idle.pk)].count("缺") == 2 and "1 / 1" in rows[str(idle.pk)]
    assert "1 / 2" in rows[str(tree.harbin_branch.pk)]  # one member of two has not reported
    assert "✓" in rows[str(tree.harbin_branch.pk)]
    # Without a proposal: the idle branch and none else; members without a report: 2 of 3.
    assert re.search(r'data-gap="proposal">.*?>1<span class="figure-unit">/ 2<', page, re.S)
    assert re.search(r'data-gap="social_info">.*?>2<span class="figure-unit">/ 3<', page, re.S)
    # The branch missing most comes first; the year chosen stays chosen.
    assert next(iter(rows)) == str(idle.pk)
    assert '<option value="2020" selected>' in page
    # Guizhou's branch is not Heilongjiang's business.
    assert str(tree.guiyang_branch.pk) not in rows
    # Each missing item links to the admin's form to add it, the branch and the kind filled in.
    links = re.findall(r'href="(/admin/committees/[^"]+)"', rows[str(idle.pk)])
    query = f"committee={tree.harbin.pk}&amp;branch={idle.pk}"
    assert links == [
        f"/admin/committees/proposal/add/?{query}&amp;kind=proposal",
        f"/admin/committees/activity/add/?{query}&amp;kind=social_service",
        f"/admin/committees/proposal/add/?{query}&amp;kind=social_info",
    ]
    form = client_for(hlj_clerk).get(links[1].replace("&amp;", "&")).content.decode()
    assert re.search(rf'<option value="{idle.pk}" selected>[^<]*哈尔滨空白支部', form)
    assert re.search(r'<option value="social_service" selected>', form)


@pytest.fixture
def review_panel() -> Iterator[None]:
    def provider(request: object, committee: m.Committee, year: int) -> Panel:
        return Panel("待审核的考核表", items=[PanelItem(f"{committee.name} {year}", url="/somewhere/", note="2份")])

    register_home_panel(provider)
    yield
    unregister_home_panel(provider)


def test_other_apps_add_panels_to_the_staff_home_page(review_panel: None, hlj_clerk: m.User) -> None:
    page = client_for(hlj_clerk).get("/?year=2020").content.decode()
    assert "待审核的考核表" in page and '<a href="/somewhere/">民进黑龙江省委会 2020</a>' in page


def test_staff_see_the_scoring_sheets_awaiting_review_in_every_year(tree: Tree, hlj_clerk: m.User) -> None:
    from reporting.scoring.models import Scheme, Sheet

    old = Scheme.objects.create(committee=tree.central, year=2019, name="2019年基层支部量化考核", status="published")
    new = Scheme.objects.create(committee=tree.central, year=2020, name="2020年基层支部量化考核", status="published")
    submitted = Sheet.objects.create(scheme=new, branch=tree.harbin_branch, state=Sheet.State.SUBMITTED)
    older = Sheet.objects.create(scheme=old, branch=tree.harbin_branch, state=Sheet.State.SUBMITTED)
    Sheet.objects.create(scheme=new, branch=BranchFactory(committee=tree.harbin), state=Sheet.State.REVIEWED)
    elsewhere = Sheet.objects.create(scheme=new, branch=tree.guiyang_branch, state=Sheet.State.SUBMITTED)
    # Whatever year the page shows, the sheets of every year are listed, the newest year first.
    for year in (2021, 2019):
        page = client_for(hlj_clerk).get(f"/?year={year}").content.decode()
        assert "待审核的考核表（2）；待领导审定：1" in page
        first = page.index(
            f'<a href="/scoring/sheets/{submitted.pk}/">2020年 · 民进哈尔滨市委会 · 哈尔滨工程大学支部</a>'
        )
        second = page.index(f'<a href="/scoring/sheets/{older.pk}/">2019年 · 民进哈尔滨市委会 · 哈尔滨工程大学支部</a>')
        assert first < second
        assert "待审核" in page
        assert f"/scoring/sheets/{elsewhere.pk}/" not in page and "贵州大学支部" not in page
    Sheet.objects.filter(state=Sheet.State.SUBMITTED).update(state=Sheet.State.REVIEWED)
    assert "没有待审核的考核表" in client_for(hlj_clerk).get("/").content.decode()


def test_a_leader_sees_on_the_dashboard_the_sheets_awaiting_approval(tree: Tree, gz_leader: m.User) -> None:
    from reporting.scoring.models import Scheme, Sheet

    scheme = Scheme.objects.create(committee=tree.central, year=2019, name="2019年基层支部量化考核", status="published")
    reviewed = Sheet.objects.create(scheme=scheme, branch=tree.guiyang_branch, state=Sheet.State.REVIEWED)
    Sheet.objects.create(scheme=scheme, branch=tree.harbin_branch, state=Sheet.State.REVIEWED)  # not hers
    page = client_for(gz_leader).get("/", follow=True).content.decode()
    assert "待您审定的考核表（1）" in page
    assert f'<a href="/scoring/sheets/{reviewed.pk}/">2019年 · 民进贵阳市委会 · 贵州大学支部</a>' in page
    assert "待审定" in page and "哈尔滨工程大学支部" not in page
    reviewed.state = Sheet.State.APPROVED
    reviewed.approved_at = timezone.now()
    reviewed.save()
    assert "没有待审定的考核表" in client_for(gz_leader).get("/", follow=True).content.decode()


def test_a_branch_chair_sees_her_sheets_and_what_waits_for_her(tree: Tree, branch_chair: m.User) -> None:
    from reporting.scoring.models import Scheme, Sheet

    schemes = {
        year: Scheme.objects.create(committee=tree.central, year=year, name=f"{year}年考核", status="published")
        for year in (2018, 2019, 2020)
    }
    # Heilongjiang's own scheme of 2020 scores its branches instead of the central one.
    own = Scheme.objects.create(committee=tree.hlj, year=2020, name="黑龙江2020年考核", status="published")
    Scheme.objects.create(committee=tree.central, year=2021, name="草稿", status="draft")
    approved = Sheet.objects.create(
        scheme=schemes[2018], branch=tree.harbin_branch, state=Sheet.State.APPROVED, approved_at=timezone.now()
    )
    returned = Sheet.objects.create(
        scheme=schemes[2019], branch=tree.harbin_branch, state=Sheet.State.DRAFT, returned_reason="请补充附件"
    )
    page = client_for(branch_chair).get("/", follow=True).content.decode()
    to_do = re.search(r'id="to-do".*?</section>', page, re.S)
    assert to_do is not None
    # 2020: no sheet yet (to fill in, through the scoring page), 2019 returned with the reason; 2018 is done.
    assert re.findall(r'<a href="([^"]+)">(\d{4})年度考核表：待填写并提交</a>', to_do.group(0)) == [
        ("/scoring/230100/2020/", "2020"),
        (f"/scoring/sheets/{returned.pk}/", "2019"),
    ]
    assert "已退回：请补充附件" in to_do.group(0)
    sheets = re.search(r'id="sheets".*?</section>', page, re.S)
    assert sheets is not None
    assert re.findall(r'<tr data-year="(\d+)"><td><a href="([^"]+)">', sheets.group(0)) == [
        ("2020", "/scoring/230100/2020/"),
        ("2019", f"/scoring/sheets/{returned.pk}/"),
        ("2018", f"/scoring/sheets/{approved.pk}/"),
    ]
    assert "尚未填写" in sheets.group(0) and "已审定" in sheets.group(0)
    Sheet.objects.create(scheme=own, branch=tree.harbin_branch, state=Sheet.State.SUBMITTED)
    page = client_for(branch_chair).get("/", follow=True).content.decode()
    assert "2020年度考核表：待填写并提交" not in page and "2019年度考核表：待填写并提交" in page


def test_staff_see_their_imports_checked_but_not_committed(tree: Tree, hlj_clerk: m.User, hrb_clerk: m.User) -> None:
    from committees.imports.models import ImportBatch

    def batch(user: m.User, name: str, **state: object) -> ImportBatch:
        return ImportBatch.objects.create(
            kind="members", committee=user.committee, user=user, username=user.username, file_name=name, **state
        )

    pending = batch(hlj_clerk, "会员名册.xlsx")
    batch(hlj_clerk, "已提交.xlsx", state="committed", committed_at=timezone.now())
    batch(hrb_clerk, "哈尔滨名册.xlsx")  # another office's
    page = client_for(hlj_clerk).get("/").content.decode()
    assert "已检查未提交的导入" in page
    assert f'<a href="/imports/batches/{pending.pk}/">会员花名册 · 会员名册.xlsx</a>' in page
    assert "已提交.xlsx" not in page and "哈尔滨名册.xlsx" not in page


def test_the_scoring_menu_opens_the_latest_year_with_a_published_scheme(tree: Tree, hlj_clerk: m.User) -> None:
    from reporting.scoring.models import Scheme

    Scheme.objects.create(committee=tree.central, year=2019, name="2019年考核", status="published")
    Scheme.objects.create(committee=tree.central, year=2020, name="2020年考核")  # a draft
    Scheme.objects.create(committee=tree.gz, year=2021, name="贵州2021年考核", status="published")  # not above hlj
    client = client_for(hlj_clerk)
    page = client.get("/dashboard/230000/2021/").content.decode()
    assert 'href="/switch/scoring/230000/">量化考核</a>' in page
    assert client.get("/switch/scoring/230000/")["Location"] == "/scoring/230000/2019/"
    # On the scoring page itself the menu keeps the page's year.
    assert 'href="/scoring/230000/2018/">量化考核</a>' in client.get("/scoring/230000/2018/").content.decode()


def test_a_branch_chair_sees_the_branchs_row_of_the_statistics_table(
    year_2020: None, tree: Tree, branch_chair: m.User
) -> None:
    page = client_for(branch_chair).get(f"/dashboard/branch/{tree.harbin_branch.pk}/2020/").content.decode()
    rows, _totals = branch_table(tree.harbin, 2020)
    row = next(r for r in rows if r.branch == tree.harbin_branch)
    members = re.search(r'data-metric="members.total">.*?class="figure-value">([^<]*)<', page, re.S)
    assert members and members.group(1) == str(row.values[0]) == "2"
    social_info = re.search(r'data-metric="proposals.social_info">.*?class="figure-value">([^<]*)<', page, re.S)
    assert social_info and social_info.group(1) == "1"
    # No link to the committee's dashboard for a branch chair: she may not open it. The top bar's "Dashboard"
    # brings her back to her branch.
    assert "民进哈尔滨市委会仪表盘" not in page
    back = client_for(branch_chair).get("/dashboard/230100/2020/")
    assert back.status_code == 302 and back["Location"] == f"/dashboard/branch/{tree.harbin_branch.pk}/2020/"


def test_a_branch_chair_cannot_open_another_branch(tree: Tree, branch_chair: m.User) -> None:
    other = BranchFactory(committee=tree.harbin)
    assert client_for(branch_chair).get(f"/dashboard/branch/{other.pk}/2020/").status_code == 404
    assert client_for(branch_chair).get(f"/dashboard/branch/{tree.guiyang_branch.pk}/2020/").status_code == 404


def test_staff_open_the_branches_of_their_subtree(tree: Tree, hrb_clerk: m.User, gz_leader: m.User) -> None:
    assert client_for(hrb_clerk).get(f"/dashboard/branch/{tree.harbin_branch.pk}/2020/").status_code == 200
    assert client_for(gz_leader).get(f"/dashboard/branch/{tree.harbin_branch.pk}/2020/").status_code == 404
    admin = make_user("root", m.User.Role.ADMIN)
    page = client_for(admin).get(f"/dashboard/branch/{tree.harbin_branch.pk}/2020/").content.decode()
    assert "民进哈尔滨市委会仪表盘" in page and 'href="/dashboard/230100/2020/"' in page


def test_the_top_bar_offers_each_role_only_the_pages_it_may_open(
    tree: Tree, hlj_clerk: m.User, gz_leader: m.User, branch_chair: m.User
) -> None:
    def nav(user: m.User, path: str) -> dict[str, str]:
        page = client_for(user).get(path).content.decode()
        bar = re.search(r'<ul class="navbar-nav.*?</ul>', page, re.S)
        assert bar is not None
        return {text: href for href, text in re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', bar.group(0))}

    clerk = nav(hlj_clerk, "/dashboard/230000/2020/")
    assert {"年度总结", "统计表", "数据导入", "量化考核"} <= set(clerk)
    leader = nav(gz_leader, "/dashboard/520000/2020/")
    assert {"年度总结", "统计表", "量化考核"} <= set(leader) and "数据导入" not in leader
    branch = nav(branch_chair, f"/dashboard/branch/{tree.harbin_branch.pk}/2020/")
    assert not {"年度总结", "统计表", "数据导入"} & set(branch)
    for link in branch.values():  # every page the branch chair is offered opens for her
        assert client_for(branch_chair).get(link).status_code in (200, 302), link
