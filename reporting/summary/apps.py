from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummaryConfig(AppConfig):
    name = "reporting.summary"
    label = "summary"
    verbose_name = _("Year summary")

    def ready(self) -> None:
        from committees.access import Scope, register_reference, register_scope

        from .models import Narrative, Target, ThemeYear

        register_reference(ThemeYear)
        register_reference(Target)
        register_scope(Narrative, Scope(committee="committee"))
