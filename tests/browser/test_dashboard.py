"""A leader's dashboard in Chromium: cards, every chart drawn, the year switched, a city committee opened from
its bar and left again, the records behind a figure; a branch chair kept out; names that look like HTML stay
text; a narrow screen and the printout.

Screenshots of every state land in artifacts/screenshots/ (tests/browser/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from committees import models as m
from reporting.dashboards.build import build_dashboard
from tests.browser.conftest import ARTIFACTS
from tests.conftest import Tree, make_user
from tests.factories import BranchFactory, MemberFactory, ProposalFactory

DEMO_PASSWORD = "demo-pass-2020"
TEST_PASSWORD = "a-test-password-2020"
THIS_YEAR = timezone.localdate().year
XSS = "<img src=x onerror=alert(1)>"


def log_in(page: Any, username: str, password: str) -> None:
    page.goto("/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")


def charts_of(page: Any) -> list[Any]:
    return [
        page.locator(f'[data-chart="{name}"]')
        for name in page.eval_on_selector_all("[data-chart]", "els => els.map(e => e.getAttribute('data-chart'))")
    ]


def assert_drawn(page: Any, chart: Any) -> None:
    """The chart's drawing surface is there and has something on it: pixels of more than a few colours, and far
    from all of them background."""
    chart.scroll_into_view_if_needed()
    assert chart.locator("svg").count() == 1, chart
    page.wait_for_timeout(400)  # the bars grow for 300 ms
    image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    inked = sum(count for count, rgb in colours if sum(rgb) < 3 * 235)
    assert len(colours) > 8, chart
    assert inked > 0.02 * image.width * image.height, chart


def bar_point(page: Any, selector: str, index: int) -> tuple[float, float]:
    """The middle of a bar of the chart's first series, in page coordinates (ECharts lays the bars out)."""
    page.locator(selector).scroll_into_view_if_needed()
    point = page.evaluate(
        """([selector, index]) => {
            const element = document.querySelector(selector);
            const chart = echarts.getInstanceByDom(element);
            const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(index);
            const box = element.getBoundingClientRect();
            return [box.left + bar.x + bar.width / 2, box.top + bar.y + bar.height / 2];
        }""",
        [selector, index],
    )
    return point[0], point[1]


def chart_text(page: Any, selector: str) -> str:
    return page.locator(selector).evaluate("element => element.textContent")  # type: ignore[no-any-return]


