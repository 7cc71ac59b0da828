"""The summary page and every export cost the same number of queries on a small and a 10× larger dataset."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from committees import models as m
from tests.conftest import Tree
from tests.factories import ActivityFactory, BranchFactory, MemberFactory, ProposalFactory, TrainingEventFactory

pytestmark = pytest.mark.django_db

PAGES = (
    "/summary/230000/2020/",
    "/summary/230000/2020/export.xlsx",
    "/summary/230000/2020/export.docx",
    "/tables/branches/230000/2020/",
    "/tables/branches/230000/2020/export.xlsx",
    "/tables/members/230000/2020/",
    "/tables/members/230000/2020/export.xlsx",
    "/evidence/230000/2020/proposals.social_info/",
)


def grow(tree: Tree, n: int) -> None:
    event = TrainingEventFactory(committee=tree.hlj, kind="branch_leaders", started_on=dt.date(2020, 5, 1))
    for i in range(n):
        branch = BranchFactory(committee=tree.harbin if i % 2 else tree.hlj, founded_on=dt.date(2020, 3, 1))
        member = MemberFactory(branch=branch, phone="13800000000", id_number="")
        proposal = ProposalFactory(branch=branch, kind="social_info", submitted_on=dt.date(2020, 4, 1))
        m.Authorship.objects.create(proposal=proposal, member=member, order=1)
        m.Outcome.objects.create(proposal=proposal, kind="adopted", level="provincial", occurred_on=dt.date(2020, 6, 1))
        m.Attendance.objects.create(event=event, member=member)
        ActivityFactory(branch=branch, kind="social_service", donation_cash=100, held_on=dt.date(2020, 7, 1))


def count(client: Client, path: str) -> int:
    client.get(path)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, path
    return len(queries)


def test_outputs_cost_the_same_queries_at_ten_times_the_rows(tree: Tree, hlj_clerk: m.User) -> None:
    client = Client()
    client.force_login(hlj_clerk)
    grow(tree, 3)
    small = {path: count(client, path) for path in PAGES}
    grow(tree, 30)
    large = {path: count(client, path) for path in PAGES}
    assert large == small
    # The summary: session, user, committee, ~one query per source for this and last year, one per source for
    # the breakdown by committee, the child committees, the theme year with its targets, the narratives.
    assert small["/summary/230000/2020/"] <= 40
