from django.core.management.base import BaseCommand, CommandError

from targets.fixture import PlanFixtureError, read_plan_fixture
from targets.services import load_plan
from targets.signals import plan_changed


class Command(BaseCommand):
    help = "载入或更新实施方案（fixtures/plan）。重复运行不会产生任何变化。Load or update the plan; idempotent."

    def handle(self, *args, **options):
        try:
            fixture = read_plan_fixture()
        except PlanFixtureError as error:
            raise CommandError("方案数据有误 (plan fixture problems):\n" + "\n".join(error.problems)) from error
        report = load_plan(fixture)
        for label, counter in (
            ("新增 created", report.created),
            ("更新 updated", report.updated),
            ("删除 deleted", report.deleted),
        ):
            if counter:
                self.stdout.write(f"{label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))
        for model, codes in report.stale.items():
            self.stderr.write(
                f"数据库中有而方案数据中没有的 {model} (in the database, not in the fixture): {', '.join(codes)}"
            )
        if not report.changed:
            self.stdout.write("方案已是最新，无变化 (the plan is up to date; nothing changed)")
        else:  # progress computed on the old plan is brought up to date (tasks_app queues the recompute)
            plan_changed.send(sender=self.__class__, indicator_ids=None)
            self.stdout.write("方案已变更，已安排重新计算进度 (the plan changed: progress recompute requested)")
        self.stdout.write(
            self.style.SUCCESS(
                f"方案：{len(fixture.targets)} 个目标，{len(fixture.projects)} 项重点工程，"
                f"{len(fixture.departments)} 个部门，{len(fixture.areas)} 个地区，{len(fixture.indicators)} 个指标"
            )
        )
