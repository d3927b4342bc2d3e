"""The real Celery app with a breakpoint for the worker-loss tests: the first upload a worker claims is held right
after its claim is committed (status processing), until the test kills the worker or its pool process. The folder
in TEST_HOLD_DIR says what happened: `held` once an upload is held."""

import os
import time
from pathlib import Path

from celery.signals import task_prerun

from liaoning_eco.celery import app

__all__ = ["app"]


def _hold() -> None:
    marker = Path(os.environ["TEST_HOLD_DIR"]) / "held"
    if marker.exists():  # hold only the first claim: a redelivery goes through
        return
    marker.touch()
    while True:
        time.sleep(1)


@task_prerun.connect
def _connect_hold(**kwargs):
    from django.db import transaction
    from django.db.models.signals import post_save

    from uploads.models import Upload

    def claimed(sender, instance, **kwargs):
        if instance.status == Upload.Status.PROCESSING:
            transaction.on_commit(_hold)

    post_save.connect(claimed, sender=Upload, dispatch_uid="hold-after-claim", weak=False)
