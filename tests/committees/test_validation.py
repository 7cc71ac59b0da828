"""Validation a clerk can act on: each rule's message beside its field, in Chinese, never a constraint's name;
one ID-number and date rule for forms and imports; saves over a newer version refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import lxml.html
import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from committees import models as m
from committees.imports import parsers
from committees.rules import constraint_names, integrity_message, rule_for
from committees.validators import id_check_digit, normalise_id_number, parse_date_text
from reporting.scoring.models import Scheme
from reporting.summary.models import Narrative, Section, ThemeYear
from tests.conftest import Tree, make_user
from tests.factories import ActivityFactory, BranchFactory, MemberFactory, ProposalFactory, TrainingEventFactory

ALL_CONSTRAINTS = constraint_names()
RECORD_APPS = ("committees", "summary", "scoring")


def url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_values(content: bytes, form_id: str | None = None) -> dict[str, list[str]]:
    """What a browser would post from the page's form, as it stands."""
    doc = lxml.html.fromstring(content.decode())
    if form_id is None:  # the page's main form: the one with the most fields
        form = max(doc.forms, key=lambda f: len(f.inputs))
    else:
        form = next(f for f in doc.forms if f.get("id") == form_id)
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    return values


def submit(client: Client, path: str, changes: dict[str, str], form_id: str | None = None) -> Any:
    data = form_values(client.get(path).content, form_id)
    for name, value in changes.items():
        data[name] = [value]
    return client.post(path, data)


def errors_beside(response: Any, field: str) -> list[str]:
    """The messages of the error lists in the field's own row (the admin's ``form-row field-<name>``, or the
    ``field-<name>`` cell of a tabular inline): beside the field, not at the top of the form."""
    doc = lxml.html.fromstring(response.content.decode())
    short = field.rsplit("-", 1)[-1]
    cells = doc.xpath(f'//*[@id="id_{field}"]/ancestor::*[contains(concat(" ", @class, " "), " field-{short} ")][1]')
    # A line of several fields puts each field's errors just before its box.
    cells = [cell.getparent() if "fieldBox" in cell.get("class", "") else cell for cell in cells]
    return [li.text_content() for cell in cells for li in cell.xpath('.//ul[contains(@class, "errorlist")]/li')]


def assert_no_constraint_names(response: Any) -> None:
    content = response.content.decode()
    leaked = sorted(name for name in ALL_CONSTRAINTS if name in content)
    assert not leaked, leaked


def save_refused(response: Any) -> None:
    assert response.status_code == 200, "the form was accepted"
    assert_no_constraint_names(response)


# ---- one place per model -------------------------------------------------------------------------------------


def test_every_constraint_of_a_record_has_a_message_and_a_field() -> None:
    missing = [
        f"{model._meta.label}.{constraint.name}"
        for model in apps.get_models()
        if model._meta.app_label in RECORD_APPS
        for constraint in model._meta.constraints
        if rule_for(constraint.name) is None
    ]
    assert not missing


@translation.override("zh-hans")
def test_every_message_is_chinese_and_no_field_is_unknown() -> None:
    for model in apps.get_models():
        for name, rule in getattr(model, "constraint_rules", {}).items():
            assert name in {c.name for c in model._meta.constraints}, name
            if isinstance(rule.field, str):
                model._meta.get_field(rule.field)
            if not callable(rule.message):
                assert any("\u4e00" <= ch <= "\u9fff" for ch in str(rule.message)), name


# ---- each constraint through the admin form ------------------------------------------------------------------


@dataclass
class Case:
    model: type[Model]
    make: Callable[[Tree], Model | None]  # the record to change, or None: the add form
    changes: Callable[[Tree, Model | None], dict[str, str]]
    field: str
    words: str


def _other_branch(tree: Tree) -> m.Branch:
    BranchFactory(committee=tree.harbin, name="哈尔滨医科大学支部")
    return BranchFactory(committee=tree.harbin, name="第二支部")


def _proposal_with_authors(tree: Tree) -> m.Proposal:
    proposal = ProposalFactory(branch=tree.harbin_branch)
    for order in (1, 2):
        m.Authorship.objects.create(proposal=proposal, member=MemberFactory(branch=tree.harbin_branch), order=order)
    return proposal


