from __future__ import annotations

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(BaseAxesConfig):
    """django-axes under a Chinese name in the admin (it has no translatable one of its own)."""

    verbose_name = _("Login lockout")
