"""Reading the audit trail: the filters auditors use (person, area, kind, period) and the table an export writes."""

import datetime

import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone

from common.tabular import INTEGER, TIME, Column, Table

from .models import AuditEntry, Kind


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))  # Beijing midnight


def filtered_entries(
    *,
    person: str = "",
    area: str = "",
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    year: int | None = None,
    quarter: int | None = None,
) -> QuerySet:
    entries = AuditEntry.objects.all()
    if person:
        entries = entries.filter(actor_name__icontains=person.strip())
    if area:
        entries = entries.filter(area_code=area)
    if kind:
        entries = entries.filter(kind=kind)
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    if year:
        entries = entries.filter(year=year)
    if quarter:
        entries = entries.filter(quarter=quarter)
    return entries


def areas_in_trail() -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.exclude(area_code="").values_list("area_code", "area_name").distinct().order_by("area_code")
    )


def trail_table(entries: QuerySet) -> Table:
    fields = ["pk", "at", "actor_name", "actor_role", "kind", "area_code", "area_name", "year", "quarter",
              "object_type", "object_id", "summary", "before", "after", "ip_address"]  # fmt: skip
    frame = pd.DataFrame.from_records(list(entries.values_list(*fields)), columns=fields)
    frame["kind"] = frame["kind"].map({value: str(label) for value, label in Kind.choices})
    for side in ("before", "after"):
        frame[side] = frame[side].map(lambda value: "" if value is None else _json(value))
    columns = [
        Column("pk", "编号", INTEGER, 8),
        Column("at", "时间（北京时间）", TIME, 19),
        Column("actor_name", "操作人", width=14),
        Column("actor_role", "角色", width=9),
        Column("kind", "类别", width=14),
        Column("area_code", "区划代码", width=9),
        Column("area_name", "地区", width=10),
        Column("year", "年份", INTEGER, 6),
        Column("quarter", "季度", INTEGER, 6),
        Column("object_type", "对象类型", width=12),
        Column("object_id", "对象编号", width=10),
        Column("summary", "摘要", width=50),
        Column("before", "变更前", width=30),
        Column("after", "变更后", width=30),
        Column("ip_address", "IP 地址", width=14),
    ]
    return Table("审计日志", "审计日志", columns, frame)


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
