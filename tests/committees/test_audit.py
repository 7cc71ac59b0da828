"""Who changed what is kept: the acting user on every history row, field-level changes in the admin, and a
log of exports."""

from __future__ import annotations

import pytest
from django.test import Client

from committees import models as m
from committees.services import export_log_create
from tests.conftest import Tree

pytestmark = pytest.mark.django_db


def test_an_admin_edit_records_the_user_and_the_changed_fields(
    tree: Tree, hlj_clerk: m.User, hlj_member: m.Member
) -> None:
    client = Client()
    client.force_login(hlj_clerk)
    data = {
        "name": "张黑龙",
        "gender": "male",
        "branch": str(hlj_member.branch_id),
        "status": "active",
        "work_unit": "哈尔滨工程大学",
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    assert client.post(f"/admin/committees/member/{hlj_member.pk}/change/", data).status_code == 302
    latest = hlj_member.history.latest()
    assert latest.history_user == hlj_clerk
    assert latest.history_type == "~"

    page = client.get(f"/admin/committees/member/{hlj_member.pk}/history/").content.decode()
    assert "hlj_clerk" in page
    assert "工作单位" in page and "哈尔滨工程大学" in page  # the field and its new value
    assert "性别" in page  # female → male


def test_an_export_is_logged_with_its_scope(tree: Tree, hlj_clerk: m.User) -> None:
    entry = export_log_create(
        user=hlj_clerk, kind="member_roster", committee=tree.hlj, year=2020, rows=12, contains_personal_data=True
    )
    assert (entry.username, entry.committee, entry.rows) == ("hlj_clerk", tree.hlj, 12)
    assert entry.personal_data is False  # the clerk may not see personal data: the file carried it masked

    hlj_clerk.can_view_personal_data = True
    entry = export_log_create(
        user=hlj_clerk, kind="member_roster", committee=tree.hlj, rows=12, contains_personal_data=True
    )
    assert entry.personal_data is True


def test_only_administrators_read_the_export_log(tree: Tree, hlj_clerk: m.User, admin_client: Client) -> None:
    export_log_create(user=hlj_clerk, kind="member_roster", committee=tree.hlj)
    clerk = Client()
    clerk.force_login(hlj_clerk)
    assert clerk.get("/admin/committees/exportlog/").status_code == 403
    page = admin_client.get("/admin/committees/exportlog/")
    assert page.status_code == 200 and "member_roster" in page.content.decode()
    assert admin_client.get("/admin/committees/exportlog/add/").status_code == 403
