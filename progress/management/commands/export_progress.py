import csv
import json

from django.core.management.base import BaseCommand

from common.spreadsheets import neutralise
from progress.selectors import EXPORT_FIELDS, progress_export_rows


class Command(BaseCommand):
    help = "输出某季度的进度表（含实际值来源）。Print a quarter of the progress table with the source of each actual."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, year, quarter, format, **options):
        rows = progress_export_rows(year=year, quarter=quarter)
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=EXPORT_FIELDS, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        # A note typed in an upload reaches the file: text that would start a formula is written as text.
        writer.writerows({name: neutralise(value) for name, value in row.items()} for row in rows)
