"""What a report covers: a quarter, for the province or narrowed to a city, a department (lead only or every role), a
section or a special column. Parsed from plain values by every door (page, API, command), with Chinese errors."""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from indicators.localized import english
from indicators.models import Area
from indicators.periods import latest_closed_quarter, period_label
from targets.models import Department, Responsibility, Section, SpecialColumn, Target

FORMATS = {"xlsx": "XLSX", "csv": "CSV（zip）", "pdf": "PDF"}


def _english_names() -> dict:
    """English names of what a scope can name, by code (Chinese where no English is given). The plan's reference
    data change with a plan revision at most, so ten minutes in the cache is safe."""
    from django.core.cache import cache

    def build() -> dict:
        def pick(rows):
            return {code: en or zh for code, zh, en in rows}

        return {
            "province": Area.objects.province().code,
            "areas": pick(Area.objects.values_list("code", "name", "name_en")),
            "departments": pick(Department.objects.values_list("code", "name", "name_en")),
            "sections": pick(Section.objects.values_list("code", "title", "title_en")),
            "special_columns": pick(SpecialColumn.objects.values_list("number", "title", "title_en")),
        }

    return cache.get_or_set("reports:scope-names-en", build, 600)


class ScopeError(ValueError):
    """The parameters do not describe a report this person may have; the message says why, in Chinese."""


@dataclass(frozen=True)
class ReportScope:
    year: int
    quarter: int
    area: str = ""  # 区划代码 of a city (its counties come with it); empty: the whole province
    department: str = ""  # department code
    lead_only: bool = False  # with a department: only the targets it leads
    section: str = ""  # section code, e.g. 2.2 or 2.2.1
    special_column: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ReportScope":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    @property
    def period(self) -> str:
        return period_label(self.year, self.quarter)

    def describe(self) -> str:
        """The scope in words, for the cover and every page of the PDF (which are Chinese)."""
        parts = []
        if self.area:
            parts.append(Area.objects.get(code=self.area).name)
        else:
            parts.append(Area.objects.province().name + "（全省）")
        if self.department:
            role = "牵头" if self.lead_only else "牵头及配合"
            parts.append(f"{Department.objects.get(code=self.department).name}{role}")
        if self.section:
            section = Section.objects.get(code=self.section)
            parts.append(f"{section.code} {section.title}")
        if self.special_column:
            column = SpecialColumn.objects.get(number=self.special_column)
            parts.append(f"专栏{column.number} {column.title}")
        return " · ".join(parts)

    def describe_in_page_language(self) -> str:
        """The scope in words as a page shows it: in English with the plan's English names."""
        if not english():
            return self.describe()
        names = _english_names()  # a list of reports names many scopes: no query per row
        area = names["areas"].get(self.area or names["province"], "")
        parts = [area if self.area else _("%(name)s（全省）") % {"name": area}]
        if self.department:
            name = names["departments"].get(self.department, self.department)
            parts.append((_("%(name)s牵头") if self.lead_only else _("%(name)s牵头及配合")) % {"name": name})
        if self.section:
            parts.append(f"{self.section} {names['sections'].get(self.section, '')}".strip())
        if self.special_column:
            title = names["special_columns"].get(self.special_column, "")
            parts.append(_("专栏%(number)s %(title)s") % {"number": self.special_column, "title": title})
        return " · ".join(parts)

    def targets(self):
        """The targets in scope, in plan order."""
        targets = Target.objects.all()
        if self.section:
            targets = targets.filter(section__code__regex=rf"^{self.section.replace('.', '[.]')}([.]|$)")
        if self.special_column:
            targets = targets.filter(special_column__number=self.special_column)
        if self.department:
            held = Responsibility.objects.filter(department__code=self.department)
            if self.lead_only:
                held = held.filter(role=Responsibility.Role.LEAD)
            targets = targets.filter(measure__in=held.values("measure"))
        return targets.order_by("order")

    def areas(self):
        """The areas in scope: everything, or a city and its counties."""
        if not self.area:
            return Area.objects.all()
        city = Area.objects.get(code=self.area)
        return Area.objects.filter(pk=city.pk) | Area.objects.filter(parent=city)


def parse_scope(
    *,
    year,
    quarter,
    area="",
    department="",
    lead_only=False,
    section="",
    special_column=None,
    user=None,
) -> ReportScope:
    """A checked scope. A city officer gets their own city only (asking for the province gives their city)."""
    try:
        year, quarter = int(year), int(quarter)
    except (TypeError, ValueError) as error:
        raise ScopeError("请填写年份和季度（数字）。") from error
    if quarter not in (1, 2, 3, 4):
        raise ScopeError("季度应为 1 至 4。")
    if year < 2020 or (year, quarter) > latest_closed_quarter():
        raise ScopeError(f"{year}年第{quarter}季度尚未结束或不在方案期内，不能生成报告。")
    area = (area or "").strip()
    if user is not None and not user.sees_everything:
        if area and area != user.area.code:
            raise ScopeError(f"您只能查看{user.area.name}的报告。")
        area = user.area.code
    if area and not Area.objects.filter(code=area).exclude(level=Area.Level.PROVINCE).exists():
        if Area.objects.filter(code=area, level=Area.Level.PROVINCE).exists():
            area = ""
        else:
            raise ScopeError(f"地区代码“{area}”不存在。")
    if department and not Department.objects.filter(code=department).exists():
        raise ScopeError(f"部门代码“{department}”不存在。")
    if section and not Section.objects.filter(code=section).exists():
        raise ScopeError(f"章节编号“{section}”不存在。")
    special = int(special_column) if special_column not in (None, "") else None
    if special is not None and not SpecialColumn.objects.filter(number=special).exists():
        raise ScopeError(f"专栏{special}不存在。")
    return ReportScope(
        year=year,
        quarter=quarter,
        area=area,
        department=department or "",
        lead_only=bool(lead_only) and bool(department),
        section=section or "",
        special_column=special,
    )
