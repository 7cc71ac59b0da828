"""A clerk picks the right 赵建国 by typing initials, and is warned when entering a likely duplicate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from committees import models as m
from tests.browser.test_admin_entry import PASSWORD, log_in
from tests.conftest import Tree
from tests.factories import BranchFactory, MemberFactory


@pytest.fixture
def clerk(tree: Tree) -> m.User:
    return m.User.objects.create_user(
        "hlj_clerk", password=PASSWORD, role=m.User.Role.STAFF, committee=tree.hlj, last_name="王", first_name="秀梅"
    )


def test_a_clerk_tells_namesakes_apart_and_is_warned_of_a_duplicate(
    page: Any, screenshot: Any, tree: Tree, clerk: m.User
) -> None:
    other = BranchFactory(committee=tree.harbin, name="哈尔滨医科大学支部")
    MemberFactory(branch=tree.harbin_branch, name="赵建国", birth_date=dt.date(1975, 4, 1))
    MemberFactory(branch=other, name="赵建国", birth_date=dt.date(1982, 9, 9))
    log_in(page, clerk.username)
    assert "王秀梅" in page.locator("#user-tools").inner_text()

    page.goto("/admin/committees/position/add/")
    page.click("[aria-labelledby=select2-id_member-container]")
    page.fill(".select2-search__field", "zjg")
    page.wait_for_selector(".select2-results__option:has-text('1982')")
    page.wait_for_selector(".select2-results__option:has-text('1975')")
    page.wait_for_selector(".select2-results__option.loading-results", state="detached")
    options = page.locator(".select2-results__option").all_inner_texts()
    screenshot("chooser")
    assert sorted(options) == ["赵建国 · 哈尔滨医科大学支部 · 1982", "赵建国 · 哈尔滨工程大学支部 · 1975"]

    page.goto("/admin/committees/member/add/")
    page.fill("#id_name", "赵建国")
    page.select_option("#id_gender", "male")
    page.fill("#id_birth_date", "1975-04-01")
    page.click("[aria-labelledby=select2-id_branch-container]")
    page.fill(".select2-search__field", "医科")
    page.click(".select2-results__option--highlighted:has-text('哈尔滨医科大学支部')")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .warning")
    screenshot("duplicate-warning")
    warning = page.locator(".messagelist .warning").inner_text()
    assert "赵建国 · 哈尔滨工程大学支部 · 1975（同名且出生日期相同）" in warning
    assert m.Member.objects.filter(name="赵建国").count() == 3
