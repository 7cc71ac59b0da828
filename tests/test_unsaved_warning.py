"""Forms that hold unsaved input are marked for static/js/forms.js: the admin's change forms and the sheet form."""

from __future__ import annotations

import pytest
from django.test import Client

from committees import models as m
from tests.conftest import Tree
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_admin_change_forms_warn_and_are_dirty_when_refused(tree: Tree, hlj_clerk: m.User) -> None:
    member = MemberFactory(branch=tree.harbin_branch, name="王小明")
    client = Client()
    client.force_login(hlj_clerk)
    url = f"/admin/committees/member/{member.pk}/change/"
    page = client.get(url).content.decode()
    assert "js/forms.js" in page and '<input type="hidden" data-warn-unsaved>' in page
    refused = client.post(url, {"name": "", "gender": "male"}).content.decode()
    assert 'data-warn-unsaved="dirty"' in refused  # the typed input is shown again, unsaved
    assert "js/forms.js" in client.get("/admin/committees/member/add/").content.decode()
