"""The Celery application: tasks live in tasks_app, the schedule in settings.CELERY_BEAT_SCHEDULE."""

import os

from celery import Celery, bootsteps
from celery.signals import worker_process_init

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


@worker_process_init.connect
def prepare_pool_process(**kwargs):
    """Each pool process starts the fork server its readers run in (uploads.bounded) while the machine is quiet, then
    yields the CPU to the web server where they share it: pages are read by people waiting, uploads are finished a
    moment later (settings.CELERY_WORKER_NICE; 0 keeps the ordinary priority)."""
    from django.conf import settings

    from uploads.bounded import start_fork_server

    start_fork_server()
    yield_cpu(settings.CELERY_WORKER_NICE)


def yield_cpu(niceness: int) -> None:
    """Lower this pool process's priority by `niceness`, and that of the worker's session where the worker leads a
    session of its own (started by systemd, setsid or a process manager). Linux shares the CPU between sessions first
    (autogroup) and applies nice only within each: without the session's own nice value, a busy worker would take
    as much CPU as the whole web server. A session the worker shares (a shell's) is left alone."""
    if niceness <= 0:
        return
    os.nice(niceness)
    if os.getsid(0) != os.getppid():  # the worker's main process does not lead this session
        return
    try:
        with open("/proc/self/autogroup", "w") as group:
            group.write(str(niceness))
    except OSError:  # no autogroup here (another system, or turned off), or changed a moment ago by a sibling
        pass
