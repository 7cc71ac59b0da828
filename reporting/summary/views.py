"""The year summary: the page, its workbook, its .docx draft, and the narrative paragraphs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from committees.access import may_write_object, reportable_committees
from committees.locking import VersionedFormMixin
from committees.models import Committee
from committees.services import export_log_create
from reporting.excel import Column, OfficeWorkbook, xlsx_response

from .build import Figure, Summary, build_summary
from .models import Narrative, Section
from .wording import pct

CHINESE_ORDINALS = "一二三四五六七八九十"


def readable_committee(request: HttpRequest, code: str, year: int) -> Committee:
    if not 1945 <= year <= 2100:
        raise Http404
    return get_object_or_404(reportable_committees(request.user), code=code)


@login_required
def summary_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    committee = readable_committee(request, code, year)
    summary = build_summary(committee, year)
    may_edit = may_write_object(request.user, Narrative(committee=committee, year=year))
    return render(
        request,
        "summary/summary.html",
        {"summary": summary, "committee": committee, "year": year, "page_name": "summary", "may_edit": may_edit},
    )


TEN_THOUSAND = Decimal(10_000)


def _shown(figure: Figure, value: object) -> object:
    """A figure's value as the workbook shows it: shares in percent, money in 万元, counts as they are."""
    if value is None:
        return None
    if figure.is_share:
        return round(Decimal(value) * 100, 1)  # type: ignore[arg-type]
    if figure.is_money:
        return round(Decimal(value) / TEN_THOUSAND, 2)  # type: ignore[arg-type]
    return value


def _unit(figure: Figure) -> str:
    if figure.is_share:
        return "%"
    return str(_("10k yuan")) if figure.is_money else str(figure.unit)


def write_summary_workbook(book: OfficeWorkbook, summary: Summary) -> None:
    title = _("%(committee)s %(year)s year summary: figures") % {
        "committee": summary.committee.name,
        "year": summary.year,
    }
    columns = [
        Column(_("Section")),
        Column(_("Figure"), width=36),
        Column(_("Unit"), width=8),
        Column(_("This year"), group=_("Value"), kind="number"),
        Column(_("Last year"), group=_("Value"), kind="number"),
        Column(pgettext("year on year", "Change"), group=_("Value"), kind="number"),
        Column(_("Target"), kind="number"),
    ]
    rows = [
        [
            str(section.title),
            str(f.label),
            _unit(f),
            _shown(f, f.value),
            _shown(f, f.previous),
            _shown(f, f.change),
            _shown(f, f.target),
        ]
        for section in summary.sections
        for f in section.figures
    ]
    book.add_table(
        sheet_name=_("Figures"),
        title=title,
        unit=summary.committee.name,
        filled_on=dt.date.today(),
        columns=columns,
        rows=rows,
        totals_label=None,
    )
    child_columns = [Column(_("Figure"), width=36), Column(_("Unit"), width=8)]
    child_columns += [Column(label, group=_("By committee"), kind="number") for label, _c in summary.children]
    child_columns.append(Column(_("Total"), kind="number"))
    child_rows = [
        [str(f.label), _unit(f), *(_shown(f, v) for v in f.by_child), _shown(f, f.value or 0)]
        for section in summary.sections
        for f in section.figures
        if not f.is_share
    ]
    book.add_table(
        sheet_name=_("By committee"),
        title=_("%(committee)s %(year)s: figures by committee")
        % {"committee": summary.committee.name, "year": summary.year},
        unit=summary.committee.name,
        filled_on=dt.date.today(),
        columns=child_columns,
        rows=child_rows,
        totals_label=None,
    )


@login_required
def summary_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponseBase:
    committee = readable_committee(request, code, year)
    summary = build_summary(committee, year)
    export_log_create(user=request.user, kind="summary.xlsx", committee=committee, year=year, path=request.path)
    filename = _("%(committee)s %(year)s year summary.xlsx") % {"committee": committee.name, "year": year}
    return xlsx_response(filename, lambda book: write_summary_workbook(book, summary))


BODY_FONT, HEADING_FONT = "宋体", "黑体"


def _set_font(style: object, name: str, size: float, *, bold: bool | None = None) -> None:
    """``name`` for Latin and East Asian text alike (python-docx's ``font.name`` sets only the Latin one, and
    Word or LibreOffice would then take the theme's CJK font), black, ``size`` points."""
    font = style.font  # type: ignore[attr-defined]
    font.name = name
    font.size = Pt(size)
    font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), name)


def summary_document(summary: Summary) -> DocxDocument:
    document = Document()
    _set_font(document.styles["Normal"], BODY_FONT, 12)
    _set_font(document.styles["Heading 1"], HEADING_FONT, 16, bold=True)
    _set_font(document.styles["Heading 2"], HEADING_FONT, 14, bold=False)
    theme = summary.theme.theme if summary.theme else ""
    document.add_heading(
        _("%(committee)s %(year)s %(theme)s work summary (draft)")
        % {"committee": summary.committee.name, "year": summary.year, "theme": theme},
        level=1,
    )
    for index, section in enumerate(summary.sections):
        number = CHINESE_ORDINALS[index] if index < len(CHINESE_ORDINALS) else str(index + 1)
        document.add_heading(f"{number}、{section.title}", level=2)
        for paragraph in filter(None, (p.strip() for p in section.narrative.splitlines())):
            document.add_paragraph(paragraph)
        if section.sentences:
            document.add_paragraph("".join(section.sentences))
    return document


@login_required
def summary_docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    committee = readable_committee(request, code, year)
    summary = build_summary(committee, year)
    export_log_create(user=request.user, kind="summary.docx", committee=committee, year=year, path=request.path)
    buffer = io.BytesIO()
    summary_document(summary).save(buffer)
    filename = _("%(committee)s %(year)s year summary.docx") % {"committee": committee.name, "year": year}
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


class NarrativeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Narrative
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}
        labels = {"text": gettext_lazy("Narrative")}


@login_required
@transaction.atomic  # the version check locks the row until the save commits
def narrative_edit(request: HttpRequest, code: str, year: int, section: str) -> HttpResponse:
    committee = readable_committee(request, code, year)
    if section not in Section.values:
        raise Http404
    narrative = Narrative.objects.filter(committee=committee, year=year, section=section).first() or Narrative(
        committee=committee, year=year, section=section
    )
    if not may_write_object(request.user, narrative):
        raise Http404
    form = NarrativeForm(request.POST or None, instance=narrative)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("summary", code=code, year=year)
    return render(
        request,
        "summary/narrative_form.html",
        {
            "form": form,
            "committee": committee,
            "year": year,
            "section": Section(section),
            "page_name": "summary",
        },
    )


__all__ = ["narrative_edit", "pct", "summary_docx", "summary_page", "summary_xlsx"]
