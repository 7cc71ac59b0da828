"""No GET changes data: every GET address of the site, as every role, leaves every table as it was.

The addresses come from the URL patterns (``reporting/urls.py`` and what it includes), their parameters filled
from a small world (``tests/site_world.py``): committee codes of both provinces and a city, the year of the
published scheme, a stored sheet and a branch without one, a metric, an import batch. The admin is covered
model by model: index, app pages, changelist, add page, and the change, history, historical version and delete
confirmation pages of one row of each model. Each role logs in before the snapshot.

Left out of the comparison, on purpose:
- ``django_session``: the user's own session (logins, the committee and year switcher, messages), not data;
- django-axes' tables: the login audit (written at login, before the snapshot);
- ``ExportLog``: every download is recorded as an audit record by design (who exported what, when);
- the figure cells and their states (``reporting.Cell``, ``reporting.CellState``): derived figures recounted
  lazily from the records, a cache kept in the database, not data anyone enters or sees change.
Every other table is compared row by row, so an update is caught as well as an insert or a delete.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from committees import models as m
from committees.imports.models import ImportBatch
from reporting.scoring.models import Item
from tests.conftest import Tree
from tests.factories import BranchFactory
from tests.site_world import YEAR, SiteWorld, build

pytestmark = pytest.mark.django_db

AUDIT = {"sessions.Session", "committees.ExportLog", "reporting.Cell", "reporting.CellState"}


def _compared() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label not in AUDIT and model._meta.app_label != "axes" and model._meta.managed
    ]


def _counts(tables: list[type[models.Model]]) -> tuple[int, ...]:
    """The row count of every table, in one query."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return tuple(cursor.fetchone())


def _snapshot(tables: list[type[models.Model]]) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for model in tables:
        fields = [f.attname for f in model._meta.concrete_fields]
        out[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return out


def _patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # covered model by model below
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _site_urls(site: SiteWorld, values: dict[str, list[Any]]) -> list[str]:
    """Every non-admin pattern with each combination of the values its parameters take."""
    urls = []
    for _route, pattern in _patterns(get_resolver().url_patterns):
        if not pattern.name:
            continue
        names = list(pattern.pattern.converters)
        combos: list[dict[str, Any]] = [{}]
        for name in names:
            combos = [{**c, name: v} for c in combos for v in values[f"{pattern.name}.{name}"] or values[name]]
        for combo in combos:
            if pattern.name == "scoring-branch-sheet" and combo["scheme"] != site.scheme.pk:
                continue
            urls.append(reverse(pattern.name, kwargs=combo))
    return urls


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    labels = sorted({model._meta.app_label for model in admin.site._registry})
    urls += [reverse("admin:app_list", args=[label]) for label in labels]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        for page in ("change", "history", "delete"):
            urls.append(reverse(f"{name}_{page}", args=[row.pk]))
        history = getattr(model, "history", None)
        version = history.filter(**{model._meta.pk.attname: row.pk}).first() if history is not None else None
        if version is not None:
            urls.append(reverse(f"{name}_history", args=[row.pk]) + f"{version.history_id}/")
    return urls


def test_no_get_writes_anywhere(tree: Tree) -> None:
    site = build(tree)
    unsaved = BranchFactory(committee=tree.harbin, name="哈尔滨未建表支部")  # its sheet is not stored
    batch = ImportBatch.objects.create(
        kind="members", committee=tree.hlj, user=site.users["province_staff"], username="hlj_staff", file_name="a.xlsx"
    )
    item = Item.objects.filter(scheme=site.scheme, metric__gt="").order_by("pk").first()
    assert item is not None
    values: dict[str, list[Any]] = {
        "code": [tree.hlj.code, tree.harbin.code, tree.gz.code],
        "year": [YEAR],
        "pk": [],
        "dashboard-branch.pk": [tree.harbin_branch.pk, tree.guiyang_branch.pk],
        "scoring-sheet.pk": [site.sheet.pk],
        "scoring-evidence.pk": [site.sheet.pk],
        "imports-batch.pk": [batch.pk],
        "imports-commit.pk": [batch.pk],
        "imports-undo.pk": [batch.pk],
        "scheme": [site.scheme.pk],
        "branch": [tree.harbin_branch.pk, unsaved.pk, tree.guiyang_branch.pk],
        "item": [item.pk],
        "section": ["organisation"],
        "metric": ["proposals.proposal", "members.total"],
        "kind": ["members", "proposals", "attendance"],
    }
    values = {k: v for k, v in values.items()}
    urls = _site_urls(site, {**{k: [] for k in _keys()}, **values}) + _admin_urls()
    clients = {}
    for role, user in site.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    tables = _compared()
    first = _snapshot(tables)
    before = _counts(tables)
    writes = []
    statuses: dict[int, int] = {}
    for url in urls:
        for role, client in clients.items():
            response = client.get(url)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
            after = _counts(tables)
            if after != before:
                changed = sorted(t._meta.label for t, a, b in zip(tables, after, before, strict=True) if a != b)
                writes.append(f"GET {url} as {role} wrote {changed}")
                before = after
    last = _snapshot(tables)  # updates too, row by row
    writes += [f"GETs changed rows of {label}" for label in last if last[label] != first[label]]
    assert not writes, "\n".join(writes)
    assert statuses.get(200, 0) > len(urls)  # most pages were really shown, not just refused
    assert Item.objects.exists() and m.Branch.objects.filter(pk=unsaved.pk).exists()


def _keys() -> list[str]:
    """Every ``pattern-name.parameter`` key, so that a parameter without values of its own falls back to the
    values of its name."""
    keys = []
    for _route, pattern in _patterns(get_resolver().url_patterns):
        keys += [f"{pattern.name}.{name}" for name in pattern.pattern.converters]
    return keys
