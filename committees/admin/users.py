"""Users: Django's user admin plus the committee or branch a user is bound to, and the role."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from committees.access import may_read
from committees.models import ExportLog, User

from .base import RecordAdmin, ScopedAdminMixin, committee_filter

SCOPE_FIELDS = ("role", "committee", "branch", "can_view_personal_data")

# A user's rights come from the role: Django's groups (and their permission lists) are not offered.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(RecordAdmin, DjangoUserAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "committee",
        "branch",
        "can_view_personal_data",
        "is_staff",
        "is_active",
    )
    list_select_related = ("committee", "branch")
    list_filter = (
        committee_filter("committee"),
        "role",
        "can_view_personal_data",
        "is_staff",
        "is_superuser",
        "is_active",
    )
    autocomplete_fields = ("committee", "branch")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "email")}),
        (
            _("Role and scope"),
            {
                "fields": SCOPE_FIELDS,
                "description": _("Bind the user to one committee or to one branch, not both."),
            },
        ),
        # A user's rights come from the role: Django's groups and per-user permissions are not offered.
        (_("Permissions"), {"fields": ("is_active", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Role and scope"), {"classes": ("wide",), "fields": SCOPE_FIELDS}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Only a superuser may make another one.
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f != "is_superuser")})
            for name, options in fieldsets
        ]


@admin.register(ExportLog)
class ExportLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only, without history of its own: the log is written by the exports themselves."""

    list_display = ("created_at", "username", "kind", "committee", "year", "rows", "personal_data")
    list_select_related = ("committee",)
    list_filter = ("kind", "personal_data", committee_filter("committee"))
    search_fields = ("username", "kind")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_read(request.user, ExportLog)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        if not may_read(request.user, ExportLog):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
