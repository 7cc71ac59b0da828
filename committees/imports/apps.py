from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "committees.imports"
    label = "imports"
    verbose_name = _("Imports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from committees.access import Scope, register_scope

        from .models import ImportBatch

        # A batch belongs to the committee it was imported under: its staff see and run it, its leaders read it.
        register_scope(ImportBatch, Scope(committee="committee"))
