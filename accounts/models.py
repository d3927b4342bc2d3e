"""Accounts and the four roles the tracker knows."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.auth.password_validation import validate_password
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE = "province", _("省级工作人员")
    CITY = "city", _("市级填报员")
    AUDITOR = "auditor", _("审计人员")
    ADMIN = "admin", _("系统管理员")


class UserManager(DjangoUserManager):
    """Accounts made in code or by `createsuperuser --noinput` (DJANGO_SUPERUSER_PASSWORD) follow the password rules
    as those made through a form or a prompt do: Django checks them only there. The demo accounts are given their
    password with set_password, outside these rules, in demo mode alone (demo/accounts.py)."""

    def _create_user_object(self, username, email, password, **extra_fields):
        user = super()._create_user_object(username, email, password, **extra_fields)
        if password is not None:
            validate_password(password, user)  # ValidationError: createsuperuser reports it as a CommandError
        return user


class User(AbstractUser):
    Role = Role

    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.PROVINCE)
    area = models.ForeignKey(
        "indicators.Area",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("市级填报员只能为本地区填报"),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.CITY) | models.Q(area__isnull=False), name="city_officer_has_area"
            )
        ]

    @property
    def sees_everything(self) -> bool:
        """Provincial staff, auditors and administrators see every city; a city officer sees their own."""
        return self.role != self.Role.CITY or self.is_superuser

    @property
    def is_city_officer(self) -> bool:
        return self.role == self.Role.CITY

    @property
    def is_provincial_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser

    def sees_area(self, area) -> bool:
        """Everyone but a city officer sees every area; a city officer sees their city and its counties."""
        return self.sees_everything or area.pk == self.area_id or area.parent_id == self.area_id

    def area_filter(self, field: str = "area") -> models.Q:
        """The rows about areas this person may see, as a filter on `field` (an Area foreign key)."""
        if self.sees_everything:
            return models.Q()
        return models.Q(**{field: self.area_id}) | models.Q(**{f"{field}__parent": self.area_id})

    def can_upload_for(self, area) -> bool:
        if self.is_provincial_admin:
            return True
        return self.role == self.Role.CITY and area is not None and self.area_id == area.pk
