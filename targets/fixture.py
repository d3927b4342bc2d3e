"""Reads the curated plan fixture (fixtures/plan/*.yaml) and checks it against the plan's text.

Nothing here touches the database: `read_plan_fixture` returns plain rows, or raises PlanFixtureError listing every
problem at once so a curator can fix them in one pass.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .choices import YEARLY_COMPARATORS, Comparator, Recurrence, Scope
from .plan_text import PLAN_DIR, anchor_sections, plan_text

COMPARATORS = set(Comparator.values)
SCOPES = set(Scope.values)
# Words of a responsibility clause that are not department names.
_CLAUSE_FILLER = re.compile(
    r"牵头负责|牵头|等?按职责分工负责|负责|会同相关省（中）直部门加强污染防治攻坚统筹协调|[、，\s]"
)
# The first clause adds that every city government implements each task; that is a fact of the plan, not a department.
_CITY_GOVERNMENTS = "，以下均需"


class PlanFixtureError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class PlanFixture:
    areas: list[dict]
    departments: list[dict]
    sections: list[dict]
    measures: list[dict]
    special_columns: list[dict]
    projects: list[dict]
    indicators: list[dict]
    targets: list[dict]
    units: dict[str, str] = field(default_factory=dict)  # Chinese unit → English (units.yaml)
    problems: list[str] = field(default_factory=list)


def _load_yaml(path: Path) -> list[dict]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for row in rows:
        row["_file"] = path.name
    return rows


def _load_units(path: Path) -> dict[str, str]:
    """Chinese unit → English; a fixture without units.yaml shows units in Chinese in both languages."""
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def _load_dir(root: Path, name: str) -> list[dict]:
    return [row for path in sorted((root / name).glob("*.yaml")) for row in _load_yaml(path)]


def format_number(value) -> str:
    """34.0 → '34', 2.89 → '2.89', as the plan writes numbers."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def parse_responsibility(clause: str, departments: list[dict]) -> tuple[list[tuple[str, str]], str]:
    """Departments named in a responsibility clause, with their roles, and any text left unrecognised.

    Those named before 牵头 lead and those after it cooperate; with no 牵头 every named department leads, since the
    plan makes them jointly responsible (按职责分工负责).
    """
    clause = clause.split(_CITY_GOVERNMENTS)[0]
    names = sorted(
        ((alias, d["code"]) for d in departments for alias in [d["name"], *d.get("aliases", [])]),
        key=lambda pair: -len(pair[0]),
    )
    found: list[tuple[int, str]] = []
    masked = clause
    for name, code in names:
        for match in re.finditer(re.escape(name), masked):
            found.append((match.start(), code))
        masked = masked.replace(name, "\0" * len(name))
    leftover = _CLAUSE_FILLER.sub("", masked.replace("\0", ""))
    lead_at = clause.find("牵头")
    roles: list[tuple[str, str]] = []
    for position, code in sorted(found):
        role = "lead" if lead_at < 0 or position < lead_at else "cooperating"
        if code not in {c for c, _ in roles}:
            roles.append((code, role))
    return roles, leftover


def _anchor(text: str, heading: str, start: int = 0) -> int:
    position = text.find(heading, start)
    return position if position >= 0 else start


def read_plan_fixture(root: Path = PLAN_DIR) -> PlanFixture:
    fixture = PlanFixture(
        areas=_load_yaml(root / "areas.yaml"),
        departments=_load_yaml(root / "departments.yaml"),
        sections=_load_yaml(root / "sections.yaml"),
        measures=_load_yaml(root / "measures.yaml"),
        special_columns=_load_yaml(root / "special_columns.yaml"),
        projects=_load_dir(root, "projects"),
        indicators=_load_dir(root, "indicators"),
        targets=_load_dir(root, "targets"),
        units=_load_units(root / "units.yaml"),
    )
    _Checker(fixture, plan_text()).run()
    if fixture.problems:
        raise PlanFixtureError(fixture.problems)
    return fixture


