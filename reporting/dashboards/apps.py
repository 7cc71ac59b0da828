from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "reporting.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from .home import imports_not_committed, register_home_panel, sheets_awaiting_review

        # The dashboards read the scoring app's sheets (outputs may read each other's records; scoring itself
        # knows nothing of the dashboards).
        register_home_panel(sheets_awaiting_review)
        register_home_panel(imports_not_committed)