CASES = {
    "branch_dissolved_after_founded": Case(
        m.Branch,
        lambda t: t.harbin_branch,
        lambda t, o: {"founded_on": "2020.03.15", "dissolved_on": "2019-3-15"},
        "dissolved_on",
        "撤销日期不能早于成立日期",
    ),
    "branch_unique_name_per_committee": Case(
        m.Branch, _other_branch, lambda t, o: {"name": "哈尔滨医科大学支部"}, "name", "已有同名的支部"
    ),
    "branch_cpc_link_names_organisation": Case(
        m.Branch,
        lambda t: t.harbin_branch,
        lambda t, o: {"cpc_linked_on": "20200101", "cpc_organisation": ""},
        "cpc_organisation",
        "党组织",
    ),
    "member_joined_after_birth": Case(
        m.Member,
        lambda t: MemberFactory(branch=t.harbin_branch),
        lambda t, o: {"birth_date": "1980年5月1日", "joined_on": "1979.1.1"},
        "joined_on",
        "入会",
    ),
    "member_left_with_date": Case(
        m.Member,
        lambda t: MemberFactory(branch=t.harbin_branch),
        lambda t, o: {"status": "withdrawn", "status_changed_on": ""},
        "status_changed_on",
        "状态变更日期",
    ),
    "member_unique_id_number": Case(
        m.Member,
        lambda t: MemberFactory(branch=t.harbin_branch),
        lambda t, o: {"id_number": MemberFactory(name="丁云红", branch=t.harbin_branch, id_number=_id()).id_number},
        "id_number",
        "丁云红（哈尔滨工程大学支部）",
    ),
    "position_seat_has_level": Case(
        m.Position,
        lambda t: m.Position.objects.create(member=MemberFactory(branch=t.harbin_branch), kind="party_post"),
        lambda t, o: {"kind": "cppcc_member", "level": ""},
        "level",
        "级别",
    ),
    "position_ends_after_start": Case(
        m.Position,
        lambda t: m.Position.objects.create(member=MemberFactory(branch=t.harbin_branch), kind="party_post"),
        lambda t, o: {"started_on": "2021-3-15", "ended_on": "2020-3-15"},
        "ended_on",
        "结束",
    ),
    "research_topic_unique_per_year": Case(
        m.ResearchTopic,
        lambda t: (
            m.ResearchTopic.objects.create(committee=t.harbin, title="甲", year=2020),
            m.ResearchTopic.objects.create(committee=t.harbin, title="乙", year=2020),
        )[1],
        lambda t, o: {"title": "甲"},
        "title",
        "同名",
    ),
    "research_topic_plausible_year": Case(
        m.ResearchTopic,
        lambda t: m.ResearchTopic.objects.create(committee=t.harbin, title="甲", year=2020),
        lambda t, o: {"year": "1900"},
        "year",
        "1945",
    ),
    "research_topic_concluded_with_date": Case(
        m.ResearchTopic,
        lambda t: m.ResearchTopic.objects.create(committee=t.harbin, title="甲", year=2020),
        lambda t, o: {"status": "concluded", "concluded_on": ""},
        "concluded_on",
        "结题",
    ),
    "outcome_level_required": Case(
        m.Proposal,
        lambda t: ProposalFactory(branch=t.harbin_branch),
        lambda t, o: {
            "outcomes-TOTAL_FORMS": "1",
            "outcomes-0-kind": "adopted",
            "outcomes-0-level": "",
            "outcomes-0-occurred_on": "2020.03.15",
        },
        "outcomes-0-level",
        "级别",
    ),
    # The proposal form numbers its co-authors itself; a place is typed only on an authorship's own form.
    "authorship_one_per_place": Case(
        m.Authorship,
        lambda t: _proposal_with_authors(t).authorships.get(order=2),
        lambda t, o: {"order": "1"},
        "order",
        "排序",
    ),
    "authorship_order_from_one": Case(
        m.Authorship,
        lambda t: _proposal_with_authors(t).authorships.get(order=2),
        lambda t, o: {"order": "0"},
        "order",
        "从1",
    ),
    "authorship_member_once": Case(
        m.Proposal,
        _proposal_with_authors,
        lambda t, o: {"authorships-1-member": str(o.authorships.get(order=1).member_id)},  # type: ignore[union-attr]
        "authorships-1-member",
        "会员",
    ),
    "training_ends_after_start": Case(
        m.TrainingEvent,
        lambda t: TrainingEventFactory(committee=t.harbin),
        lambda t, o: {"started_on": "2020年9月3日", "ended_on": "2020年9月1日"},
        "ended_on",
        "结束",
    ),
    "activity_ends_after_start": Case(
        m.Activity,
        lambda t: ActivityFactory(branch=t.harbin_branch),
        lambda t, o: {"held_on": "2020.05.02", "ended_on": "2020.05.01"},
        "ended_on",
        "结束",
    ),
    "activity_donations_non_negative": Case(
        m.Activity,
        lambda t: ActivityFactory(branch=t.harbin_branch),
        lambda t, o: {"donation_goods": "-5"},
        "donation_goods",
        "负",
    ),
    "user_role_has_its_binding": Case(
        m.User,
        lambda t: make_user("someone", m.User.Role.BRANCH, branch=t.harbin_branch),
        lambda t, o: {"branch": "", "committee": ""},
        "branch",
        "支部",
    ),
    "user_bound_to_committee_or_branch": Case(
        m.User,
        lambda t: make_user("someone", m.User.Role.BRANCH, branch=t.harbin_branch),
        lambda t, o: {"committee": str(t.harbin.pk)},
        "branch",
        "不能同时",
    ),
    "theme_year_plausible": Case(
        ThemeYear,
        lambda t: ThemeYear.objects.create(year=2099, theme="主题年"),
        lambda t, o: {"year": "1900"},
        "year",
        "1945",
    ),
    "scheme_plausible_year": Case(Scheme, lambda t: _scheme(t), lambda t, o: {"year": "1900"}, "year", "1945"),
    "scheme_cap_positive": Case(Scheme, lambda t: _scheme(t), lambda t, o: {"total_cap": "0"}, "total_cap", "大于0"),
    "scheme_once_per_committee_and_year": Case(
        Scheme, lambda t: (_scheme(t), _scheme(t, 2021))[1], lambda t, o: {"year": "2020"}, "year", "已有考核方案"
    ),
    "category_cap_above_floor": Case(
        Scheme,
        lambda t: _scheme(t),
        lambda t, o: {
            "categories-TOTAL_FORMS": "1",
            "categories-0-order": "1",
            "categories-0-code": "A",
            "categories-0-name": "组织建设",
            "categories-0-cap": "5",
            "categories-0-floor": "10",
        },
        "categories-0-cap",
        "上限不能低于下限",
    ),
    "category_code_once_per_scheme": Case(
        Scheme,
        lambda t: _scheme(t),
        lambda t, o: {
            "categories-TOTAL_FORMS": "2",
            **{f"categories-{i}-{k}": v for i in (0, 1) for k, v in {"order": "1", "code": "A", "name": "甲"}.items()},
        },
        "categories-1-code",
        "代码",
    ),
    "grade_threshold_once_per_scheme": Case(
        Scheme,
        lambda t: _scheme(t),
        lambda t, o: {
            "bands-TOTAL_FORMS": "2",
            "bands-0-name": "优秀",
            "bands-0-minimum": "90",
            "bands-1-name": "良好",
            "bands-1-minimum": "90",
        },
        "bands-1-minimum",
        "重复",
    ),
    "committee_code_six_digits": Case(m.Committee, lambda t: t.harbin, lambda t, o: {"code": "2301A0"}, "code", "6位"),
}


