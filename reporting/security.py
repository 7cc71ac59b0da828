"""Login lockout glue for django-axes: the authentication backend and the Chinese lockout page."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check for every login that comes with a request.

    Login forms (the admin's included) always pass the request, so every attempt from a browser is counted
    and checked. ``authenticate()`` without a request only comes from code already running on the server —
    the test client's ``login()``, the shell — where there is no client to lock out; Axes itself would raise.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The lockout page, framed like the admin's own login page."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": _("Account locked"),
        "cooloff_hours": round(cool_off.total_seconds() / 3600) if cool_off else None,
    }
    return render(request, "axes/lockout.html", context, status=429)
