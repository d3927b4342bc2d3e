"""Uploads get their place in line (sequence), the task that holds them, a system-failure status and its details.

Existing uploads are numbered in the order they were received (their ids); on PostgreSQL a database sequence hands
out the next numbers."""

from django.db import migrations, models

SEQUENCE_NAME = "upload_sequence"  # uploads.models.SEQUENCE_NAME


def number_existing(apps, schema_editor):
    Upload = apps.get_model("uploads", "Upload")
    Upload.objects.update(sequence=models.F("id"))
    if schema_editor.connection.vendor == "postgresql":
        last = Upload.objects.aggregate(last=models.Max("id"))["last"] or 0
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE_NAME} START WITH {last + 1}")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE_NAME}")


class Migration(migrations.Migration):
    dependencies = [("uploads", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="upload",
            name="sequence",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="接收序号"),
        ),
        migrations.RunPython(number_existing, drop_sequence),
        migrations.AlterField(
            model_name="upload",
            name="sequence",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="接收序号"),
        ),
        migrations.AddField(
            model_name="upload",
            name="task_id",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="处理任务"),
        ),
        migrations.AddField(
            model_name="upload",
            name="failure",
            field=models.TextField(blank=True, editable=False, verbose_name="系统错误（供管理员）"),
        ),
        migrations.AlterField(
            model_name="upload",
            name="status",
            field=models.CharField(
                choices=[
                    ("received", "已接收，排队中"),
                    ("processing", "处理中"),
                    ("previewed", "试导入完成，待确认"),
                    ("accepted", "已接受"),
                    ("rejected", "已退回"),
                    ("duplicate", "重复文件，未导入"),
                    ("superseded", "已被后续上传替代"),
                    ("failed", "系统处理失败"),
                ],
                default="received",
                max_length=12,
                verbose_name="状态",
            ),
        ),
    ]