def _scheme(tree: Tree, year: int = 2020) -> Scheme:
    return Scheme.objects.create(committee=tree.hlj, year=year, name=f"{year}年考核方案")


_ids = iter(range(1000, 9999))


def _id() -> str:
    body = f"230102198001{next(_ids) % 28 + 1:02d}{next(_ids) % 1000:03d}"
    return body + id_check_digit(body)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_violation_is_told_beside_its_field(admin_client: Client, tree: Tree, name: str) -> None:
    case = CASES[name]
    obj = case.make(tree)
    path = url(case.model, "change", obj.pk) if obj is not None else url(case.model, "add")
    form_id = f"{case.model._meta.model_name}_form"

    response = submit(admin_client, path, case.changes(tree, obj), form_id)

    save_refused(response)
    messages = errors_beside(response, case.field)
    assert messages, f"no error beside {case.field}"
    assert any(case.words in text for text in messages), messages


def test_every_declared_constraint_is_exercised_or_covered_elsewhere() -> None:
    elsewhere = {
        # scoring rows the workflow writes, not a form of the admin
        "sheet_once_per_branch_and_scheme",
        "sheet_approved_with_time",
        "entry_once_per_item",
        "transition_return_has_reason",
        # scoring inlines whose messages follow the same path as the cases above
        "scheme_share_fraction",  # the field's own 0–1 validator answers first
        "grade_once_per_scheme",
        "item_points_not_negative",
        "item_cap_not_negative",
        "ladder_step_once_per_level",
        "ladder_bonus_not_negative",
        "member_id_number_format",  # the check-digit rule refuses first (test_an_id_number_*)
        "status_change_unique_per_day",
        "attendance_once_per_event",
        "honor_one_recipient",
        "honor_plausible_year",
        "training_headcount_non_negative",
        "target_once_per_metric",
        "target_not_negative",
        "narrative_once_per_section",
        "export_log_plausible_year",  # written by the exports only: no form
    }
    declared = {name for model in apps.get_models() for name in getattr(model, "constraint_rules", {})}
    assert declared - set(CASES) <= elsewhere


