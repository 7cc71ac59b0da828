"""Bulk actions on the member list: move to a branch, record a dated change of status."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from committees import models as m
from tests.conftest import Tree
from tests.factories import BranchFactory, MemberFactory

CHANGELIST = "admin:committees_member_changelist"


def client_for(user: m.User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two(tree: Tree) -> list[m.Member]:
    return [
        MemberFactory.create(branch=tree.harbin_branch, name="王秀梅"),
        MemberFactory.create(branch=tree.harbin_branch, name="刘志强"),
    ]


def act(client: Client, action: str, members: list[m.Member], **data: object) -> object:
    payload = {"action": action, "_selected_action": [x.pk for x in members], **data}
    return client.post(reverse(CHANGELIST), payload)


def test_moving_shows_a_confirmation_page_first(tree: Tree, hlj_clerk: m.User, two: list[m.Member]) -> None:
    response = act(client_for(hlj_clerk), "move_to_branch", two)
    assert response.status_code == 200  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "王秀梅 · 哈尔滨工程大学支部 · 1975" in page
    assert "移至支部" in page and "贵州大学支部" not in page
    assert set(m.Member.objects.values_list("branch", flat=True)) == {tree.harbin_branch.pk}


def test_moving_members_writes_history_like_a_single_edit(tree: Tree, hlj_clerk: m.User, two: list[m.Member]) -> None:
    target = BranchFactory.create(committee=tree.hlj, name="黑龙江大学支部")
    client = client_for(hlj_clerk)
    response = act(client, "move_to_branch", two, branch=target.pk, apply="1")
    assert response.status_code == 302  # type: ignore[attr-defined]
    for member in two:
        member.refresh_from_db()
        assert (member.branch, member.committee) == (target, tree.hlj)
        latest = member.history.latest()
        assert latest.history_type == "~"
        assert latest.history_user == hlj_clerk
        assert latest.prev_record is not None and latest.prev_record.branch_id == tree.harbin_branch.pk
    page = client.get(response["Location"]).content.decode()  # type: ignore[index]
    assert "2 名会员已移至黑龙江大学支部" in page


def test_a_city_clerk_cannot_move_members_out_of_the_subtree(
    tree: Tree, hrb_clerk: m.User, two: list[m.Member]
) -> None:
    province_branch = BranchFactory.create(committee=tree.hlj, name="黑龙江大学支部")
    client = client_for(hrb_clerk)
    page = act(client, "move_to_branch", two).content.decode()  # type: ignore[attr-defined]
    assert "黑龙江大学支部" not in page  # not offered
    response = act(client, "move_to_branch", two, branch=province_branch.pk, apply="1")  # forged
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "选择一个有效的选项" in response.content.decode()  # type: ignore[attr-defined]
    assert set(m.Member.objects.values_list("branch", flat=True)) == {tree.harbin_branch.pk}
    assert all(x.history.count() == 1 for x in two)


def test_members_of_another_province_are_not_moved(
    tree: Tree, hlj_clerk: m.User, two: list[m.Member], gz_member: m.Member
) -> None:
    target = BranchFactory.create(committee=tree.hlj, name="黑龙江大学支部")
    act(client_for(hlj_clerk), "move_to_branch", [*two, gz_member], branch=target.pk, apply="1")
    gz_member.refresh_from_db()
    assert gz_member.branch == tree.guiyang_branch


def test_a_leader_has_no_bulk_actions(tree: Tree, gz_leader: m.User, gz_member: m.Member) -> None:
    client = client_for(gz_leader)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "move_to_branch" not in page
    act(client, "record_status_change", [gz_member], status="withdrawn", changed_on="2021-03-15", apply="1")
    gz_member.refresh_from_db()
    assert gz_member.status == m.Member.Status.ACTIVE


def test_recording_a_status_change(tree: Tree, hlj_clerk: m.User, two: list[m.Member]) -> None:
    client = client_for(hlj_clerk)
    page = act(client, "record_status_change", two).content.decode()  # type: ignore[attr-defined]
    assert "记录状态变动" in page and "变动日期" in page
    response = act(
        client, "record_status_change", two, status="transferred", changed_on="2021.3.15", note="调往外省", apply="1"
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    for member in two:
        member.refresh_from_db()
        assert (member.status, member.status_changed_on) == ("transferred", dt.date(2021, 3, 15))
        assert member.history.latest().history_user == hlj_clerk
        change = member.status_changes.get()
        assert (change.status, change.changed_on, change.note) == ("transferred", dt.date(2021, 3, 15), "调往外省")
        assert change.history.get().history_user == hlj_clerk
    assert "已记录 2 名会员的状态为“转出”" in client.get(response["Location"]).content.decode()  # type: ignore[index]

    # The same change again records nothing twice.
    act(client, "record_status_change", two, status="transferred", changed_on="2021-03-15", apply="1")
    assert m.MemberStatusChange.objects.count() == 2


def test_a_status_change_needs_a_date(tree: Tree, hlj_clerk: m.User, two: list[m.Member]) -> None:
    response = act(client_for(hlj_clerk), "record_status_change", two, status="withdrawn", apply="1")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "这个字段是必填项" in response.content.decode()  # type: ignore[attr-defined]
    assert not m.MemberStatusChange.objects.exists()


def test_the_branch_must_be_chosen(tree: Tree, hlj_clerk: m.User, two: list[m.Member]) -> None:
    response = act(client_for(hlj_clerk), "move_to_branch", two, branch="", apply="1")
    assert "这个字段是必填项" in response.content.decode()  # type: ignore[attr-defined]
    assert set(m.Member.objects.values_list("branch", flat=True)) == {tree.harbin_branch.pk}


def test_an_earlier_change_does_not_overwrite_a_later_status(tree: Tree, hlj_clerk: m.User) -> None:
    member = MemberFactory.create(
        branch=tree.harbin_branch, name="周后转", status="transferred", status_changed_on=dt.date(2021, 5, 1)
    )
    act(client_for(hlj_clerk), "record_status_change", [member], status="active", changed_on="2019-09-01", apply="1")
    member.refresh_from_db()
    assert (member.status, member.status_changed_on) == ("transferred", dt.date(2021, 5, 1))
    assert member.status_changes.get().changed_on == dt.date(2019, 9, 1)
