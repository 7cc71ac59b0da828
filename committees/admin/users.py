"""Users: Django's user admin plus the committee or branch a user is bound to, and the role."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from committees.models import User

from .base import RecordAdmin, committee_filter

SCOPE_FIELDS = ("role", "committee", "branch", "can_view_personal_data")


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
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Role and scope"), {"classes": ("wide",), "fields": SCOPE_FIELDS}),
    )
