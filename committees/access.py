"""Who may see and change which records: the one place that decides.

Every user is bound to one committee or one branch and has a role:

- 管理员 ``admin`` (and superusers): everything, including users and the committee tree.
- 机关干部 ``staff``: reads and edits the records of the committee's subtree; reads the tree itself.
- 领导 ``leader``: reads the records of the committee's subtree, edits nothing.
- 支部 ``branch``: reads its own branch, its members and their positions; edits the branch's work
  (proposals with their authors and outcomes, activities, honours) and its members' attendances.

Everyone also reads the committees above their own (the breadcrumb names them) and the training events and
research topics of those committees: members
attend the province's classes and branches write on its topics, so those must be choosable in forms.

Anything not granted here is denied; a user with no role or no binding sees nothing. The admin, the
views, the exports and the form choices all go through :func:`visible_to`, :func:`editable_by` and
:func:`may_write`; records outside the scope are answered with 404 because they are never in the
queryset a view looks them up in.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from .models import (
    Activity,
    Attendance,
    Authorship,
    Branch,
    Committee,
    ExportLog,
    Honor,
    Member,
    MemberStatusChange,
    Outcome,
    Position,
    Proposal,
    ResearchTopic,
    TrainingEvent,
    User,
)

M = TypeVar("M", bound=models.Model)
Role = User.Role


@dataclass(frozen=True)
class Scope:
    """How a model reaches the committee tree and a branch.

    ``committee`` is the lookup path from the model to its Committee ("" for Committee itself);
    ``branches`` are lookup paths to a Branch, any of which puts a row in a branch user's scope
    ("" for Branch itself); ``branch_edits`` says whether branch users may write the model.
    """

    committee: str
    branches: tuple[str, ...] = ()
    branch_edits: bool = False


SCOPES: dict[type[models.Model], Scope] = {
    Committee: Scope(committee=""),
    Branch: Scope(committee="committee", branches=("",)),
    Member: Scope(committee="committee", branches=("branch",)),
    MemberStatusChange: Scope(committee="member__committee", branches=("member__branch",)),
    Position: Scope(committee="member__committee", branches=("member__branch",)),
    ResearchTopic: Scope(committee="committee"),
    Proposal: Scope(committee="committee", branches=("branch",), branch_edits=True),
    Authorship: Scope(committee="proposal__committee", branches=("proposal__branch",), branch_edits=True),
    Outcome: Scope(committee="proposal__committee", branches=("proposal__branch",), branch_edits=True),
    TrainingEvent: Scope(committee="committee"),
    Attendance: Scope(committee="member__committee", branches=("member__branch",), branch_edits=True),
    Activity: Scope(committee="committee", branches=("branch",), branch_edits=True),
    Honor: Scope(committee="committee", branches=("branch", "member__branch"), branch_edits=True),
}

# Reference data every role reads and only administrators write (e.g. the theme years of 民进中央).
REFERENCE: set[type[models.Model]] = set()


def register_scope(model: type[models.Model], scope: Scope) -> None:
    """Put a model of another app (the report side) under the same rules as the records."""
    SCOPES[model] = scope


def register_reference(model: type[models.Model]) -> None:
    REFERENCE.add(model)


# Models only administrators see: accounts and the export log.
ADMIN_ONLY: frozenset[type[models.Model]] = frozenset({User, ExportLog})
# Records of the committees above a user's own that the user reads (and may pick in forms), never writes.
READ_FROM_ABOVE: frozenset[type[models.Model]] = frozenset({TrainingEvent, ResearchTopic})
# The tree is structure: staff read it, administrators change it.
READ_ONLY_FOR_STAFF: frozenset[type[models.Model]] = frozenset({Committee})


def role_of(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser or user.role == Role.ADMIN:
        return Role.ADMIN
    if user.role in (Role.STAFF, Role.LEADER) and user.committee_id is not None:
        return str(user.role)
    if user.role == Role.BRANCH and user.branch_id is not None:
        return Role.BRANCH
    return None


def is_admin(user: Any) -> bool:
    return role_of(user) == Role.ADMIN


def _join(*parts: str) -> str:
    return "__".join(p for p in parts if p)


def _subtree_q(scope: Scope, committee: Committee) -> Q:
    return Q(**{_join(scope.committee, "path__startswith"): committee.path})


def _branch_q(scope: Scope, branch_id: int) -> Q:
    if not scope.branches:
        return Q(pk__in=[])
    return reduce(operator.or_, (Q(**{_join(path, "pk") if path else "pk": branch_id}) for path in scope.branches))


def _ancestor_paths(committee: Committee) -> list[str]:
    step = Committee.steplen
    return [committee.path[: step * depth] for depth in range(1, committee.depth + 1)]


def _branch_read_q(model: type[models.Model], user: User) -> Q:
    branch = user.branch
    assert branch is not None
    if model is Committee:
        return Q(path__in=_ancestor_paths(branch.committee))
    if model in READ_FROM_ABOVE:
        return Q(committee__path__in=_ancestor_paths(branch.committee))
    scope = SCOPES.get(model)
    return _branch_q(scope, branch.pk) if scope else Q(pk__in=[])


def _as_queryset(target: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    if isinstance(target, models.QuerySet):
        return target
    return target._default_manager.all()


def visible_to(user: Any, target: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of ``target`` (a model or a queryset) that ``user`` may read."""
    queryset = _as_queryset(target)
    model = queryset.model
    role = role_of(user)
    if role == Role.ADMIN:
        return queryset
    if role is not None and model in REFERENCE:
        return queryset
    if role is None or model in ADMIN_ONLY or (model not in SCOPES):
        return queryset.none()
    if role == Role.BRANCH:
        return queryset.filter(_branch_read_q(model, user))
    readable = _subtree_q(SCOPES[model], user.committee)
    if model is Committee:
        readable |= Q(path__in=_ancestor_paths(user.committee))
    elif model in READ_FROM_ABOVE:
        readable |= Q(committee__path__in=_ancestor_paths(user.committee))
    return queryset.filter(readable)


