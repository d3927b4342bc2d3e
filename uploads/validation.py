"""Checks every row of an upload at once (pandas masks, no per-row queries) and says what is wrong in Chinese.

Errors reject the file; warnings do not. Pure: the caller hands in the plan's indicators and areas and the current
values the checks compare against, so this module never touches the database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.periods import BASELINE_YEAR, quarter_end
from indicators.units import counts_whole

from .issues import Issue
from .numbers import plain_number
from .reading import ReadResult

NOTE_MAX_LENGTH = 500  # Observation.note
# Pairs of shares of one whole that cannot add up to more than 100 %.
SHARE_GROUPS = [("surface_water_good_share", "surface_water_worse_v_share")]
CHANGES_KEPT = 5000  # changes listed on an upload; a long-format back-fill may change more, and says how many


@dataclass
class UploadContext:
    area_code: str | None  # the area the upload is for (None: a provincial long-format back-fill)
    allowed_area_codes: set[str] | None  # the area and its counties; None: any
    year: int | None
    quarter: int | None
    latest_closed: tuple[int, int]  # the last quarter that has ended
    indicators: pd.DataFrame  # indexed by code: id, name, unit, min_value, max_value, max_change, seasonal
    areas: pd.DataFrame  # indexed by code: id, name
    expected_indicators: list[str] = field(default_factory=list)  # codes the template asks of this area


@dataclass
class Validated:
    rows: pd.DataFrame  # the good rows, with area_id and indicator_id: what would be stored
    errors: list[Issue]
    warnings: list[Issue]
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)  # each value that would change: old → new, and from where


def _fmt(value) -> str:
    """A value in a message as the person typed it (numbers by plain_number: every digit, no exponent)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return plain_number(value) if isinstance(value, int | float) else str(value)


def _fill_period(read: ReadResult, ctx: UploadContext) -> list[Issue]:
    """The template carries its area and quarter in a hidden sheet; a mismatch with the upload rejects the file."""
    rows, problems = read.rows, []
    meta = read.meta
    wanted = {"area_code": ctx.area_code, "year": ctx.year, "quarter": ctx.quarter}
    mismatched = [k for k, v in wanted.items() if v is not None and meta.get(k) not in (None, "", str(v))]
    if mismatched:
        area = ctx.areas["name"].get(meta.get("area_code"), meta.get("area_code"))
        problems.append(
            Issue(
                level="error",
                rule="template_mismatch",
                sheet=read.sheet,
                message=f"该模板是“{area} {meta.get('year')}年第{meta.get('quarter')}季度”的，"
                f"与本次上传选择的“{ctx.areas['name'].get(ctx.area_code, ctx.area_code)} "
                f"{ctx.year}年第{ctx.quarter}季度”不一致：请下载正确的模板或重新选择地区和季度。",
            )
        )
    for column, value in wanted.items():
        if column == "area_code":
            present = column in rows and rows[column].ne("").any()
        else:
            present = column in rows and rows[column].notna().any()
        if not present and value is None:
            name = {"area_code": "地区代码", "year": "年份", "quarter": "季度"}[column]
            problems.append(
                Issue(
                    level="error",
                    rule="missing_columns",
                    sheet=read.sheet,
                    message=f"长表格式需要“{column}”（{name}）列，或在上传时选择{name}。",
                )
            )
        elif not present:
            rows[column] = str(value) if column == "area_code" else float(value)
        elif value is not None:  # blank cells in a present column take the upload's value
            if column == "area_code":
                rows[column] = rows[column].mask(rows[column].eq(""), str(value))
            else:
                rows[column] = rows[column].fillna(float(value))
    return problems


