from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from reporting.chrome import switch_urlpatterns

admin.site.site_header = _("Committee reporting")
admin.site.site_title = _("Committee reporting")
admin.site.index_title = _("Data entry")

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("summary/", include("reporting.summary.urls")),
    path("tables/", include("reporting.tables.urls")),
    path("evidence/", include("reporting.metrics.urls")),
    path("imports/", include("committees.imports.urls")),
    *switch_urlpatterns,
]
