"""The page chrome: number filters, the committee and year switcher, the breadcrumb and base.html."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.shortcuts import resolve_url
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committees import models as m
from reporting import chrome
from reporting.templatetags.reporting_tags import cn_date, num, pct, wan
from tests.conftest import Tree, make_user

PROCESSOR = "reporting.chrome.chrome"

pytestmark = pytest.mark.urls("tests.reporting.chrome_urls")


@pytest.fixture(autouse=True)
def chrome_settings(settings: Any) -> None:
    """What reporting/settings.py is to carry: the app (for the template tags) and the context processor."""
    if "reporting" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "reporting"]
    templates = [dict(engine, OPTIONS=dict(engine["OPTIONS"])) for engine in settings.TEMPLATES]
    processors = templates[0]["OPTIONS"]["context_processors"]
    if PROCESSOR not in processors:
        templates[0]["OPTIONS"]["context_processors"] = [*processors, PROCESSOR]
    settings.TEMPLATES = templates


def client_for(user: m.User | None, language: str = "en") -> Client:
    # English unless asked: the tests read labels, and they hold before their translations are in.
    client = Client(headers={"accept-language": language})
    if user is not None:
        client.force_login(user)
    return client


class Page(HTMLParser):
    """What the tests look for in a rendered page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.options: dict[str, list[tuple[str, str, bool]]] = {}
        self.crumbs: list[tuple[str, str | None, bool]] = []
        self.links: dict[str, str] = {}
        self.inline_scripts = 0
        self.style_elements = 0
        self.style_attributes = 0
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._crumb: dict[str, Any] | None = None
        self._link: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "style" in a:
            self.style_attributes += 1
        if tag == "style":
            self.style_elements += 1
        if tag == "script" and not a.get("src") and a.get("type") != "application/json":
            self.inline_scripts += 1
        if tag == "select":
            self._select = a.get("name") or ""
            self.options[self._select] = []
        if tag == "option" and self._select is not None:
            self._option = (a.get("value") or "", "selected" in a)
            self._text = []
        if tag == "li" and "breadcrumb-item" in (a.get("class") or ""):
            self._crumb = {"href": None, "current": a.get("aria-current") == "page"}
            self._text = []
        if tag == "a":
            if self._crumb is not None:
                self._crumb["href"] = a.get("href")
            self._link = a.get("href")
            self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text).strip()
        if tag == "option" and self._option is not None and self._select is not None:
            self.options[self._select].append((self._option[0], "".join(self._text).rstrip(), self._option[1]))
            self._option = None
        if tag == "select":
            self._select = None
        if tag == "a" and self._link is not None:
            self.links[text] = self._link
            self._link = None
        if tag == "li" and self._crumb is not None:
            self.crumbs.append((text, self._crumb["href"], self._crumb["current"]))
            self._crumb = None


# ---- Filters -----------------------------------------------------------------------------------------


def test_wan_turns_yuan_into_ten_thousands_with_up_to_two_decimals() -> None:
    assert wan(41537000) == "4153.7"
    assert wan(Decimal("12345")) == "1.23"
    assert wan(Decimal("12355")) == "1.24"  # half up, as the paper tables round
    assert wan(50000) == "5"
    assert wan(0) == "0"
    assert wan(None) == "–"
    assert wan("") == "–"


def test_pct_shows_a_fraction_as_a_percentage_with_one_decimal() -> None:
    assert pct(Decimal("0.24")) == "24.0%"
    assert pct(Decimal("0.2456")) == "24.6%"
    assert pct(Decimal("0.00049")) == "0.0%"
    assert pct(1) == "100.0%"
    assert pct(None) == "–"


def test_num_separates_thousands() -> None:
    assert num(4460) == "4,460"
    assert num(1234567) == "1,234,567"
    assert num(0) == "0"
    assert num(999) == "999"
    assert num(Decimal("4460")) == "4,460"
    assert num(None) == "–"


def test_cn_date_writes_dates_the_chinese_way() -> None:
    assert cn_date(dt.date(2020, 10, 14)) == "2020年10月14日"
    assert cn_date(dt.date(2020, 1, 5)) == "2020年1月5日"
    # 20:00 UTC is already the next morning in Beijing.
    assert cn_date(dt.datetime(2020, 10, 13, 20, 0, tzinfo=dt.UTC)) == "2020年10月14日"
    assert cn_date(None) == "–"


