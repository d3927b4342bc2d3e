"""Loads the demo's quarterly data through the real upload pipeline, as the people would have sent it.

2020, the baseline year, arrives as one provincial back-fill in the long format; from 2021 every city's officer
uploads the quarterly template for each quarter up to the "as of" quarter, on working days near the deadline (some
early, one or two late), a dozen first attempts with a mistake the checks catch, each followed by its correction, a
few values with a note explaining a lag, and the latest quarter still missing for one city (demo.schedule). Values
come from demo.generator.
"""

import io
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile

from accounts.models import User
from indicators.models import Area, Indicator
from indicators.periods import BASELINE_YEAR, latest_closed_quarter, previous_quarter, quarters_between
from uploads.models import Observation, Upload
from uploads.selectors import template_rows
from uploads.services import process_upload, receive_upload
from uploads.workbooks import VALUE_COLUMN, build_template

from .generator import DEFAULT_AS_OF, SEED, generate
from .mistakes import EDITS, pick_notes
from .profiles import rng_for
from .schedule import REJECTED, Sending, baseline_moment, upload_schedule

DATA_ROW = 4
NOTE_COLUMN = VALUE_COLUMN + 1


@dataclass
class DemoReport:
    uploads: int
    accepted: int
    rejected: int
    superseded: int
    late: int
    notes: int
    observations: int
    seconds: float


def _officer(area: Area) -> User:
    """The city's officer of record: a real account that owns the uploads, without a usable password."""
    if area.code == "210100":
        return User.objects.get(username="demo-shenyang")
    user, created = User.objects.get_or_create(
        username=f"officer-{area.code}",
        defaults={"role": User.Role.CITY, "area": area, "last_name": f"{area.name}填报员"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _filled_template(area: Area, year: int, quarter: int, values: dict, notes: dict | None = None) -> bytes:
    rows = template_rows(area, year, quarter)
    workbook = openpyxl.load_workbook(
        io.BytesIO(build_template(area_code=area.code, area_name=area.name, year=year, quarter=quarter, rows=rows))
    )
    sheet = workbook["填报表"]
    for offset, row in enumerate(rows):
        key = (row.area_code, row.indicator_code)
        sheet.cell(row=DATA_ROW + offset, column=VALUE_COLUMN, value=values.get(key))
        if notes and key in notes:
            sheet.cell(row=DATA_ROW + offset, column=NOTE_COLUMN, value=notes[key])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _send(data: bytes, name: str, *, user, sent_at, area=None, year=None, quarter=None) -> Upload:
    upload = receive_upload(
        file=ContentFile(data, name=name), user=user, area=area, year=year, quarter=quarter, queue=False
    )
    process_upload(upload.pk, recompute=False)  # one full recompute at the end instead of one per upload
    Upload.objects.filter(pk=upload.pk).update(created_at=sent_at, started_at=sent_at, finished_at=sent_at)
    upload.refresh_from_db()
    return upload


def check_as_of(as_of: tuple[int, int]) -> None:
    latest = latest_closed_quarter()
    if not (BASELINE_YEAR + 1, 1) <= as_of <= latest:
        raise ImproperlyConfigured(
            f"演示数据的截止季度应在 {BASELINE_YEAR + 1}年第1季度 与 {latest[0]}年第{latest[1]}季度 之间 "
            f"(as-of must lie between {BASELINE_YEAR + 1}Q1 and {latest[0]}Q{latest[1]})。"
        )


class _Files:
    """The file each Sending stands for, built from the generated values."""

    def __init__(self, frame, notes, seed):
        later = frame[frame["year"] > BASELINE_YEAR]
        self.values = {
            (year, quarter): dict(
                zip(zip(group["area_code"], group["indicator_code"], strict=True), group["value"], strict=True)
            )
            for (year, quarter), group in later.groupby(["year", "quarter"])
        }
        self.notes = notes
        self.seed = seed
        self.indicators = {i.code: i for i in Indicator.objects.all()}

    def build(self, sending: Sending, area: Area) -> bytes:
        year, quarter = sending.year, sending.quarter
        if sending.mistake == "wrong_quarter":  # last quarter's file, picked by mistake
            year, quarter = previous_quarter(year, quarter)
        values = self.values.get((year, quarter), {})
        notes = {(a, i): text for (a, i, y, q), text in self.notes.items() if (y, q) == (year, quarter)}
        if sending.mistake in EDITS:
            rng = rng_for(self.seed, "mistake", area.code, str(year), str(quarter))
            rows = template_rows(area, year, quarter)
            values = EDITS[sending.mistake](rows, values, self.indicators, area.code, rng)
        return _filled_template(area, year, quarter, values, notes)


def load_demo(
    *,
    as_of: tuple[int, int] = DEFAULT_AS_OF,
    seed: int = SEED,
    on_upload: Callable[[int, int, Upload], None] | None = None,
) -> DemoReport:
    """Send every demo file through the real pipeline; `on_upload(done, total, upload)` after each one."""
    started = time.perf_counter()
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demo data is only loaded with DEMO_MODE=1.")
    if Upload.objects.exists():
        raise ImproperlyConfigured("The database already holds uploads: demo data goes into an empty one.")
    check_as_of(as_of)
    data = generate(through=as_of, seed=seed)
    frame = data.observations
    province = Area.objects.province()
    areas = {area.code: area for area in [*Area.objects.reporting(), province]}
    sendings = upload_schedule(list(areas), as_of, seed)
    notes = pick_notes(data.series, quarters_between((BASELINE_YEAR + 1, 1), as_of), seed)
    files = _Files(frame, notes, seed)
    admin = User.objects.get(username="demo-admin")
    total = len(sendings) + 1

    baseline = frame[frame["year"] == BASELINE_YEAR][["area_code", "indicator_code", "year", "quarter", "value"]]
    sent = [
        _send(
            baseline.to_csv(index=False).encode("utf-8-sig"),
            f"{BASELINE_YEAR}年基准数据回填.csv",
            user=admin,
            sent_at=baseline_moment(),
        )
    ]
    if on_upload:
        on_upload(1, total, sent[0])
    for sending in sendings:
        area = areas[sending.area_code]
        upload = _send(
            files.build(sending, area),
            f"{area.name}{sending.year}年第{sending.quarter}季度.xlsx",
            user=admin if area == province else _officer(area),
            area=area,
            year=sending.year,
            quarter=sending.quarter,
            sent_at=sending.at,
        )
        if sending.mistake in REJECTED and upload.status != Upload.Status.REJECTED:
            raise RuntimeError(f"demo mistake {sending.mistake} was not caught: upload {upload.pk}")
        sent.append(upload)
        if on_upload:
            on_upload(len(sent), total, upload)

    counts = Counter(Upload.objects.values_list("status", flat=True))  # the database held none before
    return DemoReport(
        uploads=len(sent),
        accepted=counts[Upload.Status.ACCEPTED],
        rejected=counts[Upload.Status.REJECTED],
        superseded=counts[Upload.Status.SUPERSEDED],
        late=sum(s.late for s in sendings),
        notes=Observation.objects.filter(is_current=True).exclude(note="").count(),
        observations=Observation.objects.filter(is_current=True).count(),
        seconds=time.perf_counter() - started,
    )
