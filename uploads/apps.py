from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    name = "uploads"
    verbose_name = _("数据上传")

    def ready(self):
        from . import receivers  # noqa: F401  (records uploads and their outcomes in the audit trail)
