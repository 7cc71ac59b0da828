"""The member roster (花名册) with positions.

Natural key: the ID number when the row has one, otherwise name + birth date + branch. A blank cell leaves
the stored value alone (an import never erases; clear a value in data entry), a column missing from the file
too. Position columns add a current position of that kind or change the level / title of the one there is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from committees import pinyin
from committees.models import Committee, Degree, Education, Gender, Member, Position, Sector, Tier, TitleLevel
from committees.selectors import same_name

from .base import BranchFinder, Importer, Row, members_in_reach, settle
from .columns import Field, choice_field, text
from .models import ImportBatch, ImportRow
from .parsers import CellError, Choice, birth_date_of, parse_date, parse_id_number, parse_phone, parse_yes_no

GENDER = Choice(Gender, {"male": ["男性", "M"], "female": ["女性", "F"]})
EDUCATION = Choice(
    Education,
    {
        "doctorate": ["博士", "研究生（博士）", "博士研究生毕业"],
        "master": ["硕士", "研究生", "研究生（硕士）", "硕士研究生毕业"],
        "bachelor": ["本科", "大学", "大学本科毕业"],
        "college": ["专科", "大学专科", "大专毕业"],
        "secondary": ["中专", "高中", "高中及以下", "中专或高中", "初中", "中专以下"],
    },
)
DEGREE = Choice(
    Degree,
    {"doctor": ["博士学位"], "master": ["硕士学位"], "bachelor": ["学士学位"], "none": ["无", "没有"]},
)
TITLE = Choice(
    TitleLevel,
    {
        "senior": ["正高", "正高职称", "教授", "研究员", "主任医师"],
        "vice_senior": ["副高", "副高职称", "副教授", "副研究员", "副主任医师", "高级"],
        "intermediate": ["中级职称", "讲师", "主治医师"],
        "junior": ["初级职称", "助教"],
        "none": ["未评", "暂无"],
    },
)
SECTOR = Choice(
    Sector,
    {
        "education": ["教育界"],
        "culture": ["文化界", "文艺"],
        "publishing": ["出版界", "新闻出版"],
        "science": ["科学技术", "科技界"],
        "medicine": ["医卫", "医药", "卫生", "医疗卫生", "医药卫生界"],
        "economy": ["经济界"],
        "law": ["法律界"],
        "other": ["其它"],
    },
)
STATUS = Choice(
    Member.Status,
    {
        "active": ["在籍", "正常"],
        "transferred": ["调出", "转出组织关系"],
        "withdrawn": ["退出"],
        "deceased": ["逝世", "病故"],
    },
)
TIER = Choice(
    Tier,
    {
        "national": ["国家级", "全国人大", "全国政协"],
        "provincial": ["省"],
        "city": ["市", "地市级"],
        "county": ["县", "区县级", "区级"],
    },
)

FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        pgettext_lazy("import column", "Name"),
        text(50),
        required=True,
        width=10,
        help=gettext_lazy("Required."),
    ),
    choice_field("gender", pgettext_lazy("import column", "Gender"), GENDER, required=True, width=7),
    Field(
        "birth_date",
        pgettext_lazy("import column", "Birth date"),
        parse_date,
        kind="date",
        help=gettext_lazy("1980-05-01, 1980.5.1, 1980年5月 or 19800501; filled from the ID number when blank."),
    ),
    Field("ethnicity", pgettext_lazy("import column", "Ethnicity"), text(20), width=8),
    Field(
        "id_number",
        pgettext_lazy("import column", "ID number"),
        parse_id_number,
        kind="id",
        aliases=("身份证号码", "公民身份号码", "身份证"),
        personal=True,
        help=gettext_lazy("18 characters with the check digit; type it into a text cell. Identifies the member."),
    ),
    Field(
        "phone",
        pgettext_lazy("import column", "Phone"),
        parse_phone,
        kind="id",
        aliases=("手机", "手机号", "联系电话"),
        personal=True,
    ),
    Field("address", pgettext_lazy("import column", "Address"), text(200), personal=True, width=24),
    Field(
        "committee",
        pgettext_lazy("import column", "Committee"),
        text(100),
        aliases=("所属委员会", "市委会"),
        width=16,
        help=gettext_lazy("Name, short name or code; blank: your own committee, or the branch's."),
    ),
    Field(
        "branch",
        pgettext_lazy("import column", "Branch"),
        text(100),
        aliases=("所属支部", "基层组织"),
        width=20,
        help=gettext_lazy("Blank: the member belongs directly to the committee."),
    ),
    Field(
        "joined_on",
        pgettext_lazy("import column", "Joined on"),
        parse_date,
        kind="date",
        aliases=("入会时间", "入会日期"),
    ),
    choice_field("education", pgettext_lazy("import column", "Education"), EDUCATION, width=12),
    choice_field("degree", pgettext_lazy("import column", "Degree"), DEGREE, width=8),
    choice_field("title_level", pgettext_lazy("import column", "Title level"), TITLE, aliases=("职称",), width=10),
    choice_field("sector", pgettext_lazy("import column", "Sector"), SECTOR, width=10),
    Field("work_unit", pgettext_lazy("import column", "Work unit"), text(100), width=24),
    Field("job_title", pgettext_lazy("import column", "Post at work"), text(100), aliases=("职务",), width=14),
    choice_field(
        "status", pgettext_lazy("import column", "Status"), STATUS, width=8, help=gettext_lazy("Blank: on the roll.")
    ),
    Field(
        "status_changed_on",
        pgettext_lazy("import column", "Status changed on"),
        parse_date,
        kind="date",
        help=gettext_lazy("Required when the status is not on the roll."),
    ),
    choice_field(
        "npc_level",
        pgettext_lazy("import column", "People's Congress deputy"),
        TIER,
        width=12,
        help=gettext_lazy("The level of a current seat; adds it or changes its level."),
    ),
    choice_field(
        "cppcc_level",
        pgettext_lazy("import column", "CPPCC member"),
        TIER,
        width=12,
        help=gettext_lazy("The level of a current seat; adds it or changes its level."),
    ),
    Field(
        "party_post",
        pgettext_lazy("import column", "Post within the association"),
        text(100),
        width=16,
        help=gettext_lazy("The current post, e.g. 支部主委; adds it or changes its title."),
    ),
    Field(
        "representative",
        pgettext_lazy("import column", "Representative figure"),
        parse_yes_no,
        kind="bool",
        width=10,
        help=gettext_lazy("是 adds the position; ending one is done in data entry."),
    ),
    Field(
        "reserve_cadre",
        pgettext_lazy("import column", "Reserve cadre"),
        parse_yes_no,
        kind="bool",
        width=10,
        help=gettext_lazy("是 adds the position; ending one is done in data entry."),
    ),
)

MEMBER_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "id_number",
    "phone",
    "address",
    "joined_on",
    "education",
    "degree",
    "title_level",
    "sector",
    "work_unit",
    "job_title",
    "status",
    "status_changed_on",
)
# Position columns: (field key, Position kind, attribute the cell sets).
POSITIONS: tuple[tuple[str, str, str], ...] = (
    ("npc_level", Position.Kind.NPC_DEPUTY, "level"),
    ("cppcc_level", Position.Kind.CPPCC_MEMBER, "level"),
    ("party_post", Position.Kind.PARTY_POST, "title"),
    ("representative", Position.Kind.REPRESENTATIVE, ""),
    ("reserve_cadre", Position.Kind.RESERVE_CADRE, ""),
)
POSITION_KINDS = [kind for _key, kind, _attr in POSITIONS]


class MemberImporter(Importer):
    kind = ImportBatch.Kind.MEMBERS
    fields = FIELDS
    title = gettext_lazy("Member roster")
    created_models = (Position, Member)

    def plan(self, rows: Sequence[Row]) -> None:
        branches = BranchFinder(self.reach, (r.values.get("branch", "") for r in rows))
        for row in rows:
            self._place(row, branches)
        existing = members_in_reach(
            self.reach,
            names=(r.values.get("name", "") for r in rows),
            id_numbers=(r.values.get("id_number", "") for r in rows),
        )
        by_id = {m.id_number: m for m in existing if m.id_number}
        by_person: dict[tuple[str, Any], list[Member]] = defaultdict(list)
        for m in existing:
            by_person[(m.name, m.birth_date)].append(m)
        matched: dict[int, Member] = {}
        for row in rows:
            member = self._match(row, by_id, by_person)
            if member is not None:
                matched[row.number] = member
        positions: dict[int, dict[str, list[Position]]] = defaultdict(lambda: defaultdict(list))
        if matched and any(key in self.present for key, _kind, _attr in POSITIONS):
            for position in Position.objects.filter(
                member_id__in={m.pk for m in matched.values()}, ended_on__isnull=True, kind__in=POSITION_KINDS
            ).order_by("started_on", "pk"):
                positions[position.member_id][position.kind].append(position)
        for row in rows:
            self._decide(row, matched.get(row.number), positions)
        self.check_duplicates(rows)
        for row in rows:
            settle(row, exists=row.number in matched)

    def _place(self, row: Row, branches: BranchFinder) -> None:
        """Resolve the committee and branch cells into ``row.plan``."""
        committee: Committee | None = None
        if row.has("committee"):
            try:
                committee = self.reach.committee(row.values["committee"])
            except CellError as error:
                row.error(self.field_map["committee"], error.text)
                return
        if row.has("branch"):
            try:
                branch = branches.find(row.values["branch"], committee)
            except CellError as error:
                row.error(self.field_map["branch"], error.text)
                return
            row.plan["branch"] = branch
            row.plan["committee"] = branch.committee
        elif committee is not None:
            row.plan["branch"] = None
            row.plan["committee"] = committee

    def _match(
        self, row: Row, by_id: dict[str, Member], by_person: dict[tuple[str, Any], list[Member]]
    ) -> Member | None:
        values = row.values
        id_number = values.get("id_number", "")
        if id_number:
            birth = birth_date_of(id_number)
            if row.has("birth_date") and values["birth_date"] != birth:
                row.error(self.field_map["birth_date"], _("Does not match the birth date in the ID number."))
            values.setdefault("birth_date", birth)
            found = by_id.get(id_number)
            if found is not None:
                if not self.reach.contains(found.committee_id):
                    row.error(
                        self.field_map["id_number"],
                        _("This ID number belongs to a member outside your committees."),
                    )
                    return None
                if row.has("name") and not same_name(values["name"], found):
                    row.error(self.field_map["name"], id_holder_message(values["name"], found))
                    return None
                return found
        if not row.has("name"):
            return None
        candidates = [
            m
            for m in by_person.get((values["name"], values.get("birth_date")), [])
            if self.reach.contains(m.committee_id) and (not id_number or not m.id_number)
        ]
        if "branch" in row.plan:
            branch = row.plan["branch"]
            candidates = [
                m
                for m in candidates
                if (
                    m.branch_id == branch.pk
                    if branch
                    else m.branch_id is None and m.committee_id == row.plan["committee"].pk
                )
            ]
        if len(candidates) > 1:
            row.error(
                self.field_map["name"],
                _("Several members have this name and birth date here; add the ID number or the branch."),
            )
            return None
        return candidates[0] if candidates else None

    def _decide(self, row: Row, member: Member | None, positions: dict[int, dict[str, list[Position]]]) -> None:
        values = row.values
        row.label = values.get("name", "")
        wanted = {key: values[key] for key in MEMBER_FIELDS if row.has(key)}
        if "branch" in row.plan:
            branch = row.plan["branch"]
            wanted["branch_id"] = branch.pk if branch else None
            wanted["committee_id"] = row.plan["committee"].pk
        if member is None:
            if not row.errors:
                self._decide_new(row, wanted)
            return
        else:
            row.object_id = member.pk
            old_branch = member.branch.name if member.branch else ""
            old_committee = self.reach.committees[member.committee_id].name
            row.plan["before"] = self.compare(row, member, wanted)
            if "branch_id" in row.plan["before"] or "committee_id" in row.plan["before"]:
                member.branch = row.plan["branch"]
                member.committee = row.plan["committee"]
                row.changes = [c for c in row.changes if c[0] not in ("branch_id", "committee_id")]
                if old_committee != member.committee.name:
                    row.changes.append(["committee", old_committee, member.committee.name])
                if old_branch != (member.branch.name if member.branch else ""):
                    row.changes.append(["branch", old_branch, member.branch.name if member.branch else ""])
            row.target = member
        if member.committee_id in self.reach.committees:
            member.committee = self.reach.committees[member.committee_id]
        if member.status != Member.Status.ACTIVE and member.status_changed_on is None:
            row.error(self.field_map["status_changed_on"], _("Required when the status is not on the roll."))
        if member.joined_on and member.birth_date and member.joined_on <= member.birth_date:
            row.error(self.field_map["joined_on"], _("Joined before being born."))
        if not self.may_write(row, member):
            return
        row.key = f"m{member.pk}" if member.pk else self._new_key(member)
        self._plan_positions(row, positions.get(member.pk or 0, {}))

    def _decide_new(self, row: Row, wanted: dict[str, Any]) -> None:
        """A new member: checked on the values alone; the instance is made when the commit writes it."""
        committee = row.plan.get("committee") or self.reach.root
        branch = row.plan.get("branch")
        status = wanted.get("status") or Member.Status.ACTIVE
        if status != Member.Status.ACTIVE and wanted.get("status_changed_on") is None:
            row.error(self.field_map["status_changed_on"], _("Required when the status is not on the roll."))
        joined, birth = wanted.get("joined_on"), wanted.get("birth_date")
        if joined and birth and joined <= birth:
            row.error(self.field_map["joined_on"], _("Joined before being born."))
        if not self.may_write_at(row, Member, committee, branch):
            return
        place = f"b{branch.pk}" if branch else f"c{committee.pk}"
        id_number = wanted.get("id_number")
        row.key = f"id:{id_number}" if id_number else f"p:{wanted.get('name', '')}|{birth}|{place}"
        row.plan["new"] = (
            committee,
            branch.pk if branch else None,
            {k: v for k, v in wanted.items() if k not in ("branch_id", "committee_id")},
        )
        self._plan_positions(row, {})

    def saved_plan(self, row: Row) -> dict[str, Any]:
        """A new member's place: the values name it (committee and branch cells) but finding it took queries."""
        if row.action != ImportRow.Action.NEW or "new" not in row.plan:
            return {}
        committee, branch_id, _wanted = row.plan["new"]
        return {"committee": committee.pk, "branch": branch_id}

    def resume(self, saved: Sequence[dict[str, Any]]) -> list[Row]:
        """New rows are written from their stored values and place, unchanged rows are left alone, and updated
        rows are planned again (updating needs the member as stored, with its positions)."""
        rows: list[Row] = []
        again: list[Row] = []
        for stored in saved:
            action, place = stored["action"], stored.get("plan") or {}
            if action == ImportRow.Action.UNCHANGED:
                rows.append(Row(stored["number"], key=stored["key"], action=action))
                continue
            row = self.row_from_saved(stored)
            committee = self.reach.committees.get(place.get("committee", 0))
            if action == ImportRow.Action.NEW and committee is not None:
                row.action = action
                row.label = row.values.get("name", "")
                wanted = {key: row.values[key] for key in MEMBER_FIELDS if row.has(key)}
                row.plan["new"] = (committee, place.get("branch"), wanted)
                self._plan_positions(row, {})
            else:
                again.append(row)
            rows.append(row)
        if again:
            self.plan(again)
        return rows

    @staticmethod
    def _new_key(member: Member) -> str:
        if member.id_number:
            return f"id:{member.id_number}"
        place = f"b{member.branch_id}" if member.branch_id else f"c{member.committee_id}"
        return f"p:{member.name}|{member.birth_date}|{place}"

    def _plan_positions(self, row: Row, current: dict[str, list[Position]]) -> None:
        new: list[Position] = []
        changed: list[tuple[Position, dict[str, Any]]] = []
        for key, kind, attribute in POSITIONS:
            value = row.values.get(key)
            if value in (None, "", False):
                continue
            open_positions = current.get(kind, [])
            if attribute:
                if any(getattr(p, attribute) == value for p in open_positions):
                    continue
                if len(open_positions) == 1:
                    position = open_positions[0]
                    changed.append((position, {attribute: getattr(position, attribute)}))
                    row.changes.append([key, getattr(position, attribute), value])
                    setattr(position, attribute, value)
                    continue
                new.append(Position(kind=kind, **{attribute: value}))
                row.changes.append([key, None, value])
            elif not open_positions:
                new.append(Position(kind=kind))
                row.changes.append([key, None, True])
        row.plan["new_positions"] = new
        row.plan["changed_positions"] = changed

    def apply(self, rows: Sequence[Row]) -> None:
        created = [r for r in rows if r.action == "new"]
        updated = [r for r in rows if r.action == "updated"]
        for row in created:
            committee, branch_id, wanted = row.plan["new"]
            row.target = Member(committee=committee, branch_id=branch_id, **{"status": Member.Status.ACTIVE, **wanted})
        pinyin.fill(Member, [r.target for r in created])
        self.create(Member, [r.target for r in created])
        for row in created:
            row.object_id = row.target.pk
            row.created(row.target)
        fields: set[str] = set()
        for row in updated:
            before = row.plan.get("before") or {}
            if "name" in before:  # the same name spaced otherwise (another name is refused): spelled again
                before["name_pinyin"] = row.target.name_pinyin
                pinyin.fill(Member, [row.target])
            if before:
                fields |= set(before)
                row.updated(row.target, before)
        self.update(Member, [r.target for r in updated if r.plan.get("before")], fields)
        new_positions: list[tuple[Row, Position]] = []
        changed_positions: list[Position] = []
        position_fields: set[str] = set()
        for row in (*created, *updated):
            for position in row.plan.get("new_positions", []):
                position.member = row.target
                new_positions.append((row, position))
            for position, before in row.plan.get("changed_positions", []):
                changed_positions.append(position)
                position_fields |= set(before)
                row.updated(position, before)
        self.create(Position, [p for _r, p in new_positions])
        for row, position in new_positions:
            row.created(position)
        self.update(Position, changed_positions, position_fields)


def id_holder_message(typed: str, holder: Member) -> str:
    """An ID number that belongs to a member of another name: the clerk decides, the import never renames."""
    return _(
        "The ID number belongs to the member “%(holder)s”, not to “%(name)s”. Correct the name or the ID number "
        "in the file; if the member has really changed name, change it in data entry first."
    ) % {"holder": holder.name, "name": typed}


def roster_values(member: Member, positions: dict[str, list[Position]], *, personal: bool) -> dict[str, Any]:
    """A member as the roster template's cells (codes as labels), for the roster download."""
    values: dict[str, Any] = {key: getattr(member, key) for key in MEMBER_FIELDS}
    if not personal:
        for key in ("id_number", "phone", "address"):
            values.pop(key)
    values["committee"] = member.committee.name
    values["branch"] = member.branch.name if member.branch else ""
    for key, kind, attribute in POSITIONS:
        found = positions.get(kind, [])
        if attribute:
            values[key] = getattr(found[0], attribute) if found else ""
        else:
            values[key] = bool(found) or None
    return values
