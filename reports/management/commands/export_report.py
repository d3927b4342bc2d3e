from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reports.models import GeneratedReport
from reports.scope import ScopeError, parse_scope
from reports.services import request_report


class Command(BaseCommand):
    help = (
        "生成季度进度报告（XLSX、CSV 压缩包或 PDF），与网页、接口相同，并保留一份。"
        "Write the quarterly progress report, as the web page and the API do, and keep a copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--format", choices=GeneratedReport.Format.values, default="xlsx")
        parser.add_argument("-o", "--output", required=True, help="输出文件 output file")
        parser.add_argument("--area", default="", help="区划代码：只含该市（及其县区）")
        parser.add_argument("--department", default="", help="部门代码")
        parser.add_argument("--lead-only", action="store_true", help="只含该部门牵头的目标")
        parser.add_argument("--section", default="", help="章节编号，如 2.2")
        parser.add_argument("--special-column", type=int, help="专栏号")
        parser.add_argument("--user", help="记为生成人的用户名（默认：命令行）")

    def handle(self, *args, year, quarter, format, output, user, **options):
        person = None
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"用户“{user}”不存在。")
        try:
            scope = parse_scope(
                year=year,
                quarter=quarter,
                area=options["area"],
                department=options["department"],
                lead_only=options["lead_only"],
                section=options["section"],
                special_column=options["special_column"],
                user=person,
            )
        except ScopeError as error:
            raise CommandError(str(error)) from error
        # The command builds the report in this process rather than wait for a worker.
        report = request_report(scope=scope, fmt=format, user=person, door=GeneratedReport.Door.COMMAND, queue=False)
        if not report.is_ready:
            raise CommandError(f"报告生成失败：{report.error}")
        with report.file.open("rb") as kept:
            Path(output).write_bytes(kept.read())
        self.stdout.write(
            f"第 {report.pk} 号报告 · {report.scope_label} · {report.period_label} · 快照 {report.snapshot_id} · "
            f"{report.rows} 行 · sha256 {report.sha256[:16]}… → {output}"
        )
