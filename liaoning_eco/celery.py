"""The Celery application: tasks live in tasks_app, the schedule in settings.CELERY_BEAT_SCHEDULE."""

import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaoning_eco.settings")

app = Celery("liaoning_eco")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class SweepOnConnect(bootsteps.StartStopStep):
    """Each time a worker (re)connects to the broker, uploads that waited while it was away are sent again at once,
    oldest first, instead of at the next beat sweep."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        consumer.app.send_task("tasks_app.tasks.sweep_uploads_task", kwargs={"on_connect": True})


app.steps["consumer"].add(SweepOnConnect)
