"""What a new city officer meets in the first hour: the template shows the city's own targets and each deadline once,
counts take whole numbers, a quarter not yet over is said once (and on the template), and a dry run lists every value
it would change, from what to what."""

import datetime
import io

import openpyxl
import pytest
from django.test import TestCase
from django.urls import reverse

from indicators.models import Area
from indicators.units import counts_whole
from targets.models import Target, TargetAreaValue
from tests.dashboards.conftest import fresh_cache  # noqa: F401 (autouse: page caches start empty)
from tests.uploads.conftest import row_of
from uploads.models import Upload
from uploads.selectors import template_rows
from uploads.services import confirm_upload
from uploads.workbooks import VALUE_COLUMN

pytestmark = pytest.mark.postgres

Q = dict(year=2024, quarter=2)
VALUE_HEADER = "本季度值（1—6月累计）"


@pytest.fixture
def summer_2024(monkeypatch):
    """Today is 1 August 2024: 2024 Q2 has ended, Q3 has not."""
    monkeypatch.setattr("indicators.periods.today", lambda: datetime.date(2024, 8, 1))


def texts(area, **period):
    return {r.indicator_code: r.target_text for r in template_rows(area, **(period or Q))}


# --- item 3: the template's targets --------------------------------------------------------------------------------


def test_a_citys_row_shows_its_own_share_not_the_provinces_total(plan, shenyang, dalian):
    target = Target.objects.get(code="ZL1-5-01")  # 220 straw-burning surveillance points, the province's total
    TargetAreaValue.objects.create(target=target, area=shenyang, value=25)
    mine = texts(shenyang)["straw_burning_monitoring_points"]
    assert mine == "≥25（2025年）" and "220" not in mine
    # 大连 has no share of its own: its row says the 220 is the province's and that its count adds to it
    theirs = texts(dalian)["straw_burning_monitoring_points"]
    assert theirs.startswith("全省合计≥220") and "本市填报数计入全省合计" in theirs


def test_a_provincial_total_is_said_to_be_the_provinces(plan, shenyang):
    tailings = texts(shenyang)["abandoned_tailings_ponds_treated"]
    assert tailings.startswith("全省合计≥182（2023年）") and "方案未分解到市" in tailings
    assert texts(shenyang)["pm25"] == "≤34（2025年）"  # a level every city is judged by stays as it is


def test_a_city_without_a_value_of_its_own_gets_the_common_one(plan, shenyang, dalian):
    anshan = Area.objects.get(code="210300")  # 污水资源化利用率: every city 25 %, 沈阳 30, 大连 40
    assert [texts(a)["wastewater_reuse_rate"] for a in (shenyang, dalian, anshan)] == [
        ">30（2025年）",
        ">40（2025年）",
        ">25（2025年）",
    ]


def test_each_deadline_and_each_figure_once(plan, shenyang):
    for code, text in texts(shenyang).items():
        parts = text.split("；")
        assert len(parts) == len(set(parts)), (code, text)
    assert texts(shenyang)["coal_boiler_35t_elimination_completion"] == "2025-12-31前完成"
    rows = template_rows(Target.objects.get(code="2.3.2-03").area_values.first().area, **Q)
    repeated = [r.target_text for r in rows if r.indicator_code == "county_black_odorous_elimination_completion"]
    assert repeated and all(t.count("2025-12-31前完成") <= 1 for t in repeated)


# --- item 4: validation ---------------------------------------------------------------------------------------------


def test_the_whole_number_rule_reads_the_unit():
    assert all(counts_whole(unit) for unit in ("家", "台", "个", "座", "处", "次", "条", "套"))
    assert not any(counts_whole(unit) for unit in ("万家", "万户", "蒸吨", "%", "公里", "亩", "微克/立方米", None))


