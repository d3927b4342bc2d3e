import sys
import time

from django.core.management.base import BaseCommand, CommandError

from targets.fixture import PlanFixtureError, read_plan_fixture
from targets.services import load_plan
from targets.signals import plan_changed


class Command(BaseCommand):
    help = (
        "载入或更新实施方案（fixtures/plan）。重复运行不会产生任何变化；在管理后台修订过的字段不会被静默覆盖。"
        "Load or update the plan; idempotent. Fields revised in the admin are kept and listed as conflicts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite-revisions",
            action="store_true",
            help="以方案数据覆盖管理后台的修订（覆盖本身也记入修订记录）。Let the fixture replace revised fields.",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        self.stdout.write("1/2 读取并核对方案数据 (reading and checking fixtures/plan)…")
        try:
            fixture = read_plan_fixture()
        except PlanFixtureError as error:
            raise CommandError("方案数据有误 (plan fixture problems):\n" + "\n".join(error.problems)) from error
        self.stdout.write(f"    {len(fixture.targets)} 个目标，{time.perf_counter() - started:.1f} 秒 s")
        started = time.perf_counter()
        self.stdout.write("2/2 写入数据库 (writing the plan)…")
        report = load_plan(fixture, overwrite_revisions=options["overwrite_revisions"])
        self.stdout.write(f"    {time.perf_counter() - started:.1f} 秒 s")
        self._report_counts(report)
        if report.changed:  # progress computed on the old plan is brought up to date (tasks_app queues it)
            plan_changed.send(sender=self.__class__, indicator_ids=None)
            self.stdout.write("方案已变更，已安排重新计算进度 (the plan changed: progress recompute requested)")
        else:
            self.stdout.write("方案已是最新，无变化 (the plan is up to date; nothing changed)")
        self.stdout.write(
            self.style.SUCCESS(
                f"方案：{len(fixture.targets)} 个目标，{len(fixture.projects)} 项重点工程，"
                f"{len(fixture.departments)} 个部门，{len(fixture.areas)} 个地区，{len(fixture.indicators)} 个指标"
            )
        )
        for conflict in report.overwritten:
            self.stdout.write(self.style.WARNING(f"已覆盖修订 (revision overwritten): {conflict}"))
        if report.conflicts:
            self.stderr.write(
                self.style.ERROR(
                    f"{len(report.conflicts)} 处字段在管理后台修订过，方案数据与之不同，已保留修订值 "
                    "(fields revised in the admin differ from the fixture; the revised values were kept):"
                )
            )
            for conflict in report.conflicts:
                self.stderr.write(f"  {conflict}")
            self.stderr.write(
                "请将修订写入 fixtures/plan，或以 --overwrite-revisions 用方案数据覆盖 "
                "(put the revision into fixtures/plan, or run again with --overwrite-revisions)."
            )
            sys.exit(1)

    def _report_counts(self, report):
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
