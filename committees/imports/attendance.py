"""Training attendance: an event and its roster, one attendee per row.

The event is named on every row (title and start date identify it; the other event columns are read from
the rows too and must agree). A new event is held by the importer's committee. Attendees are members matched
by ID number, or by name and birth date (the branch helps where two share both).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from committees.access import visible_to
from committees.models import Attendance, Member, TrainingEvent
from committees.selectors import same_name

from .base import Importer, Row, members_in_reach, settle
from .columns import Field, choice_field, text
from .members import TIER, id_holder_message
from .models import ImportBatch
from .parsers import Choice, birth_date_of, parse_count, parse_date, parse_id_number

EVENT_KIND = Choice(
    TrainingEvent.Kind,
    {
        "branch_leaders": ["基层组织负责人培训", "支部主委培训", "基层负责人培训"],
        "new_members": ["新会员培训", "新会员培训班"],
        "core_members": ["骨干会员培训", "骨干培训"],
        "reserve_cadres": ["后备干部培训"],
        "other": ["其它", "其他"],
    },
)
ORGANISER = Choice(
    TrainingEvent.Organiser,
    {
        "own": ["本会", "本委员会", "自办"],
        "party_higher": ["民进中央", "会中央", "上级民进组织"],
        "cpc": ["中共省委", "统战部", "中共党委"],
        "academy": ["社会主义学院", "中央社会主义学院", "省社会主义学院"],
        "other": ["其它", "其他"],
    },
)

FIELDS: tuple[Field, ...] = (
    Field(
        "event_title",
        pgettext_lazy("import column", "Training event"),
        text(200),
        required=True,
        aliases=("培训班", "培训名称", "班次"),
        width=28,
        help=gettext_lazy("With the start date it identifies the event."),
    ),
    Field(
        "started_on",
        pgettext_lazy("import column", "Started on"),
        parse_date,
        kind="date",
        required=True,
        aliases=("开班日期", "培训开始日期"),
    ),
    Field(
        "ended_on",
        pgettext_lazy("import column", "Ended on"),
        parse_date,
        kind="date",
        aliases=("结业日期", "培训结束日期"),
        help=gettext_lazy("Blank: the start date."),
    ),
    choice_field(
        "event_kind",
        pgettext_lazy("import column", "Training kind"),
        EVENT_KIND,
        aliases=("培训类别",),
        width=18,
        help=gettext_lazy("Required for a new event."),
    ),
    choice_field(
        "organiser_kind", pgettext_lazy("import column", "Organiser"), ORGANISER, aliases=("主办方",), width=16
    ),
    Field(
        "organiser_name", pgettext_lazy("import column", "Organiser name"), text(100), aliases=("主办单位",), width=16
    ),
    choice_field(
        "organiser_level",
        pgettext_lazy("import column", "Organiser level"),
        TIER,
        aliases=("主办级别",),
        width=10,
        help=gettext_lazy("Required for a new event."),
    ),
    Field("place", pgettext_lazy("import column", "Place"), text(100), aliases=("培训地点",), width=14),
    Field(
        "extra_headcount",
        pgettext_lazy("import column", "Attendees not on the roster"),
        parse_count,
        kind="int",
        aliases=("非会员人次",),
        help=gettext_lazy("Person-times of attendees who are not registered members, once per event."),
    ),
    Field("name", pgettext_lazy("import column", "Name"), text(50), required=True, aliases=("学员姓名",), width=10),
    Field("birth_date", pgettext_lazy("import column", "Birth date"), parse_date, kind="date"),
    Field(
        "id_number",
        pgettext_lazy("import column", "ID number"),
        parse_id_number,
        kind="id",
        aliases=("身份证号码", "公民身份号码"),
        personal=True,
        help=gettext_lazy("Or the birth date: a member is matched by name and ID number or birth date."),
    ),
    Field("branch", pgettext_lazy("import column", "Branch"), text(100), aliases=("所属支部",), width=20),
)
EVENT_FIELDS = {
    "ended_on": "ended_on",
    "event_kind": "kind",
    "organiser_kind": "organiser_kind",
    "organiser_name": "organiser_name",
    "organiser_level": "organiser_level",
    "place": "place",
    "extra_headcount": "extra_headcount",
}


class AttendanceImporter(Importer):
    kind = ImportBatch.Kind.ATTENDANCE
    fields = FIELDS
    title = gettext_lazy("Training attendance")
    created_models = (Attendance, TrainingEvent)

    def plan(self, rows: Sequence[Row]) -> None:
        events = self._events(rows)
        existing = members_in_reach(
            self.reach,
            names=(r.values.get("name", "") for r in rows),
            id_numbers=(r.values.get("id_number", "") for r in rows),
        )
        by_id = {m.id_number: m for m in existing if m.id_number}
        by_name: dict[str, list[Member]] = defaultdict(list)
        for m in existing:
            by_name[m.name].append(m)
        people = {row.number: self._member(row, by_id, by_name) for row in rows}
        have = set(
            Attendance.objects.filter(
                event_id__in=[e.pk for e in events.values() if e.pk],
                member_id__in=[m.pk for m in people.values() if m is not None],
            ).values_list("event_id", "member_id")
        )
        seen_events: set[tuple[str, dt.date]] = set()
        for row in rows:
            self._decide(row, events, people.get(row.number), have, seen_events)
        self.check_duplicates(rows)
        for row in rows:
            settle(row, exists=row.plan.get("exists", False))

    @staticmethod
    def _event_key(row: Row) -> tuple[str, dt.date] | None:
        if row.has("event_title") and row.has("started_on"):
            return (row.values["event_title"], row.values["started_on"])
        return None

    def _events(self, rows: Sequence[Row]) -> dict[tuple[str, dt.date], TrainingEvent]:
        keys = {k for k in (self._event_key(r) for r in rows) if k}
        if not keys:
            return {}
        condition = Q(pk__in=[])
        for title, started in keys:
            condition |= Q(title=title, started_on=started)
        events: dict[tuple[str, dt.date], TrainingEvent] = {}
        for event in visible_to(self.user, TrainingEvent).filter(condition).order_by("pk"):
            events.setdefault((event.title, event.started_on), event)
        return events

    def _member(self, row: Row, by_id: dict[str, Member], by_name: dict[str, list[Member]]) -> Member | None:
        values = row.values
        if values.get("id_number"):
            if row.has("birth_date") and values["birth_date"] != birth_date_of(values["id_number"]):
                row.error(self.field_map["birth_date"], _("Does not match the birth date in the ID number."))
                return None
            found = by_id.get(values["id_number"])
            if found is not None and not self.reach.contains(found.committee_id):
                row.error(self.field_map["id_number"], _("This ID number belongs to a member outside your committees."))
                return None
            if found is not None:
                if row.has("name") and not same_name(values["name"], found):
                    row.error(self.field_map["name"], id_holder_message(values["name"], found))
                    return None
                return found
        if not row.has("name"):
            return None
        candidates = [m for m in by_name.get(values["name"], []) if self.reach.contains(m.committee_id)]
        if values.get("id_number"):
            candidates = [m for m in candidates if not m.id_number]
        if row.has("birth_date") or values.get("id_number"):
            birth = values.get("birth_date") or birth_date_of(values["id_number"])
            candidates = [m for m in candidates if m.birth_date == birth]
        if len(candidates) > 1 and row.has("branch"):
            candidates = [m for m in candidates if m.branch is not None and m.branch.name == values["branch"]]
        if not candidates:
            row.error(
                self.field_map["name"], _("No member with this name and birth date or ID number in your committees.")
            )
            return None
        if len(candidates) > 1:
            row.error(self.field_map["name"], _("Several members match; add the ID number or the birth date."))
            return None
        return candidates[0]

    def _decide(
        self,
        row: Row,
        events: dict[tuple[str, dt.date], TrainingEvent],
        member: Member | None,
        have: set[tuple[int, int]],
        seen: set[tuple[str, dt.date]],
    ) -> None:
        key = self._event_key(row)
        row.label = f"{row.values.get('name', '')} · {row.values.get('event_title', '')}"
        if key is None or member is None or row.errors:
            return
        event = events.get(key)
        wanted = {
            attr: row.values[k]
            for k, attr in EVENT_FIELDS.items()
            if k in row.values and row.values[k] not in ("", None)
        }
        first = key not in seen
        seen.add(key)
        if not first and key in events and events[key].pk is None and "new_event" not in row.plan:
            wanted = {}  # the event's columns were read from its first row
        if event is None:
            absent = [k for k in ("event_kind", "organiser_level") if EVENT_FIELDS[k] not in wanted]
            if absent:
                for k in absent:
                    row.error(self.field_map[k], _("Required for a new event."))
                return
            event = TrainingEvent(committee=self.reach.root, title=key[0], started_on=key[1])
            for attr, value in wanted.items():
                setattr(event, attr, value)
            if event.ended_on is None:
                event.ended_on = event.started_on
            if event.ended_on < event.started_on:
                row.error(self.field_map["ended_on"], _("Ends before it starts."))
                return
            events[key] = event
            row.plan["new_event"] = event
        elif first:
            before = self.compare(row, event, wanted)
            if before:
                if not self.may_write(row, event):
                    return
                row.plan["event_before"] = (event, before)
        attendance = Attendance(event=event, member=member)
        if not self.may_write(row, attendance):
            return
        row.key = f"a:{key[0]}|{key[1]}|{member.pk}"
        row.target = attendance
        exists = event.pk is not None and (event.pk, member.pk) in have
        row.plan["exists"] = exists
        row.plan["attendance"] = None if exists else attendance

    def apply(self, rows: Sequence[Row]) -> None:
        new_events = [
            (r, r.plan["new_event"]) for r in rows if r.plan.get("new_event") is not None and r.action != "error"
        ]
        self.create(TrainingEvent, [e for _r, e in new_events])
        for row, event in new_events:
            row.created(event)
        changed = [(r, *r.plan["event_before"]) for r in rows if r.plan.get("event_before")]
        fields: set[str] = set()
        for row, event, before in changed:
            fields |= set(before)
            row.updated(event, before)
        self.update(TrainingEvent, [e for _r, e, _b in changed], fields)
        attendances: list[tuple[Row, Attendance]] = []
        for row in rows:
            attendance = row.plan.get("attendance")
            if attendance is not None and row.action in ("new", "updated"):
                attendances.append((row, attendance))
        self.create(Attendance, [a for _r, a in attendances])
        for row, attendance in attendances:
            row.object_id = attendance.pk
            row.created(attendance)
