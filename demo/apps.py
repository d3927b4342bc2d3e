from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Realistic demo data and one account per role. Installed only when DEMO_MODE=1; nothing imports it."""

    name = "demo"
    verbose_name = _("演示数据")
