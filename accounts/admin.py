from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "unit", "role", "department", "is_active")
    list_filter = ("role", "is_active", "unit__kind")
    search_fields = ("username", "first_name", "last_name", "email", "unit__search_name")
    raw_id_fields = ("unit",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Unit and role"), {"fields": ("unit", "role", "department")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Unit and role"), {"fields": ("unit", "role", "department")}),
    )
