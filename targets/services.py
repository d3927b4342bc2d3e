"""Writes the plan fixture into the database. Idempotent: a second run with the same fixture changes nothing."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.models import Area, Indicator

from .fixture import PlanFixture
from .models import Department, Measure, Project, Responsibility, Section, SpecialColumn, Target, TargetAreaValue


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    stale: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values()))


def _upsert(model: type[models.Model], rows: list[dict], report: LoadReport, key: str = "code") -> dict:
    """Create or update `model` rows keyed by `key`; returns {key: instance}. Rows not in the fixture are reported
    as stale, not deleted: observations and history may point at them."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    history = hasattr(model, "history")
    to_create, to_update, fields = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            obj = model(**row)
            to_create.append(obj)
            existing[row[key]] = obj
            continue
        changed = [name for name, value in row.items() if getattr(obj, name) != value]
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


def _sync_links(model, rows: list[dict], keys: tuple[str, str], report: LoadReport) -> None:
    """Make the link table `model` hold exactly `rows`, matched on the two foreign keys in `keys`."""
    existing = {(getattr(o, keys[0]), getattr(o, keys[1])): o for o in model.objects.all()}
    wanted = {(row[keys[0]], row[keys[1]]): row for row in rows}
    name = model._meta.model_name
    to_create = [model(**row) for k, row in wanted.items() if k not in existing]
    to_update, fields = [], set()
    for k, row in wanted.items():
        obj = existing.get(k)
        if obj is not None:
            changed = [f for f, v in row.items() if getattr(obj, f) != v]
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
        if k not in wanted:
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
def load_plan(fixture: PlanFixture) -> LoadReport:
    """Create or update every plan object from a checked fixture (see targets.fixture.read_plan_fixture)."""
    report = LoadReport()

    areas = _upsert(
        Area,
        [
            {"code": a["code"], "name": a["name"], "name_en": a.get("name_en", ""), "level": a["level"], "order": i}
            for i, a in enumerate(fixture.areas)
        ],
        report,
    )
    _set_parents(Area, areas, fixture.areas, report)

    departments = _upsert(
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
        report,
    )

    sections = _upsert(
        Section,
        [
            {"code": s["code"], "title": s["title"], "kind": s["kind"], "theme": s.get("theme", ""), "order": i}
            for i, s in enumerate(fixture.sections)
        ],
        report,
    )
    _set_parents(Section, sections, fixture.sections, report)

    measures = _upsert(
        Measure,
        [
            {
                "code": m["code"],
                "section_id": sections[m["section"]].pk,
                "title": m["title"],
                "responsibility_text": m.get("responsibility") or "",
                "inherits_section": m.get("inherit") == "section",
                "explicit_lead": "牵头" in (m.get("responsibility") or ""),
                "order": i,
            }
            for i, m in enumerate(fixture.measures)
        ],
        report,
    )
    _sync_links(
        Responsibility,
        [
            {"measure_id": measures[m["code"]].pk, "department_id": departments[code].pk, "role": role, "order": j}
            for m in fixture.measures
            for j, (code, role) in enumerate(m["roles"])
        ],
        ("measure_id", "department_id"),
        report,
    )

    columns = _upsert(
        SpecialColumn,
        [
            {"number": c["number"], "title": c["title"], "section_id": sections[c["section"]].pk}
            for c in fixture.special_columns
        ],
        report,
        key="number",
    )
    projects = _upsert(
        Project,
        [
            {
                "code": p["code"],
                "special_column_id": columns[p["special_column"]].pk,
                "name": p["name"],
                "measure_id": measures[p["measure"]].pk,
                "source_text": p["source"],
                "order": i,
            }
            for i, p in enumerate(fixture.projects)
        ],
        report,
    )

    indicators = _upsert(
        Indicator,
        [
            {
                "code": d["code"],
                "name": d["name"],
                "name_en": d.get("name_en", ""),
                "unit": d["unit"],
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
        report,
    )

    def number(value):
        return float(value) if value is not None else None

    targets = _upsert(
        Target,
        [
            {
                "code": t["code"],
                "section_id": sections[t["section"]].pk,
                "measure_id": measures[t["measure"]].pk,
                "indicator_id": indicators[t["indicator"]].pk,
                "name": t["name"],
                "comparator": t["comparator"],
                "value": number(t.get("value")),
                "value_text": str(t.get("value_text") or ""),
                "value_from_areas": t.get("value_from_areas", False),
                "unit": t["unit"],
                "target_year": t["target_year"],
                "deadline": t.get("deadline"),
                "baseline_year": t.get("baseline_year"),
                "baseline_value": number(t.get("baseline_value")),
                "scope": t["scope"],
                "binding": t.get("binding", True),
                "source_text": t["source"],
                "source_offset": t["source_offset"],
                "special_column_id": columns[t["special_column"]].pk if t.get("special_column") else None,
                "project_id": projects[t["project"]].pk if t.get("project") else None,
                "note": (t.get("note") or "").strip(),
                "order": i,
            }
            for i, t in enumerate(fixture.targets)
        ],
        report,
    )
    _sync_links(
        TargetAreaValue,
        [
            {"target_id": targets[t["code"]].pk, "area_id": areas[str(code)].pk, "value": float(value)}
            for t in fixture.targets
            for code, value in (t.get("area_values") or {}).items()
        ],
        ("target_id", "area_id"),
        report,
    )
    return report
