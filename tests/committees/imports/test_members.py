"""The member roster: dry run, commit, idempotent re-import, update by natural key, undo, scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from committees import models as m
from committees.imports import services
from committees.imports.members import MemberImporter
from committees.imports.models import ImportBatch
from tests.factories import MemberFactory

from .conftest import MEMBER_HEADERS, check, id_number, workbook_bytes

WANG_ID = id_number(birth="19800501", serial="135")
LI_ID = id_number(birth="19750302", serial="124")


def rows(title: str = "副高") -> list[list[Any]]:
    return [
        ["王小明", "男", "1980.5.1", WANG_ID, "", "哈尔滨工程大学支部", "本科", title, 13812345678],
        ["李\u3000红", "女", dt.datetime(1975, 3, 2), LI_ID, "民进哈尔滨市委会", "", "硕士研究生", "中级", ""],
        ["赵刚", "男", "19660708", "", "", "哈尔滨工程大学支部", "大专", "无", "0451-88886666"],
    ]


def test_the_dry_run_writes_nothing_and_the_commit_writes_every_row_with_history(tree: Any, hlj_clerk: m.User) -> None:
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows()))
    assert (batch.rows_total, batch.rows_new, batch.rows_error) == (3, 3, 0)
    assert m.Member.objects.count() == 0
    assert batch.may_commit

    batch = services.import_commit(user=hlj_clerk, batch=batch)
    assert batch.state == ImportBatch.State.COMMITTED
    wang = m.Member.objects.get(id_number=WANG_ID)
    assert (wang.branch, wang.committee, wang.gender, wang.birth_date) == (
        tree.harbin_branch,
        tree.harbin,
        "male",
        dt.date(1980, 5, 1),
    )
    assert (wang.education, wang.title_level, wang.phone) == ("bachelor", "vice_senior", "13812345678")
    li = m.Member.objects.get(name="李 红")
    assert (li.committee, li.branch, li.education) == (tree.harbin, None, "master")
    assert m.Member.objects.get(name="赵刚").birth_date == dt.date(1966, 7, 8)
    history = m.Member.history.filter(id=wang.pk).get()
    assert history.history_change_reason == batch.history_reason == f"导入批次 #{batch.pk}：花名册.xlsx"
    assert history.history_user == hlj_clerk
    links = services.new_records(batch, [3, 4, 5])
    assert sorted(links.values()) == sorted(m.Member.objects.values_list("pk", flat=True))
    assert links[3] == wang.pk


def test_importing_the_same_file_again_changes_nothing(tree: Any, hlj_clerk: m.User) -> None:
    data = workbook_bytes(MEMBER_HEADERS, rows())
    services.import_commit(user=hlj_clerk, batch=check(hlj_clerk, data))
    again = check(hlj_clerk, data)
    assert (again.rows_unchanged, again.rows_new, again.rows_updated) == (3, 0, 0)
    assert not again.may_commit
    assert m.Member.objects.count() == 3
    assert m.Member.history.count() == 3


def test_an_edited_file_updates_by_natural_key_instead_of_duplicating(tree: Any, hlj_clerk: m.User) -> None:
    services.import_commit(user=hlj_clerk, batch=check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows())))
    edited = rows(title="正高")
    edited[2][6] = "本科"  # 赵刚 has no ID number: matched by name, birth date and branch
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, edited))
    assert (batch.rows_updated, batch.rows_unchanged, batch.rows_new) == (2, 1, 0)
    wang_row = batch.rows.get(number=3)
    assert wang_row.changes == [["title_level", "vice_senior", "senior"]]
    batch = services.import_commit(user=hlj_clerk, batch=batch)
    assert m.Member.objects.count() == 3
    assert m.Member.objects.get(id_number=WANG_ID).title_level == "senior"
    assert m.Member.objects.get(name="赵刚").education == "bachelor"
    latest = m.Member.objects.get(id_number=WANG_ID).history.first()
    assert latest.history_type == "~" and latest.history_change_reason == batch.history_reason


def test_an_id_number_added_later_finds_the_member_entered_without_one(tree: Any, hlj_clerk: m.User) -> None:
    zhao = MemberFactory(branch=tree.harbin_branch, name="赵刚", birth_date=dt.date(1966, 7, 8), id_number="")
    zhao_id = id_number(birth="19660708", serial="311")
    headers = ["姓名", "性别", "身份证号", "所属支部"]
    batch = check(hlj_clerk, workbook_bytes(headers, [["赵刚", "女", zhao_id, "哈尔滨工程大学支部"]]))
    assert batch.rows_updated == 1
    services.import_commit(user=hlj_clerk, batch=batch)
    zhao.refresh_from_db()
    assert zhao.id_number == zhao_id
    assert m.Member.objects.count() == 1


def test_blank_cells_and_missing_columns_leave_values_alone(tree: Any, hlj_clerk: m.User) -> None:
    member = MemberFactory(
        branch=tree.harbin_branch, name="钱多", id_number=LI_ID, birth_date=dt.date(1975, 3, 2), phone="13900001111"
    )
    batch = check(hlj_clerk, workbook_bytes(["姓名", "性别", "身份证号", "手机号码"], [["钱多", "女", LI_ID, None]]))
    assert batch.rows_unchanged == 1
    member.refresh_from_db()
    assert member.phone == "13900001111"


def test_the_rows_of_a_file_that_name_one_person_twice_are_errors(tree: Any, hlj_clerk: m.User) -> None:
    data = rows()
    data.append(["王晓明", "男", "", WANG_ID, "", "哈尔滨工程大学支部", "", "", ""])
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, data))
    duplicate = batch.rows.get(number=6)
    assert duplicate.action == "error"
    assert "与第3行是同一条记录" in duplicate.errors[0]["message"]


def test_row_errors_name_the_row_the_column_the_value_and_say_why_in_chinese(tree: Any, hlj_clerk: m.User) -> None:
    bad = ["孙丽", "女士", "1980-02-30", WANG_ID[:-1] + ("0" if WANG_ID[-1] != "0" else "1"), "", "", "", "特级", ""]
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, [*rows(), bad]))
    error = batch.rows.get(number=6)
    assert error.action == "error"
    by_column = {e["column"]: e for e in error.errors}
    assert set(by_column) == {"gender", "birth_date", "id_number", "title_level"}
    assert by_column["gender"]["value"] == "女士" and "不是可选值之一" in by_column["gender"]["message"]
    assert "不是有效日期" in by_column["birth_date"]["message"]
    assert "校验位不正确" in by_column["id_number"]["message"]
    assert "特级" in by_column["title_level"]["message"]
    with pytest.raises(services.ImportRefused):
        services.import_commit(user=hlj_clerk, batch=batch)
    assert m.Member.objects.count() == 0


def test_unknown_columns_are_reported(tree: Any, hlj_clerk: m.User) -> None:
    batch = check(hlj_clerk, workbook_bytes([*MEMBER_HEADERS, "爱好"], [[*rows()[0], "书法"]]))
    assert batch.unknown_columns == ["爱好"]
    assert batch.rows_new == 1


def test_positions_are_added_once_and_their_level_changed(tree: Any, hlj_clerk: m.User) -> None:
    headers = ["姓名", "性别", "身份证号", "所属支部", "政协委员", "会内职务", "后备干部"]
    first = [["王小明", "男", WANG_ID, "哈尔滨工程大学支部", "市级", "支部主委", "是"]]
    services.import_commit(user=hlj_clerk, batch=check(hlj_clerk, workbook_bytes(headers, first)))
    wang = m.Member.objects.get(id_number=WANG_ID)
    kinds = dict(wang.positions.values_list("kind", "level"))
    assert kinds == {"cppcc_member": "city", "party_post": "", "reserve_cadre": ""}
    assert wang.positions.get(kind="party_post").title == "支部主委"
    assert check(hlj_clerk, workbook_bytes(headers, first)).rows_unchanged == 1

    promoted = [["王小明", "男", WANG_ID, "哈尔滨工程大学支部", "省级", "支部主委", "是"]]
    services.import_commit(user=hlj_clerk, batch=check(hlj_clerk, workbook_bytes(headers, promoted)))
    assert wang.positions.count() == 3
    assert wang.positions.get(kind="cppcc_member").level == "provincial"


def test_undo_deletes_what_the_batch_created_and_restores_what_it_changed(tree: Any, hlj_clerk: m.User) -> None:
    existing = MemberFactory(branch=tree.harbin_branch, name="王小明", id_number=WANG_ID, title_level="junior")
    batch = services.import_commit(user=hlj_clerk, batch=check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows())))
    assert (batch.rows_new, batch.rows_updated) == (2, 1)
    assert m.Member.objects.count() == 3

    batch = services.import_undo(user=hlj_clerk, batch=batch)
    assert batch.state == ImportBatch.State.UNDONE
    assert list(m.Member.objects.all()) == [existing]
    existing.refresh_from_db()
    assert existing.title_level == "junior"
    assert existing.phone == ""
    reasons = set(m.Member.history.values_list("history_change_reason", flat=True))
    assert f"撤销导入批次 #{batch.pk}：花名册.xlsx" in reasons
    assert m.Member.history.filter(history_type="-").count() == 2
    with pytest.raises(services.ImportRefused):
        services.import_undo(user=hlj_clerk, batch=batch)


def test_undo_is_refused_once_a_record_of_the_batch_was_edited_later(tree: Any, hlj_clerk: m.User) -> None:
    batch = services.import_commit(user=hlj_clerk, batch=check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows())))
    wang = m.Member.objects.get(id_number=WANG_ID)
    wang.work_unit = "哈尔滨工程大学"
    wang.save()
    with pytest.raises(services.ImportRefused) as refusal:
        services.import_undo(user=hlj_clerk, batch=batch)
    assert "王小明" in refusal.value.message and "不能整体撤销" in refusal.value.message
    assert m.Member.objects.count() == 3
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.COMMITTED


def test_undo_is_refused_when_a_later_record_depends_on_a_created_member(tree: Any, hlj_clerk: m.User) -> None:
    from tests.factories import TrainingEventFactory

    batch = services.import_commit(user=hlj_clerk, batch=check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows())))
    event = TrainingEventFactory(committee=tree.hlj)
    m.Attendance.objects.create(event=event, member=m.Member.objects.get(id_number=WANG_ID))
    with pytest.raises(services.ImportRefused) as refusal:
        services.import_undo(user=hlj_clerk, batch=batch)
    assert "不能撤销" in refusal.value.message
    assert m.Member.objects.count() == 3


def test_rows_may_only_land_in_the_importers_subtree(tree: Any, hrb_clerk: m.User, gz_member: m.Member) -> None:
    gz_member.id_number = LI_ID
    gz_member.save()
    data = [
        ["甲", "男", "1980.5.1", "", "", "贵州大学支部", "", "", ""],
        ["乙", "男", "1980.5.1", "", "民进贵州省委会", "", "", "", ""],
        ["丙", "男", "1980.5.1", "", "民进黑龙江省委会", "", "", "", ""],
        ["李贵州", "女", "", LI_ID, "", "", "", "", ""],
        ["丁", "男", "1980.5.1", "", "", "哈尔滨工程大学支部", "", "", ""],
    ]
    batch = check(hrb_clerk, workbook_bytes(MEMBER_HEADERS, data))
    errors = {r.number: r.errors for r in batch.rows.all()}
    assert "不在您的管辖范围内" in errors[3][0]["message"]  # a Guizhou branch
    assert "不在您的管辖范围内" in errors[4][0]["message"]  # the Guizhou committee
    assert "不在您的管辖范围内" in errors[5][0]["message"]  # the province above Harbin
    assert "管辖范围以外的会员" in errors[6][0]["message"]  # a Guizhou member's ID number
    assert errors[7] == []
    assert batch.committee == tree.harbin
    with pytest.raises(services.ImportRefused):
        services.import_commit(user=hrb_clerk, batch=batch)
    assert m.Member.objects.count() == 1


def test_leaders_branches_and_outsiders_may_not_import(
    tree: Any, gz_leader: m.User, branch_chair: m.User, outsider: m.User
) -> None:
    data = workbook_bytes(MEMBER_HEADERS, rows())
    for user in (gz_leader, branch_chair, outsider):
        with pytest.raises(services.ImportRefused):
            check(user, data)
    assert ImportBatch.objects.count() == 0


def test_the_commit_is_all_or_nothing(tree: Any, hlj_clerk: m.User, gz_member: m.Member, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "CHUNK", 2)
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows()))
    assert batch.rows_new == 3
    # Between the check and the commit someone in Guizhou enters 赵刚's... no: gives a Guizhou member the ID
    # number row 4 (李红) will carry; the second chunk then no longer fits, after the first was written.
    data = rows()
    data[2][3] = id_number(birth="19660708", serial="311")
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, data))
    gz_member.id_number = data[2][3]
    gz_member.save()
    with pytest.raises(services.ImportRefused) as refusal:
        services.import_commit(user=hlj_clerk, batch=batch)
    assert "第5行" in refusal.value.message
    assert m.Member.objects.count() == 1  # the Guizhou member only: rows 3 and 4 were rolled back
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED


def test_the_commit_writes_what_the_check_decided_while_the_records_are_unchanged(
    tree: Any, hlj_clerk: m.User, monkeypatch: Any
) -> None:
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows()))

    def plan_again(self: Any, rows: Any) -> None:
        raise AssertionError("the commit planned the rows again")

    monkeypatch.setattr(MemberImporter, "plan", plan_again)
    batch = services.import_commit(user=hlj_clerk, batch=batch)
    assert (batch.state, batch.rows_new) == (ImportBatch.State.COMMITTED, 3)
    places = {(mb.name, mb.committee, mb.branch) for mb in m.Member.objects.all()}
    assert places == {
        ("王小明", tree.harbin, tree.harbin_branch),
        ("李 红", tree.harbin, None),
        ("赵刚", tree.harbin, tree.harbin_branch),
    }
    assert m.Member.history.filter(history_change_reason=batch.history_reason).count() == 3


def test_a_change_to_the_records_after_the_check_is_seen_by_the_commit(tree: Any, hlj_clerk: m.User) -> None:
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, rows()))
    # Someone enters 王小明 by hand between the check (a new member then) and the commit.
    MemberFactory(branch=tree.harbin_branch, name="王小明", id_number=WANG_ID, birth_date=dt.date(1980, 5, 1))
    with pytest.raises(services.ImportRefused) as refusal:
        services.import_commit(user=hlj_clerk, batch=batch)
    assert "第3行" in refusal.value.message and "数据已有变动" in refusal.value.message
    assert m.Member.objects.count() == 1
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED


def test_a_commit_by_someone_whose_reach_changed_since_the_check_is_held_to_the_new_reach(
    tree: Any, hlj_clerk: m.User
) -> None:
    data = rows()
    data[1][4] = "民进黑龙江省委会"  # 李红 directly under the province: the province's clerk may put her there
    batch = check(hlj_clerk, workbook_bytes(MEMBER_HEADERS, data))
    assert batch.rows_new == 3
    hlj_clerk.committee = tree.harbin  # moved to Harbin before committing; no record changed
    hlj_clerk.save()
    with pytest.raises(services.ImportRefused) as refusal:
        services.import_commit(user=hlj_clerk, batch=batch)
    assert "第4行" in refusal.value.message
    assert m.Member.objects.count() == 0