def validate(read: ReadResult, ctx: UploadContext, load_current: Callable[[pd.DataFrame], pd.DataFrame]) -> Validated:
    """`load_current(rows)` returns the current stored values the rows are compared with (same keys, previous
    quarters, the same quarter a year earlier): columns area_code, indicator_code, year, quarter, value and, where
    known, upload_id (the upload each value came from)."""
    errors: list[Issue] = list(read.cell_issues)
    errors += _fill_period(read, ctx)
    rows = read.rows
    if any(e.rule in ("missing_columns", "template_mismatch") for e in errors):
        return Validated(rows=rows.iloc[0:0], errors=errors, warnings=[])
    if rows.empty:
        errors.append(Issue(level="error", rule="empty", sheet=read.sheet, message="文件中没有任何数据行。"))
        return Validated(rows=rows, errors=errors, warnings=[])

    checks = _Checks(rows, read.sheet, read.columns, errors)
    empty_value = rows["raw_value"].map(lambda v: v is None or str(v).strip() == "" or v != v)
    _check_keys(checks, ctx)
    future = _check_future(checks, ctx)
    _check_values(checks, ctx, empty_value)

    good = _good_rows(rows[~checks.bad & ~future & ~empty_value], ctx)
    current = load_current(good)
    warnings = _empty_value_warnings(rows[empty_value & ~checks.bad], ctx, read.sheet, read.columns)
    warnings += _change_warnings(good, current, ctx.indicators, read.sheet, read.columns)
    warnings += _share_warnings(good, ctx.indicators, read.sheet, read.columns)
    warnings += _missing_indicator_warnings(rows[~empty_value], current, ctx, read.sheet)
    if good.empty and not errors:
        errors.append(Issue(level="error", rule="empty", sheet=read.sheet, message="文件中没有填写任何数值。"))
    result = Validated(rows=good, errors=errors, warnings=warnings)
    _count_changes(result, current, ctx)
    return result


class _Checks:
    """Per-row checks on whole columns: each failing row gets one error (the first found is the most basic, and one
    is enough to fix it), addressed by its row and column."""

    def __init__(self, rows: pd.DataFrame, sheet: str | None, label: dict, errors: list[Issue]):
        self.rows, self.sheet, self.label, self.errors = rows, sheet, label, errors
        self.bad = pd.Series(False, index=rows.index)

    def flag(self, mask: pd.Series, rule: str, column: str, message) -> None:
        mask = mask & ~self.bad
        for index in np.flatnonzero(mask.to_numpy()):
            row = self.rows.iloc[index]
            self.errors.append(
                Issue(
                    level="error",
                    rule=rule,
                    sheet=self.sheet,
                    row=int(row["row"]),
                    column=self.label.get(column, column),
                    value=_fmt(row.get(column if column != "value" else "raw_value")),
                    message=message(row),
                )
            )
        self.bad |= mask


def _check_keys(checks: _Checks, ctx: UploadContext) -> None:
    """Each row's area, indicator and quarter: known, the upload's own, inside the period tracked."""
    rows, areas, flag = checks.rows, ctx.areas, checks.flag
    unknown = ~rows["area_code"].isin(areas.index)
    flag(unknown, "unknown_area", "area_code", lambda r: f"地区代码“{r['area_code']}”不存在。")
    if ctx.allowed_area_codes is not None:
        upload_area = areas["name"].get(ctx.area_code, ctx.area_code)
        flag(
            ~rows["area_code"].isin(ctx.allowed_area_codes),
            "area_mismatch",
            "area_code",
            lambda r: (
                f"“{areas['name'].get(r['area_code'], r['area_code'])}”的数据不属于本次上传的地区"
                f"“{upload_area}”：每个文件只能填报本地区（含所辖县区）的数据。"
            ),
        )
    flag(
        ~rows["indicator_code"].isin(ctx.indicators.index),
        "unknown_indicator",
        "indicator_code",
        lambda r: f"指标代码“{r['indicator_code']}”不存在：请使用模板中的指标代码。",
    )
    year, quarter = rows["year"], rows["quarter"]
    flag(year.isna() | (year % 1 != 0), "bad_year", "year", lambda r: f"年份“{_fmt(r['year'])}”无效。")
    flag(
        quarter.isna() | ~quarter.isin([1, 2, 3, 4]),
        "bad_quarter",
        "quarter",
        lambda r: f"季度“{_fmt(r['quarter'])}”无效：应为 1、2、3 或 4。",
    )
    if ctx.year is not None:
        flag(
            (year != ctx.year) | (quarter != ctx.quarter),
            "period_mismatch",
            "year",
            lambda r: (
                f"数据属于{_fmt(r['year'])}年第{_fmt(r['quarter'])}季度，与本次上传的"
                f"{ctx.year}年第{ctx.quarter}季度不一致。"
            ),
        )
    flag(
        year < BASELINE_YEAR,
        "before_baseline",
        "year",
        lambda r: f"{_fmt(r['year'])}年早于基准年{BASELINE_YEAR}年，不在跟踪范围内。",
    )


