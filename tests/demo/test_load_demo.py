"""load_demo through the real upload pipeline, for a short as-of period: what the database holds afterwards."""

import datetime as dt
import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from demo.mistakes import NOTES
from demo.profiles import PROVINCE, REPORTING_UNITS
from demo.schedule import upload_schedule
from progress.models import Progress
from tests.conftest import _ensure_plan
from uploads.models import Observation, Upload

pytestmark = pytest.mark.slow

AS_OF = (2021, 4)
# The rule each kind of mistake must meet in the real checks.
CAUGHT_BY = {
    "unit_in_cell": ("error", "not_a_number"),
    "wrong_quarter": ("error", "template_mismatch"),
    "share_as_fraction": ("warning", "implausible_change"),
    "wrong_row": ("warning", "implausible_change"),
    "missing_row": ("warning", "missing_indicator"),
}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """One load for the whole module (the pipeline takes a while), rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        out = io.StringIO()
        with transaction.atomic():
            _ensure_plan()  # a transactional test before this module may have emptied the tables
            call_command("load_demo", "--as-of", "2021Q4", stdout=out)
            uploads = list(Upload.objects.select_related("area").order_by("created_at", "pk"))
            notes = list(
                Observation.objects.filter(is_current=True).exclude(note="").select_related("area", "indicator")
            )
            latest_observation = max(Observation.objects.values_list("year", "quarter"))
            latest_progress = max(Progress.objects.values_list("year", "quarter").distinct())
            transaction.set_rollback(True)
    return {
        "output": out.getvalue(),
        "uploads": uploads,
        "notes": notes,
        "latest_observation": latest_observation,
        "latest_progress": latest_progress,
    }


def test_as_of_is_respected(loaded):
    assert loaded["latest_observation"] == AS_OF
    assert loaded["latest_progress"] == AS_OF
    assert {(u.year, u.quarter) for u in loaded["uploads"] if u.year} == {(2021, q) for q in range(1, 5)}


def test_the_log_has_plain_progress_lines_and_the_story(loaded):
    output = loaded["output"]
    assert "\x1b[" not in output  # not a terminal: no live bar, no colours in a log
    assert "上传 uploads" in output and "(100%)" in output
    assert "截至 2021年第4季度" in output and "落后领域" in output


def test_uploads_on_working_days_and_hours_at_spread_times(loaded):
    moments = [timezone.localtime(u.created_at) for u in loaded["uploads"]]
    assert all(m.weekday() < 5 for m in moments)
    assert all(dt.time(8, 30) <= m.time() <= dt.time(17, 30) for m in moments)
    assert len({m.time() for m in moments}) > 0.9 * len(moments)


def test_mistakes_are_caught_and_corrected(loaded):
    by_period = defaultdict(list)
    for upload in loaded["uploads"]:
        if upload.year:
            by_period[(upload.area.code, upload.year, upload.quarter)].append(upload)
    planned = {
        (s.area_code, s.year, s.quarter): s.mistake
        for s in upload_schedule([*REPORTING_UNITS, PROVINCE], AS_OF, 2022)
        if s.mistake
    }
    assert planned
    for key, kind in planned.items():
        first, correction = by_period[key]
        level, rule = CAUGHT_BY[kind]
        issues = first.errors if level == "error" else first.warnings
        assert rule in {issue["rule"] for issue in issues}, (key, kind)
        assert first.status == (Upload.Status.REJECTED if level == "error" else Upload.Status.SUPERSEDED), key
        assert correction.status == Upload.Status.ACCEPTED and correction.created_at > first.created_at
    rejected_then_accepted = {
        key[0]
        for key, files in by_period.items()
        if files[0].status == Upload.Status.REJECTED and files[-1].status == Upload.Status.ACCEPTED
    }
    assert len(rejected_then_accepted) >= 3
    assert all(len(files) == 1 for key, files in by_period.items() if key not in planned)


def test_notes_are_stored_with_the_values(loaded):
    notes = loaded["notes"]
    assert len(notes) >= 5
    assert {n.area.code for n in notes} <= set(REPORTING_UNITS)
    texts = {t for v in NOTES.values() for t in ([v] if isinstance(v, str) else v.values())}
    starts = {t.split("{")[0] for t in texts}
    assert all(any(n.note.startswith(s) for s in starts) for n in notes)
    assert all(NOTES.get(n.indicator.code) for n in notes)


@pytest.mark.django_db
def test_as_of_outside_the_reported_quarters_is_refused(plan):
    with pytest.raises(CommandError):
        call_command("load_demo", "--as-of", "2020Q4", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("load_demo", "--as-of", "2099Q1", stdout=io.StringIO())
