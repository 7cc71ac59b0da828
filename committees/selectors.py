"""Finding members from what a person typed: a pasted list of names or ID numbers, an import row.

Every finder loads the members with what their chooser label shows (:attr:`Member.chooser_label`), so the
caller can list the candidates of an ambiguous line — 赵建国 · 哈尔滨工程大学支部 · 1975 — without a query each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from committees.models import Member

ID_NUMBER = re.compile(r"^(?:[0-9]{17}[0-9X]|[0-9]{15})$")
YEAR = re.compile(r"^(?:19|20)[0-9]{2}$")
SEPARATORS = re.compile(r"[\s,，;；、·|]+")


def plain_name(name: str) -> str:
    """A name compared as people read it: without spaces (赵 建国 is 赵建国)."""
    return "".join(name.split())


def same_name(typed: str, member: Member) -> bool:
    return plain_name(typed) == plain_name(member.name)


@dataclass
class Clues:
    """What one typed line says about a person: a name, an ID number, a birth year, words of the branch."""

    line: str
    name: str = ""
    id_number: str = ""
    year: int | None = None
    places: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, line: str) -> Clues:
        clues = cls(line)
        for token in SEPARATORS.split(line.strip()):
            if not token:
                continue
            upper = token.upper()
            if ID_NUMBER.match(upper):
                clues.id_number = upper
            elif YEAR.match(token) and clues.year is None:
                clues.year = int(token)
            elif not clues.name:
                clues.name = token
            else:
                clues.places.append(token)
        return clues

    def admits(self, member: Member) -> bool:
        if self.id_number and member.id_number != self.id_number:
            return False
        if self.name and not same_name(self.name, member):
            return False
        if self.year is not None and (member.birth_date is None or member.birth_date.year != self.year):
            return False
        place = member.branch.name if member.branch is not None else member.committee.name
        return all(word in place for word in self.places)


def match_lines(lines: Sequence[str], members: QuerySet[Member]) -> dict[str, list[Member]]:
    """The members of ``members`` (a scope: e.g. ``visible_to(user, Member)``) each line may name.

    A line holds a name or an ID number, optionally with a birth year and words of the branch name
    ("赵建国 1975 工程大学"); every clue given must agree. An ID number with another name matches nobody (the
    caller reports the line). Two queries whatever the number of lines: by ID number, by name.
    """
    parsed = [Clues.of(line) for line in lines]
    ids = {c.id_number for c in parsed if c.id_number}
    names = {c.name for c in parsed if c.name and not c.id_number}
    found: dict[int, Member] = {}
    if ids:
        for member in members.filter(id_number__in=ids).select_related("committee", "branch").order_by():
            found[member.pk] = member
    if names:
        for member in members.filter(name__in=names).select_related("committee", "branch").order_by():
            found[member.pk] = member
    by_key: dict[str, list[Member]] = defaultdict(list)
    for member in sorted(found.values(), key=lambda m: (m.name, m.pk)):
        by_key[member.name].append(member)
        if member.id_number:
            by_key[member.id_number].append(member)
    return {c.line: [m for m in by_key.get(c.id_number or c.name, []) if c.admits(m)] for c in parsed}


def members_matching(text: str, members: QuerySet[Member]) -> list[Member]:
    """The members of ``members`` one typed line may name (see :func:`match_lines`)."""
    return match_lines([text], members)[text]


def likely_duplicates(member: Member, members: QuerySet[Member]) -> list[tuple[Member, str]]:
    """Other members of ``members`` who may be the same person as ``member``: the same name and birth date, or
    the same name in the same branch. One query; each with the reason."""
    if not member.name:
        return []
    same = Q(birth_date=member.birth_date) if member.birth_date else Q(pk__in=[])
    if member.branch_id is not None:
        same |= Q(branch_id=member.branch_id)
    others = members.filter(same, name=member.name).exclude(pk=member.pk).select_related("committee", "branch")
    result: list[tuple[Member, str]] = []
    for other in others.order_by("pk")[:10]:
        born = member.birth_date is not None and other.birth_date == member.birth_date
        result.append((other, "birth" if born else "branch"))
    return result


def names_of(members: Iterable[Member]) -> str:
    return "、".join(m.chooser_label for m in members)