def _check_future(checks: _Checks, ctx: UploadContext) -> pd.Series:
    """Rows for a quarter not yet over: ONE error per such quarter, not one per row, and the rows go on through the
    other checks so their real mistakes are shown too. Returns the rows' mask (they are never stored)."""
    rows = checks.rows
    latest_year, latest_quarter = ctx.latest_closed
    year, quarter = rows["year"], rows["quarter"]
    future = ~checks.bad & ((year > latest_year) | ((year == latest_year) & (quarter > latest_quarter)))
    for (y, q), group in rows[future].groupby(["year", "quarter"], sort=True):
        y, q = int(y), int(q)
        long_format, first = ctx.year is None, int(group["row"].min())
        where = f"（第{first}行起共 {len(group)} 行）" if long_format else ""
        checks.errors.append(
            Issue(
                level="error",
                rule="future_quarter",
                sheet=checks.sheet,
                row=first if long_format else None,  # a template's quarter is the whole file's
                column=checks.label.get("quarter") if long_format else None,
                message=f"{y}年第{q}季度尚未结束（{quarter_end(y, q):%Y年%m月%d日}结束）{where}，还不能填报："
                "请在季度结束后再上传。文件的其他问题照常列在下方，可先改正。",
            )
        )
    return future


def _check_values(checks: _Checks, ctx: UploadContext, empty_value: pd.Series) -> None:
    """Each row's value and note: a number, whole where the indicator counts things, in range, given once."""
    rows, indicators, flag = checks.rows, ctx.indicators, checks.flag
    flag(~empty_value & rows["value"].isna(), "not_a_number", "value", lambda r: f"“{r['raw_value']}”不是有效数字。")
    if "note" in rows:  # a note is kept whole or not at all: never cut short in silence
        flag(
            rows["note"].str.len() > NOTE_MAX_LENGTH,
            "note_too_long",
            "note",
            lambda r: f"备注有 {len(r['note'])} 个字，超过上限 {NOTE_MAX_LENGTH} 字：请精简后重新上传。",
        )
    known = rows["indicator_code"].isin(indicators.index)
    spec = indicators.reindex(rows["indicator_code"].where(known))
    spec.index = rows.index
    value = rows["value"]
    out_of_range = known & value.notna() & ((value < spec["min_value"]) | (value > spec["max_value"]))
    flag(
        out_of_range,
        "out_of_range",
        "value",
        lambda r: (
            f"数值 {_fmt(r['value'])} 超出“{indicators.at[r['indicator_code'], 'name']}”的有效范围 "
            f"{_fmt(indicators.at[r['indicator_code'], 'min_value'])}—"
            f"{_fmt(indicators.at[r['indicator_code'], 'max_value'])}"
            f"（{indicators.at[r['indicator_code'], 'unit']}）。"
        ),
    )
    whole = spec["unit"].map(counts_whole, na_action="ignore").fillna(False).astype(bool)
    column = checks.label.get("value", "value")
    flag(
        known & whole & value.notna() & ((value - value.round()).abs() > 1e-9),
        "not_whole",
        "value",
        lambda r: (
            f"第{int(r['row'])}行“{column}”列：{_fmt(r['value'])} 不是整数。"
            f"“{indicators.at[r['indicator_code'], 'name']}”以“{indicators.at[r['indicator_code'], 'unit']}”计数，"
            "只能填整数。"
        ),
    )
    keys = ["area_code", "indicator_code", "year", "quarter"]
    duplicated = rows.duplicated(keys, keep="first") & ~empty_value
    first_row = rows[~empty_value].drop_duplicates(keys).set_index(keys)["row"]
    flag(
        duplicated,
        "duplicate",
        "indicator_code",
        lambda r: f"与第{first_row.get(tuple(r[k] for k in keys), '?')}行重复：同一地区、指标和季度只能填一个数值。",
    )