def editable_by(user: Any, target: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of ``target`` that ``user`` may change or delete."""
    queryset = _as_queryset(target)
    model = queryset.model
    if not may_write(user, model):
        return queryset.none()
    role = role_of(user)
    if role == Role.ADMIN:
        return queryset
    if role == Role.BRANCH:
        return queryset.filter(_branch_q(SCOPES[model], user.branch_id))
    return queryset.filter(_subtree_q(SCOPES[model], user.committee))


def may_read(user: Any, model: type[models.Model]) -> bool:
    """Whether ``user`` may read some rows of ``model`` (the admin index and menus ask this)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role is not None and model in REFERENCE:
        return True
    if role is None or model in ADMIN_ONLY or model not in SCOPES:
        return False
    if role == Role.BRANCH:
        return model in READ_FROM_ABOVE or model is Committee or bool(SCOPES[model].branches)
    return True


def may_write(user: Any, model: type[models.Model]) -> bool:
    """Whether ``user`` may add, change or delete rows of ``model`` at all."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if model in ADMIN_ONLY or model not in SCOPES:
        return False
    if role == Role.STAFF:
        return model not in READ_ONLY_FOR_STAFF
    if role == Role.BRANCH:
        return SCOPES[model].branch_edits
    return False


def _follow(obj: Any, path: str) -> Any:
    for attr in path.split("__") if path else ():
        obj = getattr(obj, attr, None)
        if obj is None:
            return None
    return obj


def may_write_object(user: Any, obj: models.Model) -> bool:
    """Whether ``obj`` — saved or not yet — lies where ``user`` may write.

    Forms ask this of the instance they are about to save, so that a record cannot be moved or created
    outside the user's scope by choosing (or forging) another committee or branch.
    """
    model = type(obj)
    if not may_write(user, model):
        return False
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    scope = SCOPES[model]
    if role == Role.BRANCH:
        return any(getattr(_follow(obj, path), "pk", None) == user.branch_id for path in scope.branches)
    committee = _follow(obj, scope.committee)
    return committee is not None and committee.path.startswith(user.committee.path)


def reportable_committees(user: Any) -> models.QuerySet[Committee]:
    """Committees whose whole subtree ``user`` may see figures of: reports, tables, dashboards, evidence.

    Reading a committee's name (an ancestor in the breadcrumb) is not reading its subtree's records, so this is
    narrower than ``visible_to(user, Committee)``: administrators get every committee, staff and leaders their
    own subtree, branch users none (their branch is not a committee subtree).
    """
    role = role_of(user)
    if role == Role.ADMIN:
        return Committee.objects.all()
    if role in (Role.STAFF, Role.LEADER):
        return Committee.objects.filter(path__startswith=user.committee.path)
    return Committee.objects.none()


def may_see_personal_data(user: Any) -> bool:
    return is_admin(user) or bool(getattr(user, "can_view_personal_data", False))


# ---- Workflow roles for a branch's own documents (e.g. its scoring sheet) ------------------------------------------
def _above_branch(user: Any, branch: Branch) -> bool:
    return bool(branch.committee.path.startswith(user.committee.path))


def assesses_for_branch(user: Any, branch: Branch) -> bool:
    """The branch itself (or an administrator): fills in and submits its self-assessment."""
    role = role_of(user)
    return role == Role.ADMIN or (role == Role.BRANCH and user.branch_id == branch.pk)


def reviews_for_branch(user: Any, branch: Branch) -> bool:
    """Office staff of a committee whose subtree holds the branch (or an administrator): review its work."""
    role = role_of(user)
    return role == Role.ADMIN or (role == Role.STAFF and _above_branch(user, branch))


def approves_for_branch(user: Any, branch: Branch) -> bool:
    """Leadership of a committee whose subtree holds the branch (or an administrator): approve its work."""
    role = role_of(user)
    return role == Role.ADMIN or (role == Role.LEADER and _above_branch(user, branch))
