"""A training event's attendance entered by pasting a list or ticking a branch's roster."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees import models as m
from committees.imports.parsers import id_check_digit
from tests.committees import admin_helpers as bulk
from tests.conftest import Tree
from tests.factories import BranchFactory, MemberFactory, TrainingEventFactory


def id_with_x() -> str:
    """A valid ID number whose check character is X."""
    for serial in range(100, 1000):
        first17 = f"23010219750501{serial:03d}"
        if id_check_digit(first17) == "X":
            return first17 + "X"
    raise AssertionError("no ID number with check character X")


def entry_url(event: m.TrainingEvent) -> str:
    return reverse("admin:committees_trainingevent_attendance", args=[event.pk])


def client_for(user: m.User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def event(tree: Tree) -> m.TrainingEvent:
    return TrainingEventFactory.create(committee=tree.hlj, title="新会员培训班")


@pytest.fixture
def people(tree: Tree) -> dict[str, m.Member]:
    other_branch = BranchFactory.create(committee=tree.harbin, name="哈尔滨医科大学支部")
    return {
        "wang": MemberFactory.create(branch=tree.harbin_branch, name="王秀梅"),
        "x": MemberFactory.create(branch=tree.harbin_branch, name="李明", id_number=id_with_x()),
        "zhao1": MemberFactory.create(branch=tree.harbin_branch, name="赵建国", birth_date=dt.date(1968, 2, 1)),
        "zhao2": MemberFactory.create(branch=other_branch, name="赵建国", birth_date=dt.date(1981, 7, 9)),
        "gz": MemberFactory.create(branch=tree.guiyang_branch, name="陈贵州"),
        "attending": MemberFactory.create(branch=tree.harbin_branch, name="孙已到"),
    }


def test_pasted_lines_are_matched_and_nothing_is_guessed(
    tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    m.Attendance.objects.create(event=event, member=people["attending"])
    pasted = "\n".join(
        [
            "王秀梅",
            people["x"].id_number.lower(),  # a lowercase x is the same ID number
            "赵建国",
            "查无此人",
            "王秀梅",  # the same member twice
            "陈贵州",  # a Guizhou member: outside a Heilongjiang clerk's scope
            "孙已到",
            "",
        ]
    )
    response = client_for(hlj_clerk).post(entry_url(event), {"names": pasted, "check": "1"})
    assert response.status_code == 200
    matching = response.context["matching"]
    assert [line.member for line in matching.matched] == [people["wang"], people["x"]]
    assert [line.text for line in matching.unmatched] == ["查无此人", "陈贵州"]
    assert [line.member for line in matching.attending] == [people["attending"]]
    assert [line.number for line in matching.repeated] == [5]
    (ambiguous,) = matching.ambiguous
    assert [pk for pk, _ in ambiguous.choices] == [people["zhao1"].pk, people["zhao2"].pk]

    page = response.content.decode()
    # The candidates are told apart by branch and birth year, and the page speaks Chinese.
    assert "赵建国 · 哈尔滨工程大学支部 · 1968" in page
    assert "赵建国 · 哈尔滨医科大学支部 · 1981" in page
    assert "同名" in page and "未找到" in page and "确认录入" in page
    assert m.Attendance.objects.count() == 1  # checking writes nothing


def test_an_id_number_and_a_name_that_disagree_are_not_matched(
    tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    response = client_for(hlj_clerk).post(entry_url(event), {"names": f"王秀梅\t{people['x'].id_number}"})
    matching = response.context["matching"]
    assert matching.matched == []
    (line,) = matching.unmatched
    assert "李明" in line.problem


def test_pasted_id_numbers_are_masked_for_a_clerk_without_the_personal_data_right(
    tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent
) -> None:
    unknown = "230102197001011234"
    response = client_for(hlj_clerk).post(entry_url(event), {"names": unknown})
    (line,) = response.context["matching"].unmatched
    assert line.text == "230102********1234"
    page = response.content.decode()
    # Only the clerk's own text, kept in the box for correcting, repeats it.
    assert page.count(unknown) == 1 and re.search(rf"<textarea[^>]*>\s*{unknown}</textarea>", page)


def test_confirming_saves_the_ticked_and_the_picked_members_with_history(
    tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    client = client_for(hlj_clerk)
    response = client.post(
        entry_url(event),
        {"save": "1", "member": [people["wang"].pk, people["x"].pk], "pick-3": people["zhao2"].pk, "pick-9": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:committees_trainingevent_change", args=[event.pk])
    attendees = set(event.attendances.values_list("member__name", "member__branch__name"))
    assert attendees == {
        ("王秀梅", "哈尔滨工程大学支部"),
        ("李明", "哈尔滨工程大学支部"),
        ("赵建国", "哈尔滨医科大学支部"),
    }
    history = m.Attendance.history.filter(event_id=event.pk)
    assert history.count() == 3
    assert {h.history_user for h in history} == {hlj_clerk}
    assert {h.history_type for h in history} == {"+"}
    page = client.get(response["Location"]).content.decode()
    assert "已录入 3 人次出勤" in page


def test_saving_twice_adds_nobody_twice(
    tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    client = client_for(hlj_clerk)
    client.post(entry_url(event), {"save": "1", "member": [people["wang"].pk]})
    response = client.post(entry_url(event), {"save": "1", "member": [people["wang"].pk]}, follow=True)
    assert event.attendances.count() == 1
    assert "1 人已在名单中" in response.content.decode()


def test_a_forged_member_outside_the_scope_saves_nothing(
    tree: Tree, hrb_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    client = client_for(hrb_clerk)
    response = client.post(entry_url(event), {"save": "1", "member": [people["wang"].pk, people["gz"].pk]})
    assert response.status_code == 302
    assert not event.attendances.exists()
    assert "不在您的范围内" in client.get(response["Location"]).content.decode()


def test_a_city_clerk_records_own_members_at_a_provincial_class(
    tree: Tree, hrb_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    client = client_for(hrb_clerk)
    change = client.get(reverse("admin:committees_trainingevent_change", args=[event.pk]))
    assert entry_url(event) in change.content.decode()
    client.post(entry_url(event), {"save": "1", "member": [people["wang"].pk]})
    assert list(event.attendances.values_list("member__name", flat=True)) == ["王秀梅"]


def test_a_leader_and_another_province_cannot_enter_attendance(
    tree: Tree, gz_leader: m.User, gz_clerk: m.User, hlj_clerk: m.User, event: m.TrainingEvent
) -> None:
    assert client_for(gz_leader).get(entry_url(event)).status_code == 403
    assert client_for(gz_clerk).get(entry_url(event)).status_code == 404
    leader_change = client_for(gz_leader).get(reverse("admin:committees_trainingevent_change", args=[event.pk]))
    assert entry_url(event) not in leader_change.content.decode()


def test_ticking_a_branch_roster(
    tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    m.Attendance.objects.create(event=event, member=people["attending"])
    client = client_for(hlj_clerk)
    page = client.get(entry_url(event), {"branch": tree.harbin_branch.pk})
    assert page.status_code == 200
    roster = {label: attending for _, label, attending in page.context["roster"]}
    assert roster["孙已到 · 哈尔滨工程大学支部 · 1975"] is True
    assert roster["王秀梅 · 哈尔滨工程大学支部 · 1975"] is False
    assert "赵建国 · 哈尔滨医科大学支部 · 1981" not in roster  # another branch

    client.post(entry_url(event), {"save": "1", "member": [people["wang"].pk, people["zhao1"].pk]})
    assert set(event.attendances.values_list("member__name", flat=True)) == {"孙已到", "王秀梅", "赵建国"}


def test_a_branch_of_another_province_is_not_offered(
    tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    page = client_for(hlj_clerk).get(entry_url(event), {"branch": tree.guiyang_branch.pk})
    assert "roster" not in page.context
    assert "贵州大学支部" not in page.content.decode()


def _queries(client: Client, method: str, path: str, data: dict[str, Any]) -> int:
    getattr(client, method)(path, data)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_roster(tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent) -> None:
    client = client_for(hlj_clerk)
    members = bulk.members(tree.harbin_branch, 3)
    bulk.attendances(event, members[:1])
    roster = {"branch": tree.harbin_branch.pk}
    small_roster = _queries(client, "get", entry_url(event), roster)
    small_paste = _queries(client, "post", entry_url(event), {"names": "\n".join(x.name for x in members)})

    members += bulk.members(tree.harbin_branch, 30)
    bulk.attendances(event, members[3:10])
    assert _queries(client, "get", entry_url(event), roster) == small_roster
    assert _queries(client, "post", entry_url(event), {"names": "\n".join(x.name for x in members)}) == small_paste


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("王秀梅", ("王秀梅", "")),
        ("王\u3000芳", ("王芳", "")),  # a two-character name padded to line up with three-character ones
        ("欧阳 娜娜", ("欧阳娜娜", "")),
        ("1. 王秀梅", ("王秀梅", "")),  # a numbered list
        ("1\t王秀梅\t女", ("王秀梅", "")),  # columns copied from a spreadsheet
        ("王秀梅 哈尔滨工程大学支部", ("王秀梅", "")),
        ("王秀梅\t23010219750501123x", ("王秀梅", "23010219750501123X")),
        ("230102750501123", ("", "230102197505011235")),  # an old 15-digit number, widened
        ("13812345678", ("", "")),  # a phone number is neither
    ],
)
def test_a_pasted_line_is_read_as_a_name_and_an_id_number(line: str, expected: tuple[str, str]) -> None:
    from committees.admin.attendance_entry import split_line

    assert split_line(line) == expected


def test_a_member_who_left_is_labelled_with_the_status(
    tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    people["zhao1"].status, people["zhao1"].status_changed_on = m.Member.Status.DECEASED, dt.date(2021, 1, 1)
    people["zhao1"].save()
    response = client_for(hlj_clerk).post(entry_url(event), {"names": "赵建国"})
    assert "赵建国 · 哈尔滨工程大学支部 · 1968 · 去世" in response.content.decode()


def test_confirming_with_nobody_chosen_saves_nothing(tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent) -> None:
    response = client_for(hlj_clerk).post(entry_url(event), {"save": "1", "pick-3": ""}, follow=True)
    assert "未选择任何会员" in response.content.decode()
    assert not event.attendances.exists()


def test_a_branch_chair_ticks_the_own_roster_only(
    tree: Tree, branch_chair: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    client = client_for(branch_chair)
    page = client.get(entry_url(event))
    assert [b.name for b in page.context["branch_form"].fields["branch"].queryset] == ["哈尔滨工程大学支部"]
    pasted = client.post(entry_url(event), {"names": "王秀梅\n赵建国"}).context["matching"]
    # Only one 赵建国 is in the chair's branch: no ambiguity within the scope.
    assert [line.member for line in pasted.matched] == [people["wang"], people["zhao1"]]
    client.post(entry_url(event), {"save": "1", "member": [people["zhao2"].pk]})  # another branch's member
    assert not event.attendances.exists()


def test_a_member_not_on_the_roll_while_the_event_ran_is_refused_as_in_a_single_entry(
    tree: Tree, hlj_clerk: m.User, event: m.TrainingEvent, people: dict[str, m.Member]
) -> None:
    people["wang"].status, people["wang"].status_changed_on = m.Member.Status.DECEASED, dt.date(2019, 5, 1)
    people["wang"].save()
    client = client_for(hlj_clerk)

    checked = client.post(entry_url(event), {"names": "王秀梅\n李明", "check": "1"})
    [refused] = checked.context["matching"].unmatched
    assert refused.text == "王秀梅" and "2019年5月1日" in refused.problem and "2020年9月1日" in refused.problem
    assert [line.member for line in checked.context["matching"].matched] == [people["x"]]

    # A forged or stale confirmation (the status changed after the check) writes nobody, not half the list.
    saved = client.post(entry_url(event), {"save": "1", "member": [people["x"].pk, people["wang"].pk]})
    assert not event.attendances.exists()
    assert "王秀梅" in client.get(saved["Location"]).content.decode()