def test_a_duplicate_id_number_masks_the_holder_for_a_clerk_without_personal_data(
    tree: Tree, hrb_clerk: m.User
) -> None:
    holder = MemberFactory(name="丁云红", branch=tree.harbin_branch, id_number=_id())
    MemberFactory(branch=tree.harbin_branch)
    client = Client()
    client.force_login(hrb_clerk)

    response = submit(
        client,
        url(m.Member, "add"),
        {"name": "错误五", "gender": "female", "branch": str(tree.harbin_branch.pk), "id_number": holder.id_number},
        "member_form",
    )

    save_refused(response)
    text = " ".join(errors_beside(response, "id_number"))
    assert "丁**（哈尔滨工程大学支部）" in text
    assert "丁云红" not in text
    assert holder.id_number not in response.content.decode().replace(f'value="{holder.id_number}"', "")


def test_duplicate_inline_rows_name_the_field_in_chinese(admin_client: Client, tree: Tree) -> None:
    proposal = _proposal_with_authors(tree)

    first = proposal.authorships.get(order=1).member_id
    response = submit(admin_client, url(m.Proposal, "change", proposal.pk), {"authorships-1-member": str(first)})

    save_refused(response)
    content = response.content.decode()
    assert "请修改member" not in content
    assert "会员" in " ".join(errors_beside(response, "authorships-1-member"))


@translation.override("zh-hans")
def test_a_constraint_the_database_enforces_is_named_plainly(tree: Tree) -> None:
    branch = tree.harbin_branch
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        m.Branch.objects.filter(pk=branch.pk).update(founded_on=dt.date(2020, 1, 1), dissolved_on=dt.date(2019, 1, 1))
    assert integrity_message(error.value) == ("dissolved_on", "撤销日期不能早于成立日期。")
    BranchFactory(committee=tree.harbin, name="重名")
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        m.Branch.objects.create(committee=tree.harbin, name="重名")
    found = integrity_message(error.value)
    assert found is not None and found[0] == "name"


# ---- ID numbers and dates: one rule ---------------------------------------------------------------------------

GOOD_ID = "11010519491231002X"


@translation.override("zh-hans")
def test_the_id_number_rule_is_the_same_for_forms_and_imports() -> None:
    wrong_check = GOOD_ID[:17] + "1"
    old = "110105491231002"
    assert normalise_id_number(GOOD_ID.lower()) == parsers.parse_id_number(GOOD_ID.lower()) == GOOD_ID
    upgraded = normalise_id_number(old)
    assert upgraded == parsers.parse_id_number(old) == "11010519491231002X"
    with pytest.raises(parsers.CellError, match="校验位"):
        parsers.parse_id_number(wrong_check)


