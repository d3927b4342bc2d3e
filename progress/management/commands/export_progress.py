import csv
import json

from django.core.management.base import BaseCommand

from progress.selectors import EXPORT_FIELDS, progress_export_rows


class Command(BaseCommand):
    help = "输出某季度的进度表。Print the progress table of one quarter."

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
        writer.writerows(rows)
