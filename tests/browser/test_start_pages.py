"""The start page of every demo role in Chromium: Chinese, no "None", and what waits for that role on it.

Screenshots: artifacts/screenshots/test_the_start_page_of_every_demo_role-<user>.png.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.core.management import call_command

DEMO_PASSWORD = "demo-pass-2020"

# What each role must find on its start page: the to-do that concerns it.
EXPECTED = {
    "admin": "待审定的考核表",
    "hlj_clerk": "待审核的考核表",
    "hrb_clerk": "三个“一”尚缺的记录",
    "hlj_leader": "待您审定的考核表",
    "gz_leader": "待您审定的考核表",
    "branch_chair": "考核表",
}


def test_the_start_page_of_every_demo_role(browser: Any, live_server: Any, transactional_db: None) -> None:
    from tests.browser.conftest import ARTIFACTS

    call_command("load_demo", stdout=io.StringIO())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for username, expected in EXPECTED.items():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 900})
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.goto("/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"test_the_start_page_of_every_demo_role-{username}.png"), full_page=True)
        text = page.inner_text("body")
        assert expected in text, (username, page.url)
        assert not re.search(r"\bNone\b", text), username
        context.close()
    # The production 404 page (the live server runs with DEBUG off), styled by its own stylesheet.
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1000, "height": 600})
    page = context.new_page()
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    page.screenshot(path=str(ARTIFACTS / "test_the_start_page_of_every_demo_role-404.png"))
    assert "页面没有找到" in page.inner_text("body")
    assert page.eval_on_selector(".error-page", "e => getComputedStyle(e).maxWidth") == "576px"
    context.close()
