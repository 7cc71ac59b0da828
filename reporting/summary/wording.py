"""Numbers as the reports write them: "400余人次", "4150余万元", "24.0%"."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

TEN_THOUSAND = Decimal(10_000)


def approx(value: int | Decimal) -> str:
    """Counts as the reports give them: exact below 20, else rounded down to tens (below 100) or hundreds,
    with 余 when something was rounded away: 406 → 400余, 33 → 30余, 55 → 50余, 1020 → 1000余."""
    n = int(value)
    if n < 20:
        return str(n)
    step = 10 if n < 100 else 100
    floor = n - n % step
    return _("%(number)s+") % {"number": floor} if floor != n else str(floor)


def money(value: int | Decimal) -> str:
    """Yuan as the reports give them: whole 万元 exactly (13万元), otherwise rounded down with 余 — to tens of
    万 from 100万 up (4153.7万 → 4150余万元), to whole 万 below (12.5万 → 12余万元); under 1万 in 元."""
    yuan = Decimal(value)
    if yuan < TEN_THOUSAND:
        return _("%(amount)s yuan") % {"amount": f"{yuan.quantize(Decimal(1), ROUND_FLOOR):,}"}
    wan = yuan / TEN_THOUSAND
    if wan == wan.to_integral_value():
        return _("%(amount)s ten-thousand yuan") % {"amount": int(wan)}
    step = 10 if wan >= 100 else 1
    floor = int(wan // step * step)
    return _("%(amount)s ten-thousand yuan") % {"amount": _("%(number)s+") % {"number": floor}}


def pct(value: Decimal | float | None) -> str:
    if value is None:
        return "–"
    return f"{Decimal(value) * 100:.1f}%"


def formatted(value: int | Decimal | float | None, fmt: str) -> str:
    if fmt == "pct":
        return pct(value)
    value = value or 0
    if fmt == "money":
        return money(Decimal(value))
    if fmt == "approx":
        return approx(Decimal(value))
    return str(int(value)) if Decimal(value) == int(value) else f"{Decimal(value):.2f}"