def _member_path(client: Client, tree: Tree) -> tuple[m.Member, str]:
    member = MemberFactory(branch=tree.harbin_branch)
    return member, url(m.Member, "change", member.pk)


def test_the_admin_refuses_a_wrong_check_digit(admin_client: Client, tree: Tree) -> None:
    member, path = _member_path(admin_client, tree)

    response = submit(admin_client, path, {"id_number": GOOD_ID[:17] + "1"}, "member_form")

    save_refused(response)
    assert "校验位" in " ".join(errors_beside(response, "id_number"))
    member.refresh_from_db()
    assert member.id_number == ""


@pytest.mark.parametrize(("typed", "stored"), [(GOOD_ID.lower(), GOOD_ID), ("110105491231002", GOOD_ID)])
def test_the_admin_stores_a_lower_case_x_and_an_old_number_as_18_characters(
    admin_client: Client, tree: Tree, typed: str, stored: str
) -> None:
    member, path = _member_path(admin_client, tree)

    response = submit(admin_client, path, {"id_number": typed}, "member_form")

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.id_number == stored


DATES = ["2021.03.15", "2021-3-15", "2021年3月15日", "20210315"]


@pytest.mark.parametrize("typed", DATES)
def test_a_date_typed_as_offices_type_it_is_taken(admin_client: Client, tree: Tree, typed: str) -> None:
    member, path = _member_path(admin_client, tree)

    response = submit(admin_client, path, {"joined_on": typed}, "member_form")

    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.joined_on == dt.date(2021, 3, 15)
    shown = form_values(admin_client.get(path).content, "member_form")["joined_on"]
    assert shown == ["2021年3月15日"]
    assert parsers.parse_date(typed) == parse_date_text(typed) == dt.date(2021, 3, 15)


def test_a_date_that_is_no_date_is_refused_with_examples(admin_client: Client, tree: Tree) -> None:
    _member, path = _member_path(admin_client, tree)

    response = submit(admin_client, path, {"joined_on": "2021.13.15"}, "member_form")

    save_refused(response)
    assert errors_beside(response, "joined_on")


# ---- rules across records -------------------------------------------------------------------------------------


def test_an_outcome_before_its_proposal_is_refused(admin_client: Client, tree: Tree) -> None:
    proposal = ProposalFactory(branch=tree.harbin_branch, submitted_on=dt.date(2020, 3, 15))

    response = submit(
        admin_client,
        url(m.Proposal, "change", proposal.pk),
        {"outcomes-TOTAL_FORMS": "1", "outcomes-0-kind": "filed", "outcomes-0-occurred_on": "2020.03.14"},
    )

    save_refused(response)
    assert "2020-03-15" in " ".join(errors_beside(response, "outcomes-0-occurred_on"))
    assert not m.Outcome.objects.exists()


def test_a_proposal_moved_after_its_outcomes_is_refused(admin_client: Client, tree: Tree) -> None:
    proposal = ProposalFactory(branch=tree.harbin_branch, submitted_on=dt.date(2020, 3, 15))
    m.Outcome.objects.create(proposal=proposal, kind="filed", occurred_on=dt.date(2020, 4, 1))

    response = submit(admin_client, url(m.Proposal, "change", proposal.pk), {"submitted_on": "2020.05.01"})

    save_refused(response)
    assert errors_beside(response, "submitted_on")


def test_attendance_needs_a_member_during_the_training(admin_client: Client, tree: Tree) -> None:
    event = TrainingEventFactory(committee=tree.harbin)  # 2020-09-01 … 09-03
    late = MemberFactory(branch=tree.harbin_branch, joined_on=dt.date(2021, 1, 1))
    gone = MemberFactory(
        branch=tree.harbin_branch,
        status="withdrawn",
        status_changed_on=dt.date(2019, 1, 1),
        joined_on=dt.date(2000, 1, 1),
    )

    response = submit(
        admin_client,
        url(m.TrainingEvent, "change", event.pk),
        {"attendances-TOTAL_FORMS": "2", "attendances-0-member": str(late.pk), "attendances-1-member": str(gone.pk)},
    )

    save_refused(response)
    assert errors_beside(response, "attendances-0-member")
    assert errors_beside(response, "attendances-1-member")
    assert not m.Attendance.objects.exists()


