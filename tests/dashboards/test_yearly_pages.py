"""The years of a yearly duty on the pages: 沈阳's city drills (2.5.6-08, ≥ 2 a year) stored as an accepted upload and
recomputed by the real engine, then read as a strip, a year grid and hovers on the city page, the target page, the
heat map and the league table."""

import csv
import io

import pandas as pd
import pytest
from django.urls import reverse

from .test_pages import figures_of

STRIP = "2022 ✓ · 2023 ✗ · 2024 ✓ · 2025 …"
Q2 = {"quarter": "2025Q2"}


@pytest.fixture
def shenyang_drills(uploader):
    from progress.services import recompute_progress
    from tests.factories import store_frame

    drills = [("210100", "city_env_emergency_drills", year, 4, n) for year, n in ((2022, 2), (2023, 1), (2024, 3))]
    store_frame(pd.DataFrame(drills, columns=["area_code", "indicator_code", "year", "quarter", "value"]))
    recompute_progress(through=(2025, 4))


@pytest.fixture
def province_client(client, province_user):
    client.force_login(province_user)
    return client


def test_the_city_page_shows_each_year_of_its_drills(province_client, shenyang_drills):
    html = province_client.get(reverse("dash_city", args=["210100"]), {**Q2, "target": "2.5.6-08"}).content.decode()
    years = figures_of(html)["chart-years-data"]["data"][0]
    row = next(i for i, name in enumerate(years["y"]) if name.startswith("2.5.6-08"))
    assert years["x"] == ["2022", "2023", "2024", "2025"]
    assert years["text"][row] == ["✓ 2", "✗ 1", "✓ 3", "…"]
    assert "2023年：未完成" in years["hovertext"][row][1] and "目标值：2" in years["hovertext"][row][1]
    assert "本年无报送" in years["hovertext"][row][3] and "序时进度值：1" in years["hovertext"][row][3]
    assert f"逐年：{STRIP}" in html  # the progress bars' hover and the status tips
    assert "未完成的年份：2023" in html and "已完成 2 年，共到期 3 年" in html
    progress = province_client.get(reverse("dash_city", args=["210100"]), {**Q2, "export": "progress"})
    rows = {r["编号"]: r for r in csv.DictReader(io.StringIO(progress.content.decode("utf-8-sig")))}
    assert rows["2.5.6-08"]["逐年完成情况"] == STRIP
    assert rows["1-02"]["逐年完成情况"] == ""


def test_the_target_page_shows_every_areas_years_and_the_heat_map_the_strip(province_client, shenyang_drills):
    html = province_client.get(reverse("dash_target", args=["2.5.6-08"]), Q2).content.decode()
    assert "≥ 2 次（每年）（2022—2025年）" in html
    years = figures_of(html)["chart-years-data"]["data"][0]
    assert years["y"][0] == "全省"
    assert years["text"][years["y"].index("沈阳市")] == ["✓ 2", "✗ 1", "✓ 3", "…"]
    assert years["text"][years["y"].index("大连市")] == ["–", "–", "–", "…"]  # nothing reported: every year unreported
    heatmap = figures_of(province_client.get(reverse("dash_overview"), Q2).content.decode())["chart-heatmap-data"]
    heat = heatmap["data"][0]
    tip = heat["hovertext"][heat["y"].index("沈阳市")][heat["x"].index("2.5.6-08")]
    assert f"逐年：{STRIP}" in tip and "状态：明显滞后" in tip


def test_the_league_counts_the_missed_year_against_the_city(province_client, shenyang_drills):
    response = province_client.get(reverse("dash_league"), {**Q2, "export": "league"})
    rows = {r["城市"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows["沈阳市"]["每年任务未完成年次"] == "1"
    assert rows["大连市"]["每年任务未完成年次"] == "0"  # never reported: no data, not a missed year
    one = province_client.get(reverse("dash_league"), {**Q2, "target": "2.5.6-08", "export": "league"})
    ranked = list(csv.DictReader(io.StringIO(one.content.decode("utf-8-sig"))))
    shenyang = next(r for r in ranked if r["城市"] == "沈阳市")
    assert (shenyang["状态"].split()[-1], shenyang["序时完成比"], shenyang["逐年完成情况"]) == (
        "明显滞后",
        "0.62",
        STRIP,
    )


def test_in_english_the_years_read_in_english(province_client, shenyang_drills):
    province_client.cookies["django_language"] = "en"
    html = province_client.get(reverse("dash_target", args=["2.5.6-08"]), Q2).content.decode()
    assert "≥ 2 times (every year)" in html and "Year by year (province)" in html
    years = figures_of(html)["chart-years-data"]["data"][0]
    tip = years["hovertext"][years["y"].index("Shenyang")][1]
    assert tip.startswith("Shenyang\n2023: Missed") and "Due: 2023-12-31" in tip
    assert years["colorbar"]["ticktext"] == ["– Not reported", "✗ Missed", "… Not due", "✓ Met"]
