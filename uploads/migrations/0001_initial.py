# Moves Upload and Observation from `indicators` into this app without touching the database: the tables keep their
# names (indicators_upload, indicators_observation) and every row, file and index stays where it is. Only Django's
# idea of which app owns them changes; indicators 0004 drops them from its own state.

import django.db.models.deletion
import django.utils.timezone
import uploads.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('indicators', '0003_lean_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Upload',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='年份')),
                        ('quarter', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='季度')),
                        ('kind', models.CharField(choices=[('template', '季度填报模板'), ('long', '长表（多地区多季度）')], default='template', max_length=10, verbose_name='格式')),
                        ('file', models.FileField(max_length=200, upload_to=uploads.models.upload_path, verbose_name='原始文件')),
                        ('original_name', models.CharField(max_length=255, verbose_name='文件名')),
                        ('extension', models.CharField(max_length=8, verbose_name='扩展名')),
                        ('size', models.PositiveBigIntegerField(verbose_name='大小（字节）')),
                        ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='上传时间')),
                        ('dry_run', models.BooleanField(default=False, help_text='只校验并给出导入摘要，确认后才写入', verbose_name='试导入')),
                        ('status', models.CharField(choices=[('received', '已接收，排队中'), ('processing', '处理中'), ('previewed', '试导入完成，待确认'), ('accepted', '已接受'), ('rejected', '已退回'), ('duplicate', '重复文件，未导入'), ('superseded', '已被后续上传替代')], default='received', max_length=12, verbose_name='状态')),
                        ('status_note', models.CharField(blank=True, max_length=255, verbose_name='状态说明')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='处理次数')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始处理')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='处理完成')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='确认导入时间')),
                        ('rows_total', models.PositiveIntegerField(default=0, verbose_name='数据行')),
                        ('rows_new', models.PositiveIntegerField(default=0, verbose_name='新增')),
                        ('rows_changed', models.PositiveIntegerField(default=0, verbose_name='修改')),
                        ('rows_unchanged', models.PositiveIntegerField(default=0, verbose_name='未变')),
                        ('errors', models.JSONField(blank=True, default=list, verbose_name='错误')),
                        ('warnings', models.JSONField(blank=True, default=list, verbose_name='警告')),
                        ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='indicators.area', verbose_name='地区')),
                        ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='确认人')),
                        ('duplicate_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='uploads.upload', verbose_name='与之相同的上传')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='uploads', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
                    ],
                    options={
                        'verbose_name': '上传',
                        'verbose_name_plural': '上传',
                        'db_table': 'indicators_upload',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Observation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年份')),
                        ('quarter', models.PositiveSmallIntegerField(verbose_name='季度')),
                        ('value', models.FloatField(verbose_name='数值')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='备注')),
                        ('source_row', models.PositiveIntegerField(blank=True, null=True, verbose_name='来源行号')),
                        ('is_current', models.BooleanField(default=True, verbose_name='现行值')),
                        ('superseded_at', models.DateTimeField(blank=True, null=True, verbose_name='替代时间')),
                        ('area', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='indicators.area', verbose_name='地区')),
                        ('indicator', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, to='indicators.indicator', verbose_name='指标')),
                        ('superseded_by', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='superseded', to='uploads.upload', verbose_name='被替代于')),
                        ('upload', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='observations', to='uploads.upload', verbose_name='来源上传')),
                    ],
                    options={
                        'verbose_name': '观测值',
                        'verbose_name_plural': '观测值',
                        'db_table': 'indicators_observation',
                    },
                ),
                migrations.AddIndex(
                    model_name='upload',
                    index=models.Index(fields=['area', 'year', 'quarter', 'status'], name='indicators__area_id_b05bbf_idx'),
                ),
                migrations.AddConstraint(
                    model_name='upload',
                    constraint=models.CheckConstraint(condition=models.Q(('quarter__isnull', True), models.Q(('quarter__gte', 1), ('quarter__lte', 4)), _connector='OR'), name='upload_quarter_1_to_4'),
                ),
                migrations.AddIndex(
                    model_name='observation',
                    index=models.Index(fields=['area', 'year', 'quarter'], name='obs_area_period'),
                ),
                migrations.AddIndex(
                    model_name='observation',
                    index=models.Index(fields=['indicator', 'year', 'quarter'], name='obs_indicator_period'),
                ),
                migrations.AddIndex(
                    model_name='observation',
                    index=models.Index(condition=models.Q(('superseded_by__isnull', False)), fields=['superseded_by'], name='obs_superseded_by'),
                ),
                migrations.AddConstraint(
                    model_name='observation',
                    constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('area', 'indicator', 'year', 'quarter'), name='one_current_observation'),
                ),
                migrations.AddConstraint(
                    model_name='observation',
                    constraint=models.CheckConstraint(condition=models.Q(('quarter__gte', 1), ('quarter__lte', 4)), name='observation_quarter_1_to_4'),
                ),
            ],
            database_operations=[],
        ),
    ]
