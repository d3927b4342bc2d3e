"""A body over the limit is dropped while it streams in, nothing kept; identical files are stored once; a failure of
the system's own ends `failed` after capped retries, told to the city as not their fault and shown to administrators."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from uploads import services
from uploads.models import Observation, Upload
from uploads.services import FAILED_MESSAGE, process_again, sweep_stuck_uploads

pytestmark = pytest.mark.postgres
Q = dict(year=2024, quarter=2)
LIMIT = 100_000


@pytest.fixture
def small_limit(settings, tmp_path):
    """A 100 KB limit, and files past 1 KB spooled to a temporary folder we can look into."""
    settings.UPLOAD_MAX_BYTES = LIMIT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "spool"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return settings.FILE_UPLOAD_TEMP_DIR


def stored_files(media_root: Path) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


def big_csv(size: int) -> bytes:
    line = b"210100,pm25,2024,2,40\n"
    return b"area_code,indicator_code,year,quarter,value\n" + line * (size // len(line))


def test_the_web_form_drops_a_file_over_the_limit_while_it_streams_in_and_keeps_nothing(
    client, city_officer, media_root, small_limit
):
    client.force_login(city_officer)
    form = {"area": "210100", "year": 2024, "quarter": 2, "file": SimpleUploadedFile("big.csv", big_csv(3 * LIMIT))}
    response = client.post(reverse("upload_new"), form)
    assert response.status_code == 200
    message = "文件超过 98 KB 的上限，已拒收，未保存任何内容：请删除多余的工作表或分批上传。"
    assert response.context["form"].errors["file"] == [message]
    assert message in response.content.decode()
    assert not Upload.objects.exists()
    assert stored_files(media_root) == []
    assert list(small_limit.iterdir()) == []  # the spooled part was deleted too


def test_the_api_answers_413_in_chinese_and_keeps_nothing(client, city_officer, media_root, small_limit):
    client.force_login(city_officer)
    response = client.post(
        "/api/uploads/",
        {"file": SimpleUploadedFile("big.csv", big_csv(2 * LIMIT)), "area": "210100", "year": 2024, "quarter": 2},
    )
    assert response.status_code == 413
    assert "已拒收，未保存任何内容" in response.json()["detail"]
    assert not Upload.objects.exists() and stored_files(media_root) == []
    assert list(small_limit.iterdir()) == []


def test_a_file_just_under_the_limit_is_taken(client, city_officer, media_root, small_limit):
    client.force_login(city_officer)
    data = big_csv(LIMIT - 100)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/api/uploads/", {"file": SimpleUploadedFile("ok.csv", data), "area": "210100", **Q})
    assert Upload.objects.get().size == len(data)


def test_an_identical_file_sent_three_times_is_stored_once(
    client, plan, city_officer, shenyang, filled_template, media_root, submit
):
    data = filled_template(shenyang, **Q)
    uploads = [submit(data, f"copy-{n}.xlsx", user=city_officer, area=shenyang, **Q) for n in range(3)]
    assert [u.status for u in uploads] == [Upload.Status.ACCEPTED, Upload.Status.DUPLICATE, Upload.Status.DUPLICATE]
    files = stored_files(media_root)
    assert len(files) == 1 and files[0].read_bytes() == data
    assert {u.file.name for u in uploads} == {f"uploads/sha256/{uploads[0].sha256[:2]}/{uploads[0].sha256}"}
    client.force_login(city_officer)
    for upload in uploads:  # each still hands back its bytes under its own name
        response = client.get(reverse("upload_file", args=[upload.pk]))
        assert b"".join(response.streaming_content) == data
        assert upload.original_name in response["Content-Disposition"]


def test_a_stored_copy_cut_short_by_a_crash_is_written_again(plan, city_officer, shenyang, media_root, submit):
    data = big_csv(5000)
    first = submit(data, "a.csv", user=city_officer, area=shenyang, **Q)
    path = Path(media_root) / first.file.name
    path.write_bytes(data[:100])  # as if the machine had died while writing it
    again = submit(data, "b.csv", user=city_officer, area=shenyang, **Q)
    assert again.file.name == first.file.name and path.read_bytes() == data


@pytest.fixture
def broken_validation(monkeypatch):
    """A bug in the pipeline (not in the file): validation raises."""

    def fail(*args, **kwargs):
        raise RuntimeError("a bug in the validation code")

    monkeypatch.setattr(services, "validate", fail)


def test_an_internal_failure_is_retried_a_capped_number_of_times_then_failed_and_reported(
    plan, city_officer, shenyang, filled_template, submit, broken_validation, settings, client, admin_user
):
    settings.ADMINS = [("管理员", "admin@example.invalid")]
    upload = submit(filled_template(shenyang, **Q), "t.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.FAILED
    assert upload.attempts == settings.UPLOAD_MAX_ATTEMPTS == 3
    assert upload.get_status_display() == "系统处理失败"
    assert [e["message"] for e in upload.errors] == [FAILED_MESSAGE]
    assert "不是您的文件的问题" in FAILED_MESSAGE
    assert "RuntimeError: a bug in the validation code" in upload.failure
    assert len(mail.outbox) == 1 and f"#{upload.pk}" in mail.outbox[0].subject
    assert not Observation.objects.exists()

    client.force_login(city_officer)
    assert "不是您的文件的问题" in client.get(reverse("upload_detail", args=[upload.pk])).content.decode()
    client.force_login(admin_user)
    listing = client.get(reverse("upload_list")).content.decode()
    assert 'id="failed-uploads"' in listing
    assert client.get(reverse("upload_list"), {"status": "failed"}).context["page"].object_list[0] == upload
    admin_page = client.get("/admin/uploads/upload/", {"status__exact": "failed"})
    assert admin_page.status_code == 200 and "t.xlsx" in admin_page.content.decode()


def test_an_administrator_sends_a_failed_upload_again_once_the_cause_is_fixed(
    plan, city_officer, shenyang, filled_template, submit, monkeypatch
):
    original = services.validate
    monkeypatch.setattr(services, "validate", lambda *a, **k: 1 / 0)
    upload = submit(filled_template(shenyang, **Q), "t.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.FAILED
    monkeypatch.setattr(services, "validate", original)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert process_again([upload.pk]) == 1
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == (Upload.Status.ACCEPTED, 1)


def test_import_upload_exits_non_zero_with_a_clear_message_on_a_system_failure(
    plan, city_officer, filled_template, shenyang, tmp_path, broken_validation
):
    path = tmp_path / "t.xlsx"
    path.write_bytes(filled_template(shenyang, **Q))
    with pytest.raises(CommandError) as failed:
        call_command(
            "import_upload",
            str(path),
            "--area",
            "210100",
            "--year",
            "2024",
            "--quarter",
            "2",
            "--user",
            city_officer.username,
        )
    assert failed.value.returncode == 2
    assert "系统处理失败" in str(failed.value) and "不是文件的问题" in str(failed.value)
    assert Upload.objects.get().status == Upload.Status.FAILED


def test_import_upload_refuses_a_hostile_file_with_exit_code_1(plan, city_officer, tmp_path, capsys):
    from tests.uploads.test_hostile_files import workbook_reaching

    path = tmp_path / "corner.xlsx"
    path.write_bytes(workbook_reaching("XFD1048576"))
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_upload",
            str(path),
            "--area",
            "210100",
            "--year",
            "2024",
            "--quarter",
            "2",
            "--user",
            city_officer.username,
        )
    assert refused.value.returncode == 1
    assert "XFD1048576" in capsys.readouterr().out


def test_the_sweep_takes_back_an_upload_whose_worker_was_lost_and_fails_it_once_attempts_are_spent(
    plan, admin_user, shenyang, submit, settings
):
    data = b"indicator_code,value\npm25,40\n"
    upload = submit(data, "a.csv", user=admin_user, area=shenyang, dry_run=True, **Q)
    lost = timezone.now() - timedelta(seconds=settings.UPLOAD_STUCK_AFTER + 1)
    Upload.objects.filter(pk=upload.pk).update(status="processing", started_at=lost, attempts=1, task_id="gone")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert sweep_stuck_uploads() == 1  # queued again (processed here, in-process)
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == (Upload.Status.PREVIEWED, 2)
    Upload.objects.filter(pk=upload.pk).update(status="processing", started_at=lost, attempts=3)
    sweep_stuck_uploads()
    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED and "3 attempts did not finish" in upload.failure
