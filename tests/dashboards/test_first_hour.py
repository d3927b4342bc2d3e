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
