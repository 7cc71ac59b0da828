"""Proposals with authors and outcomes, and training attendance: import, re-import, update, undo, scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from committees import models as m
from committees.imports import services
from committees.imports.models import ImportBatch
from tests.factories import MemberFactory, TrainingEventFactory

from .conftest import check, id_number, workbook_bytes

PROPOSAL_HEADERS = [
    "类别",
    "标题",
    "提交日期",
    "编号",
    "所属支部",
    "第一作者",
    "联名人",
    "采用级别",
    "批示级别",
    "批示领导",
]
ATTENDANCE_HEADERS = ["培训班名称", "开班日期", "结业日期", "培训类别", "主办级别", "姓名", "出生日期", "身份证号"]


@pytest.fixture
def authors(tree: Any) -> tuple[m.Member, m.Member]:
    return (
        MemberFactory(branch=tree.harbin_branch, name="张一", birth_date=dt.date(1970, 1, 1)),
        MemberFactory(branch=tree.harbin_branch, name="李二", birth_date=dt.date(1971, 2, 2)),
    )


def proposal_rows() -> list[list[Any]]:
    return [
        [
            "提案",
            "关于校车安全的提案",
            "2020.1.10",
            "20200001",
            "哈尔滨工程大学支部",
            "张一",
            "李二",
            "",
            "省领导",
            "省长",
        ],
        ["社情民意", "关于冰雪产业的建议", "2020年3月", "", "哈尔滨工程大学支部", "李二", "", "民进中央", "", ""],
    ]


def test_proposals_with_authors_and_outcomes(tree: Any, hlj_clerk: m.User, authors: Any) -> None:
    data = workbook_bytes(PROPOSAL_HEADERS, proposal_rows())
    batch = check(hlj_clerk, data, kind=ImportBatch.Kind.PROPOSALS)
    assert (batch.rows_new, batch.rows_error) == (2, 0), list(batch.rows.values("errors"))
    services.import_commit(user=hlj_clerk, batch=batch)
    bus = m.Proposal.objects.get(serial_number="20200001")
    assert (bus.kind, bus.branch, bus.committee, bus.submitted_on) == (
        "proposal",
        tree.harbin_branch,
        tree.harbin,
        dt.date(2020, 1, 10),
    )
    assert [a.member.name for a in bus.authorships.order_by("order")] == ["张一", "李二"]
    assert list(bus.outcomes.values_list("kind", "level", "by_whom")) == [("endorsed", "provincial_leader", "省长")]
    info = m.Proposal.objects.get(kind="social_info")
    assert info.submitted_on == dt.date(2020, 3, 1)
    assert list(info.outcomes.values_list("kind", "level")) == [("adopted", "party_central")]

    again = check(hlj_clerk, data, kind=ImportBatch.Kind.PROPOSALS)
    assert again.rows_unchanged == 2

    edited = proposal_rows()
    edited[0][5], edited[0][6] = "李二", "张一"  # the authors swap places
    batch = services.import_commit(
        user=hlj_clerk, batch=check(hlj_clerk, workbook_bytes(PROPOSAL_HEADERS, edited), kind="proposals")
    )
    assert batch.rows_updated == 1
    assert [a.member.name for a in bus.authorships.order_by("order")] == ["李二", "张一"]
    assert m.Proposal.objects.count() == 2

    services.import_undo(user=hlj_clerk, batch=batch)
    assert [a.member.name for a in bus.authorships.order_by("order")] == ["张一", "李二"]


def test_an_unknown_author_and_a_branch_outside_are_errors(tree: Any, hrb_clerk: m.User, authors: Any) -> None:
    rows = [
        ["提案", "甲", "2020.1.10", "", "哈尔滨工程大学支部", "王五", "", "", "", ""],
        ["提案", "乙", "2020.1.10", "", "贵州大学支部", "张一", "", "", "", ""],
    ]
    batch = check(hrb_clerk, workbook_bytes(PROPOSAL_HEADERS, rows), kind="proposals")
    errors = {r.number: r.errors[0]["message"] for r in batch.rows.all()}
    assert "没有会员“王五”" in errors[3]
    assert "不在您的管辖范围内" in errors[4]
    assert m.Proposal.objects.count() == 0


def test_training_attendance_with_a_new_event(tree: Any, hlj_clerk: m.User, authors: Any) -> None:
    zhang, li = authors
    li.id_number = id_number(birth="19710202", serial="222")
    li.save()
    rows = [
        ["基层组织负责人培训班", "2020.9.1", "2020.9.3", "基层组织负责人培训", "省级", "张一", "1970-01-01", ""],
        ["基层组织负责人培训班", "2020.9.1", "", "", "", "李二", "", li.id_number],
    ]
    data = workbook_bytes(ATTENDANCE_HEADERS, rows)
    batch = check(hlj_clerk, data, kind="attendance")
    assert (batch.rows_new, batch.rows_error) == (2, 0), list(batch.rows.values("errors"))
    batch = services.import_commit(user=hlj_clerk, batch=batch)
    event = m.TrainingEvent.objects.get()
    assert (event.committee, event.kind, event.organiser_level, event.ended_on) == (
        tree.hlj,
        "branch_leaders",
        "provincial",
        dt.date(2020, 9, 3),
    )
    assert set(event.attendees.all()) == {zhang, li}
    assert check(hlj_clerk, data, kind="attendance").rows_unchanged == 2

    services.import_undo(user=hlj_clerk, batch=batch)
    assert m.TrainingEvent.objects.count() == 0 and m.Attendance.objects.count() == 0


def test_attendance_at_an_existing_event_of_the_province_by_a_city_clerk(
    tree: Any, hrb_clerk: m.User, authors: Any
) -> None:
    event = TrainingEventFactory(committee=tree.hlj, title="新会员培训班", started_on=dt.date(2020, 5, 6))
    rows = [
        ["新会员培训班", "2020-05-06", "", "", "", "张一", "1970.1.1", ""],
        ["新会员培训班", "2020-05-06", "", "", "", "查无此人", "1970.1.1", ""],
    ]
    batch = check(hrb_clerk, workbook_bytes(ATTENDANCE_HEADERS, rows), kind="attendance")
    assert batch.rows.get(number=3).action == "new"
    assert "没有此姓名" in batch.rows.get(number=4).errors[0]["message"]
    fixed = check(hrb_clerk, workbook_bytes(ATTENDANCE_HEADERS, rows[:1]), kind="attendance")
    services.import_commit(user=hrb_clerk, batch=fixed)
    assert list(event.attendees.all()) == [authors[0]]
