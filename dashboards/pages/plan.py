"""7. The plan as a living page: the plan's own text, section by section, every quantified commitment in it marked
with its live status for the chosen quarter and area (colour and symbol from progress.choices), each a link to its
target's page; the section, department, special-column and target-year filters narrow the text to what they keep.

The text stays Chinese in both languages (it is a quotation): every run of it carries lang="zh", so that an English
page can be checked for Chinese left untranslated outside it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from progress.choices import Status
from targets.models import Section
from targets.plan_text import plan_paragraphs, plan_text, section_starts

from ..filters import Filters, filter_target_ids
from ..selectors import PlanMeta
from .cells import Chart, Page, cell
from .filter_bar import filter_bar
from .formatting import missing, num
from .frames import quarter_rows
from .labels import Labels, area_name, goal_text, section_title, status_cell, status_tip, target_name

COLUMN_HEADING = re.compile(r"^专栏(\d+) ")
NARROWING = ("department", "special_column", "target_year")


@dataclass
class Block:
    """A paragraph or heading of the plan as the page shows it."""

    kind: str  # title | part | chapter | column | paragraph
    html: SafeString
    section: str = ""  # the section it belongs to
    anchor: str = ""  # the id a table of contents links to ("s2.2")
    title: str = ""  # the title of the section starting here (the table of contents)
    english: str = ""  # the heading's English title (English pages)
    targets: list[int] = field(default_factory=list)


@dataclass
class Mark:
    """Quotations of the plan that overlap, marked as one run of text; each of `targets` gets its own tag."""

    start: int
    end: int
    targets: list[int]


@dataclass
class Context:
    """What marking the text needs: each target's row in the chosen area, which targets the filters keep, and how
    to link and label them."""

    meta: PlanMeta
    rows: dict[int, object]
    kept: set[int]
    link: object
    labels: Labels
    language: str
    targets: dict[int, dict] = field(default_factory=dict)  # each target's fields, its name and goal translated

    def __post_init__(self):
        self.targets = self.meta.targets.to_dict("index")
        for target_id, target in self.targets.items():
            target["label"] = target_name(self.meta, target_id, self.labels)
            target["goal"] = goal_text(self.meta, target_id, self.labels)


def plan_page(meta: PlanMeta, filters: Filters, area_id: int, *, officer: bool, area_choices: list[int]) -> Page:
    """The plan's text with the status of each commitment in `area_id` (the province, or a reporting area).
    `officer`: the viewer is that city's officer, whose links go to their city's page."""
    labels = Labels()
    rows = quarter_rows(meta, filters)
    mine = rows[rows["area_id"] == area_id]
    kept = _kept(meta, filters)
    context = Context(
        meta,
        {int(r.target_id): r for r in mine.itertuples(index=False)},
        kept,
        _linker(meta, filters, area_id, officer),
        labels,
        get_language() or "zh-hans",
    )
    blocks = _narrow(_blocks(context), filters, kept)
    area_label = _("全省") if area_id == meta.province_id else area_name(meta, area_id, labels)
    page = Page(_("实施方案全文与目标进展"))
    shown = [t for b in blocks for t in b.targets if t in kept]
    page.charts.append(_commitments_chart(context, shown, area_label, filters))
    page.context.update(
        blocks=blocks,
        contents=[b for b in blocks if b.anchor and b.kind != "title"],
        metrics=_metrics(context, shown),
        area_label=area_label,
        quarter=filters.quarter_label,
        outline_query=_outline_query(filters),
    )
    fields = ["quarter", "area", "section", "department", "special_column", "target_year"]
    page.context["filters"] = filter_bar(
        meta,
        filters,
        labels,
        fields if len(area_choices) > 1 else [f for f in fields if f != "area"],
        {
            "area": (_("地区"), _area_options(meta, area_id, area_choices, labels)),
            "target_year": (_("目标年份"), _year_options(meta, filters)),
        },
    )
    return page


def _outline_query(filters: Filters) -> str:
    """The filters the outline (the table of targets) shares with this page, for the link to it."""
    shared = {k: v for k, v in filters.params().items() if k in ("section", "department", "special_column")}
    shared |= {"target_year": filters.get("target_year")} if filters.get("target_year") else {}
    return "?" + urlencode(shared) if shared else ""


def _filter_value(filters: Filters, name: str):
    return filters.get(name) if name == "target_year" else getattr(filters, name)


def _kept(meta: PlanMeta, filters: Filters) -> set[int]:
    """The targets the section, department, special-column and target-year filters keep."""
    kept = set(filter_target_ids(meta, filters))
    year = filters.get("target_year")
    if year:
        kept &= set(meta.targets.index[meta.targets["target_year"] == int(year)])
    return kept


def _linker(meta: PlanMeta, filters: Filters, area_id: int, officer: bool):
    """Where a commitment leads: its target's page (for the chosen city where one is chosen); for a city officer,
    their city's page for that target."""
    code = meta.areas.loc[area_id, "code"]
    quarter = {"quarter": filters.quarter_code} if filters.period != filters.default else {}
    params = {**quarter, **({"city": code} if area_id in meta.reporting_area_ids else {})}
    query = "?" + urlencode(params) if params else ""
    city_page = reverse("dash_city", args=[code])

    def link(target_code: str) -> str:
        if officer:
            return city_page + "?" + urlencode({**quarter, "target": target_code}) + "#series"
        return reverse("dash_target", args=[target_code]) + query

    return link


