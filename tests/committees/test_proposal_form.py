"""The proposal form shows and keeps the fields of its kind; co-authors are numbered by the form."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from committees import models as m
from committees.proposal_kinds import KIND_FIELDS, KIND_SPECIFIC, fields_not_of_kind
from tests.conftest import Tree
from tests.factories import MemberFactory, ProposalFactory

ADD = "admin:committees_proposal_add"


def client_for(user: m.User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_kind_is_declared_and_the_declaration_names_real_fields() -> None:
    assert set(KIND_FIELDS) == set(m.Proposal.Kind.values)
    names = {f.name for f in m.Proposal._meta.get_fields()}
    assert set(KIND_SPECIFIC) <= names
    assert fields_not_of_kind("") == []  # no kind chosen yet: nothing hidden


def test_each_kind_has_its_fields() -> None:
    assert "status" not in fields_not_of_kind(m.Proposal.Kind.PROPOSAL)
    speech = fields_not_of_kind(m.Proposal.Kind.SPEECH)
    assert "occasion" not in speech and "venue" not in speech
    assert "status" in speech and "reply_result" in speech
    assert set(fields_not_of_kind(m.Proposal.Kind.SOCIAL_INFO)) == set(KIND_SPECIFIC)


def test_the_form_carries_the_declaration_to_its_script(tree: Tree, hlj_clerk: m.User) -> None:
    page = client_for(hlj_clerk).get(reverse(ADD)).content.decode()
    found = re.search(r'data-kind-fields="([^"]+)"', page)
    assert found is not None
    declared = json.loads(found.group(1).replace("&quot;", '"'))
    assert declared["kinds"]["speech"] == list(KIND_FIELDS[m.Proposal.Kind.SPEECH])
    assert "committees/proposal_kind.js" in page


def _post_data(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "proposal",
        "title": "关于加强乡村教师队伍建设的提案",
        "committee": "",
        "branch": "",
        "submitted_on": "2021-01-12",
        "serial_number": "",
        "category": "",
        "raised_as": "individual",
        "occasion": "",
        "venue": "",
        "venue_level": "",
        "research_topic": "",
        "status": "submitted",
        "host_units": "",
        "co_units": "",
        "reply_number": "",
        "reply_result": "",
        "satisfaction": "",
        "summary": "",
        "authorships-TOTAL_FORMS": "0",
        "authorships-INITIAL_FORMS": "0",
        "authorships-MIN_NUM_FORMS": "0",
        "authorships-MAX_NUM_FORMS": "1000",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-MIN_NUM_FORMS": "0",
        "outcomes-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def _authors(rows: list[tuple[int | None, int, bool]], initial: int) -> dict[str, Any]:
    """Inline rows as (authorship id or None, member id, delete)."""
    data: dict[str, Any] = {"authorships-TOTAL_FORMS": str(len(rows)), "authorships-INITIAL_FORMS": str(initial)}
    for i, (pk, member, delete) in enumerate(rows):
        data[f"authorships-{i}-id"] = pk or ""
        data[f"authorships-{i}-member"] = member
        if delete:
            data[f"authorships-{i}-DELETE"] = "on"
    return data


def test_fields_not_of_the_kind_are_cleared_and_the_user_is_told(tree: Tree, hlj_clerk: m.User) -> None:
    client = client_for(hlj_clerk)
    data = _post_data(
        kind="social_info", committee=tree.hlj.pk, status="filed", occasion="plenary", venue="省政协全会", is_key="on"
    )
    response = client.post(reverse(ADD), data, follow=True)
    assert response.status_code == 200
    proposal = m.Proposal.objects.get()
    assert (proposal.status, proposal.occasion, proposal.venue, proposal.is_key) == ("submitted", "", "", False)
    page = response.content.decode()
    assert "不适用于社情民意信息，已清空" in page


def test_fields_of_the_kind_are_kept(tree: Tree, hlj_clerk: m.User) -> None:
    data = _post_data(committee=tree.hlj.pk, status="filed", occasion="plenary", venue="省政协全会")
    response = client_for(hlj_clerk).post(reverse(ADD), data, follow=True)
    proposal = m.Proposal.objects.get()
    assert (proposal.status, proposal.occasion, proposal.venue) == ("filed", "plenary", "省政协全会")
    assert "已清空" not in response.content.decode()


@pytest.fixture
def authors(tree: Tree) -> list[m.Member]:
    return [MemberFactory.create(branch=tree.harbin_branch, name=name) for name in ("甲一", "乙二", "丙三", "丁四")]


def _orders(proposal: m.Proposal) -> list[tuple[str, int]]:
    return list(proposal.authorships.order_by("order").values_list("member__name", "order"))


def test_co_authors_are_numbered_in_entry_order(tree: Tree, hlj_clerk: m.User, authors: list[m.Member]) -> None:
    rows = [(None, authors[2].pk, False), (None, authors[0].pk, False), (None, authors[1].pk, False)]
    data = _post_data(branch=tree.harbin_branch.pk, **_authors(rows, 0))
    response = client_for(hlj_clerk).post(reverse(ADD), data)
    assert response.status_code == 302
    assert _orders(m.Proposal.objects.get()) == [("丙三", 1), ("甲一", 2), ("乙二", 3)]


def test_removing_the_first_author_moves_everyone_up_without_a_duplicate(
    tree: Tree, hlj_clerk: m.User, authors: list[m.Member]
) -> None:
    proposal = ProposalFactory.create(branch=tree.harbin_branch)
    rows = [m.Authorship.objects.create(proposal=proposal, member=a, order=i) for i, a in enumerate(authors[:3], 1)]
    change = reverse("admin:committees_proposal_change", args=[proposal.pk])
    data = _post_data(
        branch=tree.harbin_branch.pk,
        title=proposal.title,
        submitted_on="2020-01-10",
        **_authors(
            [
                (rows[0].pk, authors[0].pk, True),
                (rows[1].pk, authors[1].pk, False),
                (rows[2].pk, authors[2].pk, False),
                (None, authors[3].pk, False),
            ],
            3,
        ),
    )
    response = client_for(hlj_clerk).post(change, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert _orders(proposal) == [("乙二", 1), ("丙三", 2), ("丁四", 3)]
    moved = m.Authorship.history.filter(id=rows[1].pk).latest()
    assert (moved.history_type, moved.order, moved.history_user) == ("~", 1, hlj_clerk)
    assert m.Authorship.history.filter(id=rows[0].pk).latest().history_type == "-"


def test_the_place_column_names_the_first_author(tree: Tree, hlj_clerk: m.User, authors: list[m.Member]) -> None:
    proposal = ProposalFactory.create(branch=tree.harbin_branch)
    m.Authorship.objects.create(proposal=proposal, member=authors[0], order=1)
    m.Authorship.objects.create(proposal=proposal, member=authors[1], order=2)
    page = client_for(hlj_clerk).get(reverse("admin:committees_proposal_change", args=[proposal.pk]))
    text = page.content.decode()
    assert "第一作者" in text
    assert 'name="authorships-0-order"' not in text  # nobody types the order


def test_authors_are_reordered_by_their_positions(tree: Tree, hlj_clerk: m.User, authors: list[m.Member]) -> None:
    proposal = ProposalFactory.create(branch=tree.harbin_branch)
    rows = [m.Authorship.objects.create(proposal=proposal, member=a, order=i) for i, a in enumerate(authors[:3], 1)]
    data = _post_data(
        branch=tree.harbin_branch.pk,
        title=proposal.title,
        submitted_on="2020-01-10",
        **_authors([(row.pk, row.member_id, False) for row in rows] + [(None, "", False)], 3),
    )
    # The script moved the third author to the top; the blank new row it numbered is still blank.
    data.update({"authorships-0-position": 2, "authorships-1-position": 3, "authorships-2-position": 1})
    data["authorships-3-position"] = 4
    response = client_for(hlj_clerk).post(reverse("admin:committees_proposal_change", args=[proposal.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert _orders(proposal) == [("丙三", 1), ("甲一", 2), ("乙二", 3)]
    assert {h.order for h in m.Authorship.history.filter(history_user=hlj_clerk)} == {1, 2, 3}
