from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.models import Area
from uploads.selectors import template_rows
from uploads.workbooks import build_template


class Command(BaseCommand):
    help = "生成某地区某季度的填报模板（与网页下载相同）。Write an area's quarterly template, as the web download."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="区划代码 area code, e.g. 210100")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("-o", "--output", required=True, help="输出文件 output .xlsx")

    def handle(self, *args, area, year, quarter, output, **options):
        try:
            area_obj = Area.objects.get(code=area)
        except Area.DoesNotExist as error:
            raise CommandError(f"地区代码“{area}”不存在。") from error
        data = build_template(
            area_code=area_obj.code,
            area_name=area_obj.name,
            year=year,
            quarter=quarter,
            rows=template_rows(area_obj, year, quarter),
        )
        Path(output).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"已生成 {output}（{area_obj.name} {year}年第{quarter}季度）"))
