"""The Celery application: tasks live in tasks_app, the schedule in settings.CELERY_BEAT_SCHEDULE."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaoning_eco.settings")

app = Celery("liaoning_eco")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