def test_a_leader_reads_the_dashboard_drills_down_and_opens_the_evidence(
    page: Any, screenshot: Any, transactional_db: None
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    log_in(page, "hlj_leader", DEMO_PASSWORD)
    assert page.url.endswith("/dashboard/230000/2021/")  # the reporting year: the demo's records end in 2021
    screenshot("1-reporting-year")

    # The year switcher goes to 2020 on the same page.
    page.select_option("#switcher-year", "2020")
    page.wait_for_url("**/dashboard/230000/2020/")
    page.wait_for_load_state("networkidle")
    board = build_dashboard(m.Committee.objects.get(code="230000"), 2020)
    for code in (
        "members.total",
        "branches.total",
        "proposals.social_info",
        "training.person_times",
        "coverage.active",
    ):
        value = page.locator(f'.dashboard-card[data-metric="{code}"] .figure-link')
        assert value.inner_text() == board.figure(code).shown, code
    assert page.locator('.dashboard-card[data-metric="service.goods"] .figure-unit').inner_text() == "万元"
    charts = charts_of(page)
    assert len(charts) == 8  # five of the member structure, months, levels, committees compared
    for chart in charts:
        assert_drawn(page, chart)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("2-year-2020")

    # A bar's tooltip names the committee and the figure with its unit.
    compare = '[data-chart="chart-compare"]'
    page.mouse.move(*bar_point(page, compare, 0))
    page.wait_for_timeout(500)
    assert re.search(r"哈尔滨市委会.*会员.*\d+ 人", chart_text(page, compare))
    page.locator("#committees").screenshot(path=str(ARTIFACTS / f"{page_name(page)}-tooltip.png"))

    # The selector changes the figure without a reload.
    page.select_option("[data-compare-select]", "proposals.social_info")
    page.wait_for_function(
        "document.querySelector('[data-chart=\"chart-compare\"]').dataset.compareShown === 'proposals.social_info'"
    )
    assert "compare=proposals.social_info" in page.url
    assert_drawn(page, page.locator(compare))
    page.locator("#committees").screenshot(path=str(ARTIFACTS / f"{page_name(page)}-compare-social-info.png"))

    # Drill down: the first bar is Harbin.
    page.mouse.click(*bar_point(page, compare, 0))
    page.wait_for_url("**/dashboard/230100/2020/")
    page.wait_for_load_state("networkidle")
    assert "哈尔滨市委会" in page.locator("h1").inner_text()
    for chart in charts_of(page):
        assert_drawn(page, chart)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("3-harbin")

    # Back up through the breadcrumb.
    page.locator(".committee-breadcrumb a", has_text="黑龙江").click()
    page.wait_for_url("**/dashboard/230000/2020/")
    screenshot("4-back")

    # A figure opens the records behind it: the seven university branches founded in 2020.
    page.locator('li[data-metric="branches.founded"] a').click()
    page.wait_for_url("**/evidence/230000/2020/branches.founded/")
    evidence = page.locator("#evidence").inner_text()
    assert "哈尔滨工程大学" in evidence and "黑龙江应用职业学院" in evidence
    assert page.locator("#evidence tbody tr").count() == 7
    screenshot("5-evidence")


def page_name(page: Any) -> str:
    return "test_a_leader_reads_the_dashboard_drills_down_and_opens_the_evidence"


def test_a_branch_chair_gets_404_outside_the_branch(
    page: Any, screenshot: Any, tree: Tree, branch_chair: m.User
) -> None:
    log_in(page, branch_chair.username, TEST_PASSWORD)
    assert page.url.endswith(f"/dashboard/branch/{tree.harbin_branch.pk}/{THIS_YEAR}/")
    assert tree.harbin_branch.name in page.locator("h1").inner_text()
    screenshot("own-branch")
    for path in (
        "/dashboard/230000/2020/",
        "/dashboard/520000/2020/",
        f"/dashboard/branch/{tree.guiyang_branch.pk}/2020/",
    ):
        response = page.goto(path)
        assert response.status == 404, path
    screenshot("404")


def test_names_that_look_like_html_stay_text_in_the_page_and_the_tooltips(
    page: Any, screenshot: Any, tree: Tree
) -> None:
    leader = make_user("hlj_leader", m.User.Role.LEADER, committee=tree.hlj)
    city = tree.hlj.add_child(name=XSS, short_name=XSS, code="239900", kind=m.Committee.Kind.CITY)
    branch = BranchFactory(committee=city, name=XSS)
    member = MemberFactory(branch=branch, name=XSS)
    for month in (2, 5):
        info = ProposalFactory(branch=branch, kind="social_info", submitted_on=dt.date(2020, month, 1))
        m.Authorship.objects.create(proposal=info, member=member, order=1)
    MemberFactory(branch=tree.harbin_branch)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    log_in(page, leader.username, TEST_PASSWORD)
    page.goto("/dashboard/230000/2020/?rank=proposals.social_info")
    page.wait_for_load_state("networkidle")
    for chart in charts_of(page):
        assert_drawn(page, chart)

    def no_injection() -> None:
        assert page.locator('img[src="x"]').count() == 0
        assert page.locator("[onerror]").count() == 0
        assert dialogs == []

    no_injection()
    # As text in the committee table and in the ranking.
    assert XSS in page.locator(".dashboard-children").inner_text()
    assert page.locator(".dashboard-ranking tbody tr").first.locator("a").inner_text() == XSS

    # As text in the comparison chart's axis and tooltip: hover its bar (Harbin is first, then this committee).
    compare = '[data-chart="chart-compare"]'
    categories = page.evaluate("JSON.parse(document.getElementById('compare-data').textContent).categories")
    index = categories.index(XSS)
    page.mouse.move(*bar_point(page, compare, index))
    page.wait_for_timeout(500)
    texts = page.locator(f"{compare} svg text").all_text_contents()
    assert texts.count(XSS) >= 2, texts  # the axis label and the tooltip's title
    assert page.locator(f"{compare} foreignObject, {compare} img").count() == 0
    no_injection()
    page.locator("#committees").screenshot(path=str(ARTIFACTS / "test_names_that_look_like_html-tooltip.png"))
    screenshot("page")

    # The member's name in the records behind a figure.
    page.goto("/evidence/230000/2020/social_info.authors/")
    assert XSS in page.locator("#evidence").inner_text()
    no_injection()
    screenshot("evidence")

    # And the branch's own page.
    page.goto(f"/dashboard/branch/{branch.pk}/2020/")
    assert XSS in page.locator("h1").inner_text()
    no_injection()


def test_the_dashboard_fits_a_phone_and_prints_on_a4(page: Any, screenshot: Any, tree: Tree) -> None:
    leader = make_user("hlj_leader", m.User.Role.LEADER, committee=tree.hlj)
    for _ in range(3):
        MemberFactory(branch=tree.harbin_branch)
    ProposalFactory(branch=tree.harbin_branch, kind="social_info", submitted_on=dt.date(2020, 3, 1))
    log_in(page, leader.username, TEST_PASSWORD)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/dashboard/230000/2020/")
    page.wait_for_load_state("networkidle")
    for chart in charts_of(page):
        assert_drawn(page, chart)
    page.evaluate("window.scrollTo(0, 0)")
    # Nothing wider than the screen but the tables, which scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("phone")

    page.set_viewport_size({"width": 1400, "height": 900})
    page.emulate_media(media="print")
    screenshot("print")
    assert page.locator(".switcher").is_hidden()
    assert page.locator("[data-compare-form]").is_hidden()
    pdf = Path(ARTIFACTS) / "test_the_dashboard_fits_a_phone_and_prints_on_a4.pdf"
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # as the browser's print dialog does
    widths = page.eval_on_selector_all("[data-chart] svg", "svgs => svgs.map(s => s.getBoundingClientRect().width)")
    assert all(width <= 1030 for width in widths), widths  # every chart fits the paper
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.stat().st_size > 10_000
