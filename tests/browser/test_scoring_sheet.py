"""A branch chair and a reviewer work on a scoring sheet in a real browser: every button saves what is on screen,
leaving with unsaved changes asks first, and a second window working from a stale page is told who changed the
sheet, its input kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from committees import models as m
from reporting.scoring.defaults import default_scheme_create
from reporting.scoring.models import Entry, Scheme, Sheet
from tests.conftest import Tree

PASSWORD = "a-test-password-2020"
PLAN = "年度工作计划和总结"  # a manual item of the default scheme, up to 4 points
ROSTER = "会员信息及时更新"  # another, up to 2


@pytest.fixture
def scheme(tree: Tree) -> Scheme:
    return default_scheme_create(committee=tree.hlj, year=2020)


def user(username: str, name: tuple[str, str], role: str, **scope: Any) -> m.User:
    last, first = name
    return m.User.objects.create_user(username, password=PASSWORD, role=role, last_name=last, first_name=first, **scope)


def log_in(page: Any, username: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def score_input(page: Any, item: str, kind: str) -> Any:
    return page.locator(f"tr:has(td:text-is('{item}')) input[name^='{kind}-']")


def entry(branch: m.Branch, item: str) -> Entry:
    return Entry.objects.get(sheet__branch=branch, item__name=item)


def test_submit_and_review_save_what_is_on_screen(
    page: Any, browser: Any, live_server: Any, screenshot: Any, tree: Tree, scheme: Scheme
) -> None:
    branch = tree.harbin_branch
    user("chair_wang", ("王", "建国"), m.User.Role.BRANCH, branch=branch)
    user("clerk_li", ("李", "明"), m.User.Role.STAFF, committee=tree.harbin)
    log_in(page, "chair_wang")
    page.goto("/scoring/230100/2020/")
    assert not Sheet.objects.exists()  # opening the own sheet wrote nothing
    score_input(page, PLAN, "self").fill("3")
    score_input(page, ROSTER, "self").fill("1.5")

    # Leaving now asks first (the browser's own question); staying keeps what was typed.
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator("nav a").first.click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and score_input(page, PLAN, "self").input_value() == "3"
    screenshot("typed")

    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector("#state")
    screenshot("submitted")
    assert page.locator("#state").inner_text() == "已提交"
    assert "已提交审核，页面上填写的得分已一并保存" in page.locator(".alert-success").inner_text()
    sheet = Sheet.objects.get(branch=branch)
    assert sheet.state == "submitted"
    assert entry(branch, PLAN).self_points == Decimal(3) and entry(branch, ROSTER).self_points == Decimal("1.5")

    reviewer = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 900})
    other = reviewer.new_page()
    log_in(other, "clerk_li")
    other.goto(f"/scoring/sheets/{sheet.pk}/")
    score_input(other, PLAN, "reviewed").fill("2")
    other.get_by_role("button", name="审核完成").click()
    other.wait_for_selector(".alert-success, #errors")
    other.screenshot(path=str(screenshot("submitted").parent / "test_scoring_sheet-reviewed.png"), full_page=True)
    sheet.refresh_from_db()
    assert sheet.state == "reviewed" and entry(branch, PLAN).reviewed_points == Decimal(2)
    reviewer.close()


def test_a_stale_window_is_told_who_changed_the_sheet_and_keeps_its_input(
    page: Any, browser: Any, live_server: Any, screenshot: Any, tree: Tree, scheme: Scheme
) -> None:
    branch = tree.harbin_branch
    user("chair_wang", ("王", "建国"), m.User.Role.BRANCH, branch=branch)
    user("clerk_zhao", ("赵", "敏"), m.User.Role.BRANCH, branch=branch)
    log_in(page, "chair_wang")
    page.goto("/scoring/230100/2020/")
    second = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 900})
    other = second.new_page()
    log_in(other, "clerk_zhao")
    other.goto("/scoring/230100/2020/")

    # The first window saves; the second, opened before, then submits its own figures.
    score_input(page, PLAN, "self").fill("4")
    page.get_by_role("button", name="保存自评").click()
    page.wait_for_selector(".alert-success")
    score_input(other, PLAN, "self").fill("1")
    other.locator("input[name^='note-']").first.fill("材料已齐")
    other.get_by_role("button", name="提交审核").click()
    other.wait_for_selector("#conflict")
    path = screenshot("first")
    other.screenshot(path=str(path.parent / "test_scoring_sheet-conflict.png"), full_page=True)
    message = other.locator("#conflict").inner_text()
    assert "该记录已被他人修改" in message and "王" in message and "建国" in message
    assert score_input(other, PLAN, "self").input_value() == "1"
    assert "当前已保存：4" in other.locator(f"tr:has(td:text-is('{PLAN}'))").inner_text()
    assert other.locator("input[name^='note-']").first.input_value() == "材料已齐"
    assert other.locator("#conflict a[href='#history']").count() == 1
    # What was typed is still unsaved: leaving the page now asks first.
    asked: list[str] = []
    other.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    other.locator("nav a").first.click()
    other.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    sheet = Sheet.objects.get(branch=branch)
    assert sheet.state == "draft" and entry(branch, PLAN).self_points == Decimal(4)
    # Having seen the change, sending again goes through.
    other.get_by_role("button", name="提交审核").click()
    other.wait_for_selector(".alert-success")
    sheet.refresh_from_db()
    assert sheet.state == "submitted" and entry(branch, PLAN).self_points == Decimal(1)
    second.close()


def test_the_admin_change_form_warns_before_leaving_unsaved_changes(page: Any, tree: Tree) -> None:
    member = m.Member.objects.create(branch=tree.harbin_branch, name="王小明", gender="male")
    user("clerk_sun", ("孙", "丽"), m.User.Role.STAFF, committee=tree.hlj)
    log_in(page, "clerk_sun")
    page.goto(f"/admin/committees/member/{member.pk}/change/")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator("#site-name a").click()  # nothing changed: leaves without asking
    page.wait_for_url("**/admin/")
    assert asked == []
    page.goto(f"/admin/committees/member/{member.pk}/change/")
    page.fill("#id_work_unit", "哈尔滨工程大学")
    page.locator("#site-name a").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.locator("#id_work_unit").input_value() == "哈尔滨工程大学"
    page.click("input[name=_save]")  # saving is not leaving
    page.wait_for_selector(".messagelist")
    assert asked == ["beforeunload"]
    member.refresh_from_db()
    assert member.work_unit == "哈尔滨工程大学"
