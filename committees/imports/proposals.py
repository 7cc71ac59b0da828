"""Proposals, suggestions and 社情民意信息 with their authors and outcomes.

Natural key: kind + serial number when the row has a serial number, otherwise kind + title + the year
submitted, within the importer's committees. Authors are members of those committees, by name or ID number;
when the author columns are filled they replace the authors on record. Outcome columns add an outcome of that
kind and level when there is none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from committees.models import Authorship, Committee, Level, Member, Outcome, Proposal, Tier

from .base import BranchFinder, Importer, Row, settle
from .columns import Field, choice_field, text
from .members import TIER
from .models import ImportBatch
from .parsers import CellError, Choice, parse_date, parse_names, parse_yes_no

KIND = Choice(
    Proposal.Kind,
    {
        "proposal": ["提案", "政协提案"],
        "suggestion": ["建议", "建议案"],
        "social_info": ["社情民意", "社情民意信息", "信息"],
        "speech": ["大会发言", "发言"],
        "research_report": ["调研报告"],
        "theory_paper": ["理论文章", "论文", "理论研究文章"],
    },
)
RAISED_AS = Choice(
    Proposal.RaisedAs,
    {
        "individual": ["个人提案"],
        "joint": ["联名提案"],
        "sector": ["界别提案"],
        "party": ["党派团体", "集体", "党派提案"],
        "special_committee": ["专委会"],
    },
)
OCCASION = Choice(
    Proposal.Occasion, {"plenary": ["大会", "会议期间"], "routine": ["平时", "闭会期间"], "consultation": ["协商会"]}
)
STATUS = Choice(
    Proposal.Status,
    {
        "submitted": ["已提交", "提交"],
        "filed": ["立案"],
        "not_filed": ["不予立案", "未立案"],
        "merged": ["并案"],
        "converted": ["转社情民意", "转信息"],
    },
)
REPLY = Choice(
    Proposal.ReplyResult,
    {"A": ["A类", "已解决", "采纳"], "B": ["B类", "正在解决", "列入计划"], "C": ["C类", "留作参考"]},
)
SATISFACTION = Choice(Proposal.Satisfaction, {"satisfied": ["满意"], "basic": ["基本满意"], "unsatisfied": ["不满意"]})
LEVEL = Choice(
    Level,
    {
        "county": ["县级", "县"],
        "city": ["市级", "市厅级", "市"],
        "city_leader": ["市级主要领导", "市领导"],
        "provincial": ["省级", "省政协", "统战部", "省"],
        "provincial_leader": ["省级领导", "省委书记", "省长", "省领导"],
        "vice_ministerial": ["副部级"],
        "party_central": ["民进中央", "会中央"],
        "ministerial": ["正部级", "国家部委"],
        "central_department": ["中央有关部门"],
        "national_cppcc": ["全国政协", "全国人大"],
        "central_office": ["中办", "国办", "中办国办"],
        "state_leader": ["国家领导人", "中央主要领导"],
    },
)

FIELDS: tuple[Field, ...] = (
    choice_field("kind", pgettext_lazy("import column", "Kind"), KIND, required=True, width=12),
    Field(
        "title",
        pgettext_lazy("import column", "Title"),
        text(300),
        required=True,
        aliases=("案由", "题目", "标题"),
        width=36,
    ),
    Field(
        "submitted_on",
        pgettext_lazy("import column", "Submitted on"),
        parse_date,
        kind="date",
        required=True,
        aliases=("提交时间", "报送日期"),
    ),
    Field(
        "serial_number",
        pgettext_lazy("import column", "Serial number"),
        text(50),
        aliases=("编号", "提案号", "案号"),
        width=12,
        help=gettext_lazy("Identifies the record together with the kind; without it: kind, title and year."),
    ),
    Field(
        "committee",
        pgettext_lazy("import column", "Committee"),
        text(100),
        aliases=("所属委员会",),
        width=16,
        help=gettext_lazy("Name, short name or code; blank: your own committee, or the branch's."),
    ),
    Field("branch", pgettext_lazy("import column", "Branch"), text(100), aliases=("所属支部",), width=20),
    Field(
        "first_author",
        pgettext_lazy("import column", "First author"),
        text(50),
        aliases=("第一提案人", "反映人", "作者"),
        width=10,
        help=gettext_lazy("A member's name, or the ID number where two members share a name."),
    ),
    Field(
        "co_authors",
        pgettext_lazy("import column", "Co-authors"),
        parse_names,
        kind="names",
        aliases=("联名人", "联名提案人"),
        width=18,
        help=gettext_lazy("Names separated by 、 or commas."),
    ),
    Field("category", pgettext_lazy("import column", "Category"), text(50), aliases=("领域",), width=10),
    choice_field("raised_as", pgettext_lazy("import column", "Raised as"), RAISED_AS, aliases=("提出方式",), width=10),
    choice_field("occasion", pgettext_lazy("import column", "Occasion"), OCCASION, width=10),
    Field("venue", pgettext_lazy("import column", "Venue and session"), text(200), aliases=("会议届次",), width=20),
    choice_field("venue_level", pgettext_lazy("import column", "Venue level"), TIER, width=10),
    choice_field(
        "status", pgettext_lazy("import column", "Status"), STATUS, aliases=("办理状态", "立案情况"), width=12
    ),
    Field("is_key", pgettext_lazy("import column", "Key proposal"), parse_yes_no, kind="bool", width=8),
    Field(
        "is_excellent",
        pgettext_lazy("import column", "Excellent"),
        parse_yes_no,
        kind="bool",
        aliases=("优秀提案", "优秀信息"),
        width=8,
    ),
    choice_field(
        "reply_result", pgettext_lazy("import column", "Reply result"), REPLY, aliases=("答复结果",), width=14
    ),
    choice_field("satisfaction", pgettext_lazy("import column", "Satisfaction"), SATISFACTION, width=10),
    choice_field(
        "adopted_level",
        pgettext_lazy("import column", "Adopted at level"),
        LEVEL,
        aliases=("采用单位", "采用级别"),
        width=16,
    ),
    choice_field(
        "endorsed_level", pgettext_lazy("import column", "Endorsed at level"), LEVEL, aliases=("批示级别",), width=16
    ),
    Field(
        "endorsed_by",
        pgettext_lazy("import column", "Endorsed by"),
        text(100),
        aliases=("批示领导", "批示人"),
        width=12,
    ),
    choice_field(
        "awarded_level", pgettext_lazy("import column", "Award level"), LEVEL, aliases=("获奖级别",), width=14
    ),
    Field("award", pgettext_lazy("import column", "Award"), text(300), aliases=("获奖名称", "奖项"), width=16),
    Field(
        "outcome_on",
        pgettext_lazy("import column", "Outcome date"),
        parse_date,
        kind="date",
        aliases=("结果日期", "采用日期", "批示日期"),
        help=gettext_lazy("The date of the adoption, endorsement or award; blank: the date submitted."),
    ),
)

PROPOSAL_FIELDS = (
    "kind", "title", "submitted_on", "serial_number", "category", "raised_as", "occasion", "venue", "venue_level",
    "status", "is_key", "is_excellent", "reply_result", "satisfaction",
)  # fmt: skip
OUTCOMES = (
    ("adopted_level", Outcome.Kind.ADOPTED),
    ("endorsed_level", Outcome.Kind.ENDORSED),
    ("awarded_level", Outcome.Kind.AWARDED),
)
ID_LIKE = re.compile(r"^\d{17}[\dX]$")


class ProposalImporter(Importer):
    kind = ImportBatch.Kind.PROPOSALS
    fields = FIELDS
    title = gettext_lazy("Proposals and social conditions reports")
    created_models = (Outcome, Authorship, Proposal)

    def plan(self, rows: Sequence[Row]) -> None:
        branches = BranchFinder(self.reach, (r.values.get("branch", "") for r in rows))
        for row in rows:
            self._place(row, branches)
        authors = self._authors(rows)
        existing = self._existing(rows)
        ids = [p.pk for p in existing.values()]
        authorships: dict[int, list[Authorship]] = defaultdict(list)
        outcomes: dict[int, list[Outcome]] = defaultdict(list)
        if ids:
            for a in Authorship.objects.filter(proposal_id__in=ids).select_related("member").order_by("order"):
                authorships[a.proposal_id].append(a)
            for o in Outcome.objects.filter(proposal_id__in=ids):
                outcomes[o.proposal_id].append(o)
        for row in rows:
            proposal = existing.get(self._key(row)) if not row.errors else None
            self._decide(row, proposal, authors, authorships, outcomes)
        self.check_duplicates(rows)
        for row in rows:
            settle(row, exists=row.object_id is not None)

    def _place(self, row: Row, branches: BranchFinder) -> None:
        committee: Committee | None = None
        try:
            if row.has("committee"):
                committee = self.reach.committee(row.values["committee"])
            if row.has("branch"):
                branch = branches.find(row.values["branch"], committee)
                row.plan.update(branch=branch, committee=branch.committee)
            elif committee is not None:
                row.plan.update(branch=None, committee=committee)
        except CellError as error:
            row.error(self.field_map["branch" if row.has("branch") and committee else "committee"], error.text)

    @staticmethod
    def _key(row: Row) -> tuple[str, ...]:
        values = row.values
        if row.has("serial_number"):
            return ("s", values.get("kind", ""), values["serial_number"])
        submitted = values.get("submitted_on")
        return ("t", values.get("kind", ""), values.get("title", ""), str(submitted.year if submitted else ""))

    def _existing(self, rows: Sequence[Row]) -> dict[tuple[str, ...], Proposal]:
        serials = {r.values["serial_number"] for r in rows if r.has("serial_number")}
        titles = {r.values["title"] for r in rows if r.has("title") and not r.has("serial_number")}
        if not serials and not titles:
            return {}
        found = Proposal.objects.filter(self.reach.member_q()).filter(
            Q(serial_number__in=serials) | Q(title__in=titles)
        )
        index: dict[tuple[str, ...], list[Proposal]] = defaultdict(list)
        for p in found:
            if p.serial_number:
                index[("s", p.kind, p.serial_number)].append(p)
            index[("t", p.kind, p.title, str(p.submitted_on.year))].append(p)
        result: dict[tuple[str, ...], Proposal] = {}
        for row in rows:
            key = self._key(row)
            candidates = index.get(key, [])
            if key[0] == "t":
                candidates = [p for p in candidates if not p.serial_number] or candidates
            if len(candidates) > 1:
                row.error(self.field_map["title"], _("Several records match this row; add the serial number."))
            elif candidates:
                result[key] = candidates[0]
        return result

    def _authors(self, rows: Sequence[Row]) -> dict[str, list[Member]]:
        tokens: set[str] = set()
        for row in rows:
            if row.has("first_author"):
                tokens.add(row.values["first_author"])
            tokens.update(row.values.get("co_authors") or [])
        if not tokens:
            return {}
        ids = {t.upper() for t in tokens if ID_LIKE.match(t.upper())}
        names = tokens - ids
        found: dict[str, list[Member]] = defaultdict(list)
        for m in Member.objects.filter(self.reach.member_q()).filter(Q(name__in=names) | Q(id_number__in=ids)):
            found[m.name].append(m)
            if m.id_number:
                found[m.id_number].append(m)
        return found

    def _resolve_authors(self, row: Row, authors: dict[str, list[Member]]) -> list[Member] | None:
        if not (row.has("first_author") or row.has("co_authors")):
            return None
        tokens = ([row.values["first_author"]] if row.has("first_author") else []) + list(
            row.values.get("co_authors") or []
        )
        result: list[Member] = []
        for token in tokens:
            column = self.field_map["first_author" if token == row.values.get("first_author") else "co_authors"]
            candidates = authors.get(token.upper() if ID_LIKE.match(token.upper()) else token, [])
            branch = row.plan.get("branch")
            if len(candidates) > 1 and branch is not None:
                candidates = [m for m in candidates if m.branch_id == branch.pk] or candidates
            if not candidates:
                row.error(column, _("No member “%(name)s” in your committees.") % {"name": token}, token)
            elif len(candidates) > 1:
                row.error(
                    column,
                    _("Several members are called “%(name)s”; enter the ID number instead.") % {"name": token},
                    token,
                )
            elif candidates[0] not in result:
                result.append(candidates[0])
        return result

    def _decide(
        self,
        row: Row,
        proposal: Proposal | None,
        authors: dict[str, list[Member]],
        authorships: dict[int, list[Authorship]],
        outcomes: dict[int, list[Outcome]],
    ) -> None:
        values = row.values
        row.label = values.get("title", "")[:300]
        wanted = {key: values[key] for key in PROPOSAL_FIELDS if key in values and values[key] not in ("", None)}
        if "branch" in row.plan:
            wanted["branch_id"] = row.plan["branch"].pk if row.plan["branch"] else None
            wanted["committee_id"] = row.plan["committee"].pk
        people = self._resolve_authors(row, authors)
        if row.errors:
            return
        if proposal is None:
            proposal = Proposal(committee=row.plan.get("committee") or self.reach.root, branch=row.plan.get("branch"))
            for key, value in wanted.items():
                setattr(proposal, key, value)
        else:
            row.object_id = proposal.pk
            row.plan["before"] = self.compare(row, proposal, wanted)
            row.changes = [c for c in row.changes if c[0] not in ("branch_id", "committee_id")]
            if {"branch_id", "committee_id"} & set(row.plan["before"]):
                row.changes.append(
                    ["branch", "", row.plan["branch"].name if row.plan["branch"] else row.plan["committee"].name]
                )
        if proposal.committee_id in self.reach.committees:
            proposal.committee = self.reach.committees[proposal.committee_id]
        if not self.may_write(row, proposal):
            return
        row.target = proposal
        row.key = f"p{proposal.pk}" if proposal.pk else "|".join(self._key(row))
        current = authorships.get(proposal.pk or 0, [])
        if people is not None and [a.member_id for a in current] != [m.pk for m in people]:
            row.plan["authors"] = people
            row.plan["old_authorships"] = current
            row.changes.append(
                ["first_author", "、".join(a.member.name for a in current), "、".join(m.name for m in people)]
            )
        have = {(o.kind, o.level) for o in outcomes.get(proposal.pk or 0, [])}
        new_outcomes = []
        for key, kind in OUTCOMES:
            level = values.get(key)
            if level and (kind, level) not in have:
                new_outcomes.append(
                    Outcome(
                        kind=kind,
                        level=level,
                        occurred_on=values.get("outcome_on") or values.get("submitted_on") or proposal.submitted_on,
                        by_whom=values.get("endorsed_by", "") if kind == Outcome.Kind.ENDORSED else "",
                        note=values.get("award", "") if kind == Outcome.Kind.AWARDED else "",
                    )
                )
                row.changes.append([key, None, level])
        row.plan["outcomes"] = new_outcomes

    def apply(self, rows: Sequence[Row]) -> None:
        created = [r for r in rows if r.action == "new"]
        updated = [r for r in rows if r.action == "updated"]
        self.create(Proposal, [r.target for r in created])
        for row in created:
            row.object_id = row.target.pk
            row.created(row.target)
        fields: set[str] = set()
        for row in updated:
            if row.plan.get("before"):
                fields |= set(row.plan["before"])
                row.updated(row.target, row.plan["before"])
        self.update(Proposal, [r.target for r in updated if r.plan.get("before")], fields)
        stale: list[Authorship] = []
        new_authorships: list[tuple[Row, Authorship]] = []
        new_outcomes: list[tuple[Row, Outcome]] = []
        for row in (*created, *updated):
            if "authors" in row.plan:
                for old in row.plan["old_authorships"]:
                    row.deleted(old)
                    old._change_reason = self.batch.history_reason  # type: ignore[attr-defined]
                    stale.append(old)
                for order, member in enumerate(row.plan["authors"], start=1):
                    new_authorships.append((row, Authorship(proposal=row.target, member=member, order=order)))
            for outcome in row.plan.get("outcomes", []):
                outcome.proposal = row.target
                new_outcomes.append((row, outcome))
        for old in stale:
            old.delete()
        self.create(Authorship, [a for _r, a in new_authorships])
        self.create(Outcome, [o for _r, o in new_outcomes])
        for row, obj in (*new_authorships, *new_outcomes):
            row.created(obj)


def outcome_levels(outcomes: list[Outcome]) -> dict[str, Any]:
    levels: dict[str, Any] = {}
    for key, kind in OUTCOMES:
        levels[key] = next((o.level for o in outcomes if o.kind == kind), "")
    return levels


__all__ = ["FIELDS", "ProposalImporter", "Tier", "outcome_levels"]
