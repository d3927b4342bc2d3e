from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计日志")

    def ready(self):
        from . import receivers  # noqa: F401  (records sign-ins and failed sign-ins)
