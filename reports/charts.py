"""The report's key charts as static SVG, drawn offline by matplotlib with the Noto CJK font: status counts per theme
and per city. The text stays text (svg.fonttype none), so the PDF embeds the same CJK font and its words can be
searched and extracted."""

import io

import matplotlib

matplotlib.use("Agg")  # no display: the web server and the Celery worker draw to memory

import matplotlib.pyplot as plt
import pandas as pd

from progress.models import Status

from .tables import labels

COLOURS = {
    "achieved": "#1a7f37",
    "on_track": "#4ac26b",
    "at_risk": "#d4a72c",
    "off_track": "#e16f24",
    "regressing": "#cf222e",
    "overdue": "#8250df",
    "no_baseline": "#8c959f",
    "no_data": "#d0d7de",
}
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "liaoning-eco",  # the same chart gives the same SVG
    "font.family": "sans-serif",
    "font.sans-serif": ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"],
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def status_bars(counts: pd.DataFrame, title: str) -> str:
    """A horizontal stacked bar per group (rows of `counts`: group, one column per status)."""
    names = labels(Status)
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 0.32 * len(counts) + 1.1))
        left = pd.Series(0, index=counts.index, dtype=float)
        for status in Status.values:
            values = counts[status].astype(float)
            if values.sum():
                axes.barh(counts["group"], values, left=left, color=COLOURS[status], label=names[status])
                left += values
        axes.invert_yaxis()
        axes.set_title(title, loc="left", fontsize=10)
        axes.set_xlabel("目标×地区（项）")
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
        plt.close(figure)
    return out.getvalue()
