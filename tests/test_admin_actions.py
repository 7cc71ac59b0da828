"""Every admin action, run by every role through the changelist, checks rights as the pages do.

For each ModelAdmin of the admin site and each of its actions (Django's "delete selected" included), each role
posts the action for every row of the model, as a forged form would (the changelist offers a role only the
actions it may take). A role that may not write the model must be refused — 403, or a refusal message — and the
database must not change at all (every table's row count, and every row of the model). A role that may write
must still leave untouched every row outside what it may edit. Each post runs in a savepoint rolled back
afterwards, so every action meets the same world.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import models, transaction
from django.test import Client, RequestFactory

from committees import access
from tests.conftest import Tree
from tests.site_world import SiteWorld, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(tree: Tree) -> SiteWorld:
    return build(tree)


def _rows(model: type[models.Model]) -> list[tuple[Any, ...]]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return list(model._base_manager.order_by("pk").values_list(*fields))


def _counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def _may_write(user: Any, model: type[models.Model]) -> bool:
    if model in access.SCOPES or model in access.REFERENCE or model in access.ADMIN_ONLY:
        return access.may_write(user, model)
    return bool(user.is_superuser)  # Django's own and the libraries' admins: Django's permissions, none granted


def _protected(user: Any, model: type[models.Model]) -> set[Any]:
    """The rows of ``model`` that ``user`` may not change."""
    every = set(model._base_manager.values_list("pk", flat=True))
    if not _may_write(user, model):
        return every
    if model in access.SCOPES:
        return every - set(access.editable_by(user, model).values_list("pk", flat=True))
    return set()


def _actions(model_admin: admin.ModelAdmin[Any], superuser: Any) -> list[str]:
    request = RequestFactory().get("/")
    request.user = superuser
    names = set(model_admin.get_actions(request))
    names.update(a if isinstance(a, str) else a.__name__ for a in model_admin.actions or ())
    return sorted(names)


def test_every_admin_action_checks_the_role(site: SiteWorld) -> None:
    clients = {}
    for role, user in site.users.items():
        clients[role] = Client()
        clients[role].force_login(user)  # logins write sessions and access logs: before any snapshot
    tried = refused = 0
    failures = []
    for model, model_admin in admin.site._registry.items():
        actions = _actions(model_admin, site.users["admin"])
        opts = model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/"
        pks = [str(pk) for pk in model._base_manager.order_by("pk").values_list("pk", flat=True)[:50]]
        for action in actions:
            for role, user in site.users.items():
                protected = _protected(user, model)
                writes = _may_write(user, model)
                before_counts, before_rows = _counts(), _rows(model)
                kept = [row for row in before_rows if row[0] in protected]
                data = {"action": action, "_selected_action": pks, "index": "0", "post": "yes"}
                with transaction.atomic():
                    response = clients[role].post(url, data)
                    after_counts, after_rows = _counts(), _rows(model)
                    transaction.set_rollback(True)
                tried += 1
                label = f"{opts.label}.{action} as {role}"
                still = [row for row in after_rows if row[0] in protected]
                if still != kept:
                    failures.append(f"{label}: changed rows it may not change")
                if writes:
                    continue
                said = [str(message) for message in get_messages(response.wsgi_request)]
                if response.status_code != 403 and not said:
                    failures.append(f"{label}: not refused ({response.status_code})")
                if after_counts != before_counts or after_rows != before_rows:
                    changed = {k for k in after_counts if after_counts[k] != before_counts[k]}
                    failures.append(f"{label}: the database changed {sorted(changed)}")
                refused += 1
    assert not failures, "\n".join(failures)
    assert tried > refused > 0  # some roles may write some models, most may not
