"""Writes the plan fixture into the database. Idempotent: a second run with the same fixture changes nothing."""

from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.models import Area, Indicator

from .fixture import PlanFixture
from .models import Department, Measure, Project, Responsibility, Section, SpecialColumn, Target, TargetAreaValue
from .revisions import Conflict, RevisionGuard, record_overwrites


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    stale: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)  # revised fields the fixture would change: kept
    overwritten: list[Conflict] = field(default_factory=list)  # the same, overwritten on request

    def guard(self, model, overwrite: bool) -> RevisionGuard:
        return RevisionGuard(model, overwrite=overwrite, conflicts=self.conflicts, overwritten=self.overwritten)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values()))


def _upsert(
    model: type[models.Model], rows: list[dict], report: LoadReport, key: str = "code", overwrite: bool = False
) -> dict:
    """Create or update `model` rows keyed by `key`; returns {key: instance}. Rows not in the fixture are reported
    as stale, not deleted: observations and history may point at them. A field revised by hand keeps its value
    (a conflict in the report) unless `overwrite`."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    guard = report.guard(model, overwrite)
    history = hasattr(model, "history")
    to_create, to_update, fields = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            obj = model(**row)
            to_create.append(obj)
            existing[row[key]] = obj
            continue
        changed = [
            name
            for name, value in row.items()
            if getattr(obj, name) != value and not guard.keeps(str(row[key]), name, getattr(obj, name), value)
        ]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            fields.update(changed)
            to_update.append(obj)
    name = model._meta.model_name
    if to_create:
        if history:
            bulk_create_with_history(to_create, model)
            # bulk_create_with_history does not set primary keys on SQLite: read them back.
            fresh = model.objects.in_bulk([getattr(o, key) for o in to_create], field_name=key)
            for obj in to_create:
                obj.pk = fresh[getattr(obj, key)].pk
        else:
            model.objects.bulk_create(to_create)
        report.created[name] += len(to_create)
    if to_update:
        if history:
            bulk_update_with_history(to_update, model, sorted(fields))
        else:
            model.objects.bulk_update(to_update, sorted(fields))
        report.updated[name] += len(to_update)
    wanted = {row[key] for row in rows}
    stale = sorted(str(k) for k in existing if k not in wanted)
    if stale:
        report.stale[name] = stale
    return existing


def _sync_links(
    model, rows: list[dict], keys: tuple[str, str], report: LoadReport, named, overwrite: bool = False
) -> None:
    """Make the link table `model` hold exactly `rows`, matched on the two foreign keys in `keys`; `named(k)` gives
    a pair's revision key. A link added, changed or removed by a revision is kept as revised unless `overwrite`."""
    existing = {(getattr(o, keys[0]), getattr(o, keys[1])): o for o in model.objects.all()}
    wanted = {(row[keys[0]], row[keys[1]]): row for row in rows}
    name = model._meta.model_name
    guard = report.guard(model, overwrite)
    # A link removed by a revision has its first field revised to null ("absent").
    to_create = [
        model(**row)
        for k, row in wanted.items()
        if k not in existing and not guard.keeps(named(k), keys[0], None, row[keys[0]])
    ]
    to_update, fields = [], set()
    for k, row in wanted.items():
        obj = existing.get(k)
        if obj is not None:
            changed = [
                f for f, v in row.items() if getattr(obj, f) != v and not guard.keeps(named(k), f, getattr(obj, f), v)
            ]
            if changed:
                for f in changed:
                    setattr(obj, f, row[f])
                fields.update(changed)
                to_update.append(obj)
    history = hasattr(model, "history")
    if to_create:
        (bulk_create_with_history(to_create, model) if history else model.objects.bulk_create(to_create))
        report.created[name] += len(to_create)
    if to_update:
        (bulk_update_with_history if history else lambda objs, m, f: m.objects.bulk_update(objs, f))(
            to_update, model, sorted(fields)
        )
        report.updated[name] += len(to_update)
    for k, obj in existing.items():
        if k not in wanted and not guard.keeps(named(k), keys[0], getattr(obj, keys[0]), None):
            obj.delete()  # one by one, so history records the removal
            report.deleted[name] += 1


