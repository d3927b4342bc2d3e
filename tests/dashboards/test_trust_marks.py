"""Figures resting on a quarter the province has not approved carry ※ on the pages (tables, hovers, the map's labels),
with a legend line; approving the quarter takes the mark away. 沈阳's and 大连's PM2.5 are stored and recomputed by
the real engine, then 沈阳's 2024 Q4 is submitted and approved through the approval service."""

import csv
import io

import pandas as pd
import pytest
from django.urls import reverse

from .test_pages import figures_of

MARK, LEGEND = "※", "※ 数据尚未经省级审核"
Q4 = {"quarter": "2024Q4"}


@pytest.fixture
def two_cities(uploader, shenyang, dalian):
    from progress.services import recompute_progress
    from tests.factories import store_frame

    for area, base, now in ((shenyang, 50.0, 40.0), (dalian, 45.0, 30.0)):
        rows = [(area.code, "pm25", 2020, 4, base), (area.code, "pm25", 2024, 4, now)]
        frame = pd.DataFrame(rows, columns=["area_code", "indicator_code", "year", "quarter", "value"])
        store_frame(frame, area=area, uploaded_by=uploader, year=2024, quarter=4)
    recompute_progress(through=(2024, 4))


@pytest.fixture
def shenyang_approved(two_cities, uploader, province_user, shenyang):
    from uploads.approval import approve_quarter, submit_quarter

    submit_quarter(area=shenyang, year=2024, quarter=4, user=uploader)
    approve_quarter(area=shenyang, year=2024, quarter=4, user=province_user)


@pytest.fixture
def province_client(client, province_user):
    client.force_login(province_user)
    return client


def csv_rows(client, url, params, chart):
    response = client.get(url, {**params, "export": chart})
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_city_page_marks_the_unapproved_city_only(province_client, two_cities):
    url = reverse("dash_city", args=["210200"])
    html = province_client.get(url, {**Q4, "target": "1-02"}).content.decode()
    assert LEGEND in html
    bars = figures_of(html)["chart-progress-data"]["data"][0]
    pm25 = next(tip for tip in bars["hovertext"] if tip.startswith("1-02"))
    assert f"实际值：30{MARK} 微克/立方米" in pm25 and LEGEND in pm25
    rows = {r["编号"]: r for r in csv_rows(province_client, url, Q4, "progress")}
    assert rows["1-02"]["实际值"] == f"30{MARK}"


def test_approving_one_city_takes_its_marks_away_and_leaves_the_others(province_client, shenyang_approved):
    shenyang = province_client.get(reverse("dash_city", args=["210100"]), {**Q4, "target": "1-02"}).content.decode()
    assert LEGEND not in shenyang
    tips = figures_of(shenyang)["chart-progress-data"]["data"][0]["hovertext"]
    assert "实际值：40 微克/立方米" in next(t for t in tips if t.startswith("1-02"))
    assert not any(LEGEND in t for t in tips)
    rows = {r["编号"]: r for r in csv_rows(province_client, reverse("dash_city", args=["210100"]), Q4, "progress")}
    assert rows["1-02"]["实际值"] == "40"

    dalian = province_client.get(reverse("dash_city", args=["210200"]), Q4).content.decode()
    assert LEGEND in dalian

    # The target page's per-area table and hover.
    target = reverse("dash_target", args=["1-02"])
    gaps = {r["地区"]: r for r in csv_rows(province_client, target, Q4, "gaps")}
    assert (gaps["沈阳市"]["实际值"], gaps["大连市"]["实际值"]) == ("40", f"30{MARK}")
    bars = figures_of(province_client.get(target, Q4).content.decode())["chart-gaps-data"]["data"][0]
    hovers = dict(zip([label.split(" ")[1] for label in bars["y"]], bars["hovertext"], strict=True))
    assert MARK not in hovers["沈阳市"] and f"30{MARK}" in hovers["大连市"]

    # The league on one target and the map's hover and label.
    league = csv_rows(province_client, reverse("dash_league"), {**Q4, "target": "1-02"}, "league")
    actual = {r["城市"]: r["实际值"] for r in league}
    assert (actual["沈阳市"], actual["大连市"]) == ("40", f"30{MARK}")
    html = province_client.get(reverse("dash_map"), {**Q4, "indicator": "pm25"}).content.decode()
    assert LEGEND in html
    shapes = figures_of(html)["chart-map-data"]["data"]
    texts = [t for trace in shapes for t in (trace.get("text") or []) if isinstance(t, str)]
    assert any(t.startswith("沈阳") and t.endswith("40") for t in texts)
    assert any(t.startswith("大连") and t.endswith(f"30{MARK}") for t in texts)


def test_an_approval_refreshes_pages_already_cached(
    province_client, two_cities, uploader, province_user, shenyang, django_capture_on_commit_callbacks
):
    from uploads.approval import approve_quarter, submit_quarter

    url = reverse("dash_target", args=["1-02"])
    assert csv_rows(province_client, url, Q4, "gaps")[0]["实际值"].endswith(MARK)  # cached, every city unapproved
    with django_capture_on_commit_callbacks(execute=True):
        submit_quarter(area=shenyang, year=2024, quarter=4, user=uploader)
        approve_quarter(area=shenyang, year=2024, quarter=4, user=province_user)
    gaps = {r["地区"]: r["实际值"] for r in csv_rows(province_client, url, Q4, "gaps")}
    assert gaps["沈阳市"] == "40"


def test_in_english_the_legend_reads_in_english(province_client, two_cities):
    from django.conf import settings

    province_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = province_client.get(reverse("dash_city", args=["210200"]), Q4).content.decode()
    assert "※ not yet approved by the province" in html
