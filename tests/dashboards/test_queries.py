"""The dashboard, the home page and the branch page cost the same number of queries at 10× the rows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from committees import models as m
from tests.conftest import Tree, make_user
from tests.factories import BranchFactory
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
    # cards, structure and comparison of both years by child committee, from the figure cells: the records
    # version, the committee tree, the committees' generations, the cells' states, the cells of each year (6);
    # the theme year and its targets (2); the child committees (1); proposals by month (counted): version, tree,
    # one (3); the ranking figure for every branch, from the cells: version, tree, generations, states, cells (5),
    # the branches existing in the year (1); the other columns for the shown branches only, from the cells (5),
    # the shown branches (1); the chrome's breadcrumb (2) and switcher (1). Ranking by the share of members
    # reporting reads the same cells for other metrics: the same number.
    # The leader's to-do: the sheets awaiting her approval and the counts by state (2).
    assert small["dashboard"] == 33
    assert small["ranked by the share reporting"] == 33
    assert small["city dashboard"] == small["dashboard"]
    # The home page: session, user, the user's committee (3); the 三个一 figures by branch from the figure cells:
    # records version, tree, generations, cell states, the cells (5); the branches and the ones shown (2); the
    # scoring panel: the sheets awaiting review and the counts by state (2); the imports not committed (1).
    assert small["home"] == 13
    # The branch page: session, user, the user's committee, the branch (4); the branch table's columns for this
    # and last year from the figure cells: version, tree, generations, cell states, the cells of each year (6);
    # whether the user may open the committee's dashboard (1); the breadcrumb (2); the schemes that score the
    # branch (1; with no scheme, no query for its sheets).
    assert small["branch"] == 14
    # With the records unchanged since the last request, the figures come from the cache: one query per compute()
    # (the dashboard makes four: figures by child committee, by month, the ranking figure, the shown branches).
    warm = {name: count(client, path, cold=False) for name, (client, path) in pages.items()}
    assert warm == {name: 18 for name in ("dashboard", "dashboard, other choices", "city dashboard")} | {
        "ranked by the share reporting": 18,
        "home": 9,
        "branch": 9,
    }


def test_the_to_do_lists_cost_the_same_queries_at_ten_times_the_sheets(
    tree: Tree, hlj_clerk: m.User, branch_chair: m.User
) -> None:
    from committees.imports.models import ImportBatch
    from reporting.scoring.models import Scheme, Sheet

    leader = make_user("hlj_leader", m.User.Role.LEADER, committee=tree.hlj)
    clients = {}
    for name, user in (("clerk", hlj_clerk), ("leader", leader), ("branch", branch_chair)):
        clients[name] = Client()
        clients[name].force_login(user)
    pages = {
        "home": ("clerk", "/?year=2020"),
        "dashboard": ("leader", "/dashboard/230000/2020/"),
        "branch": ("branch", f"/dashboard/branch/{tree.harbin_branch.pk}/2020/"),
    }
    states = [Sheet.State.SUBMITTED, Sheet.State.REVIEWED, Sheet.State.DRAFT]

    def add(first_year: int, n: int) -> None:
        for year in range(first_year, first_year + n):
            scheme = Scheme.objects.create(committee=tree.central, year=year, name=f"{year}", status="published")
            Sheet.objects.create(scheme=scheme, branch=tree.harbin_branch, state=states[year % 3], returned_reason="退")
            for i in range(3):
                branch = BranchFactory(committee=tree.harbin)
                Sheet.objects.create(scheme=scheme, branch=branch, state=states[i])
            ImportBatch.objects.create(kind="members", committee=tree.hlj, username="hlj_clerk", file_name=f"{year}")

    add(1990, 3)
    small = {name: count(clients[who], path) for name, (who, path) in pages.items()}
    add(2000, 30)
    large = {name: count(clients[who], path) for name, (who, path) in pages.items()}
    assert large == small
