"""Shared fixtures: a small two-province tree and the people who use it.

Personas, reused across the suite:
- ``hlj_clerk``   — office staff of 黑龙江省委会
- ``hrb_clerk``   — office staff of 哈尔滨市委会
- ``gz_leader``   — leadership of 贵州省委会
- ``branch_chair``— chair of one Harbin branch
- ``outsider``    — a logged-in user bound to nothing
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from committees import models as m
from tests.factories import BranchFactory, MemberFactory, add_committee


@dataclass
class Tree:
    central: m.Committee
    hlj: m.Committee
    harbin: m.Committee
    gz: m.Committee
    guiyang: m.Committee
    harbin_branch: m.Branch
    guiyang_branch: m.Branch


@pytest.fixture
def tree(db: None) -> Tree:
    central = add_committee(name="民进中央", code="000000", kind=m.Committee.Kind.CENTRAL)
    hlj = add_committee(name="民进黑龙江省委会", code="230000", parent=central, kind="provincial")
    gz = add_committee(name="民进贵州省委会", code="520000", parent=central, kind="provincial")
    harbin = add_committee(name="民进哈尔滨市委会", code="230100", parent=hlj)
    guiyang = add_committee(name="民进贵阳市委会", code="520100", parent=gz)
    return Tree(
        central=central,
        hlj=hlj,
        harbin=harbin,
        gz=gz,
        guiyang=guiyang,
        harbin_branch=BranchFactory(committee=harbin, name="哈尔滨工程大学支部"),
        guiyang_branch=BranchFactory(committee=guiyang, name="贵州大学支部"),
    )


def make_user(username: str, role: str = "", **scope: object) -> m.User:
    return m.User.objects.create_user(username, password="a-test-password-2020", role=role, is_staff=True, **scope)


@pytest.fixture
def hlj_clerk(tree: Tree) -> m.User:
    return make_user("hlj_clerk", m.User.Role.STAFF, committee=tree.hlj)


@pytest.fixture
def hrb_clerk(tree: Tree) -> m.User:
    return make_user("hrb_clerk", m.User.Role.STAFF, committee=tree.harbin)


@pytest.fixture
def gz_clerk(tree: Tree) -> m.User:
    return make_user("gz_clerk", m.User.Role.STAFF, committee=tree.gz)


@pytest.fixture
def gz_leader(tree: Tree) -> m.User:
    return make_user("gz_leader", m.User.Role.LEADER, committee=tree.gz)


@pytest.fixture
def branch_chair(tree: Tree) -> m.User:
    return make_user("branch_chair", m.User.Role.BRANCH, branch=tree.harbin_branch)


@pytest.fixture
def outsider(db: None) -> m.User:
    return make_user("outsider")


@pytest.fixture
def hlj_member(tree: Tree) -> m.Member:
    return MemberFactory(branch=tree.harbin_branch, name="张黑龙")


@pytest.fixture
def gz_member(tree: Tree) -> m.Member:
    return MemberFactory(branch=tree.guiyang_branch, name="李贵州")


def pytest_sessionstart(session: pytest.Session) -> None:
    # The .mo files are build output (not committed): compile them so every run sees current translations.
    from django.core.management import call_command

    call_command("compiletranslations", verbosity=0)


@pytest.fixture(scope="module")
def demo_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo loaded once for a test module, inside a transaction rolled back afterwards."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)
