"""ID numbers, phones and addresses are masked unless the user may see personal data."""

from __future__ import annotations

import pytest
from django.test import Client

from committees import models as m
from committees.privacy import mask_address, mask_id_number, mask_phone
from tests.conftest import Tree
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ID = "23010219750501123X"
PHONE = "13812345678"
ADDRESS = "黑龙江省哈尔滨市南岗区西大直街92号"


@pytest.fixture
def member(tree: Tree) -> m.Member:
    return MemberFactory(branch=tree.harbin_branch, name="隐私会员", id_number=ID, phone=PHONE, address=ADDRESS)


def client_for(user: m.User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_masks_keep_only_what_identifies_no_one() -> None:
    assert mask_id_number(ID) == "230102********123X"
    assert mask_phone(PHONE) == "138****5678"
    assert mask_address(ADDRESS) == "黑龙江省哈尔****"


def test_a_clerk_without_the_permission_sees_masked_values(hlj_clerk: m.User, member: m.Member) -> None:
    client = client_for(hlj_clerk)
    listing = client.get("/admin/committees/member/", {"q": "隐私会员"}).content.decode()
    assert "138****5678" in listing and PHONE not in listing
    form = client.get(f"/admin/committees/member/{member.pk}/change/").content.decode()
    assert "230102********123X" in form and ID not in form
    assert "138****5678" in form and PHONE not in form
    assert ADDRESS not in form


def test_the_permission_shows_the_full_values(hlj_clerk: m.User, member: m.Member) -> None:
    hlj_clerk.can_view_personal_data = True
    hlj_clerk.save()
    client = client_for(hlj_clerk)
    assert PHONE in client.get("/admin/committees/member/", {"q": "隐私会员"}).content.decode()
    form = client.get(f"/admin/committees/member/{member.pk}/change/").content.decode()
    assert ID in form and PHONE in form and ADDRESS in form


def test_saving_the_masked_form_keeps_the_personal_data(hlj_clerk: m.User, member: m.Member) -> None:
    data = {
        "name": "隐私会员",
        "gender": "female",
        "branch": str(member.branch_id),
        "status": "active",
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    assert client_for(hlj_clerk).post(f"/admin/committees/member/{member.pk}/change/", data).status_code == 302
    member.refresh_from_db()
    assert (member.id_number, member.phone, member.address) == (ID, PHONE, ADDRESS)


def test_history_diffs_are_masked_too(hlj_clerk: m.User, member: m.Member) -> None:
    member.phone = "13900001111"
    member.save()
    history = client_for(hlj_clerk).get(f"/admin/committees/member/{member.pk}/history/").content.decode()
    assert "139****1111" in history and "13900001111" not in history and PHONE not in history
