import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from indicators.models import Area
from uploads.models import Upload
from uploads.services import ProcessingFailed, UploadRefused, process_upload, receive_upload


class Command(BaseCommand):
    help = (
        "导入一个填报文件：与网页上传、接口上传走同一服务。Import an upload through the same service as the web page "
        "and the API. Exit code 0 when accepted (or, with --dry-run, when it would be), 1 when rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--area", help="区划代码; omit for a provincial long-format back-fill")
        parser.add_argument("--year", type=int)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--user", help="上传人用户名 (default: the first active administrator)")
        parser.add_argument("--dry-run", action="store_true", help="只校验并显示导入摘要，不写入 preview only")

    def handle(self, *args, path, area, year, quarter, user, dry_run, **options):
        users = get_user_model().objects
        person = (
            users.filter(username=user).first()
            if user
            else users.filter(role=users.model.Role.ADMIN, is_active=True).order_by("pk").first()
        )
        if person is None:
            raise CommandError(f"用户“{user or '管理员'}”不存在。")
        area_obj = None
        if area:
            area_obj = Area.objects.filter(code=area).first()
            if area_obj is None:
                raise CommandError(f"地区代码“{area}”不存在。")
        file_path = Path(path)
        if not file_path.is_file():
            raise CommandError(f"找不到文件 {path}")
        with file_path.open("rb") as handle:
            try:
                upload = receive_upload(
                    file=File(handle, name=file_path.name),
                    user=person,
                    area=area_obj,
                    year=year,
                    quarter=quarter,
                    dry_run=dry_run,
                    queue=False,
                )
            except UploadRefused as error:
                raise CommandError(str(error)) from error
        # The command does the work itself, in this process, rather than wait for a worker.
        self.process(upload)
        upload.refresh_from_db()
        self.report(upload)
        if upload.status == Upload.Status.REJECTED:
            raise CommandError(f"第 {upload.pk} 号上传被退回：{len(upload.errors)} 个错误。", returncode=1)
        if upload.status != Upload.Status.ACCEPTED and not (dry_run and upload.status == Upload.Status.PREVIEWED):
            cause = upload.failure.strip().splitlines()[-1:] or [upload.get_status_display()]
            raise CommandError(
                f"第 {upload.pk} 号上传系统处理失败（不是文件的问题，文件已保存）：{cause[0]}。"
                "管理员排除原因后可在管理后台重新处理。",
                returncode=2,
            )

    def process(self, upload: Upload) -> None:
        """Attempts as a worker would make them, with shorter pauses: someone is waiting at the terminal."""
        for _attempt in range(settings.UPLOAD_MAX_ATTEMPTS):
            try:
                process_upload(upload.pk)
                return
            except ProcessingFailed as failure:
                if failure.retry_in is None:
                    return
                self.stderr.write("系统处理出错，稍后重试……")
                time.sleep(min(failure.retry_in, 2))

    def report(self, upload: Upload) -> None:
        out = self.stdout
        out.write(f"第 {upload.pk} 号上传 · {upload.original_name} · sha256 {upload.sha256[:16]}…")
        out.write(f"状态：{upload.get_status_display()}  {upload.status_note}")
        out.write(
            f"数据行 {upload.rows_total}：新增 {upload.rows_new}，修改 {upload.rows_changed}，"
            f"未变 {upload.rows_unchanged}；错误 {len(upload.errors)}，警告 {len(upload.warnings)}"
        )
        for change in upload.changes:  # what the import changes (or, a dry run, would change), from what to what
            source = f"（原值来自第 {change['old_upload']} 号上传）" if change.get("old_upload") else ""
            what = f"{change['area']} {change['indicator']} {change['year']}Q{change['quarter']}"
            values = f"{change['old']:.10g} → {change['new']:.10g} {change['unit']}"
            out.write(f"  [修改] 第{change['row']}行 {what}：{values}{source}")
        for level, issues in (("错误", upload.errors), ("警告", upload.warnings)):
            for issue in issues:
                where = "".join(
                    filter(
                        None,
                        [
                            f"工作表“{issue['sheet']}”" if issue.get("sheet") else "",
                            f"第{issue['row']}行" if issue.get("row") else "",
                            f"“{issue['column']}”列" if issue.get("column") else "",
                        ],
                    )
                )
                out.write(f"  [{level}] {where}{'：' if where else ''}{issue['message']}")
