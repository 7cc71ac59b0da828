"""An office clerk enters a member through the admin, in Chinese, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from committees import models as m
from tests.browser.conftest import admin_log_in
from tests.conftest import Tree

PASSWORD = "a-clerk-password-2020"


@pytest.fixture
def clerk(tree: Tree) -> m.User:
    user = m.User.objects.create_user(
        "hlj_clerk", password=PASSWORD, is_staff=True, role=m.User.Role.STAFF, committee=tree.hlj
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="committees"))
    return user


def log_in(page: Any, username: str) -> None:
    admin_log_in(page, username, PASSWORD)


def test_a_clerk_adds_a_member_and_finds_it_in_the_list(page: Any, screenshot: Any, tree: Tree, clerk: m.User) -> None:
    log_in(page, clerk.username)
    assert "站点管理" in page.content() or "数据录入" in page.content()

    page.goto("/admin/committees/member/add/")
    assert page.locator("label[for=id_name]").inner_text().startswith("姓名")
    page.fill("#id_name", "王小明")
    page.select_option("#id_gender", "male")
    page.fill("#id_birth_date", "1982-03-04")
    page.fill("#id_joined_on", "2010-07-01")
    page.select_option("#id_education", "master")
    page.select_option("#id_title_level", "vice_senior")
    # The branch is an autocomplete widget (select2): type, wait for the match, pick it. The committee is
    # left empty: it is taken from the branch.
    page.click("[aria-labelledby=select2-id_branch-container]")
    page.fill(".select2-search__field", "哈尔滨工程大学")
    page.click(".select2-results__option--highlighted:has-text('哈尔滨工程大学支部')")
    screenshot("form")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert "成功添加了 会员“王小明”" in page.locator(".messagelist").inner_text()

    page.fill("#searchbar", "王小明")
    page.press("#searchbar", "Enter")
    page.wait_for_selector("#result_list")
    table = page.locator("#result_list").inner_text()
    screenshot("list")
    assert "王小明" in table
    assert "哈尔滨工程大学支部" in table
    headers = page.locator("#result_list thead").inner_text()
    assert "姓名" in headers and "性别" in headers

    member = m.Member.objects.get(name="王小明")
    assert member.committee == tree.harbin
    assert member.history.get().history_user == clerk
