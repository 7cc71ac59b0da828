"""Cached figures are served only for the records they were counted from: every kind of write changes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection, transaction

from committees import models as m
from committees.models.versioning import COUNTED_TABLES
from reporting.metrics import Scope, compute
from tests.conftest import Tree
from tests.factories import MemberFactory, ProposalFactory

pytestmark = pytest.mark.django_db

# Models whose rows no figure counts.
NOT_COUNTED = {"User", "ExportLog", "RecordsVersion", "CommitteeGeneration"}


def members(tree: Tree) -> int:
    scope = Scope.year(tree.hlj, 2020)
    return compute([("members.total", scope)])[("members.total", scope)].get(None, 0)


def proposals_by_child(tree: Tree) -> dict[str, int]:
    scope = Scope.year(tree.hlj, 2020)
    return dict(compute([("proposals.proposal", scope)], group="child")[("proposals.proposal", scope)])


def test_every_record_table_is_counted_or_deliberately_left_out() -> None:
    tables = {
        model._meta.db_table
        for model in apps.get_app_config("committees").get_models()
        if model.__name__ not in NOT_COUNTED and not model.__name__.startswith("Historical")
    }
    assert tables == set(COUNTED_TABLES)


def trigger_names() -> set[str]:
    """The names of the database's own triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def test_every_counted_table_has_its_trigger() -> None:
    names = trigger_names()
    for table in COUNTED_TABLES:
        assert any(name.startswith(f"{table}_version") for name in names), table


def test_saving_through_the_orm_changes_the_figure(tree: Tree) -> None:
    MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2010, 1, 1))
    assert members(tree) == 1
    MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2010, 1, 1))
    assert members(tree) == 2


def test_a_queryset_update_changes_the_figure(tree: Tree) -> None:
    MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2010, 1, 1))
    assert members(tree) == 1
    m.Member.objects.update(joined_on=dt.date(2021, 6, 1))  # no signal is sent
    assert members(tree) == 0


def test_raw_sql_and_bulk_create_change_the_figure(tree: Tree) -> None:
    member = MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2010, 1, 1))
    assert members(tree) == 1
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM committees_member WHERE id = %s", [member.pk])
    assert members(tree) == 0
    m.Member.objects.bulk_create([MemberFactory.build(branch=tree.harbin_branch, committee=tree.harbin)])
    assert members(tree) == 1


def test_moving_a_committee_moves_its_figures(tree: Tree) -> None:
    ProposalFactory(branch=tree.harbin_branch, kind="proposal", submitted_on=dt.date(2020, 3, 1))
    assert proposals_by_child(tree) == {tree.harbin.path: 1}
    tree.harbin_branch.committee = tree.hlj
    tree.harbin_branch.save()
    m.Proposal.objects.update(committee=tree.hlj)
    assert proposals_by_child(tree) == {tree.hlj.path: 1}


def test_a_figure_seen_inside_a_rolled_back_transaction_is_not_served_later(tree: Tree) -> None:
    assert members(tree) == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2010, 1, 1))
        assert members(tree) == 1  # cached under the rolled-back version
        raise RuntimeError
    assert members(tree) == 0
    MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2010, 1, 1), name="另一位")
    MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2010, 1, 1), name="第三位")
    assert members(tree) == 2


def test_the_cache_works_on_redis_when_redis_url_is_set(tree: Tree) -> None:
    import os
    import socket

    from django.core.cache import caches
    from django.test.utils import CaptureQueriesContext, override_settings

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    with override_settings(CACHES={"default": redis}):
        caches["default"].clear()
        MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2010, 1, 1))
        assert members(tree) == 1
        with CaptureQueriesContext(connection) as captured:
            assert members(tree) == 1
        assert len(captured) == 1
        MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2010, 1, 1), name="另一位")
        assert members(tree) == 2
        caches["default"].clear()
