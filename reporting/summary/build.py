"""The summary of a committee subtree for a year, assembled from the metric registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from committees.models import Committee
from reporting.metrics import Ratio, Scope, compute, registry
from reporting.metrics.catalogue import YUAN

from .models import Narrative, Section, ThemeYear
from .structure import FIGURES, SENTENCES, all_codes
from .wording import formatted

Value = int | Decimal


@dataclass
class Figure:
    code: str
    label: str | Promise
    unit: str | Promise
    value: Value
    previous: Value
    target: Decimal | None
    is_share: bool
    is_money: bool = False
    by_child: list[Value] = field(default_factory=list)

    @property
    def change(self) -> Value | None:
        if self.is_share and (self.value is None or self.previous is None):
            return None
        return (self.value or 0) - (self.previous or 0)

    @property
    def target_met(self) -> bool | None:
        return None if self.target is None else Decimal(self.value or 0) >= self.target


@dataclass
class SectionSummary:
    code: str
    title: str | Promise
    figures: list[Figure]
    sentences: list[str]
    narrative: str


@dataclass
class Summary:
    committee: Committee
    year: int
    theme: ThemeYear | None
    sections: list[SectionSummary]
    children: list[tuple[str, Committee]]  # (label, committee); the committee itself labelled as its own work

    def figure(self, code: str) -> Figure:
        return next(f for s in self.sections for f in s.figures if f.code == code)

    def text(self) -> str:
        return "\n".join(s for section in self.sections for s in section.sentences)


def _additive_parts(code: str) -> tuple[str, ...]:
    metric = registry[code]
    return (metric.numerator, metric.denominator) if isinstance(metric, Ratio) else (code,)


def build_summary(committee: Committee, year: int) -> Summary:
    """Everything the summary shows, in a fixed number of queries."""
    scope = Scope.year(committee, year)
    previous = scope.shifted(-1)
    codes = all_codes()
    # One pass, grouped by child committee, for both years: every additive figure's total is the sum of its
    # children (each record, member or branch counted lies in exactly one child's subtree; tests check it),
    # and a share is its summed numerator over its summed denominator.
    parts = {part for code in codes for part in _additive_parts(code)}
    by_child = compute([(code, s) for code in parts for s in (scope, previous)], group="child")
    totals: dict[tuple[str, Scope], dict[Any, Any]] = {
        request: {None: sum(values.values())} for request, values in by_child.items()
    }
    for code in codes:
        metric = registry[code]
        if isinstance(metric, Ratio):
            for s in (scope, previous):
                denominator = totals[(metric.denominator, s)][None]
                numerator = totals[(metric.numerator, s)][None]
                totals[(code, s)] = {None: Decimal(numerator) / Decimal(denominator)} if denominator else {}

    children = list(
        Committee.objects.filter(path__startswith=committee.path, depth=committee.depth + 1).order_by("path")
    )
    columns: list[tuple[str, Committee]] = [(c.display_name, c) for c in children]
    own_label = str(committee.display_name)
    columns.append((own_label, committee))

    theme = ThemeYear.objects.filter(year=year).prefetch_related("targets").first()
    targets = {t.metric: t.value for t in theme.targets.all()} if theme else {}
    narratives = dict(Narrative.objects.filter(committee=committee, year=year).values_list("section", "text"))

    def value(code: str, s: Scope) -> Any:
        return totals[(code, s)].get(None, None if isinstance(registry[code], Ratio) else 0)

    sections = []
    for section_code, section_label in Section.choices:
        figures = []
        for code in FIGURES[section_code]:
            metric = registry[code]
            figure = Figure(
                code=code,
                label=metric.label,
                unit=metric.unit,
                value=value(code, scope),
                previous=value(code, previous),
                target=targets.get(code),
                is_share=isinstance(metric, Ratio),
                is_money=metric.unit is YUAN,
            )
            if not figure.is_share:
                child_values = by_child[(code, scope)]
                figure.by_child = [child_values.get(c.path, 0) for _label, c in columns]
            figures.append(figure)
        sentences = []
        for sentence in SENTENCES.get(section_code, []):
            first_code = next(iter(sentence.figures.values()))[0]
            if not value(first_code, scope):
                continue
            params = {name: formatted(value(code, scope), fmt) for name, (code, fmt) in sentence.figures.items()}
            sentences.append(str(sentence.text) % params)
        sections.append(
            SectionSummary(section_code, section_label, figures, sentences, narratives.get(section_code, ""))
        )
    return Summary(committee, year, theme, sections, columns)
