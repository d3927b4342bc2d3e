"""What the reports app announces to the layer above it: `tasks_app` queues the build, so reports never imports it."""

from django.dispatch import Signal

# A report too big for one request waits to be built. Arguments: report_id.
report_requested = Signal()
