"""Attendance of a training event entered in bulk: a pasted list of names or ID numbers, or a branch's roster ticked.

The page hangs under the event's change page (``…/trainingevent/<id>/attendance/``). A pasted list is matched
against the members the user may record attendance for (``visible_to(user, Member)``: a clerk's subtree, a branch
user's own branch), never guessed: a name held by several members is listed with its candidates for the clerk to
pick, lines that match nobody are listed, members already attending are skipped. Saving is one POST, one
transaction, history rows like single edits (``committees.services.attendance_bulk_create``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from committees.access import may_see_personal_data, may_write, visible_to
from committees.models import Attendance, Branch, Member, TrainingEvent
from committees.privacy import mask_id_number
from committees.services import OutOfScope, attendance_bulk_create
from committees.validators import normalise_id_number

MAX_LINES = 2000
ID_18 = re.compile(r"\d{17}[\dX]")
ID_15 = re.compile(r"\d{15}")
ID_IN_TEXT = re.compile(r"\d{17}[\dXx]|\d{15}")
NUMBERISH = re.compile(r"[\dXx*.．、()（）]+")  # row numbers, phones, masked numbers: never names
COLUMNS = re.compile(r"[\t,，、;；|]+")


def member_label(member: Member) -> str:
    """姓名 · 支部 · 出生年份 (· status when not on the roll): enough to tell two 赵建国 apart without showing
    personal data."""
    label = member.chooser_label
    if member.status != Member.Status.ACTIVE:
        label += f" · {member.get_status_display()}"
    return label


def normalise_id(token: str) -> str | None:
    """An ID number as stored (18 characters, capital X), or None when ``token`` is not one. Old 15-digit
    numbers are widened the GB 11643 way (century 19, check digit)."""
    text = token.strip().upper()
    if ID_18.fullmatch(text):
        return text
    if ID_15.fullmatch(text):
        try:
            return normalise_id_number(text)
        except ValidationError:  # no valid birth date inside: not an ID number
            return None
    return None


@dataclass
class Line:
    """One non-empty pasted line and what it matched."""

    number: int
    text: str
    name: str = ""
    id_number: str = ""
    member: Member | None = None
    candidates: list[Member] = field(default_factory=list)
    problem: str = ""

    @property
    def label(self) -> str:
        return member_label(self.member) if self.member is not None else ""

    @property
    def choices(self) -> list[tuple[int, str]]:
        return [(m.pk, member_label(m)) for m in self.candidates]


@dataclass
class Matching:
    lines: list[Line]
    matched: list[Line]  # one member each, not yet attending
    ambiguous: list[Line]  # several candidates
    unmatched: list[Line]  # no member, or a name and an ID number that disagree
    attending: list[Line]  # already on the event's list
    repeated: list[Line]  # a member an earlier line already matched

    @property
    def skipped_count(self) -> int:
        return len(self.attending) + len(self.repeated)


def split_line(text: str) -> tuple[str, str]:
    """(name, ID number) of a pasted line: a name, an ID number, or both (two spreadsheet columns).

    Columns are split on tabs, commas and the like. Within a column, spaces that only pad a short name
    ("王　芳", a common way of aligning two-character names) are dropped; otherwise the first word is the name.
    """
    name, id_number = "", ""
    for column in COLUMNS.split(text.replace("\u3000", " ")):
        words = column.split()
        if not words:
            continue
        as_id = normalise_id("".join(words)) if len(words) == 1 else None
        if as_id:
            id_number = id_number or as_id
            continue
        ids = [normalise_id(word) for word in words]
        if any(ids):
            id_number = id_number or next(i for i in ids if i)
            words = [word for word, as_word_id in zip(words, ids, strict=True) if not as_word_id]
        words = [word for word in words if not NUMBERISH.fullmatch(word)]
        if name or not words:
            continue
        name = "".join(words) if all(len(word) <= 2 for word in words) else words[0]
    return name, id_number


def attendance_match(*, text: str, members: QuerySet[Member], event: TrainingEvent) -> Matching:
    """Match pasted lines against ``members`` (the user's scope) in three queries whatever the length."""
    lines: list[Line] = []
    for number, raw in enumerate(text.splitlines(), 1):
        raw = raw.strip()
        if not raw:
            continue
        name, id_number = split_line(raw)
        lines.append(Line(number=number, text=raw, name=name, id_number=id_number))
    lines = lines[:MAX_LINES]

    ids = {line.id_number for line in lines if line.id_number}
    names = {line.name for line in lines if line.name and not line.id_number}
    found = members.select_related("branch", "committee").order_by("name", "birth_date", "pk")
    by_id = {m.id_number: m for m in found.filter(id_number__in=ids)} if ids else {}
    by_name: dict[str, list[Member]] = defaultdict(list)
    for candidate in found.filter(name__in=names) if names else ():
        by_name[candidate.name].append(candidate)

    for line in lines:
        if line.id_number:
            member = by_id.get(line.id_number)
            if member is None:
                line.problem = str(_("No member in your scope has this ID number."))
            elif line.name and line.name != member.name:
                line.problem = str(_("The ID number belongs to %(name)s, not to this name.") % {"name": member.name})
            else:
                line.member = member
        elif line.name:
            candidates = by_name.get(line.name, [])
            if len(candidates) == 1:
                line.member = candidates[0]
            elif candidates:
                line.candidates = candidates
            else:
                line.problem = str(_("No member in your scope has this name."))
        else:
            line.problem = str(_("Neither a name nor an ID number."))

    for line in lines:
        if line.member is not None:
            try:
                Attendance(event=event, member=line.member).clean()
            except ValidationError as error:  # not on the roll while the event ran: as a single entry says
                line.problem, line.member = " ".join(error.messages), None
    matched_ids = {line.member.pk for line in lines if line.member is not None}
    attending_ids = set(
        Attendance.objects.filter(event=event, member_id__in=matched_ids).values_list("member_id", flat=True)
    )
    matching = Matching(lines=lines, matched=[], ambiguous=[], unmatched=[], attending=[], repeated=[])
    seen: set[int] = set()
    for line in lines:
        if line.member is not None:
            if line.member.pk in attending_ids:
                matching.attending.append(line)
            elif line.member.pk in seen:
                matching.repeated.append(line)
            else:
                seen.add(line.member.pk)
                matching.matched.append(line)
        elif line.candidates:
            matching.ambiguous.append(line)
        else:
            matching.unmatched.append(line)
    return matching


class PasteForm(forms.Form):
    names = forms.CharField(
        label=_("Names or ID numbers, one per line"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 60, "autofocus": True}),
        help_text=_(
            "Copy a column (or a name and an ID number column) from a spreadsheet and paste it here. "
            "A name held by several members is not guessed: you choose."
        ),
    )

    def clean_names(self) -> str:
        text: str = self.cleaned_data["names"]
        if sum(1 for line in text.splitlines() if line.strip()) > MAX_LINES:
            raise forms.ValidationError(_("At most %(n)d lines at a time."), params={"n": MAX_LINES})
        return text


class BranchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.committee.display_name}）"


class BranchChoiceForm(forms.Form):
    branch = BranchChoiceField(queryset=Branch.objects.none(), label=_("branch"), empty_label=_("Choose a branch"))

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["branch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = branches


def _ids(values: Iterable[str]) -> list[int]:
    return sorted({int(v) for v in values if v.isdigit()})


class AttendanceEntryMixin:
    """Adds the bulk attendance page to the training event admin and links it from the change page."""

    admin_site: admin.AdminSite
    model: Any

    def get_urls(self) -> list[URLPattern]:
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view(self.attendance_entry_view)
        own = [path("<path:object_id>/attendance/", view, name="{}_{}_attendance".format(*info))]
        return own + super().get_urls()  # type: ignore[misc]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = dict(extra_context or {})
        if may_write(request.user, Attendance):
            extra_context["attendance_entry_url"] = reverse(
                "admin:committees_trainingevent_attendance", args=[object_id], current_app=self.admin_site.name
            )
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    # ---- the page -------------------------------------------------------------------------------------------------
    def attendance_entry_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not may_write(request.user, Attendance):
            raise PermissionDenied
        event = visible_to(request.user, TrainingEvent).filter(pk=object_id).select_related("committee").first()
        if event is None:
            raise Http404
        members = visible_to(request.user, Member)
        context: dict[str, Any] = {"event": event}

        if request.method == "POST" and "save" in request.POST:
            return self._attendance_save(request, event, members)

        paste_form = PasteForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and paste_form.is_valid():
            matching = attendance_match(text=paste_form.cleaned_data["names"], members=members, event=event)
            context["matching"] = matching
            if not may_see_personal_data(request.user):
                for line in matching.lines:
                    line.text = ID_IN_TEXT.sub(lambda found: mask_id_number(found.group(0)), line.text)

        branches = visible_to(request.user, Branch).select_related("committee").order_by("committee__path", "name")
        branch_form = BranchChoiceForm(request.GET or None, branches=branches)
        if request.GET.get("branch") and branch_form.is_valid():
            branch = branch_form.cleaned_data["branch"]
            roster = list(members.filter(branch=branch).select_related("branch", "committee").order_by("name", "pk"))
            attending = set(
                Attendance.objects.filter(event=event, member__branch=branch).values_list("member_id", flat=True)
            )
            context["roster"] = [(m, member_label(m), m.pk in attending) for m in roster]
            context["roster_branch"] = branch

        context.update(
            self.admin_site.each_context(request),
            title=_("Enter attendance: %(event)s") % {"event": event.title},
            opts=self.model._meta,
            original=event,
            paste_form=paste_form,
            branch_form=branch_form,
            change_url=reverse("admin:committees_trainingevent_change", args=[event.pk]),
        )
        return TemplateResponse(request, "admin/committees/trainingevent/attendance_entry.html", context)

    def _attendance_save(self, request: HttpRequest, event: TrainingEvent, members: QuerySet[Member]) -> HttpResponse:
        wanted = _ids(request.POST.getlist("member"))
        wanted += _ids(v for k in request.POST if k.startswith("pick-") for v in request.POST.getlist(k))
        if not wanted:
            messages.warning(request, _("No member was chosen; nothing was saved."))
            return HttpResponseRedirect(request.path)
        chosen = list(members.filter(pk__in=set(wanted)))
        if len(chosen) != len(set(wanted)):
            # A member outside the scope (or deleted meanwhile): refuse everything rather than save a part.
            messages.error(request, _("Some of the chosen members are not in your scope; nothing was saved."))
            return HttpResponseRedirect(request.path)
        try:
            added = attendance_bulk_create(event=event, members=chosen, user=request.user)
        except OutOfScope:
            messages.error(request, _("Some of the chosen members are not in your scope; nothing was saved."))
            return HttpResponseRedirect(request.path)
        except ValidationError as error:
            messages.error(request, "".join([*error.messages, str(_("Nothing was saved."))]))
            return HttpResponseRedirect(request.path)
        skipped = len(chosen) - added
        text = ngettext("%(n)d attendance recorded.", "%(n)d attendances recorded.", added) % {"n": added}
        if skipped:
            text += " " + ngettext(
                "%(n)d member was already attending.", "%(n)d members were already attending.", skipped
            ) % {"n": skipped}
        messages.success(request, text)
        return HttpResponseRedirect(reverse("admin:committees_trainingevent_change", args=[event.pk]))