class _Checker:
    """Checks every row against the others and against the plan's text, collecting problems rather than stopping at
    the first; fills in what the loader derives (responsibility roles, source offsets, summed area values)."""

    def __init__(self, fixture: PlanFixture, text: str):
        self.fixture, self.text, self.problems = fixture, text, fixture.problems
        self.section_at: dict[str, int] = {}  # where each section starts in the text
        self.column_at: dict[int, int] = {}

    def problem(self, row: dict, message: str) -> None:
        self.problems.append(f"{row.get('_file')}: {row.get('code', row.get('number'))}: {message}")

    def unique(self, rows: list[dict], key: str = "code") -> dict:
        index = {}
        for row in rows:
            if row.get(key) in index:
                self.problem(row, f"duplicate {key}")
            index[row.get(key)] = row
        return index

    def run(self) -> None:
        f = self.fixture
        self.areas, self.sections = self.unique(f.areas), self.unique(f.sections)
        self.measures, self.columns = self.unique(f.measures), self.unique(f.special_columns, "number")
        self.projects, self.indicators = self.unique(f.projects), self.unique(f.indicators)
        self.unique(f.departments)
        self.unique(f.targets)
        for area in f.areas:
            if area.get("parent") and area["parent"] not in self.areas:
                self.problem(area, "unknown parent area")
        self.check_sections()
        self.check_measures()
        self.check_special_columns()
        self.check_indicators()
        for target in f.targets:
            self.check_target_links(target)
            self.check_target_source(target)
            self.check_target_value(target)
            self.check_target_recurrence(target)

    def check_sections(self) -> None:
        # Where each section starts in the text, so a quotation that occurs twice is placed where the outline puts it.
        for section in self.fixture.sections:
            parent = section.get("parent")
            if parent and parent not in self.sections:
                self.problem(section, "unknown parent section")
        self.section_at = anchor_sections(self.text, self.fixture.sections)

    def check_measures(self) -> None:
        measures = self.fixture.measures
        for measure in measures:
            if measure.get("section") not in self.sections:
                self.problem(measure, "unknown section")
            clause = measure.get("responsibility")
            if clause:
                if clause not in self.text:
                    self.problem(measure, "responsibility clause is not verbatim in the plan")
                roles, leftover = parse_responsibility(clause, self.fixture.departments)
                if leftover:
                    self.problem(measure, f"unrecognised department text {leftover!r}")
                measure["roles"] = roles
            elif measure.get("inherit") != "section":
                self.problem(measure, "needs a responsibility clause or inherit: section")
        for measure in measures:
            if measure.get("inherit") == "section":
                roles: dict[str, str] = {}
                for other in measures:
                    if other["section"] == measure["section"] and other is not measure:
                        for code, role in other.get("roles", []):
                            if roles.get(code) != "lead":
                                roles[code] = role
                if not roles:
                    self.problem(measure, "inherits from a section with no responsibility clause")
                measure["roles"] = list(roles.items())

    def check_special_columns(self) -> None:
        for column in self.fixture.special_columns:
            if column.get("section") not in self.sections:
                self.problem(column, "unknown section")
            heading = f"专栏{column['number']} {column['title']}"
            if heading not in self.text:
                self.problem(column, "heading is not verbatim in the plan")
            self.column_at[column["number"]] = _anchor(self.text, heading)
        for project in self.fixture.projects:
            if project.get("special_column") not in self.columns:
                self.problem(project, "unknown special column")
            if project.get("measure") not in self.measures:
                self.problem(project, "unknown measure")
            if project.get("source", "") not in self.text:
                self.problem(project, "source is not verbatim in the plan")

    def check_indicators(self) -> None:
        for indicator in self.fixture.indicators:
            for key in ("name", "unit", "kind", "direction", "min_value", "max_value", "aggregation", "reported_by"):
                if key not in indicator:
                    self.problem(indicator, f"missing {key}")
            if indicator.get("min_value", 0) > indicator.get("max_value", 0):
                self.problem(indicator, "min_value above max_value")

    def check_target_links(self, target: dict) -> None:
        for key in ("section", "measure", "indicator", "name", "comparator", "unit", "target_year", "scope", "source"):
            if key not in target:
                self.problem(target, f"missing {key}")
        if target.get("section") not in self.sections:
            self.problem(target, "unknown section")
        if target.get("measure") not in self.measures:
            self.problem(target, "unknown measure")
        if target.get("indicator") not in self.indicators:
            self.problem(target, f"unknown indicator {target.get('indicator')}")
        if target.get("comparator") not in COMPARATORS:
            self.problem(target, f"unknown comparator {target.get('comparator')}")
        if target.get("scope") not in SCOPES:
            self.problem(target, f"unknown scope {target.get('scope')}")
        for area_code in target.get("area_values") or {}:
            if str(area_code) not in self.areas:
                self.problem(target, f"unknown area {area_code}")
        if target.get("scope") == "areas" and not target.get("area_values"):
            self.problem(target, "scope areas needs area_values")
        column = target.get("special_column")
        if column and column not in self.columns:
            self.problem(target, "unknown special column")
        if target.get("project") and target["project"] not in self.projects:
            self.problem(target, "unknown project")

    def check_target_source(self, target: dict) -> None:
        """The quotation must be verbatim; its offset is looked for from the target's section or special column."""
        source, column = target.get("source", ""), target.get("special_column")
        anchor = self.column_at.get(column) if column else self.section_at.get(target.get("section"), 0)
        offset = self.text.find(source, anchor or 0)
        if offset < 0:
            offset = self.text.find(source)
        if not source or offset < 0:
            self.problem(target, "source is not verbatim in the plan")
        target["source_offset"] = max(offset, 0)

    def check_target_value(self, target: dict) -> None:
        comparator = target.get("comparator")
        if comparator == Comparator.DONE_BY:
            if not isinstance(target.get("deadline"), datetime.date):
                self.problem(target, "a done_by target needs a deadline date")
        elif "value" not in target and target.get("scope") == "areas" and target.get("area_values"):
            # A list of per-area quantities with no stated total: the provincial figure is their sum.
            target["value"] = round(sum(float(v) for v in target["area_values"].values()), 6)
            target["value_from_areas"] = True
        elif not isinstance(target.get("value"), int | float) or isinstance(target.get("value"), bool):
            self.problem(target, "value must be a number")
        else:
            written = str(target.get("value_text") or format_number(target["value"]))
            if written not in target.get("source", ""):
                self.problem(target, f"value {written!r} does not appear in its source")
        if comparator in COMPARATORS and Comparator(comparator).is_reduction and not target.get("baseline_year"):
            self.problem(target, "a reduction needs a baseline_year")

    def check_target_recurrence(self, target: dict) -> None:
        """A duty the plan sets every year (每年…) is judged year by year: recurrence yearly from first_year to
        last_year (the target year), at least a quantity or done by a day of each year (deadline_in_year MM-DD), on an
        indicator that restarts every January (seasonal)."""
        recurrence = target.setdefault("recurrence", Recurrence.ONCE)
        fields = ("first_year", "last_year", "deadline_in_year")
        if recurrence == Recurrence.ONCE:
            if "每年" in target.get("source", ""):
                self.problem(target, "the plan sets it every year (每年): recurrence yearly")
            for key in fields:
                if key in target:
                    self.problem(target, f"{key} belongs to a yearly target")
            return
        if recurrence != Recurrence.YEARLY:
            self.problem(target, f"unknown recurrence {recurrence}")
            return
        first, last = target.get("first_year"), target.get("last_year")
        if not (isinstance(first, int) and isinstance(last, int) and first <= last):
            self.problem(target, "a yearly target needs first_year ≤ last_year")
        elif target.get("target_year") != last:
            self.problem(target, "a yearly target's target_year is its last_year")
        if target.get("comparator") not in YEARLY_COMPARATORS:
            self.problem(target, f"a yearly target is {' or '.join(YEARLY_COMPARATORS)}: each year starts from zero")
        if not self.indicators.get(target.get("indicator"), {}).get("seasonal"):
            self.problem(target, "a yearly target's indicator must restart every January (seasonal: true)")
        day = _month_day(target.get("deadline_in_year", "12-31"))
        if day is None:
            self.problem(target, "deadline_in_year must be a day every year has, as MM-DD (每年9月底前 → 09-30)")
        elif target.get("comparator") == Comparator.DONE_BY and isinstance(last, int):
            due = day.replace(year=last)
            if target.get("deadline") != due:
                self.problem(target, f"a yearly done_by target's deadline is that of its last year, {due}")


def _month_day(text) -> datetime.date | None:
    """'09-30' as a date of a year that is not a leap year (so 02-29, which not every year has, is refused)."""
    try:
        return datetime.datetime.strptime(f"2001-{text}", "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None