def _set_parents(model, objects: dict, rows: list[dict], report: LoadReport) -> None:
    """Point each object at its parent (a tree's rows can only be linked once all of them exist)."""
    moved = []
    for row in rows:
        obj, parent = objects[row["code"]], objects.get(row.get("parent"))
        parent_id = parent.pk if parent else None
        if obj.parent_id != parent_id:
            obj.parent_id = parent_id
            moved.append(obj)
    if moved:
        model.objects.bulk_update(moved, ["parent"])
        report.updated[model._meta.model_name] += len(moved)


@transaction.atomic
def load_plan(fixture: PlanFixture, *, overwrite_revisions: bool = False) -> LoadReport:
    """Create or update every plan object from a checked fixture (see targets.fixture.read_plan_fixture). Fields
    revised by hand keep their revised value and are listed as conflicts, unless `overwrite_revisions`."""
    report = LoadReport()
    upsert = partial(_upsert, report=report, overwrite=overwrite_revisions)
    areas, indicators = _load_reference(fixture, upsert, report)
    sections, measures = _load_outline(fixture, upsert, report, overwrite_revisions)
    columns, projects = _load_special_columns(fixture, upsert, sections, measures)
    _load_targets(
        fixture, upsert, report, overwrite_revisions, refs=(areas, indicators, sections, measures, columns, projects)
    )
    if report.overwritten:
        record_overwrites(report.overwritten)
    return report


def _load_reference(fixture: PlanFixture, upsert, report: LoadReport) -> tuple[dict, dict]:
    """Areas with their hierarchy, and the indicators they report."""
    areas = upsert(
        Area,
        [
            {"code": a["code"], "name": a["name"], "name_en": a.get("name_en", ""), "level": a["level"], "order": i}
            for i, a in enumerate(fixture.areas)
        ],
    )
    _set_parents(Area, areas, fixture.areas, report)
    indicators = upsert(
        Indicator,
        [
            {
                "code": d["code"],
                "name": d["name"],
                "name_en": d.get("name_en", ""),
                "unit": d["unit"],
                "unit_en": fixture.units.get(d["unit"], ""),
                "kind": d["kind"],
                "direction": d["direction"],
                "min_value": float(d["min_value"]),
                "max_value": float(d["max_value"]),
                "max_change": float(d["max_change"]) if d.get("max_change") is not None else None,
                "aggregation": d["aggregation"],
                "seasonal": bool(d.get("seasonal", False)),
                "reported_by": d["reported_by"],
                "order": i,
            }
            for i, d in enumerate(fixture.indicators)
        ],
    )
    return areas, indicators


def _load_outline(fixture: PlanFixture, upsert, report: LoadReport, overwrite: bool) -> tuple[dict, dict]:
    """Departments, sections, the paragraphs with their responsibility clauses, and who leads or cooperates."""
    departments = upsert(
        Department,
        [
            {
                "code": d["code"],
                "name": d["name"],
                "name_en": d.get("name_en", ""),
                "kind": d["kind"],
                "aliases": d.get("aliases", []),
                "order": i,
            }
            for i, d in enumerate(fixture.departments)
        ],
    )
    sections = upsert(
        Section,
        [
            {
                "code": s["code"],
                "title": s["title"],
                "title_en": s.get("title_en", ""),
                "kind": s["kind"],
                "theme": s.get("theme", ""),
                "order": i,
            }
            for i, s in enumerate(fixture.sections)
        ],
    )
    _set_parents(Section, sections, fixture.sections, report)
    measures = upsert(
        Measure,
        [
            {
                "code": m["code"],
                "section_id": sections[m["section"]].pk,
                "title": m["title"],
                "title_en": m.get("title_en", ""),
                "responsibility_text": m.get("responsibility") or "",
                "inherits_section": m.get("inherit") == "section",
                "explicit_lead": "牵头" in (m.get("responsibility") or ""),
                "order": i,
            }
            for i, m in enumerate(fixture.measures)
        ],
    )
    measure_code = {m.pk: code for code, m in measures.items()}
    department_code = {d.pk: code for code, d in departments.items()}
    _sync_links(
        Responsibility,
        [
            {"measure_id": measures[m["code"]].pk, "department_id": departments[code].pk, "role": role, "order": j}
            for m in fixture.measures
            for j, (code, role) in enumerate(m["roles"])
        ],
        ("measure_id", "department_id"),
        report,
        named=lambda k: f"{measure_code[k[0]]}@{department_code[k[1]]}",
        overwrite=overwrite,
    )
    return sections, measures


