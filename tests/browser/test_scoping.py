"""A Guizhou clerk, in a real browser, cannot reach Heilongjiang's members."""

from __future__ import annotations

from typing import Any

from committees import models as m
from tests.browser.conftest import admin_log_in
from tests.conftest import Tree


def log_in(page: Any, username: str) -> None:
    admin_log_in(page, username, "a-test-password-2020")


def test_a_guizhou_clerk_cannot_find_a_heilongjiang_member(
    page: Any, screenshot: Any, tree: Tree, gz_clerk: m.User, hlj_member: m.Member, gz_member: m.Member
) -> None:
    log_in(page, gz_clerk.username)

    page.goto("/admin/committees/member/?q=" + hlj_member.name)
    screenshot("search")
    assert hlj_member.name not in page.locator("#content").inner_text()
    assert "0 条结果" in page.locator("#changelist-search").inner_text()

    page.goto("/admin/committees/member/")
    listing = page.locator("#result_list").inner_text()
    assert gz_member.name in listing and hlj_member.name not in listing

    response = page.goto(f"/admin/committees/member/{hlj_member.pk}/change/")
    assert response.status == 404
    screenshot("by-url")
    assert hlj_member.name not in page.content()

    response = page.goto(f"/admin/committees/member/{hlj_member.pk}/history/")
    assert response.status == 404