def test_the_filters_work_in_templates() -> None:
    template = engines["django"].from_string(
        "{% load reporting_tags %}{{ a|wan }} {{ b|pct }} {{ c|num }} {{ d|cn_date }} {{ e|num }}"
    )
    rendered = template.render({"a": 41537000, "b": Decimal("0.24"), "c": 4460, "d": dt.date(2020, 10, 14)})
    assert rendered == "4153.7 24.0% 4,460 2020年10月14日 –"


# ---- Pure functions ----------------------------------------------------------------------------------


def test_the_switcher_offers_the_years_up_to_this_one_newest_first() -> None:
    assert chrome.year_choices(today=2020) == list(range(2020, chrome.FIRST_YEAR - 1, -1))
    assert chrome.year_choices(2005, today=2020)[-1] == 2005


def test_each_persona_starts_from_their_own_committee(
    tree: Tree, hlj_clerk: m.User, gz_leader: m.User, branch_chair: m.User, outsider: m.User
) -> None:
    admin = make_user("admin", m.User.Role.ADMIN)
    assert chrome.home_committee(hlj_clerk) == tree.hlj
    assert chrome.home_committee(gz_leader) == tree.gz
    assert chrome.home_committee(branch_chair) == tree.harbin
    assert chrome.home_committee(admin) == tree.central
    assert chrome.home_committee(outsider) is None


def test_the_switcher_indents_committees_by_depth_below_the_users_own(tree: Tree, hlj_clerk: m.User) -> None:
    admin = make_user("admin", m.User.Role.ADMIN)
    assert [o.label for o in chrome.switcher_options(admin)] == [
        "民进中央",
        "\u3000民进黑龙江省委会",
        "\u3000\u3000民进哈尔滨市委会",
        "\u3000民进贵州省委会",
        "\u3000\u3000民进贵阳市委会",
    ]
    assert [o.label for o in chrome.switcher_options(hlj_clerk)] == ["民进黑龙江省委会", "\u3000民进哈尔滨市委会"]


# ---- The switch view ---------------------------------------------------------------------------------


def switch(client: Client, **params: str) -> Any:
    return client.get("/switch/", params)


def test_switch_goes_to_the_same_page_type_for_a_readable_committee(hlj_clerk: m.User) -> None:
    response = switch(client_for(hlj_clerk), page="dashboard", committee="230100", year="2019")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/230100/2019/"
    response = switch(client_for(hlj_clerk), page="summary", committee="230000", year="2020")
    assert response["Location"] == "/summary/230000/2020/"


def test_switch_rejects_a_committee_of_another_province(hlj_clerk: m.User, gz_clerk: m.User) -> None:
    assert switch(client_for(gz_clerk), page="dashboard", committee="230100", year="2020").status_code == 404
    assert switch(client_for(hlj_clerk), page="dashboard", committee="520000", year="2020").status_code == 404
    assert switch(client_for(hlj_clerk), page="dashboard", committee="000000", year="2020").status_code == 404
    assert switch(client_for(hlj_clerk), page="dashboard", committee="999999", year="2020").status_code == 404


@pytest.mark.parametrize("year", ["", "abc", "2020.5", "1990", "3000"])
def test_switch_rejects_a_bad_year(hlj_clerk: m.User, year: str) -> None:
    assert switch(client_for(hlj_clerk), page="dashboard", committee="230000", year=year).status_code == 400


@pytest.mark.parametrize("page", ["", "admin:index", "home", "no-such-page", "scoring"])
def test_switch_rejects_a_page_that_is_not_a_committee_year_page(hlj_clerk: m.User, page: str) -> None:
    # "scoring" is such a page type, but not built in these URLs yet.
    assert switch(client_for(hlj_clerk), page=page, committee="230000", year="2020").status_code == 404


def test_switch_sends_an_anonymous_visitor_to_log_in(tree: Tree) -> None:
    response = switch(Client(), page="dashboard", committee="230000", year="2020")
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))


