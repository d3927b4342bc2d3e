"""What the plan announces to the layers above it (progress and tasks listen; the plan never imports upward)."""

from django.dispatch import Signal

# The plan's targets or per-area values changed (sent after commit). Arguments: indicator_ids (None: the whole plan).
plan_changed = Signal()
