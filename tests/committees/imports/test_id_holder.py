"""An ID number names one person: a row carrying a member's ID number under another name is refused, with both
names shown, in the roster and in attendance; the clerk corrects the file or renames the member first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from committees import models as m
from committees.imports import services
from tests.factories import MemberFactory

from .conftest import MEMBER_HEADERS, check, id_number, workbook_bytes

DING_ID = id_number(birth="19750302", serial="124")
ATTENDANCE_HEADERS = ["培训班名称", "开班日期", "结业日期", "培训类别", "主办级别", "姓名", "出生日期", "身份证号"]


def _ding(tree: Any) -> m.Member:
    return MemberFactory(branch=tree.harbin_branch, name="丁云红", birth_date=dt.date(1975, 3, 2), id_number=DING_ID)


def test_a_roster_row_with_a_members_id_number_and_another_name_is_refused(tree: Any, hlj_clerk: m.User) -> None:
    ding = _ding(tree)
    row = ["错误五", "女", "", DING_ID, "民进哈尔滨市委会", "", "本科", "中级", ""]
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, [row]))

    assert (batch.rows_error, batch.rows_updated, batch.rows_new) == (1, 0, 0)
    [error] = batch.rows.get(number=3).errors
    assert error["column"] == "name"
    assert "丁云红" in error["message"] and "错误五" in error["message"]
    assert "身份证号" in error["message"]
    assert not batch.may_commit
    ding.refresh_from_db()
    assert (ding.name, ding.branch) == ("丁云红", tree.harbin_branch)


def test_a_roster_row_with_the_holders_name_still_updates_her(tree: Any, hlj_clerk: m.User) -> None:
    ding = _ding(tree)
    row = ["丁云红", "女", "", DING_ID, "", "哈尔滨工程大学支部", "硕士", "中级", ""]
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, [row]))
    assert (batch.rows_error, batch.rows_updated) == (0, 1), list(batch.rows.values("errors"))
    services.import_commit(user=hlj_clerk, batch=batch)
    ding.refresh_from_db()
    assert (ding.name, ding.education) == ("丁云红", "master")


def test_new_members_of_an_import_are_spelled_in_pinyin(tree: Any, hlj_clerk: m.User) -> None:
    row = ["单立新", "男", "1980.5.1", "", "", "哈尔滨工程大学支部", "本科", "中级", ""]
    services.import_commit(user=hlj_clerk, batch=check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, [row])))
    assert m.Member.objects.get(name="单立新").name_pinyin.startswith("shanlixin slx")


def test_an_attendance_row_with_a_members_id_number_and_another_name_is_refused(tree: Any, hlj_clerk: m.User) -> None:
    _ding(tree)
    rows = [["骨干会员培训班", "2020-09-01", "2020-09-03", "骨干会员培训", "省", "错误五", "", DING_ID]]
    batch = check(hlj_clerk, workbook_bytes(ATTENDANCE_HEADERS, rows), kind="attendance")

    assert batch.rows_error == 1
    [error] = batch.rows.get(number=3).errors
    assert "丁云红" in error["message"] and "错误五" in error["message"]
    assert m.Attendance.objects.count() == 0


def test_a_name_spaced_otherwise_is_the_same_person_and_undo_restores_it(tree: Any, hlj_clerk: m.User) -> None:
    ding = _ding(tree)
    row = ["丁 云红", "女", "", DING_ID, "", "哈尔滨工程大学支部", "本科", "中级", ""]
    batch = services.import_commit(user=hlj_clerk, batch=check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, [row])))
    ding.refresh_from_db()
    assert (ding.name, ding.name_pinyin) == ("丁 云红", "dingyunhong dyh")

    services.import_undo(user=hlj_clerk, batch=batch)
    ding.refresh_from_db()
    assert (ding.name, ding.name_pinyin) == ("丁云红", "dingyunhong dyh")