def test_switch_only_answers_get(hlj_clerk: m.User) -> None:
    response = client_for(hlj_clerk).post("/switch/", {"page": "dashboard", "committee": "230000", "year": "2020"})
    assert response.status_code == 405


# ---- base.html ---------------------------------------------------------------------------------------


@pytest.fixture
def harbin_page_html(hlj_clerk: m.User) -> str:
    response = client_for(hlj_clerk).get("/dashboard/230100/2020/")
    assert response.status_code == 200
    return str(response.content.decode())


@pytest.fixture
def harbin_page(harbin_page_html: str) -> Page:
    return Page(harbin_page_html)


def test_the_switcher_lists_only_the_clerks_committees(harbin_page: Page) -> None:
    assert harbin_page.options["committee"] == [
        ("230000", "民进黑龙江省委会", False),
        ("230100", "\u3000民进哈尔滨市委会", True),
    ]
    years = harbin_page.options["year"]
    assert [value for value, _label, selected in years if selected] == ["2020"]
    assert years[0][0] == str(timezone.localdate().year)


def test_the_breadcrumb_shows_the_tree_above_the_clerk_as_plain_text(harbin_page: Page) -> None:
    assert harbin_page.crumbs == [
        ("民进中央", None, False),
        ("民进黑龙江省委会", "/dashboard/230000/2020/", False),
        ("民进哈尔滨市委会", None, True),
    ]


def test_the_top_bar_links_the_pages_that_exist_and_leaves_out_the_others(harbin_page: Page) -> None:
    links = harbin_page.links
    assert links["Committee reporting"] == "/"
    assert links["Home"] == "/"
    assert links["Dashboard"] == "/dashboard/230100/2020/"
    assert links["Year summary"] == "/summary/230100/2020/"
    assert links["Data entry"] == "/admin/"
    assert "Scoring" not in links and "Statistics tables" not in links and "Imports" not in links


def test_the_page_obeys_the_content_security_policy(harbin_page: Page) -> None:
    assert harbin_page.inline_scripts == 0
    assert harbin_page.style_elements == 0
    assert harbin_page.style_attributes == 0


def test_the_page_speaks_chinese_by_default_and_offers_english(hlj_clerk: m.User) -> None:
    client = Client()
    client.force_login(hlj_clerk)
    body = client.get("/dashboard/230100/2020/").content.decode()
    assert '<html lang="zh-hans">' in body
    assert "民进履职统计" in body
    assert 'name="language" value="en"' in body and 'name="language" value="zh-hans"' in body


def test_the_user_sees_their_name_and_a_logout_form(harbin_page_html: str) -> None:
    assert "hlj_clerk" in harbin_page_html
    assert '<form method="post" action="/admin/logout/">' in harbin_page_html


def test_a_page_without_a_committee_has_no_switcher_and_links_the_users_own_committee(hlj_clerk: m.User) -> None:
    page = Page(client_for(hlj_clerk).get("/").content.decode())
    assert "committee" not in page.options
    assert page.crumbs == []
    assert page.links["Dashboard"] == f"/dashboard/230000/{timezone.localdate().year}/"


def test_an_anonymous_visitor_sees_no_navigation(tree: Tree) -> None:
    page = Page(client_for(None).get("/").content.decode())
    assert set(page.links) == {"Committee reporting"}
    assert page.options == {}


def test_the_page_chrome_costs_a_fixed_number_of_queries(hlj_clerk: m.User) -> None:
    client = client_for(hlj_clerk)
    with CaptureQueriesContext(connection) as queries:
        client.get("/dashboard/230100/2020/")
    # 1 session, 2 user, 3 the user's committee (for visible_to), 4 the page's committee,
    # 5 switcher committees, 6 breadcrumb chain, 7 breadcrumb: which of the chain the user may read.
    assert len(queries) == 7, [q["sql"] for q in queries]


# ---- Static assets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "asset",
    [
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/echarts/echarts.min.js",
        "css/app.css",
        "js/app.js",
        "js/charts.js",
    ],
)
def test_the_static_assets_are_vendored(asset: str) -> None:
    found = finders.find(asset)
    assert found, asset
    assert "sourceMappingURL" not in Path(str(found)).read_text(encoding="utf-8")
