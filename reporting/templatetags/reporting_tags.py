"""Tags for the page chrome and filters for the numbers on report pages.

``{% load reporting_tags %}``; the filters render "–" for a missing value, never "None" or an error.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html

from reporting import chrome as page_chrome

register = template.Library()

MISSING = "–"

# Top-bar pages that open on the latest year that has what they show (a redirect finds it), rather than on the
# year of the page the user is on: 量化考核 on the latest year with a published scheme.
LATEST_PAGES = {"scoring": "scoring-latest"}


def _chrome(context: template.Context) -> page_chrome.Chrome:
    """The context processor's ``chrome``, or one made for this render when the processor is not installed."""
    found = context.get("chrome")
    if isinstance(found, page_chrome.Chrome):
        return found
    cached = context.render_context.get("reporting.chrome")
    if cached is None:
        request = context.get("request")
        cached = page_chrome.Chrome(getattr(request, "user", None) or context.get("user"))
        context.render_context["reporting.chrome"] = cached
    return cached  # type: ignore[no-any-return]


def _page(context: template.Context) -> tuple[Any, int | None, str | None]:
    committee = context.get("committee")
    year = context.get("year")
    page_name = context.get("page_name")
    return committee, year if isinstance(year, int) else None, page_name


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, url_name: str, label: str, *args: Any, active_for: str = "") -> str:
    """A top-bar link, or nothing when ``url_name`` does not resolve (a page not built yet).

    Pages of the committee-and-year kind get the page's committee and year, else the user's own committee
    and the year the home page shows, or the reporting year (the latest with work on record). ``active_for``
    lists further page names (space-separated) that mark it current.
    """
    if not args and url_name in page_chrome.SWITCHABLE_PAGES:
        committee, year, _page_name = _page(context)
        if committee is None or year is None:
            # The home page says which year it shows; other pages leave it to the chrome (the reporting year).
            committee = context.get("home_committee") or _chrome(context).home_committee
            year = context.get("home_year") or _chrome(context).default_year
        args = (getattr(committee, "code", None), year)
    current_name = context.get("page_name")
    url = page_chrome.page_url(url_name, *args)
    if url is None:
        return ""
    if url_name in LATEST_PAGES and current_name != url_name:
        # Opened from another page: the latest year that has what the page shows, not the page's year.
        url = page_chrome.page_url(LATEST_PAGES[url_name], args[0]) or url
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    active = current_name is not None and (current_name == url_name or current_name in active_for.split())
    active = active or (current_name is None and match is not None and match.view_name == url_name)
    if active:
        return format_html(
            '<li class="nav-item"><a class="nav-link active" aria-current="page" href="{}">{}</a></li>', url, label
        )
    return format_html('<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', url, label)


@register.inclusion_tag("includes/switcher.html", takes_context=True)
def committee_switcher(context: template.Context) -> dict[str, Any]:
    """The committee and year switcher, for pages of the committee-and-year kind."""
    committee, year, page_name = _page(context)
    action = page_chrome.page_url("switch")
    if committee is None or year is None or page_name not in page_chrome.SWITCHABLE_PAGES or action is None:
        return {"show": False}
    return {
        "show": True,
        "action": action,
        "page_name": page_name,
        "committees": _chrome(context).switcher_options,
        "selected_code": committee.code,
        "years": page_chrome.year_choices(year),
        "selected_year": year,
    }


@register.inclusion_tag("includes/breadcrumb.html", takes_context=True)
def committee_breadcrumb(context: template.Context) -> dict[str, Any]:
    committee, year, page_name = _page(context)
    if committee is None:
        return {"crumbs": []}
    user = getattr(context.get("request"), "user", None) or context.get("user")
    return {"crumbs": page_chrome.committee_breadcrumb(user, committee, page_name=page_name, year=year)}


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _plain(number: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 4153.70 → "4153.7", 5.00 → "5"."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@register.filter
def wan(value: Any) -> str:
    """Yuan as 万元 with up to two decimals: 41537000 → "4153.7"."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return _plain((number / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@register.filter
def pct(value: Any) -> str:
    """A fraction as a percentage with one decimal: Decimal("0.24") → "24.0%"."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return f"{(number * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@register.filter
def num(value: Any) -> str:
    """A count with thousands separators: 4460 → "4,460" (whatever the language)."""
    number = _decimal(value)
    if number is None:
        return MISSING
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"


@register.filter
def cn_date(value: Any) -> str:
    """A date the Chinese way: 2020年10月14日 (a datetime in local time)."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, dt.date):
        return MISSING
    return f"{value.year}年{value.month}月{value.day}日"