def test_fractional_counts_are_refused_naming_the_cell(plan, city_officer, shenyang, filled_template, submit):
    values = {"power_monitored_key_enterprises": 22.05, "kilns_treated": 700.35, "straw_burning_monitoring_points": 30}
    data = filled_template(shenyang, **Q, values=values)
    upload = submit(data, "沈阳.xlsx", user=city_officer, area=shenyang, dry_run=True, **Q)
    assert upload.status == Upload.Status.REJECTED
    sheet = openpyxl.load_workbook(io.BytesIO(data))["填报表"]
    wrong = {e["row"]: e for e in upload.errors if e["rule"] == "not_whole"}
    assert set(wrong) == {row_of(sheet, "power_monitored_key_enterprises"), row_of(sheet, "kilns_treated")}
    row = row_of(sheet, "power_monitored_key_enterprises")
    assert wrong[row]["column"] == VALUE_HEADER and wrong[row]["value"] == "22.05"
    message = wrong[row]["message"]
    assert f"第{row}行“{VALUE_HEADER}”列" in message and "22.05 不是整数" in message and "以“家”计数" in message
    assert len(upload.errors) == 2  # a whole count (30) and fractions in 万家 or % pass


def test_a_quarter_not_yet_over_is_one_error_and_the_real_errors_still_show(
    plan, city_officer, shenyang, filled_template, submit, summer_2024
):
    data = filled_template(shenyang, 2024, 3, values={"pm25": 900, "kilns_treated": 2.5})
    upload = submit(data, "沈阳.xlsx", user=city_officer, area=shenyang, year=2024, quarter=3, dry_run=True)
    assert upload.status == Upload.Status.REJECTED
    future = [e for e in upload.errors if e["rule"] == "future_quarter"]
    assert len(future) == 1 and "2024年第3季度尚未结束（2024年09月30日结束）" in future[0]["message"]
    assert "row" not in future[0]  # the whole file's quarter, not a row's
    rules = sorted(e["rule"] for e in upload.errors)
    assert rules == ["future_quarter", "not_whole", "out_of_range"]


def test_a_long_file_gets_one_error_per_quarter_not_yet_over(plan, admin_user, submit, summer_2024):
    lines = [f"210100,{code},2024,3,1" for code in ("pm25", "good_air_days_ratio", "heavy_pollution_days_ratio")]
    csv = "area_code,indicator_code,year,quarter,value\n" + "\n".join(lines) + "\n210100,kilns_treated,2024,2,1.5\n"
    upload = submit(csv.encode(), "long.csv", user=admin_user)
    future = [e for e in upload.errors if e["rule"] == "future_quarter"]
    assert len(future) == 1 and "第2行起共 3 行" in future[0]["message"] and future[0]["row"] == 2
    assert [e["row"] for e in upload.errors if e["rule"] == "not_whole"] == [5]


def test_a_dry_run_lists_each_change_old_to_new_with_the_upload_it_replaces(
    plan, city_officer, shenyang, filled_template, submit, client
):
    first = submit(
        filled_template(shenyang, **Q, values={"pm25": 38.5}), "a.xlsx", user=city_officer, area=shenyang, **Q
    )
    assert first.status == Upload.Status.ACCEPTED and first.changes == []
    note = "新增两台炉窑完成治理"

    def write_note(sheet):
        sheet.cell(row=row_of(sheet, "kilns_treated"), column=VALUE_COLUMN + 1, value=note)

    data = filled_template(shenyang, **Q, values={"pm25": 40, "kilns_treated": 812}, edit=write_note)
    preview = submit(data, "b.xlsx", user=city_officer, area=shenyang, dry_run=True, **Q)
    assert preview.status == Upload.Status.PREVIEWED and preview.rows_changed == 2
    changes = {c["indicator_code"]: c for c in preview.changes}
    assert set(changes) == {"pm25", "kilns_treated"}
    pm25 = changes["pm25"]
    assert (pm25["old"], pm25["new"], pm25["old_upload"]) == (38.5, 40.0, first.pk)
    assert pm25["area"] == "沈阳市" and pm25["year"] == 2024 and pm25["quarter"] == 2 and pm25["row"] > 3
    assert changes["kilns_treated"]["note"] == note and pm25["note"] == ""

    client.force_login(city_officer)
    page = client.get(reverse("upload_detail", args=[preview.pk])).content.decode()
    assert "确认导入后将修改的数值" in page and "38.5" in page and "→ 40" in page and note in page
    assert reverse("upload_detail", args=[first.pk]) in page
    answer = client.get(f"/api/uploads/{preview.pk}/").json()
    assert {c["indicator_code"]: c["old_upload"] for c in answer["changes"]}["pm25"] == first.pk

    with TestCase.captureOnCommitCallbacks(execute=True):
        confirm_upload(upload=preview, user=city_officer)
    preview.refresh_from_db()
    assert preview.status == Upload.Status.ACCEPTED and len(preview.changes) == 2
    page = client.get(reverse("upload_detail", args=[preview.pk])).content.decode()
    assert "本次修改的数值" in page


