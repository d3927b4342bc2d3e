import re
import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.accounts import create_demo_accounts
from demo.console import ProgressReport
from demo.generator import DEFAULT_AS_OF
from demo.loader import check_as_of, load_demo
from demo.story import story_lines
from progress.services import recompute_progress


def quarter(text: str) -> tuple[int, int]:
    """2024Q4, 2024-Q4 or 2024q4 → (2024, 4)."""
    match = re.fullmatch(r"\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*", text)
    if match is None:
        raise ValueError(text)
    return int(match.group(1)), int(match.group(2))


class Command(BaseCommand):
    help = (
        "载入演示数据：经由真实的上传流程，截至指定季度（仅 DEMO_MODE=1）。Load the demo's quarterly data through the "
        "real upload pipeline up to an 'as of' quarter, then recompute progress to it (demo mode only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            type=quarter,
            default=DEFAULT_AS_OF,
            metavar="YYYYQn",
            help=f"演示数据截至的季度 the last quarter of demo data (default {DEFAULT_AS_OF[0]}Q{DEFAULT_AS_OF[1]})",
        )

    def handle(self, *args, as_of, **options):
        started = time.perf_counter()
        self.stdout.write(f"演示数据截至 {as_of[0]}年第{as_of[1]}季度 (demo data as of {as_of[0]}Q{as_of[1]})")
        try:
            check_as_of(as_of)
            with transaction.atomic(), ProgressReport(self.stdout._out, "上传 uploads") as report:
                create_demo_accounts()
                loaded = load_demo(
                    as_of=as_of, on_upload=lambda done, total, upload: report(done, total, _label(upload))
                )
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"上传 {loaded.uploads} 次（接受 {loaded.accepted}，退回 {loaded.rejected}，"
            f"被更正替代 {loaded.superseded}，逾期 {loaded.late}），"
            f"现行观测值 {loaded.observations:,} 个，其中 {loaded.notes} 个附备注；用时 {loaded.seconds:.1f} 秒"
        )
        self.stdout.write(f"计算进度至 {as_of[0]}年第{as_of[1]}季度… (recomputing progress)")
        progress = recompute_progress(through=as_of)
        self.stdout.write(
            self.style.SUCCESS(
                f"进度 {progress.rows_written:,} 行，用时 {progress.seconds:.1f} 秒；"
                f"演示数据载入共用时 {time.perf_counter() - started:.1f} 秒 (demo data loaded)"
            )
        )
        self.stdout.write(f"{as_of[0]}年第{as_of[1]}季度各地进展 (where each city stands):")
        self.stdout.write("\n".join(story_lines(as_of)))


def _label(upload) -> str:
    where = upload.area.name if upload.area_id else "全省"
    when = f"{upload.year}Q{upload.quarter}" if upload.year else ""
    return f"{where} {when} {upload.get_status_display()}"
