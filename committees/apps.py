from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    default = True
    name = "committees"
    verbose_name = _("Records")


class RecordsAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the records' site: autocompletes label members as name · branch · birth year."""

    default = False
    default_site = "committees.choosers.RecordsAdminSite"
