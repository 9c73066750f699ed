"""The Celery app. Workers import the same settings module as the web process."""

import os

from celery import Celery
from celery.signals import worker_process_init, worker_process_shutdown

from config import broker  # noqa: F401 - registers the embedded broker's transport alias

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dlgrade")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def warm_sandbox(**kwargs) -> None:
    """Start this worker process's sandbox before the first submission arrives."""
    from submissions.grading import process_zygote

    process_zygote()


@worker_process_shutdown.connect
def close_sandbox(**kwargs) -> None:
    from submissions.grading import close_process_zygote

    close_process_zygote()