def _marks(meta: PlanMeta) -> list[Mark]:
    """Every target's quotation as a span of the text; overlapping quotations joined (in text order)."""
    spans = sorted(
        (int(t["source_offset"]), int(t["source_offset"]) + len(t["source_text"]), int(i))
        for i, t in meta.targets.iterrows()
    )
    marks: list[Mark] = []
    for start, end, target_id in spans:
        if marks and start < marks[-1].end:
            marks[-1].end = max(marks[-1].end, end)
            marks[-1].targets.append(target_id)
        else:
            marks.append(Mark(start, end, [target_id]))
    return marks


def _blocks(context: Context) -> list[Block]:
    """The plan's paragraphs in order, each a heading or a paragraph with its commitments marked."""
    meta, labels = context.meta, context.labels
    starts = sorted((offset, code) for code, offset in section_starts().items() if code in meta.sections.index)
    offsets = [offset for offset, _code in starts]
    marks = _marks(meta)
    mark_starts = [m.start for m in marks]
    blocks = []
    for number, (offset, text) in enumerate(plan_paragraphs()):
        end = offset + len(text)
        here = [code for start, code in starts if offset <= start < end]
        before = bisect.bisect_right(offsets, end - 1) - 1
        section = starts[before][1] if before >= 0 else ""
        inside = marks[bisect.bisect_left(mark_starts, offset) : bisect.bisect_left(mark_starts, end)]
        block = Block("paragraph", SafeString(""), section, targets=[t for m in inside for t in m.targets])
        heading = here[0] if here else ""
        kind = meta.sections.loc[heading, "kind"] if heading else ""
        column = COLUMN_HEADING.match(text)
        if number == 0:
            block.kind = "title"
        elif heading and kind in (Section.Kind.PART, Section.Kind.CHAPTER) and section_starts()[heading] == offset:
            block.kind = kind
        elif column:
            block.kind = "column"
            block.english = _column_title(meta, int(column.group(1)), labels)
        lead_end = offset
        if heading:
            block.anchor, block.title = f"s{heading}", meta.sections.loc[heading, "title"]
            if labels.english:
                block.english = section_title(meta, heading, labels)
            if block.kind == "paragraph":
                lead_end = _lead_end(text, offset, heading, meta)
        block.html = _paragraph_html(offset, end, inside, lead_end, context)
        blocks.append(block)
    return blocks


