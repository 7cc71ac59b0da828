"""The review workflow: who may do what (a matrix), history, freezing at approval, returns, bulk approval."""

from __future__ import annotations

from decimal import Decimal

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
        assessed = client.post(url, {f"self-{manual.pk}": "8"}).status_code == 302
        submitted = _moved(client, sheet, "draft", "submit", "submitted")
        put(sheet, "submitted")
        reviewed = client.post(url, {f"reviewed-{manual.pk}": "7"}).status_code == 302 and _moved(
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
    client.post(f"/scoring/sheets/{sheet.pk}/move/", {"action": action, "reason": reason})
    return Sheet.objects.get(pk=sheet.pk).state == target


def walk(world: World, s1: Scheme, branch: m.Branch, leader: m.User, clerk: m.User, chair: m.User | None) -> Sheet:
    sheet = sheets_ensure(s1, [branch])[branch.pk]
    submitter = chair or m.User.objects.create_superuser(f"su{branch.pk}", "s@example.invalid", "x-password-2020")
    client_for(submitter).post(f"/scoring/sheets/{sheet.pk}/move/", {"action": "submit"})
    client_for(clerk).post(f"/scoring/sheets/{sheet.pk}/move/", {"action": "review"})
    client_for(leader).post(f"/scoring/sheets/{sheet.pk}/move/", {"action": "approve"})
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
    client_for(hlj_leader).post(f"/scoring/sheets/{sheet.pk}/move/", {"action": "return", "reason": "请补充材料"})
    page = client_for(hlj_clerk).get(f"/scoring/sheets/{sheet.pk}/").content.decode()
    assert 'id="total">88<' in page and "请补充材料" in page and 'id="changed"' not in page
    last = Transition.objects.filter(sheet=sheet).latest("pk")
    assert (last.action, last.from_state, last.to_state, last.reason) == ("return", "approved", "draft", "请补充材料")


def test_returning_needs_a_reason(world: World, s1: Scheme, hlj_clerk: m.User) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    put(sheet, "submitted")
    response = client_for(hlj_clerk).post(f"/scoring/sheets/{sheet.pk}/move/", {"action": "return"}, follow=True)
    assert Sheet.objects.get(pk=sheet.pk).state == "submitted"
    assert "退回" in response.content.decode() and not Transition.objects.filter(sheet=sheet).exists()


def test_bad_scores_are_refused_with_a_chinese_message(world: World, s1: Scheme, branch_chair: m.User) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    manual = Item.objects.get(scheme=s1, name="A2 计划总结")
    deduction = Item.objects.get(scheme=s1, name="D2 迟报")
    client = client_for(branch_chair)
    response = client.post(f"/scoring/sheets/{sheet.pk}/", {f"self-{manual.pk}": "12", f"self-{deduction.pk}": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "A2 计划总结：请输入0到10之间的数值" in page and "D2 迟报：请输入-5到0之间的数值" in page
    response = client.post(f"/scoring/sheets/{sheet.pk}/", {f"self-{manual.pk}": "十"})
    assert response.status_code == 400 and "不是数字" in response.content.decode()
    assert not sheet.entries.exists()  # nothing partial


def test_bulk_approve_for_a_committee(world: World, s1: Scheme, hlj_leader: m.User, hrb_clerk: m.User) -> None:
    sheets = sheets_ensure(s1, [world.x, world.y, world.z])
    for sheet in sheets.values():
        put(sheet, "reviewed")
    put(sheets[world.z.pk], "submitted")
    # Harbin's staff may not approve: nothing happens.
    client_for(hrb_clerk).post("/scoring/230100/2020/approve/", {"scheme": s1.pk})
    assert Sheet.objects.filter(state="approved").count() == 0
    response = client_for(hlj_leader).post("/scoring/230000/2020/approve/", {"scheme": s1.pk}, follow=True)
    assert response.status_code == 200
    states = dict(Sheet.objects.values_list("branch__name", "state"))
    assert states == {"哈尔滨工程大学支部": "approved", "哈尔滨第二支部": "approved", "省直第一支部": "submitted"}
    approved = Sheet.objects.get(branch=world.y)
    # Approval stores every entry: Y without review scores is A 10 + B 22 + C 10 + D −5 = 37.
    assert approved.total == Decimal(37) and approved.entries.count() == 8
    assert Transition.objects.filter(action="approve", by=hlj_leader).count() == 2


def test_a_leader_outside_the_subtree_cannot_approve(world: World, s1: Scheme, gz_leader: m.User) -> None:
    sheet = sheets_ensure(s1, [world.x])[world.x.pk]
    put(sheet, "reviewed")
    assert client_for(gz_leader).post(f"/scoring/sheets/{sheet.pk}/move/", {"action": "approve"}).status_code == 404
    leader_elsewhere = make_user("hrb_leader", m.User.Role.LEADER, committee=world.tree.harbin)
    client_for(leader_elsewhere).post(f"/scoring/sheets/{sheet.pk}/move/", {"action": "approve"})
    assert Sheet.objects.get(pk=sheet.pk).state == "approved"  # Harbin's leader leads X's committee
