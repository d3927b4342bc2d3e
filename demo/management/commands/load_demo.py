import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.accounts import create_demo_accounts
from demo.loader import load_demo
from progress.services import recompute_progress


class Command(BaseCommand):
    help = (
        "载入演示数据：经由真实的上传流程（仅 DEMO_MODE=1）。Load the demo's quarterly data through the real "
        "upload pipeline, then recompute progress (demo mode only)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                create_demo_accounts()
                report = load_demo()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        progress = recompute_progress()
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据：{report.uploads} 次上传（接受 {report.accepted}，退回 {report.rejected}），"
                f"现行观测值 {report.observations:,} 个；进度 {progress.rows_written:,} 行；"
                f"用时 {time.perf_counter() - started:.1f} 秒"
            )
        )