def test_a_template_for_a_quarter_not_yet_over_warns_on_the_page_and_in_the_workbook(
    plan, city_officer, client, summer_2024
):
    client.force_login(city_officer)
    url = reverse("template_download")
    page = client.get(url, {"area": "210100", "year": 2024, "quarter": 3})
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "2024年第3季度尚未结束" in html and 'id="download-anyway"' in html
    workbook = client.get(url, {"area": "210100", "year": 2024, "quarter": 3, "anyway": 1})
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    assert "2024年第3季度尚未结束" in book["填报表"]["A2"].value
    assert "2024年第3季度尚未结束" in book["填报说明"]["A2"].value
    ended = openpyxl.load_workbook(io.BytesIO(client.get(url, {"area": "210100", **Q}).content))
    assert "尚未结束" not in ended["填报表"]["A2"].value  # a quarter that has ended downloads at once, no warning


# --- item 12: notes ------------------------------------------------------------------------------------------------

NOTE = "受沙尘天气影响，PM2.5浓度偏高，已启动应急管控"


def test_a_note_shows_beside_its_value_on_the_upload_and_the_city_page(
    plan, city_officer, shenyang, filled_template, submit, client
):
    from uploads.selectors import current_notes

    def write_note(sheet):
        sheet.cell(row=row_of(sheet, "pm25"), column=VALUE_COLUMN + 1, value=NOTE)

    data = filled_template(shenyang, **Q, values={"pm25": 41.5}, edit=write_note)
    upload = submit(data, "沈阳.xlsx", user=city_officer, area=shenyang, **Q)
    assert upload.status == Upload.Status.ACCEPTED
    notes = current_notes(area_ids=[shenyang.pk], through=(2024, 2))
    assert list(notes.values()) == [NOTE]

    client.force_login(city_officer)
    detail = client.get(reverse("upload_detail", args=[upload.pk])).content.decode()
    row = detail[detail.index(NOTE) - 400 : detail.index(NOTE)]
    assert "41.5" in row  # in the value's own row

    page = client.get(reverse("dash_city", args=["210100"]), {"quarter": "2024Q2"}).content.decode()
    assert NOTE in page  # the table's 备注 column
    assert f"备注：{NOTE}" in page  # the line in the progress bar's hover
    # The PM2.5 target's series: the note in the hover of the quarter it was written for (a seasonal year-to-date
    # value, judged on last year's figure until Q4), and in the table.
    page = client.get(reverse("dash_city", args=["210100"]), {"quarter": "2024Q2", "target": "1-02"}).content.decode()
    series = page[page.index('id="series"') :]
    assert f"备注：{NOTE}" in series[: series.index("</script>")]
    table = series[series.index("<tbody>") : series.index("</tbody>")]
    assert f'<td class="typed" lang="zh">{NOTE}</td>' in table


def test_import_upload_dry_run_prints_each_change(
    plan, city_officer, shenyang, filled_template, submit, tmp_path, capsys
):
    from django.core.management import call_command

    first = submit(
        filled_template(shenyang, **Q, values={"pm25": 38.5}), "a.xlsx", user=city_officer, area=shenyang, **Q
    )
    path = tmp_path / "b.xlsx"
    path.write_bytes(filled_template(shenyang, **Q, values={"pm25": 40}))
    args = ["--area", "210100", "--year", "2024", "--quarter", "2", "--user", city_officer.username, "--dry-run"]
    call_command("import_upload", str(path), *args)
    out = capsys.readouterr().out
    assert "修改 1" in out
    assert f"细颗粒物（PM2.5）平均浓度 2024Q2：38.5 → 40 微克/立方米（原值来自第 {first.pk} 号上传）" in out
