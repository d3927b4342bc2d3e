"""What a new reader meets first: projections held to the valid range and said so, league ties broken and marked,
the pages opening on the latest quarter of the plan period."""

import pytest
from django.urls import reverse

from progress.models import Progress


@pytest.fixture
def province_client(client, province_user):
    client.force_login(province_user)
    return client


def test_a_projection_held_at_the_ceiling_says_so_in_the_table_and_the_hover(province_client, synthetic_progress):
    synthetic_progress(quarters=[(2024, 4), (2025, 1)])
    held = Progress.objects.filter(target__code="1-03", area__code="210100", year=2025, quarter=1)
    assert held.update(projection=100.0, projection_clipped=True) == 1
    html = province_client.get(reverse("dash_city", args=["210100"]), {"target": "1-03"}).content.decode()
    assert "100（已截至有效范围上限）" in html  # the series table
    assert "预测值已截至有效范围上限 100" in html  # the hover of the status, in the table and the chart
    province_client.cookies["django_language"] = "en"
    english = province_client.get(reverse("dash_city", args=["210100"]), {"target": "1-03"}).content.decode()
    assert "Projection held at the upper bound of the valid range, 100" in english


def test_the_league_breaks_equal_scores_by_progress_then_gap_and_marks_the_places_still_shared(
    province_client, synthetic_progress
):
    from tests.dashboards.conftest import reporting_codes

    synthetic_progress(cities=5, quarters=[(2025, 1)])
    codes = reporting_codes(5)
    cities = Progress.objects.filter(area__code__in=codes)
    cities.update(status="achieved", schedule_ratio=1.0, progress_ratio=1.0, gap_share=-0.1)
    cities.filter(area__code=codes[3]).update(gap_share=-0.5)  # furthest beyond its targets: first
    cities.filter(area__code=codes[4]).update(progress_ratio=0.9)  # equal score, less of the distance: last
    html = province_client.get(reverse("dash_league")).content.decode()
    table = html[html.index("<tbody>") :]
    places = [table.index(f">{place}</td>") for place in ("1", "2 并列", "5")]
    assert places == sorted(places)
    assert table.count(">2 并列</td>") == 3 and ">3</td>" not in table and ">4</td>" not in table
    assert "（并列）" in html  # on the bars' labels too
    province_client.cookies["django_language"] = "en"
    assert ">2 tied</td>" in province_client.get(reverse("dash_league")).content.decode()


def test_the_pages_open_on_the_latest_quarter_of_the_plan_period_and_say_when_it_has_ended(
    province_client, synthetic_progress
):
    synthetic_progress(cities=3, quarters=[(2025, 3), (2025, 4), (2026, 1)])
    html = province_client.get(reverse("dash_overview")).content.decode()
    assert '<option value="2025Q4" selected>' in html  # the plan's 2025 targets: its period ends with 2025 Q4
    assert '<option value="2026Q1">' in html and 'rel="next"' in html  # the later quarter one click away
    assert "规划期已结束" not in html
    after = province_client.get(reverse("dash_league"), {"quarter": "2026Q1"}).content.decode()
    assert "规划期已结束 · 终期评估" in after
    assert 'href="/dashboard/league/?quarter=2025Q4"' not in after  # the plan's end is the default: no parameter
    assert '<a href="/dashboard/league/">查看规划期末（2025年第4季度）</a>' in after
    province_client.cookies["django_language"] = "en"
    english = province_client.get(reverse("dash_overview"), {"quarter": "2026Q1"}).content.decode()
    assert "Plan period ended · final assessment" in english


def test_the_pages_open_on_the_latest_quarter_a_value_comes_from(province_client, synthetic_progress):
    synthetic_progress(cities=3, quarters=[(2024, 4), (2025, 1), (2025, 2)])
    # The grid reaches 2025 Q2, but nothing was reported after 2025 Q1: its values are carried forward.
    Progress.objects.filter(year=2025, quarter=2).exclude(actual_year=None).update(actual_year=2025, actual_quarter=1)
    html = province_client.get(reverse("dash_overview")).content.decode()
    assert '<option value="2025Q1" selected>' in html and '<option value="2025Q2">' in html


def test_the_report_form_opens_on_the_quarter_the_dashboards_open_on(client, auditor, synthetic_progress):
    synthetic_progress(cities=3, quarters=[(2025, 3), (2025, 4), (2026, 1)])
    client.force_login(auditor)
    html = client.get(reverse("report_index")).content.decode()
    assert '<option value="2025" selected>' in html and '<option value="4" selected>' in html  # not 2026 Q1 or later
    # Nothing reported after 2025 Q2 (values carried forward): the report opens there, like the pages.
    Progress.objects.exclude(actual_year=None).update(actual_year=2025, actual_quarter=2)
    html = client.get(reverse("report_index")).content.decode()
    assert '<option value="2025" selected>' in html and '<option value="2" selected>' in html