def _good_rows(good: pd.DataFrame, ctx: UploadContext) -> pd.DataFrame:
    """The rows that would be stored, with their area and indicator ids."""
    good = good.copy()
    good["area_id"] = ctx.areas["id"].reindex(good["area_code"]).to_numpy()
    good["indicator_id"] = ctx.indicators["id"].reindex(good["indicator_code"]).to_numpy()
    good["year"] = good["year"].astype(int)
    good["quarter"] = good["quarter"].astype(int)
    return good


def _empty_value_warnings(skipped: pd.DataFrame, ctx: UploadContext, sheet, label) -> list[Issue]:
    """In the long format an empty value is a row left half-done (in a template it is a value not reported)."""
    if ctx.year is not None:
        return []
    return [
        Issue(
            level="warning",
            rule="empty_value",
            sheet=sheet,
            row=int(r["row"]),
            column=label.get("value"),
            message="未填写数值，该行已跳过。",
        )
        for _, r in skipped[skipped["indicator_code"].ne("")].iterrows()
    ]


def _missing_indicator_warnings(filled: pd.DataFrame, current: pd.DataFrame, ctx: UploadContext, sheet) -> list:
    if not ctx.expected_indicators or ctx.year is None:
        return []
    indicators = ctx.indicators
    reported = set(filled.loc[filled["area_code"] == ctx.area_code, "indicator_code"])
    # An indicator left out keeps the value an earlier upload gave it: only one with none is missing.
    stored = current[(current["area_code"] == ctx.area_code) & (current["year"] == ctx.year)]
    reported |= set(stored.loc[stored["quarter"] == ctx.quarter, "indicator_code"])
    return [
        Issue(
            level="warning",
            rule="missing_indicator",
            sheet=sheet,
            value=code,
            message=f"本次未填报“{indicators.at[code, 'name']}”（{code}）：该指标本季度将没有数值。",
        )
        for code in ctx.expected_indicators
        if code not in reported and code in indicators.index
    ]


def _change_warnings(good: pd.DataFrame, current: pd.DataFrame, indicators: pd.DataFrame, sheet, label) -> list:
    """A value that moved more than the indicator's plausible change since the period it is compared with: the
    previous quarter, or for seasonal year-to-date means the same quarter a year earlier (同比)."""
    limited = good[good["indicator_code"].map(indicators["max_change"]).notna()]
    if limited.empty:
        return []
    seasonal = limited["indicator_code"].map(indicators["seasonal"]).astype(bool)
    first = limited["quarter"] == 1  # previous_quarter, on whole columns
    previous = pd.DataFrame(
        {
            "year": np.where(first, limited["year"] - 1, limited["year"]),
            "quarter": np.where(first, 4, limited["quarter"] - 1),
        },
        index=limited.index,
    )
    compare = limited[["area_code", "indicator_code", "row", "value"]].copy()
    compare["ref_year"] = np.where(seasonal, limited["year"] - 1, previous["year"])
    compare["ref_quarter"] = np.where(seasonal, limited["quarter"], previous["quarter"])
    # The reference value is the one in this same file if it has it, else the current stored one.
    reference = pd.concat(
        [
            good[["area_code", "indicator_code", "year", "quarter", "value"]],
            current[["area_code", "indicator_code", "year", "quarter", "value"]],
        ]
    ).drop_duplicates(["area_code", "indicator_code", "year", "quarter"], keep="first")
    reference = reference.rename(columns={"year": "ref_year", "quarter": "ref_quarter", "value": "ref_value"})
    merged = compare.merge(reference, on=["area_code", "indicator_code", "ref_year", "ref_quarter"], how="inner")
    merged["limit"] = merged["indicator_code"].map(indicators["max_change"])
    jumps = merged[(merged["value"] - merged["ref_value"]).abs() > merged["limit"]]
    out = []
    for r in jumps.itertuples():
        spec = indicators.loc[r.indicator_code]
        basis = "上年同期" if spec["seasonal"] else "上一季度"
        out.append(
            Issue(
                level="warning",
                rule="implausible_change",
                sheet=sheet,
                row=int(r.row),
                column=label.get("value"),
                value=_fmt(r.value),
                message=f"“{spec['name']}”较{basis}（{int(r.ref_year)}年第{int(r.ref_quarter)}季度：{_fmt(r.ref_value)}）"
                f"变化 {r.value - r.ref_value:+g}{spec['unit']}，超出合理变化幅度 ±{_fmt(r.limit)}：请核实。",
            )
        )
    return out


