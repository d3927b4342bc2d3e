"""API test data: observations stored as accepted uploads (one per city, through the storage layer) and Progress rows
for the first `cities` reporting areas, made directly: fast, and enough to count queries at two sizes."""

import pandas as pd
import pytest

QUARTERS = [(2024, 3), (2024, 4), (2025, 1)]


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Request counts live in the cache; each test starts from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_data(plan, admin_user):
    """make(cities=n): for each of the first n reporting areas, an upload of two indicators over QUARTERS and the
    Progress rows of a few targets; returns the uploads by area code."""

    def make(*, cities: int = 2) -> dict:
        from django.db import transaction
        from django.utils import timezone

        from demo.generator import REPORTING_UNITS
        from indicators.models import Area
        from progress.models import Progress
        from targets.models import Target
        from tests.factories import store_frame

        codes = REPORTING_UNITS[:cities]
        areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
        targets = list(Target.objects.order_by("order")[:5])
        uploads, rows = {}, []
        for code in codes:
            frame = pd.DataFrame(
                [
                    {"area_code": code, "indicator_code": indicator, "year": y, "quarter": q, "value": 80.0 + q}
                    for indicator in ("pm25", "good_air_days_ratio")
                    for y, q in QUARTERS
                ]
            )
            with transaction.atomic():  # as the upload service stores (PostgreSQL's COPY goes through a temp table)
                uploads[code] = store_frame(
                    frame, kind="template", area=areas[code], year=2025, quarter=1, uploaded_by=admin_user
                )
            for target in targets:
                for y, q in QUARTERS:
                    rows.append(
                        Progress(
                            target=target,
                            area=areas[code],
                            year=y,
                            quarter=q,
                            actual=35.0,
                            baseline=44.0,
                            baseline_source="observed",
                            target_value=34.0,
                            status="on_track" if q % 2 else "at_risk",
                            projection_status="likely",
                            sdg_status="moderate",
                            computed_at=timezone.now(),
                        )
                    )
        Progress.objects.bulk_create(rows)
        return uploads

    return make


@pytest.fixture
def other_officer(make_user, dalian):
    return make_user("officer-dl", "city", dalian)
