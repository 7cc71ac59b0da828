from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from reporting.chrome import switch_urlpatterns

admin.site.site_header = _("Committee reporting")
admin.site.site_title = _("Committee reporting")
admin.site.index_title = _("Data entry")
admin.site.empty_value_display = "–"  # never "None" for an empty value


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page links: send them to the static file."""
    return HttpResponseRedirect(static("favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("", include("reporting.dashboards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("summary/", include("reporting.summary.urls")),
    path("tables/", include("reporting.tables.urls")),
    path("scoring/", include("reporting.scoring.urls")),
    path("evidence/", include("reporting.metrics.urls")),
    path("imports/", include("committees.imports.urls")),
    *switch_urlpatterns,
]
