"""Loads the demo's believable quarterly data through the real upload pipeline, as the people would have sent it.

2020, the baseline year, arrives as one provincial back-fill in the long format; from 2021 every city's officer
uploads the quarterly template for each quarter (some on time, some late, one upload rejected and corrected, the
latest quarter still missing for one city), and the province its own figures. Values come from
demo.generator.demo_observations.
"""

import datetime
import io
from dataclasses import dataclass

import openpyxl
import pandas as pd
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from indicators.models import Area
from indicators.periods import BASELINE_YEAR, latest_closed_quarter, quarter_end, quarters_between
from uploads.models import Observation, Upload
from uploads.selectors import template_rows
from uploads.services import process_upload, receive_upload
from uploads.workbooks import VALUE_COLUMN, build_template

from .generator import demo_observations

LATE_CITY = "210900"  # 阜新市: late now and then, and the latest quarter not yet in
CORRECTED_CITY = "210700"  # 锦州市: one upload rejected, then corrected
DATA_ROW = 4


@dataclass
class DemoReport:
    uploads: int
    accepted: int
    rejected: int
    observations: int


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


def _filled_template(area: Area, year: int, quarter: int, values: dict[tuple[str, str], float]) -> bytes:
    rows = template_rows(area, year, quarter)
    workbook = openpyxl.load_workbook(
        io.BytesIO(build_template(area_code=area.code, area_name=area.name, year=year, quarter=quarter, rows=rows))
    )
    sheet = workbook["填报表"]
    for offset, row in enumerate(rows):
        value = values.get((row.area_code, row.indicator_code))
        if value is not None:
            sheet.cell(row=DATA_ROW + offset, column=VALUE_COLUMN, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _send(data: bytes, name: str, *, user, area=None, year=None, quarter=None, sent_at=None) -> Upload:
    upload = receive_upload(
        file=ContentFile(data, name=name), user=user, area=area, year=year, quarter=quarter, queue=False
    )
    process_upload(upload.pk, recompute=False)  # one full recompute at the end instead of one per upload
    if sent_at is not None:
        Upload.objects.filter(pk=upload.pk).update(created_at=sent_at, finished_at=sent_at)
    upload.refresh_from_db()
    return upload


def _sent_at(area_code: str, year: int, quarter: int) -> datetime.datetime:
    """Most cities upload within the 15 days allowed; 阜新 is late every third quarter."""
    days = 5 + (int(area_code[2:4]) * 7 + year + quarter) % 9
    if area_code == LATE_CITY and (year + quarter) % 3 == 0:
        days = settings.UPLOAD_DEADLINE_DAYS + 12
    moment = datetime.datetime.combine(quarter_end(year, quarter) + datetime.timedelta(days=days), datetime.time(10))
    return timezone.make_aware(moment)


def load_demo(*, through: tuple[int, int] | None = None) -> DemoReport:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demo data is only loaded with DEMO_MODE=1.")
    if Upload.objects.exists():
        raise ImproperlyConfigured("The database already holds uploads: demo data goes into an empty one.")
    through = through or latest_closed_quarter()
    frame = demo_observations(through=through)
    admin = User.objects.get(username="demo-admin")
    sent = []

    baseline = frame[frame["year"] == BASELINE_YEAR]
    csv = baseline[["area_code", "indicator_code", "year", "quarter", "value"]].to_csv(index=False)
    sent.append(
        _send(
            csv.encode("utf-8-sig"),
            f"{BASELINE_YEAR}年基准数据回填.csv",
            user=admin,
            sent_at=timezone.make_aware(datetime.datetime(2021, 3, 1, 9)),
        )
    )

    values = {
        (year, quarter): dict(
            zip(zip(group["area_code"], group["indicator_code"], strict=True), group["value"], strict=True)
        )
        for (year, quarter), group in frame[frame["year"] > BASELINE_YEAR].groupby(["year", "quarter"])
    }
    province = Area.objects.province()
    units = [*Area.objects.reporting(), province]
    for year, quarter in quarters_between((BASELINE_YEAR + 1, 1), through):
        quarter_values = values.get((year, quarter), {})
        for area in units:
            if area.code == LATE_CITY and (year, quarter) == through:
                continue  # not in yet
            user = admin if area == province else _officer(area)
            name = f"{area.name}{year}年第{quarter}季度.xlsx"
            if area.code == CORRECTED_CITY and (year, quarter) == (through[0] - 1, 2):
                wrong = {**quarter_values, (area.code, "pm25"): "约38"}  # typed with a word: rejected
                sent.append(
                    _send(
                        _filled_template(area, year, quarter, wrong),
                        name,
                        user=user,
                        area=area,
                        year=year,
                        quarter=quarter,
                        sent_at=_sent_at(area.code, year, quarter),
                    )
                )
            sent.append(
                _send(
                    _filled_template(area, year, quarter, quarter_values),
                    name,
                    user=user,
                    area=area,
                    year=year,
                    quarter=quarter,
                    sent_at=_sent_at(area.code, year, quarter) + datetime.timedelta(hours=3),
                )
            )
    statuses = pd.Series([u.status for u in sent])
    return DemoReport(
        uploads=len(sent),
        accepted=int((statuses == Upload.Status.ACCEPTED).sum()),
        rejected=int((statuses == Upload.Status.REJECTED).sum()),
        observations=Observation.objects.filter(is_current=True).count(),
    )
