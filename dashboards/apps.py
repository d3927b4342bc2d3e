from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("看板")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from indicators.models import Area, Indicator
        from targets import models as plan
        from targets.signals import plan_changed

        from .cache import bump_plan_version

        # The plan's frames the pages share are rebuilt when the plan or its reference data change (load_plan says
        # so once; an edit in the admin saves a row).
        plan_changed.connect(bump_plan_version, dispatch_uid="dashboards-plan-version")
        for model in (
            Area,
            Indicator,
            plan.Target,
            plan.TargetAreaValue,
            plan.Section,
            plan.Measure,
            plan.SpecialColumn,
            plan.Project,
            plan.Department,
            plan.Responsibility,
        ):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                uid = f"dashboards-plan-{model.__name__}-{name}"
                signal.connect(bump_plan_version, sender=model, dispatch_uid=uid)
