"""A clerk imports a roster in a real browser: template, one bad row, the fix, the commit, the admin list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import Permission

from committees import models as m
from committees.imports.parsers import id_check_digit
from tests.conftest import Tree

from .conftest import ARTIFACTS

PASSWORD = "a-clerk-password-2020"


@pytest.fixture
def clerk(tree: Tree) -> m.User:
    user = m.User.objects.create_user(
        "hlj_clerk",
        password=PASSWORD,
        is_staff=True,
        role=m.User.Role.STAFF,
        committee=tree.hlj,
        can_view_personal_data=True,
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="committees"))
    return user


def fill(template: Path, target: Path, birth_of_second: str) -> None:
    """Fill the downloaded template the way a clerk would: from the row under the header."""
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[3]]
    column = {name.rstrip("*"): index for index, name in enumerate(header)}
    first = "23010219800501135"
    people = [
        {"姓名": "王小明", "性别": "男", "出生日期": "1980.5.1", "身份证号": first + id_check_digit(first),
         "所属支部": "哈尔滨工程大学支部", "学历": "大学本科", "职称": "副高级"},
        {"姓名": "李红", "性别": "女", "出生日期": birth_of_second, "所属支部": "哈尔滨工程大学支部",
         "学历": "硕士", "职称": "中级"},
    ]  # fmt: skip
    for offset, person in enumerate(people):
        for name, value in person.items():
            sheet.cell(row=4 + offset, column=column[name] + 1, value=value)
    book.save(target)


def test_a_clerk_imports_a_roster_fixing_a_bad_row(page: Any, screenshot: Any, tree: Tree, clerk: m.User) -> None:
    page.goto("/admin/login/?next=/imports/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("h1:has-text('数据导入')")
    screenshot("index")

    with page.expect_download() as download:
        page.click("[data-download='template-members']")
    folder = ARTIFACTS / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "template.xlsx"
    download.value.save_as(template)
    assert download.value.suggested_filename == "会员花名册导入模板.xlsx"

    bad, good = folder / "roster-bad.xlsx", folder / "roster-good.xlsx"
    fill(template, bad, "1975.2.30")
    fill(template, good, "1975.2.3")

    page.goto("/imports/members/")
    page.set_input_files("#id_file", str(bad))
    page.click("input[name=check]")
    page.wait_for_selector("#import-rows")
    error_row = page.locator("tr[data-row='5']")
    assert "错误" in error_row.inner_text()
    assert "出生日期" in error_row.inner_text() and "1975.2.30" in error_row.inner_text()
    assert "不是有效日期" in error_row.inner_text()
    assert page.locator("#commit").count() == 0
    screenshot("error")
    assert m.Member.objects.count() == 0

    assert page.locator("a:has-text('上传改正后的文件')").count() == 1
    page.click("#discard")  # the clerk sets the bad check aside: asked first, then nothing is left pending
    page.wait_for_selector("#confirm")
    screenshot("discard-confirm")
    page.click("#confirm")
    page.wait_for_selector("#discarded")
    screenshot("discarded")

    page.goto("/imports/members/")
    page.set_input_files("#id_file", str(good))
    page.click("input[name=check]")
    page.wait_for_selector("#commit")
    screenshot("checked")
    page.click("#commit")
    page.wait_for_selector(".alert-success")
    assert "已提交：新增2条" in page.locator(".alert-success").inner_text()
    screenshot("committed")
    page.click("#undo")  # asks first; going back changes nothing
    page.wait_for_selector("#confirm")
    assert "确定撤销导入" in page.locator("h1").inner_text()
    screenshot("undo-confirm")
    page.click("a:has-text('返回，不做改动')")
    page.wait_for_selector("#undo")

    page.goto("/admin/committees/member/")
    page.wait_for_selector("#result_list")
    names = page.locator("#result_list").inner_text()
    assert "王小明" in names and "李红" in names
    screenshot("admin")
    history = m.Member.objects.get(name="李红").history.get()
    assert history.history_change_reason.startswith("导入批次")
