import csv
import json

from django.core.management.base import BaseCommand

from targets.models import Target
from targets.selectors import departments_by_role, targets_with_responsibility

COLUMNS = [
    "code",
    "section",
    "name",
    "indicator",
    "comparator",
    "target_value",
    "unit",
    "baseline_year",
    "baseline_value",
    "target_year",
    "recurrence",
    "first_year",
    "last_year",
    "deadline_in_year",
    "scope",
    "lead_departments",
    "cooperating_departments",
    "special_column",
    "source_text",
]


def plan_rows():
    for target in targets_with_responsibility():
        lead, cooperating = departments_by_role(target)
        area_values = "; ".join(f"{v.area.name} {v.value:g}" for v in target.area_values.all())
        yield {
            "code": target.code,
            "section": f"{target.section.code} {target.section.title}",
            "name": target.name,
            "indicator": target.indicator.code,
            "comparator": target.comparator,
            "target_value": (
                target.deadline.isoformat() if target.comparator == Target.Comparator.DONE_BY else f"{target.value:g}"
            ),
            "unit": target.unit,
            "baseline_year": target.baseline_year or "",
            "baseline_value": "" if target.baseline_value is None else f"{target.baseline_value:g}",
            "target_year": target.target_year,
            "recurrence": target.recurrence,
            "first_year": target.first_year or "",
            "last_year": target.last_year or "",
            "deadline_in_year": target.deadline_in_year,
            "scope": target.scope + (f" ({area_values})" if area_values else ""),
            "lead_departments": ";".join(d.name for d in lead),
            "cooperating_departments": ";".join(d.name for d in cooperating),
            "special_column": f"专栏{target.special_column.number}" if target.special_column else "",
            "source_text": target.source_text,
        }


class Command(BaseCommand):
    help = "按行输出方案中的每项目标（含专栏工程量）。Print one row per commitment of the plan."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, **options):
        rows = plan_rows()
        if options["format"] == "json":
            self.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=1))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
