"""Fixtures for the dashboards: Progress rows made quickly (synthetic, for query counts and page logic) or through the
real pipeline (demo observations stored as one upload, then the real recompute), and a cache emptied per test."""

import datetime

import numpy as np
import pytest

from progress.choices import Status

STATUSES = Status.values  # achieved, on track, at risk, off track, regressing, overdue, no baseline, no data
WEIGHTS = [0.3, 0.25, 0.15, 0.1, 0.05, 0.1, 0.025, 0.025]
RATIO_OF = {"achieved": 1.05, "on_track": 1.0, "at_risk": 0.75, "off_track": 0.3, "regressing": -0.2, "overdue": 0.8}


@pytest.fixture(autouse=True)
def fresh_cache():
    """Page caches key on progress_version(), which starts again at 1 in every test: start from an empty cache."""
    from django.core.cache import cache

    from dashboards.cache import forget_memo

    cache.clear()
    forget_memo()
    yield
    cache.clear()
    forget_memo()


def reporting_codes(n: int) -> list[str]:
    from demo.generator import REPORTING_UNITS

    return list(REPORTING_UNITS[:n])


@pytest.fixture
def synthetic_progress(plan):
    """make(cities=15, quarters=[...]): Progress rows for every (target, area) the engine would assess, for the
    province and the first `cities` reporting areas (and, with counties=True, their county-level areas), in each
    quarter, with varied statuses. Returns the row count."""

    def make(
        *, cities: int = 15, quarters=((2024, 4), (2025, 1), (2025, 2)), seed: int = 7, counties: bool = False
    ) -> int:
        from django.utils import timezone

        from indicators.models import Area
        from progress.models import Progress
        from progress.services import build_assignments

        keep = set(Area.objects.filter(code__in=[*reporting_codes(cities), "210000"]).values_list("pk", flat=True))
        if counties:  # and the county-level areas of those cities that the plan names
            keep |= set(Area.objects.filter(level="county", parent__in=keep).values_list("pk", flat=True))
        pairs = build_assignments()
        pairs = pairs[pairs["area_id"].isin(keep)][["target_id", "area_id"]].to_numpy()
        rng = np.random.default_rng(seed)
        now = timezone.now()
        rows = []
        for k, (year, quarter) in enumerate(sorted(quarters)):
            share = min(1.0, (4 * (year - 2020) + quarter - 4) / 20)
            picks = rng.choice(len(STATUSES), size=len(pairs), p=WEIGHTS)
            for (target_id, area_id), pick in zip(pairs, picks, strict=True):
                status = STATUSES[pick]
                ratio = RATIO_OF.get(status)
                progress = None if ratio is None else (ratio if status in ("achieved", "overdue") else ratio * share)
                baseline, target = 50.0, 40.0
                actual = None if progress is None else baseline + progress * (target - baseline)
                schedule = None if progress is None else (1.0 if status == "achieved" else max(-1, min(1, ratio)))
                rows.append(
                    Progress(
                        target_id=int(target_id),
                        area_id=int(area_id),
                        year=year,
                        quarter=quarter,
                        actual=actual,
                        actual_year=None if actual is None else year,
                        actual_quarter=None if actual is None else quarter,
                        ytd_value=None if actual is None else actual + 3,  # read for seasonal indicators only
                        yoy_change=None if actual is None else -0.5 - k,
                        baseline=baseline,
                        baseline_source="observed",
                        target_value=target,
                        time_share=share,
                        expected=baseline + share * (target - baseline),
                        progress_ratio=progress,
                        gap=None if actual is None else actual - target,
                        gap_share=None if actual is None else (actual - target) / 10,
                        status=status,
                        projection=None if actual is None else actual - 1 - k,
                        projection_status="likely",
                        sdg_status="moderate",
                        schedule_ratio=schedule,
                        computed_at=now,
                    )
                )
        Progress.objects.bulk_create(rows, batch_size=2000)
        return len(rows)

    return make


@pytest.fixture
def synthetic_values(make_user, plan):
    """make(cities=15, quarters=[...], indicator="pm25"): one accepted upload per city holding its values of the
    indicator for those quarters, each city's upload sent by its own officer. Returns the uploads."""

    def make(*, cities: int = 15, quarters=((2024, 4), (2025, 1), (2025, 2)), indicator: str = "pm25") -> list:
        import pandas as pd

        from indicators.models import Area
        from tests.factories import store_frame

        uploads = []
        for i, area in enumerate(Area.objects.filter(code__in=reporting_codes(cities)).order_by("code")):
            officer = make_user(f"officer-{area.code}", "city", area, first_name="填报员", last_name=area.name[:2])
            frame = pd.DataFrame(
                [(area.code, indicator, y, q, 30.0 + i + q / 10) for y, q in quarters],
                columns=["area_code", "indicator_code", "year", "quarter", "value"],
            )
            uploads.append(store_frame(frame, area=area, uploaded_by=officer, original_name=f"{area.name}.xlsx"))
        return uploads

    return make


@pytest.fixture
def uploader(make_user, plan):
    return make_user("dash-uploader", "admin", is_staff=True)


def store_demo_progress(*, uploader, through=(2025, 4), years=(2020, 2023, 2024, 2025)) -> None:
    """Demo observations for a few years stored as one accepted upload, a quarterly upload per city for the latest
    quarter (one late, one missing), an override, then the real recompute."""
    from django.db import transaction
    from django.utils import timezone

    from demo.generator import demo_observations
    from indicators.models import Area
    from indicators.periods import quarter_end
    from progress.models import StatusOverride
    from progress.services import recompute_progress
    from targets.models import Target
    from tests.factories import AcceptedUploadFactory, store_frame

    frame = demo_observations(through=through)
    with transaction.atomic():
        store_frame(frame[frame["year"].isin(years)], original_name="演示数据.csv", uploaded_by=uploader)
        due = quarter_end(*through)
        for i, area in enumerate(Area.objects.filter(code__in=reporting_codes(15)).order_by("code")):
            if area.code == "210900":
                continue  # 阜新: not in yet
            days = 30 if area.code == "210700" else 5 + i % 7  # 锦州: late
            sent = timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=days), datetime.time(9)))
            AcceptedUploadFactory(
                kind="template",
                area=area,
                year=through[0],
                quarter=through[1],
                original_name=f"{area.name}{through[0]}年第{through[1]}季度.xlsx",
                uploaded_by=uploader,
                created_at=sent,
                rows_total=60,
                warnings=[{"level": "warning", "rule": "big_change", "message": "较上季度变化较大，请核实。", "row": 7}]
                if area.code == "210100"
                else [],
            )
        StatusOverride.objects.create(
            target=Target.objects.get(code="1-02"),
            area=Area.objects.get(code="210100"),
            year=through[0],
            quarter=through[1],
            status="on_track",
            reason="监测站点搬迁，经核定按序时推进。",
            created_by=uploader,
        )
    recompute_progress(through=through)


@pytest.fixture
def demo_progress(uploader):
    store_demo_progress(uploader=uploader)
    return (2025, 4)
