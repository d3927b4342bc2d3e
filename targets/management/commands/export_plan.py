import csv
import json

from django.core.management.base import BaseCommand

from common.spreadsheets import neutralise_row
from indicators.models import Area
from targets.selectors import PLAN_COLUMNS, plan_export_rows


class Command(BaseCommand):
    help = (
        "按行输出方案中的每项目标（含专栏工程量），分地区目标各占一行。"
        "Print one row per commitment of the plan: each target, then each area's own value."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, **options):
        rows = plan_export_rows(province_code=Area.objects.province().code)
        if options["format"] == "json":
            self.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=1))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(PLAN_COLUMNS)
        # Every text cell is made formula-safe: a plan revision may put any text in a name.
        writer.writerows(neutralise_row([row[c] for c in PLAN_COLUMNS]) for row in rows)
