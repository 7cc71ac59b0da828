"""Two clerks on the same member in two browsers; errors shown beside fields folded away in a fieldset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from committees import models as m
from committees.rules import constraint_names
from tests.browser.conftest import ARTIFACTS, admin_log_in
from tests.conftest import Tree
from tests.factories import ActivityFactory, MemberFactory

PASSWORD = "a-clerk-password-2020"


def _clerk(username: str, tree: Tree, **names: str) -> m.User:
    return m.User.objects.create_user(
        username, password=PASSWORD, is_staff=True, role=m.User.Role.STAFF, committee=tree.hlj, **names
    )


@pytest.fixture
def clerk_a(tree: Tree) -> m.User:
    return _clerk("clerk_a", tree, last_name="张", first_name="显友")


@pytest.fixture
def clerk_b(tree: Tree) -> m.User:
    return _clerk("clerk_b", tree, last_name="王", first_name="秀梅")


def log_in(page: Any, username: str) -> None:
    admin_log_in(page, username, PASSWORD)


def test_a_clerk_saving_a_stale_member_form_is_told_and_loses_nothing(
    browser: Any, live_server: Any, page: Any, tree: Tree, clerk_a: m.User, clerk_b: m.User
) -> None:
    member = MemberFactory(branch=tree.harbin_branch, name="赵建国", work_unit="旧单位", job_title="旧职务")
    path = f"/admin/committees/member/{member.pk}/change/"
    other = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 900})
    page_b = other.new_page()
    try:
        log_in(page, clerk_a.username)
        log_in(page_b, clerk_b.username)
        page.goto(path)
        page_b.goto(path)

        page.fill("#id_work_unit", "哈尔滨工业大学")
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist")
        page_b.fill("#id_job_title", "教授")
        page_b.click("input[name=_save]")
        page_b.wait_for_selector(".errornote")

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page_b.screenshot(path=str(ARTIFACTS / "stale-member-form-conflict.png"), full_page=True)
        notice = page_b.locator("form .errorlist.nonfield").inner_text()
        assert "该记录已被他人修改" in notice
        assert "张显友" in notice
        assert "工作单位" in notice
        assert page_b.input_value("#id_job_title") == "教授"  # B's input kept
        assert page_b.input_value("#id_work_unit") == "哈尔滨工业大学"  # A's change shown, not overwritten
        member.refresh_from_db()
        assert (member.work_unit, member.job_title) == ("哈尔滨工业大学", "旧职务")

        with other.expect_page() as opened:  # the record's history, in a new tab: the form stays as it is
            page_b.click("form .errorlist.nonfield a")
        history = opened.value
        history.wait_for_selector("#change-history")
        assert "哈尔滨工业大学" in history.locator("#change-history").inner_text()

        page_b.click("input[name=_save]")
        page_b.wait_for_selector(".messagelist")
        member.refresh_from_db()
        assert (member.work_unit, member.job_title) == ("哈尔滨工业大学", "教授")
    finally:
        other.close()


def test_an_error_in_a_folded_fieldset_is_shown_open_beside_its_field(
    page: Any, screenshot: Any, tree: Tree, clerk_a: m.User
) -> None:
    activity = ActivityFactory(branch=tree.harbin_branch, held_on=dt.date(2020, 5, 1))
    log_in(page, clerk_a.username)
    page.goto(f"/admin/committees/activity/{activity.pk}/change/")
    details = page.locator("details:has(#id_donation_goods)")
    assert details.evaluate("d => d.open") is False  # folded while nothing is wrong
    details.locator("summary").click()
    page.fill("#id_donation_goods", "-5")
    page.fill("#id_held_on", "2020.05.02")
    page.fill("#id_ended_on", "2020.05.01")

    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")

    assert details.evaluate("d => d.open") is True
    assert page.locator("#id_donation_goods").is_visible()
    row = page.locator(".form-row.field-donation_goods").inner_text()
    assert "捐赠金额不能为负数" in row
    assert "结束日期不能早于活动日期" in page.locator(".form-row.field-ended_on").inner_text()
    assert page.input_value("#id_held_on") == "2020.05.02"  # the user's input, as typed
    content = page.content()
    assert not [name for name in constraint_names() if name in content]
    assert "是无效的" not in content
    screenshot("errors")


def test_an_id_number_error_opens_the_personal_data_fieldset(page: Any, screenshot: Any, tree: Tree) -> None:
    clerk = _clerk("clerk_p", tree)
    clerk.can_view_personal_data = True
    clerk.save()
    holder = MemberFactory(branch=tree.harbin_branch, name="丁云红", id_number="11010519491231002X")
    member = MemberFactory(branch=tree.harbin_branch, name="错误五")
    log_in(page, clerk.username)
    page.goto(f"/admin/committees/member/{member.pk}/change/")
    page.locator("details:has(#id_id_number) summary").click()
    page.fill("#id_id_number", holder.id_number.lower())
    page.fill("#id_joined_on", "2021年3月15日")

    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")

    assert page.locator("#id_id_number").is_visible()  # the fieldset no longer folds
    text = page.locator(".form-row.field-id_number").inner_text()
    assert "丁云红（哈尔滨工程大学支部）" in text
    assert page.input_value("#id_joined_on") == "2021年3月15日"
    screenshot("duplicate-id")
