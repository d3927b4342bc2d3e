import time

from django.core.management.base import BaseCommand, CommandError

from indicators.models import Area
from progress.services import build_assignments, current_observations, recompute_progress


class Command(BaseCommand):
    help = "重新计算进度（全部，或一个地区）。Recompute progress for everything, or for one area."

    def add_arguments(self, parser):
        parser.add_argument("--area", help="区划代码 area code")

    def handle(self, *args, area=None, **options):
        if area:
            found = Area.objects.filter(code=area).first()
            if found is None:
                raise CommandError(f"地区代码“{area}”不存在。")
            report = recompute_progress(area_ids=[found.pk])
        else:  # the full recompute, in the steps it takes, each with its count and time
            assignments = self._step("1/3 读取目标与地区 (targets × areas)", build_assignments)
            observations = self._step("2/3 读取观测值 (observations)", current_observations)
            self.stdout.write("3/3 计算并写入进度 (computing and writing progress)…")
            report = recompute_progress(assignments=assignments, observations=observations)
        self.stdout.write(
            self.style.SUCCESS(
                f"已计算 {report.rows_written:,} 行进度（{report.assignments:,} 个目标×地区，截至 {report.through[0]}年"
                f"第{report.through[1]}季度），用时 {report.seconds:.2f} 秒"
            )
        )

    def _step(self, label, read):
        started = time.perf_counter()
        frame = read()
        self.stdout.write(f"{label}: {len(frame):,}，{time.perf_counter() - started:.2f} 秒 s")
        return frame
