from django.core.management.base import BaseCommand, CommandError

from indicators.models import Area
from progress.services import recompute_progress


class Command(BaseCommand):
    help = "重新计算进度（全部，或一个地区）。Recompute progress for everything, or for one area."

    def add_arguments(self, parser):
        parser.add_argument("--area", help="区划代码 area code")

    def handle(self, *args, area=None, **options):
        area_ids = None
        if area:
            found = Area.objects.filter(code=area).first()
            if found is None:
                raise CommandError(f"地区代码“{area}”不存在。")
            area_ids = [found.pk]
        report = recompute_progress(area_ids=area_ids)
        self.stdout.write(
            self.style.SUCCESS(
                f"已计算 {report.rows_written:,} 行进度（{report.assignments:,} 个目标×地区，截至 {report.through[0]}年"
                f"第{report.through[1]}季度），用时 {report.seconds:.2f} 秒"
            )
        )
