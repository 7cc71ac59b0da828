"""Writing new records with history: the fast path (COPY on PostgreSQL) writes what simple-history writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from committees import models as m
from committees.imports.writing import create_with_history

from .conftest import id_number

HISTORY_FIELDS = ("history_type", "history_change_reason", "history_user", "history_date")


def people(tree: Any, serial: str) -> list[m.Member]:
    """Members with the values a text format gets wrong: tabs, newlines, backslashes, blanks, NULLs."""
    return [
        m.Member(
            committee=tree.harbin,
            branch=tree.harbin_branch,
            name="王\t小\\明",
            gender="male",
            birth_date=dt.date(1980, 5, 1),
            id_number=id_number(birth="19800501", serial=serial),
            address="哈尔滨市\n南岗区\r\n\\N 号",
            joined_on=dt.date(2001, 2, 3),
            title_level="senior",
        ),
        m.Member(committee=tree.harbin, name="李\u3000红", gender="female", birth_date=None, work_unit="  "),
    ]


def stored(model: Any, pks: list[int]) -> list[dict[str, Any]]:
    return [model_to_dict(obj, exclude=["id"]) for obj in model.objects.filter(pk__in=pks).order_by("pk")]


def history_of(model: Any, pks: list[int]) -> list[dict[str, Any]]:
    rows = model.history.filter(id__in=pks).order_by("id")
    return [
        {**model_to_dict(h, exclude=["id", "history_id"]), **{f: getattr(h, f) for f in HISTORY_FIELDS}} for h in rows
    ]


def test_records_and_history_rows_are_the_ones_simple_history_writes(tree: Any, hlj_clerk: m.User) -> None:
    when = timezone.now().replace(microsecond=123456)
    ours, theirs = people(tree, "135"), people(tree, "246")
    with CaptureQueriesContext(connection) as queries:
        create_with_history(m.Member, ours, user=hlj_clerk, reason="导入批次 #1：花名册.xlsx", date=when)
    bulk_create_with_history(
        theirs, m.Member, default_user=hlj_clerk, default_change_reason="导入批次 #1：花名册.xlsx", default_date=when
    )
    positions = [
        m.Position(member=ours[0], kind="cppcc_member", level="city"),
        m.Position(member=ours[1], kind="party_post", title="支部主委"),
    ]
    create_with_history(m.Position, positions, user=hlj_clerk, reason="r", date=when)

    assert all(obj.pk and not obj._state.adding for obj in [*ours, *positions])
    mine, reference = stored(m.Member, [o.pk for o in ours]), stored(m.Member, [o.pk for o in theirs])
    for row in (*mine, *reference):
        row.pop("id_number")
    assert mine == reference
    assert mine[0]["name"] == "王\t小\\明" and mine[0]["address"] == "哈尔滨市\n南岗区\r\n\\N 号"
    assert mine[1]["birth_date"] is None and mine[1]["work_unit"] == "  "
    mine_history = history_of(m.Member, [o.pk for o in ours])
    reference_history = history_of(m.Member, [o.pk for o in theirs])
    for row in (*mine_history, *reference_history):
        row.pop("id_number")
    assert mine_history == reference_history
    assert [h["history_date"] for h in mine_history] == [when, when]
    assert [(p.member_id, p.kind) for p in m.Position.objects.order_by("pk")] == [
        (ours[0].pk, "cppcc_member"),
        (ours[1].pk, "party_post"),
    ]
    assert m.Position.history.filter(history_type="+", history_user=hlj_clerk).count() == 2
    if connection.vendor == "postgresql":  # the records went by COPY, not by INSERT
        assert not [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]


def test_the_records_version_advances(tree: Any, hlj_clerk: m.User) -> None:
    before = m.records_version()
    create_with_history(m.Member, people(tree, "135")[:1], user=hlj_clerk, reason="r", date=timezone.now())
    assert m.records_version() != before


def test_a_write_that_breaks_a_constraint_leaves_nothing(tree: Any, hlj_clerk: m.User) -> None:
    twins = people(tree, "135")[:1] + people(tree, "135")[:1]  # the same ID number twice
    with pytest.raises(IntegrityError), transaction.atomic():
        create_with_history(m.Member, twins, user=hlj_clerk, reason="r", date=timezone.now())
    assert m.Member.objects.count() == 0
    assert m.Member.history.count() == 0


def test_plain_rows_keep_their_text_and_json_as_given(tree: Any, hlj_clerk: m.User) -> None:
    from committees.imports.models import ImportBatch, ImportRow
    from committees.imports.writing import insert_rows

    batch = ImportBatch.objects.create(kind="members", committee=tree.hlj, user=hlj_clerk, username="hlj_clerk")
    values = {"name": "王\t小\\明", "address": "南岗区\n\\N", "birth_date": dt.date(1980, 5, 1), "note": "引号\"'"}
    errors = [{"column": "gender", "value": "女士\r\n", "message": "“女士”不是可选值之一。"}]
    rows = [
        {"batch_id": batch.pk, "number": 3, "action": "error", "key": "", "label": "王\t小\\明", "values": values,
         "errors": errors, "changes": [], "plan": {}, "object_id": None},
        {"batch_id": batch.pk, "number": 4, "action": "new", "key": "id:1", "label": "", "values": {},
         "errors": [], "changes": [["title_level", None, "senior"]], "plan": {"committee": 1, "branch": None},
         "object_id": 12345678901},
    ]  # fmt: skip
    insert_rows(ImportRow, rows)
    first, second = ImportRow.objects.filter(batch=batch).order_by("number")
    assert first.label == "王\t小\\明" and first.object_id is None
    assert first.values == {**values, "birth_date": "1980-05-01"}
    assert first.errors == errors
    assert (second.changes, second.plan, second.object_id) == (
        [["title_level", None, "senior"]],
        {"committee": 1, "branch": None},
        12345678901,
    )