def _column_title(meta: PlanMeta, number: int, labels: Labels) -> str:
    if not labels.english or number not in meta.special_columns.index:
        return ""
    return meta.special_columns.loc[number, "title_en"]


def _lead_end(text: str, offset: int, code: str, meta: PlanMeta) -> int:
    """Where a paragraph's numbered lead (1.深入推进碳达峰行动。) ends: after the section's title and its full stop."""
    title = meta.sections.loc[code, "title"]
    at = text.find(title)
    if at < 0:
        return offset
    end = at + len(title)
    return offset + end + (1 if text[end : end + 1] == "。" else 0)


def _paragraph_html(offset: int, end: int, marks: list[Mark], lead_end: int, context: Context) -> SafeString:
    """The paragraph's text (Chinese, lang="zh") with its lead in bold and each commitment marked and tagged."""
    text = plan_text()

    def plain(a: int, b: int) -> str:
        if a >= b:
            return ""
        cut = min(max(lead_end, a), b)
        lead = format_html("<strong>{}</strong>", text[a:cut]) if cut > a else ""
        return lead + escape(text[cut:b])

    pieces, position = [], offset
    for mark in marks:
        start, stop = max(mark.start, offset), min(mark.end, end)
        pieces.append(plain(position, start))
        pieces.append(_mark_html(text[start:stop], mark.targets, context))
        position = stop
    pieces.append(plain(position, end))
    return format_html('<span lang="zh">{}</span>', mark_safe("".join(pieces)))


def _mark_html(quoted: str, target_ids: list[int], context: Context) -> str:
    """A marked quotation linking to its (first) target, then a tag per target: its status symbol and code."""
    kept = [t for t in target_ids if t in context.kept]
    if not kept:
        code = context.targets[target_ids[0]]["code"]
        return format_html('<a class="commit other" href="{}">{}</a>', context.link(code), quoted)
    statuses = [_shown(context.rows.get(t)) for t in kept]
    known = [Status(s) for s in statuses if s]
    worst = min(known, key=lambda s: s.rank).value if known else "none"
    tags = "".join(_tag(t, status, context) for t, status in zip(kept, statuses, strict=True))
    first = context.targets[kept[0]]["code"]
    tip = "\n".join(_tip(t, context, full=False) for t in kept)  # the tags carry the inputs
    return format_html(
        '<a class="commit st-{}" href="{}" title="{}">{}</a><span class="commit-tags" lang="{}">{}</span>',
        worst,
        context.link(first),
        tip,
        quoted,
        context.language,
        mark_safe(tags),
    )


def _shown(row) -> str:
    return "" if row is None else (row.override_status or row.status)


def _tag(target_id: int, status: str, context: Context) -> str:
    code = context.targets[target_id]["code"]
    symbol = Status(status).symbol if status else "·"
    return format_html(
        '<a class="st st-{}" href="{}" title="{}">{} {}</a>',
        status or "none",
        context.link(code),
        _tip(target_id, context),
        symbol,
        code,
    )


def _tip(target_id: int, context: Context, *, full: bool = True) -> str:
    """The target, its goal and (in full) the inputs its status was computed from."""
    labels, target = context.labels, context.targets[target_id]
    head = f"{target['code']} {target['label']}：{target['goal']}"
    row = context.rows.get(target_id)
    if not full:
        return head + ("" if row is None else f"（{context.labels.status_text(row)}）")
    if row is None:
        return head + "\n" + _("本地区不单独评估此目标")
    return head + "\n" + status_tip(row, target["unit"], labels)