def test_a_branch_leader_belongs_to_the_branch(admin_client: Client, tree: Tree) -> None:
    outsider = MemberFactory(branch=BranchFactory(committee=tree.harbin))
    insider = MemberFactory(branch=tree.harbin_branch)
    path = url(m.Branch, "change", tree.harbin_branch.pk)

    response = submit(admin_client, path, {"leader": str(outsider.pk)}, "branch_form")

    save_refused(response)
    assert outsider.name in " ".join(errors_beside(response, "leader"))
    assert submit(admin_client, path, {"leader": str(insider.pk)}, "branch_form").status_code == 302


@pytest.mark.parametrize(("role", "field"), [("branch", "branch"), ("staff", "committee"), ("leader", "committee")])
def test_a_user_has_the_binding_of_the_role(admin_client: Client, tree: Tree, role: str, field: str) -> None:
    user = make_user("someone")

    response = submit(admin_client, url(m.User, "change", user.pk), {"role": role}, "user_form")

    save_refused(response)
    assert errors_beside(response, field)


# ---- lost updates ---------------------------------------------------------------------------------------------


def _clerk_client(user: m.User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_stale_form_is_refused_and_keeps_what_both_typed(tree: Tree, hrb_clerk: m.User, hlj_clerk: m.User) -> None:
    hrb_clerk.last_name, hrb_clerk.first_name = "张", "显友"
    hrb_clerk.save()
    member = MemberFactory(branch=tree.harbin_branch, work_unit="旧单位", job_title="旧职务")
    path = url(m.Member, "change", member.pk)
    a, b = _clerk_client(hrb_clerk), _clerk_client(hlj_clerk)
    form_a = form_values(a.get(path).content, "member_form")
    form_b = form_values(b.get(path).content, "member_form")

    form_a["work_unit"] = ["哈尔滨工业大学"]
    assert a.post(path, form_a).status_code == 302
    form_b["job_title"] = ["教授"]
    response = b.post(path, form_b)

    save_refused(response)
    content = response.content.decode()
    assert "该记录已被他人修改" in content
    assert "张显友" in content
    assert url(m.Member, "history", member.pk) in content
    member.refresh_from_db()
    assert (member.work_unit, member.job_title) == ("哈尔滨工业大学", "旧职务")
    again = form_values(response.content, "member_form")
    assert again["job_title"] == ["教授"]  # B's input kept
    assert again["work_unit"] == ["哈尔滨工业大学"]  # A's change taken over where B typed nothing

    assert b.post(path, again).status_code == 302  # saved knowingly
    member.refresh_from_db()
    assert (member.work_unit, member.job_title) == ("哈尔滨工业大学", "教授")


def test_a_write_from_outside_any_form_counts_as_an_edit(admin_client: Client, tree: Tree) -> None:
    member = MemberFactory(branch=tree.harbin_branch)
    path = url(m.Member, "change", member.pk)
    stale = form_values(admin_client.get(path).content, "member_form")
    with connection.cursor() as cursor:  # as an import's COPY or a bulk action would
        cursor.execute(f"UPDATE {m.Member._meta.db_table} SET phone = %s WHERE id = %s", ["13800000000", member.pk])

    stale["job_title"] = ["教授"]
    response = admin_client.post(path, stale)

    save_refused(response)
    assert "该记录已被他人修改" in response.content.decode()


def test_an_inline_row_changed_meanwhile_is_refused(admin_client: Client, tree: Tree, hlj_clerk: m.User) -> None:
    member = MemberFactory(branch=tree.harbin_branch)
    position = m.Position.objects.create(member=member, kind="party_post", title="委员")
    path = url(m.Member, "change", member.pk)
    a, b = admin_client, _clerk_client(hlj_clerk)
    form_a, form_b = (form_values(c.get(path).content, "member_form") for c in (a, b))

    form_a["positions-0-title"] = ["副主委"]
    assert a.post(path, form_a).status_code == 302
    form_b["positions-0-organisation"] = ["哈尔滨市委会"]
    response = b.post(path, form_b)

    save_refused(response)
    assert "该记录已被他人修改" in response.content.decode()
    position.refresh_from_db()
    assert (position.title, position.organisation) == ("副主委", "")


def test_an_untouched_inline_row_changed_meanwhile_does_not_block_the_save(
    admin_client: Client, tree: Tree, hlj_clerk: m.User
) -> None:
    member = MemberFactory(branch=tree.harbin_branch)
    m.Position.objects.create(member=member, kind="party_post", title="委员")
    path = url(m.Member, "change", member.pk)
    b = _clerk_client(hlj_clerk)
    form_b = form_values(b.get(path).content, "member_form")
    m.Position.objects.create(member=member, kind="representative", title="代表人士")  # added meanwhile

    form_b["job_title"] = ["教授"]
    assert b.post(path, form_b).status_code == 302
    assert member.positions.count() == 2


def test_the_narrative_page_refuses_a_stale_form(tree: Tree, hlj_clerk: m.User, hrb_clerk: m.User) -> None:
    path = reverse("summary-narrative", args=["230000", 2020, Section.TRAINING])
    a, b = _clerk_client(hlj_clerk), _clerk_client(make_user("hlj_clerk2", m.User.Role.STAFF, committee=tree.hlj))
    form_a, form_b = (form_values(c.get(path).content, "narrative_form") for c in (a, b))
    form_a["text"] = ["甲写的"]
    assert a.post(path, form_a).status_code == 302

    form_b["text"] = ["乙写的"]
    response = b.post(path, form_b)

    assert response.status_code == 200
    content = response.content.decode()
    assert "该记录已被他人修改" in content
    narrative = Narrative.objects.get()
    assert f'<a href="{url(Narrative, "history", narrative.pk)}" target="_blank"' in content
    assert narrative.text == "甲写的"
    assert [t.strip() for t in form_values(response.content, "narrative_form")["text"]] == ["乙写的"]


def test_a_duplicate_id_number_held_outside_the_users_reach_names_only_the_committee(
    tree: Tree, gz_clerk: m.User
) -> None:
    gz_clerk.can_view_personal_data = True
    gz_clerk.save()
    holder = MemberFactory(name="丁云红", branch=tree.harbin_branch, id_number=_id())
    client = Client()
    client.force_login(gz_clerk)

    response = submit(
        client,
        url(m.Member, "add"),
        {"name": "错误五", "gender": "female", "branch": str(tree.guiyang_branch.pk), "id_number": holder.id_number},
        "member_form",
    )

    save_refused(response)
    text = " ".join(errors_beside(response, "id_number"))
    assert "丁**（民进哈尔滨市委会）" in text
    assert "哈尔滨工程大学支部" not in text


def test_a_constraint_only_the_database_caught_is_told_plainly(
    admin_client: Client, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As when two saves race: the form's checks pass, the database refuses.
    monkeypatch.setattr(m.Branch, "validate_constraints", lambda self, exclude=None: None)
    branch = BranchFactory(committee=tree.harbin, name="第二支部")
    BranchFactory(committee=tree.harbin, name="重名")
    path = url(m.Branch, "change", branch.pk)

    response = submit(admin_client, path, {"name": "重名"}, "branch_form")

    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "本委员会已有同名的支部" in page
    assert_no_constraint_names(admin_client.get(response["Location"]))
    branch.refresh_from_db()
    assert branch.name == "第二支部"


def test_a_read_only_inline_shows_no_version_column(tree: Tree, gz_leader: m.User) -> None:
    member = MemberFactory(branch=tree.guiyang_branch)
    m.Position.objects.create(member=member, kind="party_post", title="委员")

    response = _clerk_client(gz_leader).get(url(m.Member, "change", member.pk))

    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    assert not doc.xpath('//*[contains(@class, "column-record_version")]')
    assert "委员" in doc.xpath('//*[@id="positions-group"]')[0].text_content()
