"""The review workflow: who may do what (a matrix), history, freezing at approval, returns, bulk approval."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from committees import models as m
from reporting.scoring.models import Item, Scheme, Sheet, Transition
from reporting.scoring.services import sheets_ensure
from tests.conftest import make_user
from tests.factories import ProposalFactory
from tests.reporting.scoring.conftest import World, author

pytestmark = pytest.mark.django_db

PERSONAS = ("branch_chair", "hrb_clerk", "hlj_clerk", "hlj_leader", "gz_clerk", "gz_leader", "outsider")

# What each persona may do with the sheet of X (哈尔滨工程大学支部, whose user is branch_chair):
# see it, save a self-assessment (draft), submit (draft), save review scores and mark reviewed (submitted),
# approve (reviewed), return (from reviewed).
MATRIX = {
    #               see    assess submit review approve return
    "branch_chair": (True, True, True, False, False, False),
    "hrb_clerk": (True, False, False, True, False, False),
    "hlj_clerk": (True, False, False, True, False, False),
    "hlj_leader": (True, False, False, False, True, True),
    "gz_clerk": (False, False, False, False, False, False),
    "gz_leader": (False, False, False, False, False, False),
    "outsider": (False, False, False, False, False, False),
}


@pytest.fixture
def personas(
    request: pytest.FixtureRequest,
    branch_chair: m.User,
    hrb_clerk: m.User,
    hlj_clerk: m.User,
    hlj_leader: m.User,
    gz_clerk: m.User,
    gz_leader: m.User,
    outsider: m.User,
) -> dict[str, m.User]:
    return {u.username: u for u in (branch_chair, hrb_clerk, hlj_clerk, hlj_leader, gz_clerk, gz_leader, outsider)}


def put(sheet: Sheet, state: str) -> None:
    Sheet.objects.filter(pk=sheet.pk).update(state=state, approved_at=timezone.now() if state == "approved" else None)


def client_for(user: m.User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_permissions_matrix(world: World, s1: Scheme, personas: dict[str, m.User]) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    manual = Item.objects.get(scheme=s1, name="A2 计划总结")
    url = f"/scoring/sheets/{sheet.pk}/"
    observed = {}
    for name, user in personas.items():
        client = client_for(user)
        seen = client.get(url).status_code == 200
        put(sheet, "draft")
        assessed = save(client, sheet, **{f"self-{manual.pk}": "8"}).status_code == 302
        submitted = _moved(client, sheet, "draft", "submit", "submitted")
        put(sheet, "submitted")
        reviewed = save(client, sheet, **{f"reviewed-{manual.pk}": "7"}).status_code == 302 and _moved(
            client, sheet, "submitted", "review", "reviewed"
        )
        approved = _moved(client, sheet, "reviewed", "approve", "approved")
        returned = _moved(client, sheet, "reviewed", "return", "draft", reason="材料不全")
        observed[name] = (seen, assessed, submitted, reviewed, approved, returned)
    assert observed == MATRIX
    # A sheet outside one's subtree is not found at all.
    assert client_for(personas["gz_clerk"]).get(url).status_code == 404
    # A branch user sees no other branch's sheet, and Harbin's staff none of the province's own branches.
    z_sheet = sheets_ensure(s1, [world.z])[world.z.pk]
    assert client_for(personas["branch_chair"]).get(f"/scoring/sheets/{z_sheet.pk}/").status_code == 404
    assert client_for(personas["hrb_clerk"]).get(f"/scoring/sheets/{z_sheet.pk}/").status_code == 404
    assert client_for(personas["hlj_clerk"]).get(f"/scoring/sheets/{z_sheet.pk}/").status_code == 200
    # The ranking is for committee staff and leaders of the subtree.
    assert client_for(personas["gz_leader"]).get("/scoring/230000/2020/").status_code == 404
    assert client_for(personas["hrb_clerk"]).get("/scoring/230000/2020/").status_code == 404
    assert client_for(personas["hrb_clerk"]).get("/scoring/230100/2020/").status_code == 200


def _moved(client: Client, sheet: Sheet, start: str, action: str, target: str, reason: str = "") -> bool:
    put(sheet, start)
    move(client, sheet, action, reason=reason)
    return Sheet.objects.get(pk=sheet.pk).state == target


def move(client: Client, sheet: Sheet, action: str, follow: bool = False, **data: str) -> Any:
    """Press a workflow button on the sheet's page, as opened now (the form carries the sheet's version)."""
    version = Sheet.objects.get(pk=sheet.pk).version
    return client.post(f"/scoring/sheets/{sheet.pk}/", {"action": action, "version": version, **data}, follow=follow)


def save(client: Client, sheet: Sheet, **data: str) -> Any:
    version = Sheet.objects.get(pk=sheet.pk).version
    return client.post(f"/scoring/sheets/{sheet.pk}/", {"action": "save", "version": version, **data})


def walk(world: World, s1: Scheme, branch: m.Branch, leader: m.User, clerk: m.User, chair: m.User | None) -> Sheet:
    sheet = sheets_ensure(s1, [branch])[branch.pk]
    submitter = chair or m.User.objects.create_superuser(f"su{branch.pk}", "s@example.invalid", "x-password-2020")
    move(client_for(submitter), sheet, "submit")
    move(client_for(clerk), sheet, "review")
    move(client_for(leader), sheet, "approve")
    sheet.refresh_from_db()
    return sheet


def test_an_approved_sheet_is_frozen_and_flags_changed_records(
    world: World, s1: Scheme, branch_chair: m.User, hlj_clerk: m.User, hlj_leader: m.User
) -> None:
    sheet = walk(world, s1, world.x, hlj_leader, hlj_clerk, branch_chair)
    assert sheet.state == "approved" and sheet.total == Decimal(73)
    history = list(Transition.objects.filter(sheet=sheet).values_list("action", "by__username"))
    assert history == [("submit", "branch_chair"), ("review", "hlj_clerk"), ("approve", "hlj_leader")]

    # m2 writes a 社情民意 afterwards: the share of X becomes 2/2 and would give 30 instead of 15.
    author(ProposalFactory(branch=world.x, kind="social_info", title="迟到的社情民意"), world.people["m2"])
    page = client_for(hlj_clerk).get(f"/scoring/sheets/{sheet.pk}/").content.decode()
    assert 'id="total">73<' in page and 'id="changed"' in page
    ranking = client_for(hlj_clerk).get("/scoring/230000/2020/").content.decode()
    assert "records changed" in ranking or "记录已变化" in ranking
    sheet.refresh_from_db()
    assert sheet.total == Decimal(73) and sheet.entries.get(item__name="C1 报送比例").points == Decimal(15)

    # Returned by the leader with a reason: a draft again, figures as the records give them now.
    move(client_for(hlj_leader), sheet, "return", reason="请补充材料")
    page = client_for(hlj_clerk).get(f"/scoring/sheets/{sheet.pk}/").content.decode()
    assert 'id="total">88<' in page and "请补充材料" in page and 'id="changed"' not in page
    last = Transition.objects.filter(sheet=sheet).latest("pk")
    assert (last.action, last.from_state, last.to_state, last.reason) == ("return", "approved", "draft", "请补充材料")


def test_returning_needs_a_reason(world: World, s1: Scheme, hlj_clerk: m.User) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    put(sheet, "submitted")
    response = move(client_for(hlj_clerk), sheet, "return")
    assert Sheet.objects.get(pk=sheet.pk).state == "submitted"
    assert "退回" in response.content.decode() and not Transition.objects.filter(sheet=sheet).exists()


def test_bad_scores_are_refused_with_a_chinese_message(world: World, s1: Scheme, branch_chair: m.User) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    manual = Item.objects.get(scheme=s1, name="A2 计划总结")
    deduction = Item.objects.get(scheme=s1, name="D2 迟报")
    client = client_for(branch_chair)
    response = save(client, sheet, **{f"self-{manual.pk}": "12", f"self-{deduction.pk}": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "A2 计划总结：请输入0到10之间的数值" in page and "D2 迟报：请输入-5到0之间的数值" in page
    response = save(client, sheet, **{f"self-{manual.pk}": "十"})
    assert response.status_code == 400 and "A2 计划总结（自评得分）：“十”不是数字" in response.content.decode()
    response = save(client, sheet, **{f"self-{manual.pk}": "3.333"})
    assert "A2 计划总结（自评得分）：“3.333”超过两位小数" in response.content.decode()
    response = save(client, sheet, **{f"self-{manual.pk}": "3", f"note-{manual.pk}": "长" * 301})
    assert "A2 计划总结（备注）：最多300个字" in response.content.decode()
    assert not sheet.entries.exists()  # nothing partial


def test_bulk_approve_for_a_committee(world: World, s1: Scheme, hlj_leader: m.User, hrb_clerk: m.User) -> None:
    sheets = sheets_ensure(s1, [world.x, world.y, world.z])
    for sheet in sheets.values():
        put(sheet, "reviewed")
    put(sheets[world.z.pk], "submitted")
    shown = {f"{s.pk}:{s.version}" for s in Sheet.objects.filter(state="reviewed")}
    # Harbin's staff may not approve: nothing happens.
    client_for(hrb_clerk).post("/scoring/230100/2020/approve/", {"scheme": s1.pk, "sheet": sorted(shown)})
    assert Sheet.objects.filter(state="approved").count() == 0
    leader = client_for(hlj_leader)
    page = leader.get("/scoring/230000/2020/").content.decode()
    form = re.search(r'<form[^>]*id="bulk-approve"[^>]*data-confirm="([^"]+)"(.*?)</form>', page, re.S)
    assert form and "确定审定全部2份" in form.group(1), "the bulk approval asks for confirmation"
    assert set(re.findall(r'name="sheet" value="([^"]+)"', form.group(2))) == shown
    # Y is returned by someone else meanwhile: the confirmed list is out of date, nothing is approved.
    move(
        client_for(m.User.objects.create_superuser("root2", "r@example.invalid", "x-password-2020")),
        sheets[world.y.pk],
        "return",
        reason="补充",
    )
    response = leader.post("/scoring/230000/2020/approve/", {"scheme": s1.pk, "sheet": sorted(shown)}, follow=True)
    assert "该记录已被他人修改" in response.content.decode() and "哈尔滨第二支部" in response.content.decode()
    assert Sheet.objects.filter(state="approved").count() == 0
    put(sheets[world.y.pk], "reviewed")
    shown = {f"{s.pk}:{s.version}" for s in Sheet.objects.filter(state="reviewed")}
    # Z is marked reviewed after the page was shown: it was not confirmed, so it waits for the next approval.
    put(sheets[world.z.pk], "reviewed")
    response = leader.post("/scoring/230000/2020/approve/", {"scheme": s1.pk, "sheet": sorted(shown)}, follow=True)
    assert response.status_code == 200 and "已审定2份" in response.content.decode()
    states = dict(Sheet.objects.values_list("branch__name", "state"))
    assert states == {"哈尔滨工程大学支部": "approved", "哈尔滨第二支部": "approved", "省直第一支部": "reviewed"}
    # A forged list naming a sheet that does not exist approves nothing.
    response = leader.post("/scoring/230000/2020/approve/", {"scheme": s1.pk, "sheet": ["999999:0"]}, follow=True)
    assert "待审定的评分表清单已过期" in response.content.decode()
    assert Sheet.objects.get(branch=world.z).state == "reviewed"
    approved = Sheet.objects.get(branch=world.y)
    # Approval stores every entry: Y without review scores is A 10 + B 22 + C 10 + D −5 = 37.
    assert approved.total == Decimal(37) and approved.entries.count() == 8
    assert Transition.objects.filter(action="approve", by=hlj_leader).count() == 2
    # Bulk approval is an edit: the versions moved on, so a page opened before it is stale.
    assert all(f"{s.pk}:{s.version}" not in shown for s in Sheet.objects.filter(state="approved"))


def test_a_leader_outside_the_subtree_cannot_approve(world: World, s1: Scheme, gz_leader: m.User) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    put(sheet, "reviewed")
    assert move(client_for(gz_leader), sheet, "approve").status_code == 404
    leader_elsewhere = make_user("hrb_leader", m.User.Role.LEADER, committee=world.tree.harbin)
    move(client_for(leader_elsewhere), sheet, "approve")
    assert Sheet.objects.get(pk=sheet.pk).state == "approved"  # Harbin's leader leads X's committee


def _entries(sheet: Sheet, field: str) -> dict[str, Decimal | None]:
    return dict(sheet.entries.values_list("item__name", field))


def test_submitting_saves_the_self_assessment_on_screen(world: World, s1: Scheme, branch_chair: m.User) -> None:
    manual = Item.objects.get(scheme=s1, name="A2 计划总结")
    late = Item.objects.get(scheme=s1, name="D2 迟报")
    client = client_for(branch_chair)
    # The branch's sheet is not stored yet: the page shows it, and pressing 提交审核 with scores typed but not
    # saved creates it, saves them and submits, in one go.
    page = client.get(f"/scoring/sheets/new/{s1.pk}/{world.x.pk}/").content.decode()
    assert 'name="version" value="0"' in page and "data-warn-unsaved" in page
    data = {"action": "submit", "version": "0", f"self-{manual.pk}": "8", f"note-{manual.pk}": "计划齐全"}
    refused = client.post(f"/scoring/sheets/new/{s1.pk}/{world.x.pk}/", {**data, f"self-{late.pk}": "2"})
    assert refused.status_code == 400 and "D2 迟报：请输入-5到0之间的数值" in refused.content.decode()
    assert not Sheet.objects.exists()  # refused as a whole: not even the sheet was created
    response = client.post(f"/scoring/sheets/new/{s1.pk}/{world.x.pk}/", {**data, f"self-{late.pk}": "-2"})
    sheet = Sheet.objects.get(scheme=s1, branch=world.x)
    assert response.status_code == 302 and sheet.state == "submitted"
    assert _entries(sheet, "self_points")["A2 计划总结"] == Decimal(8)
    assert _entries(sheet, "self_points")["D2 迟报"] == Decimal(-2)
    assert _entries(sheet, "note")["A2 计划总结"] == "计划齐全"


def test_marking_reviewed_saves_the_reviewers_scores_and_a_bad_one_writes_nothing(
    world: World, s1: Scheme, hlj_clerk: m.User
) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    put(sheet, "submitted")
    manual = Item.objects.get(scheme=s1, name="A2 计划总结")
    late = Item.objects.get(scheme=s1, name="D2 迟报")
    client = client_for(hlj_clerk)
    # A score out of range: refused with the item named, the sheet stays submitted, what was typed stays on screen.
    response = move(client, sheet, "review", **{f"reviewed-{manual.pk}": "7", f"reviewed-{late.pk}": "3"})
    page = response.content.decode()
    assert response.status_code == 400 and "D2 迟报：请输入-5到0之间的数值" in page
    assert f'name="reviewed-{manual.pk}" value="7"' in page and f'name="reviewed-{late.pk}" value="3"' in page
    assert Sheet.objects.get(pk=sheet.pk).state == "submitted" and not sheet.entries.exists()
    assert not Transition.objects.filter(sheet=sheet).exists()
    response = move(client, sheet, "review", **{f"reviewed-{manual.pk}": "7", f"reviewed-{late.pk}": "-3"})
    sheet.refresh_from_db()
    assert response.status_code == 302 and sheet.state == "reviewed"
    assert _entries(sheet, "reviewed_points")["A2 计划总结"] == Decimal(7)
    assert sheet.total == Decimal(73 + 7 - 3)


def test_returning_keeps_the_reviewers_scores_on_screen(world: World, s1: Scheme, hlj_clerk: m.User) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    put(sheet, "submitted")
    manual = Item.objects.get(scheme=s1, name="A2 计划总结")
    client = client_for(hlj_clerk)
    response = move(client, sheet, "return", **{f"reviewed-{manual.pk}": "6"})
    assert response.status_code == 400 and "退回" in response.content.decode()
    assert f'name="reviewed-{manual.pk}" value="6"' in response.content.decode()
    move(client, sheet, "return", reason="请补充计划", **{f"reviewed-{manual.pk}": "6"})
    sheet.refresh_from_db()
    assert sheet.state == "draft" and _entries(sheet, "reviewed_points")["A2 计划总结"] == Decimal(6)


def test_a_stale_form_is_refused_naming_who_changed_the_sheet(world: World, s1: Scheme, branch_chair: m.User) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    manual = Item.objects.get(scheme=s1, name="A2 计划总结")
    branch_chair.first_name, branch_chair.last_name = "建国", "赵"
    branch_chair.save()
    colleague = make_user("colleague", m.User.Role.BRANCH, branch=world.x)
    opened = Sheet.objects.get(pk=sheet.pk).version
    save(client_for(colleague), sheet, **{f"self-{manual.pk}": "9"})
    url = f"/scoring/sheets/{sheet.pk}/"
    data = {"action": "submit", "version": str(opened), f"self-{manual.pk}": "5", f"note-{manual.pk}": "我的说明"}
    response = client_for(branch_chair).post(url, data)
    page = response.content.decode()
    assert response.status_code == 409 and "该记录已被他人修改" in page and "colleague" in page
    assert 'href="#history"' in page
    # What the stale form typed is kept in the inputs; nothing of it was written and the sheet was not submitted.
    assert f'name="self-{manual.pk}" value="5"' in page and 'value="我的说明"' in page
    sheet.refresh_from_db()
    assert sheet.state == "draft" and _entries(sheet, "self_points")["A2 计划总结"] == Decimal(9)
    # The history names the colleague's save; the re-rendered form carries the new version, so sending it again
    # (after checking) goes through.
    history = page[page.index('id="history"') :]
    assert "colleague" in history and "保存" in history
    response = client_for(branch_chair).post(url, {**data, "version": str(sheet.version)})
    sheet.refresh_from_db()
    assert response.status_code == 302 and sheet.state == "submitted"
    assert _entries(sheet, "self_points")["A2 计划总结"] == Decimal(5)


def test_a_form_without_its_version_writes_nothing(world: World, s1: Scheme, branch_chair: m.User) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    manual = Item.objects.get(scheme=s1, name="A2 计划总结")
    response = client_for(branch_chair).post(
        f"/scoring/sheets/{sheet.pk}/", {"action": "submit", f"self-{manual.pk}": "5"}
    )
    assert response.status_code == 400 and 'value="5"' in response.content.decode()
    assert Sheet.objects.get(pk=sheet.pk).state == "draft" and not sheet.entries.exists()
