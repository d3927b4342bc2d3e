from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("进度评估")

    def ready(self):
        from . import audit, signals  # noqa: F401  (connects the receivers)
