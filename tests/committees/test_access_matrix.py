"""The access matrix: every model × every persona × every admin page and write that reaches a record.

The expectations are the tables below, written from the access rules as the issue states them, not computed
from ``committees.access``: if the implementation drifts, cells fail. Each test item runs every cell of one
persona and one model against a world of three records per model (the Harbin branch, Heilongjiang directly,
Guizhou; see ``access_world``). A cell is one persona × model × action × place:

- index (the model is offered or not), list (the record's change link is there or not), view (the change page:
  editable, read-only, 404, 403), history, old version (simple_history's page of a past version),
  autocomplete (for every autocomplete field: which records of the target come back);
- change, revert (posting an old version's form), delete, bulk delete (the changelist action), history of
  deleted (a deleted record of another place stays out of reach);
- add page, add (a new record where the persona works), forged add and forged change (a new record, or an
  existing one, pointed at a place the persona may not write).

Every page and answer is also searched for the tokens of records the persona may not read. The item collects
every mismatch before failing, each marked:

- LEAK: the persona saw, changed, deleted or created more than the table allows, or a page or an autocomplete
  answer carried the token of a record the persona may not read;
- DENIED: the persona was refused something the table allows;
- STATUS: refused as expected, but with another status than the table's (e.g. 404 instead of 403);
- ERROR: the server failed (5xx).

The number of cells is printed at the end of the run: ``ACCESS MATRIX: N cells tested, L leaks, ...``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib import admin
from django.db.models import Field, ForeignKey, Model
from django.forms import BaseForm, MultiWidget
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from committees import models as m
from tests.committees.access_world import (
    LOCATIONS,
    MODELS,
    PERSONAS,
    World,
    build_victims,
    build_world,
    token,
)
from tests.conftest import Tree

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

# --------------------------------------------------------------------------------------------------------------
# Expectations. Places: A = harbin + hlj + gz, H = harbin + hlj, R = harbin only, G = gz only, - = none.
# READ: "-" means the persona cannot read the model at all (its pages answer 403); otherwise the records in
# the other places answer 404. WRITE: change and delete. ADD: y = the add page opens and an in-scope add works.
# --------------------------------------------------------------------------------------------------------------

READ_TABLE = """
model               admin hlj_staff hlj_leader hrb_staff gz_staff gz_leader branch_chair outsider
Committee           A     H         H          H         G        G         H            -
Branch              A     H         H          R         G        G         R            -
Member              A     H         H          R         G        G         R            -
MemberStatusChange  A     H         H          R         G        G         R            -
Position            A     H         H          R         G        G         R            -
ResearchTopic       A     H         H          H         G        G         H            -
Proposal            A     H         H          R         G        G         R            -
Authorship          A     H         H          R         G        G         R            -
Outcome             A     H         H          R         G        G         R            -
TrainingEvent       A     H         H          H         G        G         H            -
Attendance          A     H         H          R         G        G         R            -
Activity            A     H         H          R         G        G         R            -
Honor               A     H         H          R         G        G         R            -
User                A     -         -          -         -        -         -            -
ExportLog           A     -         -          -         -        -         -            -
"""

WRITE_TABLE = """
model               admin hlj_staff hlj_leader hrb_staff gz_staff gz_leader branch_chair outsider
Committee           A     -         -          -         -        -         -            -
Branch              A     H         -          R         G        -         -            -
Member              A     H         -          R         G        -         -            -
MemberStatusChange  A     H         -          R         G        -         -            -
Position            A     H         -          R         G        -         -            -
ResearchTopic       A     H         -          R         G        -         -            -
Proposal            A     H         -          R         G        -         R            -
Authorship          A     H         -          R         G        -         R            -
Outcome             A     H         -          R         G        -         R            -
TrainingEvent       A     H         -          R         G        -         -            -
Attendance          A     H         -          R         G        -         R            -
Activity            A     H         -          R         G        -         R            -
Honor               A     H         -          R         G        -         R            -
User                A     -         -          -         -        -         -            -
ExportLog           -     -         -          -         -        -         -            -
"""

ADD_TABLE = """
model               admin hlj_staff hlj_leader hrb_staff gz_staff gz_leader branch_chair outsider
Committee           y     -         -          -         -        -         -            -
Branch              y     y         -          y         y        -         -            -
Member              y     y         -          y         y        -         -            -
MemberStatusChange  y     y         -          y         y        -         -            -
Position            y     y         -          y         y        -         -            -
ResearchTopic       y     y         -          y         y        -         -            -
Proposal            y     y         -          y         y        -         y            -
Authorship          y     y         -          y         y        -         y            -
Outcome             y     y         -          y         y        -         y            -
TrainingEvent       y     y         -          y         y        -         -            -
Attendance          y     y         -          y         y        -         y            -
Activity            y     y         -          y         y        -         y            -
Honor               y     y         -          y         y        -         y            -
User                y     -         -          -         -        -         -            -
ExportLog           -     -         -          -         -        -         -            -
"""

PLACES = {
    "A": frozenset({"harbin", "hlj", "gz"}),
    "H": frozenset({"harbin", "hlj"}),
    "R": frozenset({"harbin"}),
    "G": frozenset({"gz"}),
    "-": frozenset(),
}

# Where a persona's in-scope add copies its data from; FORGED: the other province, which its forged adds and
# changes try first (then every other place it may not write).
HOME = {
    "admin": "harbin",
    "hlj_staff": "hlj",
    "hlj_leader": "hlj",
    "hrb_staff": "harbin",
    "gz_staff": "gz",
    "gz_leader": "gz",
    "branch_chair": "harbin",
    "outsider": "harbin",
}
FORGED = {"hlj_staff": "gz", "hrb_staff": "gz", "branch_chair": "gz", "gz_staff": "hlj"}


def _parse(table: str) -> dict[tuple[str, str], str]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    assert header[1:] == list(PERSONAS), header
    models = [model.__name__ for model in MODELS]
    assert [row[0] for row in rows] == models, "the tables list every model, in order"
    return {(persona, row[0]): code for row in rows for persona, code in zip(PERSONAS, row[1:], strict=True)}


_READ, _WRITE, _ADD = _parse(READ_TABLE), _parse(WRITE_TABLE), _parse(ADD_TABLE)


def table_read(persona: str, model: type[Model]) -> frozenset[str]:
    return PLACES[_READ[persona, model.__name__]]


def table_write(persona: str, model: type[Model]) -> frozenset[str]:
    return PLACES[_WRITE[persona, model.__name__]]


def table_add(persona: str, model: type[Model]) -> bool:
    return _ADD[persona, model.__name__] == "y"


# --------------------------------------------------------------------------------------------------------------
# Counting cells, and the line printed at the end of the run.
# --------------------------------------------------------------------------------------------------------------

TALLY = {"cells": 0, "LEAK": 0, "DENIED": 0, "STATUS": 0, "ERROR": 0}


class _MatrixSummary:
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if TALLY["cells"]:
            terminalreporter.write_line(
                f"ACCESS MATRIX: {TALLY['cells']} cells tested, {TALLY['LEAK']} leaks, "
                f"{TALLY['DENIED']} wrongly denied, {TALLY['STATUS']} denied with another status, "
                f"{TALLY['ERROR']} server errors"
            )


@pytest.fixture(scope="session", autouse=True)
def _print_cell_count(request: pytest.FixtureRequest) -> Iterator[None]:
    # A hook registered at run time still takes part in the terminal summary, after the captured output.
    manager = request.config.pluginmanager
    if not manager.has_plugin("access-matrix-summary"):
        manager.register(_MatrixSummary(), "access-matrix-summary")
    yield


# Outcomes, from least to most permissive: a cell whose outcome ranks above the expected one is a leak.
RANK = {"302": 0, "403": 0, "404": 0, "denied": 0, "refused": 0, "absent": 0, "hidden": 0}
RANK |= {"listed": 1, "shown": 1, "200": 1, "200 read-only": 1}
RANK |= {"200 editable": 2, "saved": 2, "deleted": 2, "created": 2}
WROTE = ("saved", "changed", "deleted", "rows")


def rank(outcome: str) -> int:
    if outcome in RANK:
        return RANK[outcome]
    return 2 if any(word in outcome for word in WROTE) else 1  # some other page, or a write with an odd answer


@dataclass
class Cells:
    persona: str
    model: type[Model]
    forbidden: list[str]
    failures: list[str] = field(default_factory=list)

    def check(self, action: str, place: str, expected: str, got: str, response: Response | None = None) -> None:
        TALLY["cells"] += 1
        leaked = self.leaked_tokens(response)
        if expected == got and not leaked:
            return
        if got.startswith("5"):
            kind = "ERROR"
        elif leaked or rank(got) > rank(expected):
            kind = "LEAK"
        elif rank(got) < rank(expected):
            kind = "DENIED"
        else:
            kind = "STATUS"
        TALLY[kind] += 1
        where = f"{self.persona} × {self.model.__name__} × {action} × {place}"
        shown = f"; page shows {', '.join(leaked)}" if leaked else ""
        self.failures.append(f"{kind:6} {where}: expected {expected!r}, got {got!r}{shown}")

    def leaked_tokens(self, response: Response | None) -> list[str]:
        if response is None or getattr(response, "streaming", False):
            return []
        content = response.content.decode(errors="replace")
        return [tok for tok in self.forbidden if tok in content]


# --------------------------------------------------------------------------------------------------------------
# Form data, generated from the admin's own forms as an administrator sees them.
# --------------------------------------------------------------------------------------------------------------

FACTORY = RequestFactory()
EDITED_FIELD = {
    m.Committee: "name",
    m.Branch: "name",
    m.Member: "name",
    m.MemberStatusChange: "note",
    m.Position: "title",
    m.ResearchTopic: "title",
    m.Proposal: "title",
    m.Authorship: "order",
    m.Outcome: "note",
    m.TrainingEvent: "title",
    m.Attendance: "member",
    m.Activity: "title",
    m.Honor: "title",
    m.User: "last_name",
    m.ExportLog: "username",
}
OWNER_FIELDS = ("committee", "branch", "member", "proposal", "event")
ADD_CODES = {"harbin": "230198", "hlj": "239997", "gz": "529997"}
PASSWORD = "Qx7-Lmw-4471-Zpt"


def _encode(value: Any) -> list[str]:
    if value is None:
        return [""]
    if isinstance(value, bool):
        return ["on"] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return [value.isoformat()]
    return [str(value)]


def _field_data(form: BaseForm, name: str) -> dict[str, list[str]]:
    formfield = form.fields[name]
    if formfield.disabled:  # the read-only password hash: the form ignores whatever is posted
        return {}
    key, value, widget = form.add_prefix(name), form[name].value(), formfield.widget
    if isinstance(widget, MultiWidget):
        parts = widget.decompress(value) or [None] * len(widget.widgets)
        return {f"{key}_{i}": _encode(part) for i, part in enumerate(parts)}
    return {key: _encode(value)}


def _form_data(form: BaseForm) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name in form.fields:
        data |= _field_data(form, name)
    return data


def _admin_request(world: World) -> HttpRequest:
    request = FACTORY.get("/admin/")
    request.user = world.personas["admin"]
    return request


def _inline_data(world: World, model: type[Model], obj: Model | None) -> dict[str, list[str]]:
    request, model_admin = _admin_request(world), admin.site._registry[model]
    data: dict[str, list[str]] = {}
    for formset_class, inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset_class.get_default_prefix()
        formset = formset_class(**model_admin.get_formset_kwargs(request, obj, inline, prefix))
        data |= _form_data(formset.management_form)
        for form in formset.forms:
            data |= _form_data(form)
    return data


def change_data(world: World, model: type[Model], obj: Model) -> dict[str, list[str]]:
    """What the change form posts back unchanged: the fields, and every inline row with its id."""
    request, model_admin = _admin_request(world), admin.site._registry[model]
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    return _form_data(form) | _inline_data(world, model, obj)


def edited_value(world: World, obj: Any, loc: str) -> str:
    """A harmless new value for the edited field, different from the current one."""
    if isinstance(obj, m.Authorship):
        return str(obj.order + 10)
    if isinstance(obj, m.Attendance):
        second, first = world.members2[loc], world.obj(m.Member, loc)
        return str(first.pk if obj.member_id == second.pk else second.pk)
    return str(getattr(obj, EDITED_FIELD[type(obj)])) + "✓"


def current_value(model: type[Model], pk: Any) -> str | None:
    row = model._default_manager.filter(pk=pk).values_list(_attname(model, EDITED_FIELD[model]))
    values = list(row)
    return None if not values else str(values[0][0])


def add_data(world: World, model: type[Model], loc: str) -> dict[str, list[str]]:
    """A new record copied from the one in ``loc``, with new values wherever the models want them unique."""
    request, model_admin = _admin_request(world), admin.site._registry[model]
    source = model._default_manager.get(pk=world.obj(model, loc).pk)
    change_form = model_admin.get_form(request, source, change=True)(instance=source)
    add_form = model_admin.get_form(request, None, change=False)()
    data: dict[str, list[str]] = {}
    for name in add_form.fields:
        data |= _field_data(change_form if name in change_form.fields else add_form, name)
    data |= _inline_data(world, model, None)
    new = token(loc, f"Add{model.__name__}")
    if model is m.Committee:
        data |= {"name": [new], "code": [ADD_CODES[loc]]}
    elif model is m.User:
        data |= {"username": [new], "usable_password": ["true"], "password1": [PASSWORD], "password2": [PASSWORD]}
    elif model is m.Authorship:
        data |= {"member": [str(world.members3[loc].pk)], "order": ["2"]}
    elif model is m.Attendance:
        data |= {"member": [str(world.members3[loc].pk)]}
    elif model is m.MemberStatusChange:
        data |= {"note": [new], "changed_on": ["2022-02-02"]}
    else:
        data |= {EDITED_FIELD[model]: [new]}
    return data


# --------------------------------------------------------------------------------------------------------------
# The cells.
# --------------------------------------------------------------------------------------------------------------


def _attname(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return field.attname


def url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _form_errors(response: Response) -> str:
    context = getattr(response, "context", None)
    if response.status_code != 200 or context is None or "adminform" not in context:
        return ""
    errors = [str(dict(context["adminform"].form.errors))]
    for inline in context.get("inline_admin_formsets", []):
        errors += [str(inline.formset.errors), str(inline.formset.non_form_errors())]
    return " ".join(e for e in errors if e not in ("{}", "[]", "[{}]", ""))


def check_index(cells: Cells, client: Client, model: type[Model], readable: bool) -> None:
    response = client.get(reverse("admin:index"))
    got = "listed" if url(model, "changelist") in response.content.decode() else "absent"
    if response.status_code != 200:
        got = str(response.status_code)
    cells.check("index", "-", "listed" if readable else "absent", got, response)


def check_list(cells: Cells, client: Client, world: World, model: type[Model], readable: frozenset[str]) -> None:
    response = client.get(url(model, "changelist"))
    content = response.content.decode()
    for loc in LOCATIONS:
        expected = ("shown" if loc in readable else "hidden") if readable else "403"
        if response.status_code == 200:
            got = "shown" if url(model, "change", world.obj(model, loc).pk) in content else "hidden"
        else:
            got = str(response.status_code)
        cells.check("list", loc, expected, got, response)


def check_view_and_history(
    cells: Cells, client: Client, world: World, model: type[Model], readable: frozenset[str], writable: frozenset[str]
) -> None:
    for loc in LOCATIONS:
        pk = world.obj(model, loc).pk
        denied = "404" if readable else "403"

        response = client.get(url(model, "change", pk))
        got = str(response.status_code)
        if response.status_code == 200:
            editable = response.context["has_change_permission"] and response.context["has_delete_permission"]
            got = "200 editable" if editable else "200 read-only"
        expected = ("200 editable" if loc in writable else "200 read-only") if loc in readable else denied
        cells.check("view", loc, expected, got, response)

        response = client.get(url(model, "history", pk))
        cells.check("history", loc, "200" if loc in readable else denied, str(response.status_code), response)


def check_autocomplete(cells: Cells, client: Client, world: World, persona: str, model: type[Model]) -> None:
    for name in admin.site._registry[model].autocomplete_fields:
        fk = model._meta.get_field(name)
        assert isinstance(fk, ForeignKey)
        target = fk.remote_field.model
        readable = table_read(persona, target)
        query = {"app_label": "committees", "model_name": str(model._meta.model_name), "field_name": name, "term": ""}
        response = client.get(reverse("admin:autocomplete"), query)
        # 403: the persona may not read the target at all, so it sees none of it.
        answered = response.status_code in (200, 403)
        ids: set[str] = set()
        if response.status_code == 200:
            ids = {str(row["id"]) for row in json.loads(response.content)["results"]}
        for loc in LOCATIONS:
            got = ("listed" if str(world.obj(target, loc).pk) in ids else "absent") if answered else ""
            got = got or str(response.status_code)
            cells.check(f"autocomplete {name}", loc, "listed" if loc in readable else "absent", got, response)
        # Every other known row of the target (second members, …) follows the rule of its place too.
        extra = sorted(pk for pk, loc in world.places.get(target, {}).items() if str(pk) in ids and loc not in readable)
        cells.check(f"autocomplete {name}", "other rows", "absent", f"lists {extra}" if extra else "absent")


def _has_history(model: type[Model]) -> bool:
    return isinstance(admin.site._registry[model], SimpleHistoryAdmin)


def _latest_version(model: type[Model], pk: Any) -> Any:
    history: Any = getattr(model, "history")  # noqa: B009 - simple_history adds the manager at run time
    return history.filter(**{model._meta.pk.attname: pk}).order_by("-history_id")[0].history_id


def check_change(
    cells: Cells, client: Client, world: World, model: type[Model], writable: frozenset[str], *, revert: bool = False
) -> None:
    """Change posts: through the change form, or (``revert``) through the form of the latest old version."""
    posts = {}
    for loc in LOCATIONS:
        obj = model._default_manager.get(pk=world.obj(model, loc).pk)
        data = change_data(world, model, obj)
        data[EDITED_FIELD[model]] = [edited_value(world, obj, loc)]
        path = url(model, "simple_history", obj.pk, _latest_version(model, obj.pk)) if revert else None
        posts[loc] = (path or url(model, "change", obj.pk), current_value(model, obj.pk), data)
    for loc, (path, before, data) in posts.items():
        response = client.post(path, data)
        after = current_value(model, world.obj(model, loc).pk)
        if after == data[EDITED_FIELD[model]][0]:
            got = "saved" if response.status_code == 302 else f"{response.status_code}, saved"
        elif after != before:
            got = f"{response.status_code}, changed to {after!r}"
        elif response.status_code in (403, 404):
            got = "denied"
        elif response.status_code == 200 and _form_errors(response):
            got = "refused"  # the form would not save it: denied, but not with a 403
        else:
            got = str(response.status_code)
        cells.check("revert" if revert else "change", loc, "saved" if loc in writable else "denied", got, response)


def check_old_versions(
    cells: Cells, client: Client, world: World, model: type[Model], readable: frozenset[str]
) -> None:
    """The page of a record's latest old version (simple_history's revert form)."""
    for loc in LOCATIONS:
        pk = world.obj(model, loc).pk
        response = client.get(url(model, "simple_history", pk, _latest_version(model, pk)))
        expected = "200" if loc in readable else "404" if readable else "403"
        cells.check("old version", loc, expected, str(response.status_code), response)


def check_delete(
    cells: Cells, client: Client, model: type[Model], victims: dict[str, Model], writable: frozenset[str]
) -> None:
    for loc, victim in victims.items():
        response = client.post(url(model, "delete", victim.pk), {"post": "yes"})
        gone = not model._default_manager.filter(pk=victim.pk).exists()
        if gone:
            got = "deleted" if response.status_code == 302 else f"{response.status_code}, deleted"
        elif response.status_code in (403, 404):
            got = "denied"
        else:
            got = f"{response.status_code} kept"
        cells.check("delete", loc, "deleted" if loc in writable else "denied", got, response)


def check_bulk_delete(
    cells: Cells,
    client: Client,
    model: type[Model],
    victims: dict[str, Model],
    readable: frozenset[str],
    writable: frozenset[str],
) -> None:
    """The changelist's "delete selected" action, asked for every place's row at once. Rows outside the scope are
    not in the changelist's queryset and are ignored; a selection holding a row the user may read but not delete
    is refused as a whole (Django's action lists what may not be deleted and deletes nothing)."""
    if readable - writable:
        writable = frozenset()
    selected = [str(victim.pk) for victim in victims.values()]
    data = {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    response = client.post(url(model, "changelist"), data)
    for loc, victim in victims.items():
        gone = not model._default_manager.filter(pk=victim.pk).exists()
        cells.check(
            "bulk delete", loc, "deleted" if loc in writable else "denied", "deleted" if gone else "denied", response
        )


def check_deleted_history(
    cells: Cells, client: Client, model: type[Model], victims: dict[str, Model], readable: frozenset[str]
) -> None:
    """Once deleted, a record of another place stays out of reach: its history page does not fall back to the
    last historical row. (Only for the records simple_history keeps: the export log has no history of its own.)"""
    if not _has_history(model):
        return
    for victim in victims.values():
        model._default_manager.filter(pk=victim.pk).delete()
    for loc, victim in victims.items():
        if loc in readable:
            continue  # what a persona sees of its own deleted records is not an access question
        response = client.get(url(model, "history", victim.pk))
        cells.check("history of deleted", loc, "404" if readable else "403", str(response.status_code), response)


def check_add(cells: Cells, client: Client, world: World, persona: str, model: type[Model]) -> None:
    allowed = table_add(persona, model)
    response = client.get(url(model, "add"))
    cells.check("add page", "-", "200" if allowed else "403", str(response.status_code), response)

    home = HOME[persona]
    data = add_data(world, model, home)
    before = model._default_manager.count()
    response = client.post(url(model, "add"), data)
    created = model._default_manager.count() - before
    if created:
        got = (
            "created" if created == 1 and response.status_code == 302 else f"{response.status_code}, {created:+d} rows"
        )
    elif response.status_code == 403:
        got = "denied"
    else:
        got = f"{response.status_code} {_form_errors(response)}".strip()
    cells.check("add", home, "created" if allowed else "denied", got, response)

    if not allowed or persona == "admin":
        return
    for loc in forged_places(persona, model):
        data = add_data(world, model, loc)
        before = model._default_manager.count()
        response = client.post(url(model, "add"), data)
        created = model._default_manager.count() - before
        if created:
            got = "created"
        elif response.status_code == 200 and _form_errors(response):
            got = "refused"
        else:
            got = str(response.status_code)
        cells.check("forged add", loc, "refused", got, response)


def check_forged_change(cells: Cells, client: Client, world: World, persona: str, model: type[Model]) -> None:
    """Moving an in-scope record out of the scope by posting another place's owner (committee, branch, …)."""
    if persona == "admin" or not table_write(persona, model):
        return
    home = model._default_manager.get(pk=world.obj(model, HOME[persona]).pk)
    data = change_data(world, model, home)
    owners = [name for name in OWNER_FIELDS if name in data]
    attnames = [_attname(model, name) for name in owners]
    before = list(model._default_manager.filter(pk=home.pk).values_list(*attnames))
    for loc in forged_places(persona, model):
        other = change_data(world, model, model._default_manager.get(pk=world.obj(model, loc).pk))
        forged = data | {name: other[name] for name in owners}
        response = client.post(url(model, "change", home.pk), forged)
        moved = list(model._default_manager.filter(pk=home.pk).values_list(*attnames)) != before
        if moved:
            got = "saved"
        elif response.status_code == 200 and _form_errors(response):
            got = "refused"
        else:
            got = str(response.status_code)
        cells.check(f"forged change {'+'.join(owners)}", loc, "refused", got, response)


def forged_places(persona: str, model: type[Model]) -> list[str]:
    """The places a persona may not write: its forged adds and moves point there (the other province first)."""
    others = [loc for loc in LOCATIONS if loc not in table_write(persona, model)]
    return sorted(others, key=lambda loc: loc != FORGED.get(persona))


@pytest.fixture
def world(tree: Tree) -> World:
    return build_world(tree)


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    # Hundreds of provoked 403s and 404s, and Axes noting every login: keep a failure's report to its cells.
    loggers = [logging.getLogger("django.request"), logging.getLogger("axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.parametrize("model", MODELS, ids=[model.__name__ for model in MODELS])
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(world: World, persona: str, model: type[Model]) -> None:
    victims, bulk_victims = build_victims(world, model, "Del"), build_victims(world, model, "BulkDel")
    forbidden = sorted(tok for tok, (mdl, loc) in world.tokens.items() if loc not in table_read(persona, mdl))
    cells = Cells(persona, model, forbidden)
    readable, writable = table_read(persona, model), table_write(persona, model)
    client = Client(raise_request_exception=False)  # a server error is a cell of its own, not the end of the item
    client.force_login(world.personas[persona])

    check_index(cells, client, model, bool(readable))
    check_list(cells, client, world, model, readable)
    check_view_and_history(cells, client, world, model, readable, writable)
    check_autocomplete(cells, client, world, persona, model)
    check_change(cells, client, world, model, writable)
    if _has_history(model):
        check_old_versions(cells, client, world, model, readable)
        # Reverting is writing; the committee tree is never reverted (an old version carries an old path).
        check_change(cells, client, world, model, frozenset() if model is m.Committee else writable, revert=True)
    check_delete(cells, client, model, victims, writable)
    check_bulk_delete(cells, client, model, bulk_victims, readable, writable)
    check_deleted_history(cells, client, model, bulk_victims, readable)
    check_add(cells, client, world, persona, model)
    check_forged_change(cells, client, world, persona, model)

    if cells.failures:
        pytest.fail(
            "\n".join([f"{len(cells.failures)} cells disagree with the tables:", *cells.failures]), pytrace=False
        )


def test_the_tables_cover_every_registered_model() -> None:
    registered = {model for model in admin.site._registry if model._meta.app_label == "committees"}
    assert registered == set(MODELS)
