"""Uploads and observations moved from `indicators` to `uploads` (uploads 0001, indicators 0004, progress 0003): a
database made before the move keeps every upload, stored file and observation."""

import hashlib

import pytest

pytestmark = pytest.mark.postgres  # also run on PostgreSQL by `make test` (bin/test-postgres-only)

BEFORE = [
    ("indicators", "0003_lean_indexes"),
    ("accounts", "0001_initial"),
    ("targets", "0001_initial"),
    ("progress", "0002_lean_indexes"),
]
AFTER = [
    ("indicators", "0004_uploads_moved_out"),
    ("uploads", "0001_initial"),
    ("progress", "0003_observations_in_uploads"),
]


def _old_data(apps, media_root):
    """What the code before the move would hold: two uploads of one city-quarter, the first superseded by the
    second, and their files on disk."""
    Area = apps.get_model("indicators", "Area")
    Indicator = apps.get_model("indicators", "Indicator")
    Upload = apps.get_model("indicators", "Upload")
    Observation = apps.get_model("indicators", "Observation")
    User = apps.get_model("accounts", "User")
    province = Area.objects.create(code="210000", name="辽宁省", level="province")
    city = Area.objects.create(code="210100", name="沈阳市", level="city", parent=province)
    pm25 = Indicator.objects.create(
        code="pm25",
        name="PM2.5",
        unit="微克/立方米",
        kind="level",
        direction="lower",
        min_value=0,
        max_value=500,
        aggregation="mean",
        reported_by="city",
    )
    officer = User.objects.create(username="officer", role="city", area=city)
    uploads = []
    for n, value in enumerate((41.0, 39.5), start=1):
        data = f"area_code,indicator_code,year,quarter,value\n210100,pm25,2024,4,{value}\n".encode()
        sha = hashlib.sha256(data).hexdigest()
        path = f"uploads/2025/01/{sha}.csv"
        (media_root / "uploads/2025/01").mkdir(parents=True, exist_ok=True)
        (media_root / path).write_bytes(data)
        uploads.append(
            Upload.objects.create(
                area=city,
                year=2024,
                quarter=4,
                file=path,
                original_name=f"沈阳{n}.csv",
                extension=".csv",
                size=len(data),
                sha256=sha,
                uploaded_by=officer,
                status="accepted",
                rows_total=1,
            )
        )
    first = Observation.objects.create(
        area=city,
        indicator=pm25,
        year=2024,
        quarter=4,
        value=41.0,
        upload=uploads[0],
        is_current=False,
        superseded_by=uploads[1],
    )
    current = Observation.objects.create(
        area=city, indicator=pm25, year=2024, quarter=4, value=39.5, upload=uploads[1], note="监测站点调整"
    )
    return uploads, first, current


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_every_upload_file_and_observation(migrator, media_root):
    old = migrator.apply_initial_migration(BEFORE)
    uploads, first, current = _old_data(old.apps, media_root)

    new = migrator.apply_tested_migration(AFTER)
    Upload = new.apps.get_model("uploads", "Upload")
    Observation = new.apps.get_model("uploads", "Observation")
    assert sorted(Upload.objects.values_list("pk", "original_name", "sha256", "status")) == sorted(
        (u.pk, u.original_name, u.sha256, u.status) for u in uploads
    )
    for upload in Upload.objects.all():
        with open(media_root / upload.file.name, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == upload.sha256
    kept = {o.pk: o for o in Observation.objects.all()}
    assert set(kept) == {first.pk, current.pk}
    assert (kept[first.pk].is_current, kept[first.pk].superseded_by_id) == (False, uploads[1].pk)
    assert (kept[current.pk].value, kept[current.pk].note, kept[current.pk].upload_id) == (
        39.5,
        "监测站点调整",
        uploads[1].pk,
    )
    # The one-current-value rule still holds on the moved table.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            area_id=current.area_id,
            indicator_id=current.indicator_id,
            year=2024,
            quarter=4,
            value=1.0,
            upload_id=uploads[0].pk,
        )
