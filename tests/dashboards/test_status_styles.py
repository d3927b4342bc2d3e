"""The tables' status badges look like the figures: the stylesheet (which cannot import Python) gives every status the
colour progress.choices.Status gives it, which the figures read directly."""

import re
from pathlib import Path

from progress.choices import Status, YearState

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def test_the_stylesheet_colours_each_badge_as_the_registry_does():
    """app.css cannot import the registry: this keeps its badge and border colours from drifting away from it."""
    css = STYLESHEET.read_text(encoding="utf-8")
    for status in Status:
        badge = re.search(rf"\.st-{status.value} \{{ border-color: (#[0-9A-Fa-f]{{6}});", css)
        border = re.search(rf"\.st-border-{status.value} \{{ border-left-color: (#[0-9A-Fa-f]{{6}});", css)
        assert badge and badge.group(1).upper() == status.colour.upper(), status
        assert border and border.group(1).upper() == status.colour.upper(), status


def test_the_stylesheet_colours_each_year_of_a_yearly_duty_as_the_registry_does():
    css = STYLESHEET.read_text(encoding="utf-8")
    for state in YearState:
        badge = re.search(rf"\.st-{state.value} \{{ border-color: (#[0-9A-Fa-f]{{6}});", css)
        assert badge and badge.group(1).upper() == state.colour.upper(), state
