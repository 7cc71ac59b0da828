from __future__ import annotations

from axes.apps import AppConfig as BaseAxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """The report side: metrics, summary, tables, exports, and the page chrome (templatetags)."""

    default = True
    name = "reporting"
    verbose_name = _("Reports")


class AxesConfig(BaseAxesConfig):
    """django-axes under a Chinese name in the admin (it has no translatable one of its own)."""

    default = False
    verbose_name = _("Login lockout")
