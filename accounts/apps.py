from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与角色")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import mark_activity

        user_logged_in.connect(mark_activity, dispatch_uid="accounts-mark-activity")
