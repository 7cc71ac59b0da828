"""What a user sees and may choose is limited to the user's committee or branch."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from committees import models as m
from committees.access import editable_by, visible_to
from tests.conftest import Tree
from tests.factories import BranchFactory, MemberFactory, ProposalFactory

pytestmark = pytest.mark.django_db

MEMBER_ADD = "/admin/committees/member/add/"


def client_for(user: m.User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member_post(branch: m.Branch, name: str) -> dict[str, str]:
    data = {"name": name, "gender": "male", "branch": str(branch.pk), "status": "active"}
    for prefix in ("positions", "status_changes"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_a_heilongjiang_clerks_member_form_offers_only_heilongjiang_branches(tree: Tree, hlj_clerk: m.User) -> None:
    BranchFactory(committee=tree.hlj, name="省直第一支部")
    response = client_for(hlj_clerk).get(MEMBER_ADD)
    assert response.status_code == 200
    offered = set(response.context["adminform"].form.fields["branch"].queryset.values_list("name", flat=True))
    assert offered == {"哈尔滨工程大学支部", "省直第一支部"}

    autocomplete = client_for(hlj_clerk).get(
        "/admin/autocomplete/",
        {"app_label": "committees", "model_name": "member", "field_name": "branch", "term": ""},
    )
    names = {row["text"] for row in json.loads(autocomplete.content)["results"]}
    assert names == {"哈尔滨工程大学支部 · 民进哈尔滨市委会", "省直第一支部 · 民进黑龙江省委会"}


def test_a_forged_post_with_a_guizhou_branch_is_rejected(tree: Tree, hlj_clerk: m.User) -> None:
    response = client_for(hlj_clerk).post(MEMBER_ADD, member_post(tree.guiyang_branch, "伪造会员"))
    assert response.status_code == 200
    assert "branch" in response.context["adminform"].form.errors
    assert not m.Member.objects.filter(name="伪造会员").exists()


def test_the_same_post_with_a_heilongjiang_branch_is_saved(tree: Tree, hlj_clerk: m.User) -> None:
    response = client_for(hlj_clerk).post(MEMBER_ADD, member_post(tree.harbin_branch, "正常会员"))
    assert response.status_code == 302
    assert m.Member.objects.get(name="正常会员").committee == tree.harbin


def test_a_city_clerk_cannot_move_a_member_up_to_the_province(tree: Tree, hrb_clerk: m.User) -> None:
    provincial = BranchFactory(committee=tree.hlj, name="省直第二支部")
    member = MemberFactory(branch=tree.harbin_branch, name="哈尔滨会员")
    data = member_post(provincial, "哈尔滨会员")
    response = client_for(hrb_clerk).post(f"/admin/committees/member/{member.pk}/change/", data)
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.branch == tree.harbin_branch


def test_a_branch_chair_writes_proposals_of_the_own_branch_only(tree: Tree, branch_chair: m.User) -> None:
    own = ProposalFactory(branch=tree.harbin_branch, title="本支部提案")
    other_branch = BranchFactory(committee=tree.harbin, name="哈尔滨另一支部")
    other = ProposalFactory(branch=other_branch, title="别的支部提案")
    assert list(visible_to(branch_chair, m.Proposal)) == [own]
    assert list(editable_by(branch_chair, m.Proposal)) == [own]
    client = client_for(branch_chair)
    assert client.get(f"/admin/committees/proposal/{other.pk}/change/").status_code == 404
    data = {
        "kind": "proposal",
        "title": "支部新提案",
        "branch": str(other_branch.pk),
        "submitted_on": "2020-03-01",
        "raised_as": "individual",
        "status": "submitted",
        "authorships-TOTAL_FORMS": "0",
        "authorships-INITIAL_FORMS": "0",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
    }
    assert client.post("/admin/committees/proposal/add/", data).status_code == 200
    assert not m.Proposal.objects.filter(title="支部新提案").exists()
    data["branch"] = str(tree.harbin_branch.pk)
    assert client.post("/admin/committees/proposal/add/", data).status_code == 302
    assert m.Proposal.objects.get(title="支部新提案").committee == tree.harbin


def test_a_branch_chair_reads_but_does_not_edit_the_roster(tree: Tree, branch_chair: m.User) -> None:
    member = MemberFactory(branch=tree.harbin_branch)
    client = client_for(branch_chair)
    page = client.get(f"/admin/committees/member/{member.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert (
        client.post(
            f"/admin/committees/member/{member.pk}/change/", member_post(tree.harbin_branch, "改名")
        ).status_code
        == 403
    )
    assert client.get(MEMBER_ADD).status_code == 403


def test_a_leader_reads_the_subtree_and_cannot_revert_history(
    tree: Tree, gz_leader: m.User, gz_member: m.Member
) -> None:
    client = client_for(gz_leader)
    gz_member.name = "新名字"
    gz_member.save()
    version = gz_member.history.order_by("history_id").first()
    assert client.get(f"/admin/committees/member/{gz_member.pk}/history/").status_code == 200
    url = f"/admin/committees/member/{gz_member.pk}/history/{version.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, member_post(gz_member.branch, "改回")).status_code == 403
    gz_member.refresh_from_db()
    assert gz_member.name == "新名字"


def test_the_history_of_a_deleted_record_stays_with_its_committee(
    tree: Tree, gz_clerk: m.User, hlj_member: m.Member
) -> None:
    pk = hlj_member.pk
    hlj_member.delete()
    assert client_for(gz_clerk).get(f"/admin/committees/member/{pk}/history/").status_code == 404


def test_the_filters_list_only_committees_in_scope(tree: Tree, gz_clerk: m.User) -> None:
    body = client_for(gz_clerk).get("/admin/committees/member/").content.decode()
    assert "贵阳市委会" in body or "民进贵阳市委会" in body
    assert "黑龙江" not in body and "哈尔滨" not in body


def test_a_user_without_a_role_sees_an_empty_admin(outsider: m.User, hlj_member: m.Member) -> None:
    client = client_for(outsider)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert not index.context["app_list"]
    assert client.get("/admin/committees/member/").status_code == 403