def _load_special_columns(fixture: PlanFixture, upsert, sections: dict, measures: dict) -> tuple[dict, dict]:
    columns = upsert(
        SpecialColumn,
        [
            {
                "number": c["number"],
                "title": c["title"],
                "title_en": c.get("title_en", ""),
                "section_id": sections[c["section"]].pk,
            }
            for c in fixture.special_columns
        ],
        key="number",
    )
    projects = upsert(
        Project,
        [
            {
                "code": p["code"],
                "special_column_id": columns[p["special_column"]].pk,
                "name": p["name"],
                "name_en": p.get("name_en", ""),
                "measure_id": measures[p["measure"]].pk,
                "source_text": p["source"],
                "order": i,
            }
            for i, p in enumerate(fixture.projects)
        ],
    )
    return columns, projects


def _number(value):
    return float(value) if value is not None else None


def _target_row(t: dict, order: int, units: dict, refs: tuple) -> dict:
    _, indicators, sections, measures, columns, projects = refs
    return {
        "code": t["code"],
        "section_id": sections[t["section"]].pk,
        "measure_id": measures[t["measure"]].pk,
        "indicator_id": indicators[t["indicator"]].pk,
        "name": t["name"],
        "name_en": t.get("name_en", ""),
        "comparator": t["comparator"],
        "value": _number(t.get("value")),
        "value_text": str(t.get("value_text") or ""),
        "value_from_areas": t.get("value_from_areas", False),
        "unit": t["unit"],
        "unit_en": units.get(t["unit"], ""),
        "target_year": t["target_year"],
        "deadline": t.get("deadline"),
        "recurrence": t["recurrence"],
        "first_year": t.get("first_year"),
        "last_year": t.get("last_year"),
        "deadline_in_year": t.get("deadline_in_year", ""),
        "baseline_year": t.get("baseline_year"),
        "baseline_value": _number(t.get("baseline_value")),
        "scope": t["scope"],
        "binding": t.get("binding", True),
        "source_text": t["source"],
        "source_offset": t["source_offset"],
        "special_column_id": columns[t["special_column"]].pk if t.get("special_column") else None,
        "project_id": projects[t["project"]].pk if t.get("project") else None,
        "note": (t.get("note") or "").strip(),
        "order": order,
    }


def _load_targets(fixture: PlanFixture, upsert, report: LoadReport, overwrite: bool, refs: tuple) -> None:
    """Every commitment, and its per-area values."""
    areas = refs[0]
    targets = upsert(Target, [_target_row(t, i, fixture.units, refs) for i, t in enumerate(fixture.targets)])
    target_code = {t.pk: code for code, t in targets.items()}
    area_code = {a.pk: code for code, a in areas.items()}
    _sync_links(
        TargetAreaValue,
        [
            {"target_id": targets[t["code"]].pk, "area_id": areas[str(code)].pk, "value": float(value)}
            for t in fixture.targets
            for code, value in (t.get("area_values") or {}).items()
        ],
        ("target_id", "area_id"),
        report,
        named=lambda k: f"{target_code[k[0]]}@{area_code[k[1]]}",
        overwrite=overwrite,
    )
