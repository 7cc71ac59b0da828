"""The benchmark dataset generator: tree shape, consistent records, determinism and its safety catches.

The dataset is generated once for the module at a tiny scale inside a transaction that is rolled back
afterwards, so the rest of the suite still starts from an empty database.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, F, Q

from committees import models as m
from committees.demo.people import id_check_digit
from committees.models.generations import AFFECTED, TREE_TABLE
from committees.synthetic.geography import PROVINCES

pytestmark = pytest.mark.django_db

SCALE = "0.002"  # 20 branches, 400 members, ≈2,000 proposals: all 31 provinces, one city committee each
SEED = "7"


def fingerprint() -> dict[str, str]:
    """Digests of a few tables by natural keys (never ids, which SQLite does not reuse after deletes)."""
    tables = {
        "committees": m.Committee.objects.values_list("path", "code", "name", "kind", "depth", "numchild"),
        "branches": m.Branch.objects.values_list(
            "committee__code", "name", "kind", "sector", "founded_on", "cpc_linked_on", "leader__id_number"
        ),
        "members": m.Member.objects.values_list(
            "id_number", "name", "committee__code", "branch__name", "birth_date", "joined_on", "status", "phone"
        ),
        "proposals": m.Proposal.objects.filter(authorships__order=1).values_list(
            "committee__code", "branch__name", "kind", "title", "submitted_on", "serial_number",
            "authorships__member__id_number", "research_topic__title",
        ),
        "outcomes": m.Outcome.objects.values_list(
            "proposal__title", "proposal__submitted_on", "kind", "level", "by_whom", "occurred_on"
        ),
        "attendances": m.Attendance.objects.values_list(
            "event__committee__code", "event__title", "event__started_on", "member__id_number"
        ),
        "activities": m.Activity.objects.values_list(
            "committee__code", "branch__name", "kind", "title", "held_on", "participants", "donation_cash"
        ),
    }  # fmt: skip
    return {name: hashlib.sha256(repr(sorted(rows, key=repr)).encode()).hexdigest() for name, rows in tables.items()}


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_dataset", "--scale", SCALE, "--seed", SEED, *args, stdout=out)
    return out.getvalue()


@dataclass
class Dataset:
    output: str
    fingerprint: dict[str, str]


@pytest.fixture(scope="module")
def dataset(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Dataset]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        output = generate()
        yield Dataset(output, fingerprint())
        transaction.set_rollback(True)


def test_reports_progress_and_a_summary(dataset: Dataset) -> None:
    assert "committees: " in dataset.output
    summary = dataset.output.strip().splitlines()[-1]
    assert summary.startswith("Dataset generated in ")
    assert "400 members" in summary
    assert "no history rows" in summary


def test_tree_has_the_31_provinces_under_the_central_committee(dataset: Dataset) -> None:
    central = m.Committee.objects.get(code="000000")
    assert list(m.Committee.get_root_nodes()) == [central]
    provinces = list(central.get_children())
    assert {p.code for p in provinces} == {p.code for p in PROVINCES}
    assert {p.kind for p in provinces} == {m.Committee.Kind.PROVINCIAL}
    assert m.Committee.objects.get(code="110000").name == "民进北京市委会"
    assert m.Committee.objects.get(code="130000").name == "民进河北省委会"
    assert m.Committee.objects.get(code="130100").name == "民进石家庄市委会"
    for city in m.Committee.objects.filter(kind=m.Committee.Kind.CITY):
        parent = city.get_parent()
        assert parent is not None and parent.kind == m.Committee.Kind.PROVINCIAL
        assert city.code[:2] == parent.code[:2] and city.code.endswith("00") and city.code != parent.code
    assert all(re.fullmatch(r"[0-9]{6}", code) for code in m.Committee.objects.values_list("code", flat=True))
    assert all(not problems for problems in m.Committee.find_problems())
    assert len(m.Committee.get_tree()) == m.Committee.objects.count()
    # Siblings follow node_order_by = ["code"], as add_child would have placed them.
    assert [p.code for p in provinces] == sorted(p.code for p in provinces)
    assert m.Committee.objects.filter(kind=m.Committee.Kind.CITY).count() >= 31


def test_members_scale_and_belong_to_their_branch_committee(dataset: Dataset) -> None:
    assert m.Branch.objects.count() == 20
    members = m.Member.objects.count()
    assert abs(members - float(SCALE) * 200_000) <= 0.05 * float(SCALE) * 200_000
    assert not m.Member.objects.filter(branch__isnull=True).exists()
    assert not m.Member.objects.exclude(committee=F("branch__committee")).exists()
    numbers = list(m.Member.objects.values_list("id_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"[0-9]{17}[0-9X]", n) and n[17] == id_check_digit(n[:17]) for n in numbers)
    assert m.Member.objects.filter(status=m.Member.Status.ACTIVE).count() > 0.85 * members
    for model in (m.Committee, m.Branch, m.Member):
        assert not model.objects.filter(name_pinyin="").exists(), model
    left = m.Member.objects.exclude(status=m.Member.Status.ACTIVE)
    assert m.MemberStatusChange.objects.count() == left.count()
    assert not left.exclude(status_changes__status=F("status"), status_changes__changed_on=F("status_changed_on"))
    # Every leader is one of the branch's own members.
    assert m.Branch.objects.filter(leader__isnull=False).count() >= 15
    assert not m.Branch.objects.filter(leader__isnull=False).exclude(leader__branch=F("pk")).exists()


def test_records_are_consistent(dataset: Dataset) -> None:
    proposals = m.Proposal.objects.count()
    assert proposals > 1_000
    first_authors = m.Proposal.objects.annotate(first=Count("authorships", filter=Q(authorships__order=1)))
    assert not first_authors.exclude(first=1).exists()
    # Authors come from the owning branch, or from a branch of the owning committee.
    authorships = m.Authorship.objects.all()
    assert not authorships.filter(proposal__branch__isnull=False).exclude(member__branch=F("proposal__branch"))
    assert not authorships.exclude(member__committee=F("proposal__committee")).exists()
    for model in (m.Proposal, m.Activity, m.Honor):
        assert not model.objects.filter(branch__isnull=False).exclude(committee=F("branch__committee")).exists()
    assert not m.Honor.objects.filter(member__isnull=False).exclude(committee=F("member__committee")).exists()
    kinds = dict(m.Proposal.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds[m.Proposal.Kind.SOCIAL_INFO] > kinds[m.Proposal.Kind.PROPOSAL] > kinds[m.Proposal.Kind.SPEECH]
    with_outcome = m.Outcome.objects.values("proposal").distinct().count()
    assert 0.1 < with_outcome / proposals < 0.35
    assert m.Attendance.objects.count() > 0 and m.Activity.objects.count() > 0
    # Written with bulk inserts: no history rows.
    assert m.Member.history.count() == 0 and m.Proposal.history.count() == 0  # type: ignore[attr-defined]


def test_every_committee_counts_as_changed_in_every_loaded_table_and_the_triggers_work_again(
    dataset: Dataset,
) -> None:
    # On PostgreSQL the load writes with its generation triggers off and then advances every committee once: the
    # figure cells must see every committee as changed in every table, as if the triggers had run. (SQLite's
    # row triggers stay on and advance only the committees the rows touch.)
    if connection.vendor == "postgresql":
        tables = [TREE_TABLE, *AFFECTED]
        committees = list(m.Committee.objects.values_list("pk", flat=True))
        advanced = set(
            m.CommitteeGeneration.objects.filter(generation__gte=1).values_list("committee_id", "table")  # type: ignore[attr-defined]
        )
        assert {(pk, table) for pk in committees for table in tables} <= advanced
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE tgname LIKE %s", ["%\\_generation%"])
            states = dict(cursor.fetchall())
        assert states and set(states.values()) == {"O"}, states  # "O": enabled
    member = m.Member.objects.select_related("committee").first()
    assert member is not None
    before = m.CommitteeGeneration.objects.get(committee_id=member.committee_id, table=m.Member._meta.db_table)
    m.Member.objects.filter(pk=member.pk).update(phone="13900000000")
    after = m.CommitteeGeneration.objects.get(committee_id=member.committee_id, table=m.Member._meta.db_table)
    assert after.generation == before.generation + 1


def test_refuses_a_database_that_already_has_committees(dataset: Dataset) -> None:
    with pytest.raises(CommandError, match=r"already has \d+ committees"):
        generate()


def test_reset_needs_an_explicit_confirmation(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLOW_DATASET_RESET", raising=False)
    with pytest.raises(CommandError, match=r"ALLOW_DATASET_RESET=1"):
        generate("--reset")
    assert m.Committee.objects.count() > 0


def schema() -> list[tuple[str, ...]]:
    """Keys and indexes of the records' tables, as PostgreSQL would recreate them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text LIKE 'committees_%%' UNION ALL "
            "SELECT indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid::regclass::text LIKE 'committees_%%' ORDER BY 1, 2, 3"
        )
        return cursor.fetchall()


def test_same_seed_gives_the_same_data(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOW_DATASET_RESET", "1")
    m.User.objects.create_user("bound", committee=m.Committee.objects.get(code="000000"))
    m.User.objects.create_user("admin", is_superuser=True)
    before = schema() if connection.vendor == "postgresql" else []
    output = generate("--reset")
    assert "1 users bound to them" in output
    assert fingerprint() == dataset.fingerprint
    assert list(m.User.objects.values_list("username", flat=True)) == ["admin"]
    if connection.vendor == "postgresql":
        # COPY with keys and indexes dropped and rebuilt leaves the schema as it was …
        assert schema() == before
        # … and writes the very rows that plain bulk_create does.
        generate("--reset", "--method", "bulk_create")
        assert fingerprint() == dataset.fingerprint
    call_command("generate_dataset", "--scale", SCALE, "--seed", "8", "--reset", stdout=io.StringIO())
    other = fingerprint()
    assert other["members"] != dataset.fingerprint["members"]
    assert other["committees"] == dataset.fingerprint["committees"]
