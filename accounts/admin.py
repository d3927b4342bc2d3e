from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "area", "is_active", "last_login")
    list_filter = ("role", "area", "is_active", "is_staff")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("角色"), {"fields": ("role", "area")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("角色"), {"fields": ("role", "area")}))