def _share_warnings(good: pd.DataFrame, indicators: pd.DataFrame, sheet, label) -> list:
    out = []
    for first, second in SHARE_GROUPS:
        a = good[good["indicator_code"] == first]
        b = good[good["indicator_code"] == second]
        if a.empty or b.empty:
            continue
        both = a.merge(b, on=["area_code", "year", "quarter"], suffixes=("_a", "_b"))
        for r in both[both["value_a"] + both["value_b"] > 100].itertuples():
            out.append(
                Issue(
                    level="warning",
                    rule="shares_over_100",
                    sheet=sheet,
                    row=int(r.row_b),
                    column=label.get("value"),
                    value=_fmt(r.value_b),
                    message=f"“{indicators.at[first, 'name']}”{_fmt(r.value_a)}% 与“{indicators.at[second, 'name']}”"
                    f"{_fmt(r.value_b)}% 之和为 {r.value_a + r.value_b:g}%，超过 100%，两者不可能同时成立：请核实。",
                )
            )
    return out


def _count_changes(result: Validated, current: pd.DataFrame, ctx: UploadContext) -> None:
    """New, changed and unchanged values, and every change listed (old → new, the upload whose value it replaces),
    as a dry run shows them before anything is written."""
    keys = ["area_code", "indicator_code", "year", "quarter"]
    current = current.assign(upload_id=current.get("upload_id", np.nan))
    rows = result.rows.assign(note=result.rows.get("note", ""))
    merged = rows[[*keys, "row", "value", "note"]].merge(
        current[[*keys, "value", "upload_id"]], on=keys, how="left", suffixes=("", "_current")
    )
    is_new = merged["value_current"].isna()
    difference = (merged["value"].astype(float) - merged["value_current"].astype(float)).abs()
    same = ~is_new & (difference <= 1e-9)
    result.new = int(is_new.sum())
    result.unchanged = int(same.sum())
    result.changed = int(len(merged) - result.new - result.unchanged)
    changed = merged[~is_new & ~same].head(CHANGES_KEPT)
    listing = pd.DataFrame(
        {
            "row": changed["row"].astype(int),
            "area_code": changed["area_code"],
            "area": changed["area_code"].map(ctx.areas["name"]),
            "indicator_code": changed["indicator_code"],
            "indicator": changed["indicator_code"].map(ctx.indicators["name"]),
            "unit": changed["indicator_code"].map(ctx.indicators["unit"]),
            "year": changed["year"].astype(int),
            "quarter": changed["quarter"].astype(int),
            "old": changed["value_current"].astype(float),
            "new": changed["value"].astype(float),
            "old_upload": changed["upload_id"].astype("Int64"),
            "note": changed["note"].fillna("").astype(str),  # what the city says about the new value
        }
    )
    records = listing.astype(object).where(listing.notna(), None).to_dict("records")
    result.changes = [{k: v.item() if hasattr(v, "item") else v for k, v in r.items()} for r in records]
