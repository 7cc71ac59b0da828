"""Faster entry in a real browser: a 100-person class pasted in, and the proposal form following its kind."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from committees import models as m
from tests.browser.test_admin_entry import PASSWORD, log_in
from tests.conftest import Tree
from tests.factories import BranchFactory, MemberFactory, ProposalFactory, TrainingEventFactory

SURNAMES = "王李张刘陈杨黄吴周徐"
GIVEN = ["秀英", "桂英", "志强", "建华", "文博", "海燕", "丽娟", "国庆", "晓明", "玉兰"]


@pytest.fixture
def clerk(tree: Tree) -> m.User:
    return m.User.objects.create_user(
        "hlj_clerk", password=PASSWORD, is_staff=True, role=m.User.Role.STAFF, committee=tree.hlj
    )


def test_a_clerk_pastes_a_hundred_names_and_saves_them(page: Any, screenshot: Any, tree: Tree, clerk: m.User) -> None:
    second = BranchFactory.create(committee=tree.harbin, name="哈尔滨医科大学支部")
    members = m.Member.objects.bulk_create(
        m.Member(
            branch=tree.harbin_branch if i % 2 else second,
            committee=tree.harbin,
            name=SURNAMES[i // 10] + GIVEN[i % 10],
            gender=m.Gender.FEMALE,
            birth_date=dt.date(1960 + i % 30, 1, 1),
        )
        for i in range(98)
    )
    twins = m.Member.objects.bulk_create(
        m.Member(branch=b, committee=tree.harbin, name="赵建国", gender=m.Gender.MALE, birth_date=dt.date(y, 3, 1))
        for b, y in ((tree.harbin_branch, 1968), (second, 1981))
    )
    event = TrainingEventFactory.create(committee=tree.hlj, title="2021年新会员培训班")
    lines = [x.name for x in members] + ["赵建国", "查无此人"]

    log_in(page, clerk.username)
    started = time.monotonic()
    page.goto(f"/admin/committees/trainingevent/{event.pk}/change/")
    page.click("text=录入出勤")
    page.fill("#id_names", "\n".join(lines))
    page.click("input[name=check]")
    page.wait_for_selector("#matched")
    assert "将录入（98）" in page.locator("#matched h2").inner_text()
    assert "未找到（1）" in page.locator("#unmatched").inner_text()
    ambiguous = page.locator("#ambiguous").inner_text()
    assert "赵建国 · 哈尔滨工程大学支部 · 1968" in ambiguous and "赵建国 · 哈尔滨医科大学支部 · 1981" in ambiguous
    page.check("text=赵建国 · 哈尔滨医科大学支部 · 1981")
    screenshot("preview")
    page.locator("#confirm input[name=save]").first.click()
    page.wait_for_selector(".messagelist")
    elapsed = time.monotonic() - started
    assert "已录入 99 人次出勤" in page.locator(".messagelist").inner_text()
    screenshot("saved")

    assert event.attendances.count() == 99
    assert set(event.attendances.filter(member__name="赵建国").values_list("member", flat=True)) == {twins[1].pk}
    assert m.Attendance.history.filter(history_user=clerk).count() == 99
    assert elapsed < 60, elapsed  # a 100-person class in a minute, with the machine doing the clicking


def test_the_proposal_form_shows_the_fields_of_its_kind(page: Any, screenshot: Any, tree: Tree, clerk: m.User) -> None:
    log_in(page, clerk.username)
    page.goto("/admin/committees/proposal/add/")
    status = page.locator(".form-row.field-status")
    reply = page.locator(".form-row.field-reply_result")
    venue = page.locator(".form-row.field-venue")
    page.select_option("#id_kind", "proposal")
    assert status.is_visible() and reply.is_visible() and venue.is_visible()
    page.select_option("#id_kind", "speech")
    assert venue.is_visible() and not status.is_visible() and not reply.is_visible()
    page.select_option("#id_kind", "social_info")
    assert not venue.is_visible() and not status.is_visible()
    assert page.locator(".form-row.field-title").is_visible()
    screenshot("social-info")


def test_a_clerk_moves_a_co_author_up(page: Any, screenshot: Any, tree: Tree, clerk: m.User) -> None:
    proposal = ProposalFactory.create(branch=tree.harbin_branch, title="关于加强乡村教师队伍建设的提案")
    for order, name in enumerate(("甲一", "乙二", "丙三"), 1):
        member = MemberFactory.create(branch=tree.harbin_branch, name=name)
        m.Authorship.objects.create(proposal=proposal, member=member, order=order)
    log_in(page, clerk.username)
    page.goto(f"/admin/committees/proposal/{proposal.pk}/change/")
    rows = page.locator("#authorships-group tbody tr.has_original")
    assert rows.nth(2).locator(".author-place").inner_text() == "3"
    rows.nth(2).locator("button.author-up").click()
    rows.nth(1).locator("button.author-up").click()  # 丙三, now second, moves to the top
    assert [r.locator(".author-place").inner_text() for r in rows.all()] == ["1", "2", "3"]
    screenshot("moved")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    orders = proposal.authorships.order_by("order").values_list("member__name", flat=True)
    assert list(orders) == ["丙三", "甲一", "乙二"]


def test_a_clerk_moves_two_members_to_another_branch(page: Any, screenshot: Any, tree: Tree, clerk: m.User) -> None:
    target = BranchFactory.create(committee=tree.harbin, name="哈尔滨医科大学支部")
    moving = [MemberFactory.create(branch=tree.harbin_branch, name=name) for name in ("王秀梅", "刘志强")]
    MemberFactory.create(branch=tree.harbin_branch, name="张留下")
    log_in(page, clerk.username)
    page.goto("/admin/committees/member/")
    for member in moving:
        page.check(f"input[name=_selected_action][value='{member.pk}']")
    page.select_option("select[name=action]", "move_to_branch")
    page.click("button[name=index]")
    page.wait_for_selector("select[name=branch]")
    assert "王秀梅 · 哈尔滨工程大学支部 · 1975" in page.locator("#content-main").inner_text()
    page.select_option("select[name=branch]", str(target.pk))
    screenshot("confirm")
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist")
    assert "2 名会员已移至哈尔滨医科大学支部" in page.locator(".messagelist").inner_text()
    assert set(m.Member.objects.filter(branch=target).values_list("name", flat=True)) == {"王秀梅", "刘志强"}
