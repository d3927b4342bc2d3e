"""Serves, as static files, what the charts need from outside the static folder: plotly.min.js from the plotly package
(vendor/plotly.min.js) and Liaoning's boundaries from indicators/geo (vendor/geo/liaoning.geojson), so that a map's
GeoJSON travels once, as a file the browser caches, rather than inside every page's figure."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

from indicators.geo import BOUNDARIES_PATH

BUNDLE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC_PATH = "vendor/plotly.min.js"
BOUNDARIES_STATIC_PATH = "vendor/geo/liaoning.geojson"
FILES = {STATIC_PATH: BUNDLE, BOUNDARIES_STATIC_PATH: BOUNDARIES_PATH}


def _storage(static_path: str, source: Path) -> FileSystemStorage:
    storage = FileSystemStorage(location=str(source.parent))
    storage.prefix = static_path.rpartition("/")[0]
    return storage


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storages = {path: _storage(path, source) for path, source in FILES.items()}

    def check(self, **kwargs):
        return [f"{path} not found at {source}" for path, source in FILES.items() if not source.exists()]

    def find(self, path, find_all=False, **kwargs):
        source = FILES.get(path)
        if source is None:
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for path, source in FILES.items():
            yield source.name, self.storages[path]
