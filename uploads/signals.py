"""What the upload pipeline announces to the layers above it. `tasks_app` listens and queues the work, so this app
never imports upward. A receiver that raises means "not delivered": the sender decides what that costs."""

from django.dispatch import Signal

# An upload is stored and waits to be processed. Arguments: upload_id.
upload_waiting = Signal()
# An upload's values became current (sent after commit). Arguments: area_ids, indicator_ids.
observations_changed = Signal()
