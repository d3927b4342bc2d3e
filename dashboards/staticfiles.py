"""Serves plotly.min.js from the plotly package as the static file vendor/plotly.min.js."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC_PATH = "vendor/plotly.min.js"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(BUNDLE.parent))
        self.storage.prefix = "vendor"

    def check(self, **kwargs):
        return [] if BUNDLE.exists() else [f"plotly.min.js not found at {BUNDLE}"]

    def find(self, path, find_all=False, **kwargs):
        if path != STATIC_PATH:
            return [] if find_all else None
        return [str(BUNDLE)] if find_all else str(BUNDLE)

    def list(self, ignore_patterns):
        yield BUNDLE.name, self.storage