def _narrow(blocks: list[Block], filters: Filters, kept: set[int]) -> list[Block]:
    """The blocks the filters keep: the chosen section's text (and the headings above it); with a department,
    special column or target year, only the paragraphs holding a commitment they keep, under their headings."""
    section = filters.section

    def in_section(code: str) -> bool:
        return not section or code == section or code.startswith(section + ".")

    def above(code: str) -> bool:
        return bool(section) and section.startswith(code + ".")

    shown = [
        b
        for b in blocks
        if b.kind == "title" or in_section(b.section) or (b.kind in ("part", "chapter") and above(b.section))
    ]
    if not any(_filter_value(filters, name) for name in NARROWING):
        return shown
    holding = {i for i, b in enumerate(shown) if b.kind == "paragraph" and set(b.targets) & kept}
    sections = {shown[i].section for i in holding}

    def keeps(i: int, b: Block) -> bool:
        if b.kind in ("part", "chapter"):
            return any(s == b.section or s.startswith(b.section + ".") for s in sections)
        if b.kind == "column":
            return _column_holds(shown, i, holding)
        return b.kind == "title" or i in holding

    keep = [b for i, b in enumerate(shown) if keeps(i, b)]
    return keep


def _column_holds(blocks: list[Block], index: int, holding: set[int]) -> bool:
    """Whether a 专栏's paragraphs (up to the next heading or numbered lead) include one that is kept."""
    for i in range(index + 1, len(blocks)):
        if blocks[i].kind != "paragraph" or blocks[i].anchor:
            return False
        if i in holding:
            return True
    return False


def _metrics(context: Context, shown: list[int]) -> list[dict]:
    """How many of the commitments shown stand at each status in the chosen area (and how many it does not assess)."""
    statuses = pd.Series([_shown(context.rows.get(t)) for t in dict.fromkeys(shown)], dtype=object)
    metrics = [
        {"status": s.value, "label": context.labels.status[s], "symbol": s.symbol, "count": int((statuses == s).sum())}
        for s in Status.best_first()
        if (statuses == s).any()
    ]
    if (statuses == "").any():
        metrics.append(
            {"status": "none", "label": _("本地区不评估"), "symbol": "·", "count": int((statuses == "").sum())}
        )
    return metrics


def _commitments_chart(context: Context, shown: list[int], area_label: str, filters: Filters) -> Chart:
    """The commitments shown, as a table (and its CSV): where each stands in the chosen area."""
    labels = context.labels
    table = []
    for target_id in dict.fromkeys(shown):
        target = context.targets[target_id]
        row = context.rows.get(target_id)
        link = context.link(target["code"])
        status = status_cell(row, target["unit"], labels) if row is not None else cell(_("本地区不评估"))
        actual = cell(num(row.actual), "num") if row is not None else cell("")
        expected = cell("" if row is None or missing(row.expected) else num(row.expected), "num")
        table.append(
            [
                cell(target["code"], "code", href=link),
                cell(target["label"]),
                cell(target["section"], "code"),
                status,
                actual,
                expected,
                cell(target["goal"]),
                cell(target["source_text"], "quote"),
            ]
        )
    columns = [_("编号"), _("目标"), _("章节"), _("状态"), _("实际值"), _("序时进度值"), _("目标"), _("方案原文")]
    title = _("本页标出的量化目标：%(area)s，%(quarter)s") % {"area": area_label, "quarter": filters.quarter_label}
    return Chart("commitments", title, None, columns, table)


def _area_options(meta: PlanMeta, area_id: int, choices: list[int], labels: Labels) -> list:
    """The province (the default, so its value is empty) and the reporting areas."""
    return [
        ("", _("全省"), a == area_id)
        if a == meta.province_id
        else (meta.areas.loc[a, "code"], area_name(meta, a, labels), a == area_id)
        for a in choices
    ]


def _year_options(meta: PlanMeta, filters: Filters) -> list:
    years = sorted({int(y) for y in meta.targets["target_year"]})
    chosen = filters.get("target_year")
    return [("", _("全部年份"), not chosen), *[(str(y), str(y), str(y) == chosen) for y in years]]
