from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksAppConfig(AppConfig):
    name = "tasks_app"
    verbose_name = _("后台任务")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers)
