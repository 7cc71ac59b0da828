"""The dashboard, the home page and the branch page cost the same number of queries at 10× the rows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from committees import models as m
from tests.conftest import Tree, make_user
from tests.reporting.test_output_queries import grow

pytestmark = pytest.mark.django_db


def count(client: Client, path: str, *, cold: bool = True) -> int:
    client.get(path)  # warm caches (content types, sessions)
    if cold:
        cache.clear()  # figures counted again, not served from the figure cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_the_pages_cost_the_same_queries_at_ten_times_the_rows(tree: Tree, hlj_clerk: m.User) -> None:
    leader = make_user("hlj_leader", m.User.Role.LEADER, committee=tree.hlj)
    leader_client, clerk_client = Client(), Client()
    leader_client.force_login(leader)
    clerk_client.force_login(hlj_clerk)
    pages = {
        "dashboard": (leader_client, "/dashboard/230000/2020/"),
        "dashboard, other choices": (leader_client, "/dashboard/230000/2020/?compare=service.total&rank=service.total"),
        "city dashboard": (leader_client, "/dashboard/230100/2020/"),
        "ranked by the share reporting": (leader_client, "/dashboard/230000/2020/?rank=three_ones.social_info_rate"),
        "home": (clerk_client, "/?year=2020"),
        "branch": (leader_client, f"/dashboard/branch/{tree.harbin_branch.pk}/2020/"),
    }
    grow(tree, 3)
    small = {name: count(client, path) for name, (client, path) in pages.items()}
    grow(tree, 30)
    large = {name: count(client, path) for name, (client, path) in pages.items()}
    assert large == small
    # The dashboard: session, user, the user's committee (the scope of what she reads), the committee (4);
    # cards, structure and comparison grouped by child committee: the subtree's ids and one query per source
    # (members, status changes, branches, proposals, authorships, outcomes, activities, attendances, training
    # events: 10); the theme year and its targets (2); the child committees (1); proposals by month: subtree ids
    # and one (2); the ranking: subtree ids and one per source (members, proposals, outcomes, activities,
    # attendances: 6), the branches to rank (1) and the ones shown (1); the chrome's breadcrumb (2) and
    # switcher (1). Ranking by the share of members reporting adds the authorships (1).
    # On top of that, each compute() call reads the records version (4 calls), and the branches' distinct
    # counts (branches holding activities) come in a query of their own (1).
    assert small["dashboard"] == 35
    assert small["ranked by the share reporting"] == 36
    assert small["city dashboard"] == small["dashboard"]
    # The home page: session, user, the user's committee; subtree ids and one per source (members, proposals,
    # authorships, activities: 5); the branches and the ones shown (2).
    # + the records version; the scoring panel: the sheets awaiting review and the counts by state (2).
    assert small["home"] == 13
    # The branch page: session, user, the user's committee, the branch; subtree ids and one query per source of
    # the branch table's columns (members, status changes, proposals, authorships, outcomes, activities,
    # attendances: 8); whether the user may open the committee's dashboard (1); the breadcrumb (2).
    assert small["branch"] == 18  # + the records version, + distinct counts of proposals and activities (2)
    # With the records unchanged since the last request, the figures come from the cache: one query per compute().
    warm = {name: count(client, path, cold=False) for name, (client, path) in pages.items()}
    assert warm == {name: 15 for name in ("dashboard", "dashboard, other choices", "city dashboard")} | {
        "ranked by the share reporting": 15,
        "home": 8,
        "branch": 8,
    }
