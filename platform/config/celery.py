"""The Celery app. Workers import the same settings module as the web process."""

import logging
import os
import signal
from datetime import UTC, datetime

from celery import Celery
from celery.signals import beat_embedded_init, task_prerun, worker_init, worker_process_init
from django.conf import settings
from django.db import close_old_connections

from config import broker  # noqa: F401 - registers the embedded broker's transport alias
from config.parent_death import die_with_parent
from graders.sandbox import Zygote, confinement_selftest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dlgrade")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
log = logging.getLogger("dlgrade.worker")


class RoutineTaskLines(logging.Filter):
    """Drop the INFO lines of the beat's routine sweeps (sent, received, succeeded): three of them every
    10 s buried the gradings in `make run`'s console. Their warnings and errors still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        return not any(entry["task"] in message for entry in settings.CELERY_BEAT_SCHEDULE.values())


for _name in ("celery.beat", "celery.worker.strategy", "celery.app.trace"):
    logging.getLogger(_name).addFilter(RoutineTaskLines())


# This worker's sandbox as its latest self-test found it; operations/worker.py reports it with the heartbeat.
SANDBOX_REPORT: dict = {"layers": [], "missing": [], "problems": [], "passed_at": None}


def sandbox_selftest() -> list[str]:
    """Start a zygote, prove the confinement holds, record the result in SANDBOX_REPORT; return the problems."""
    layers: list[str] = []
    missing: list[str] = []
    try:
        zygote = Zygote(settings.DLGRADE_SANDBOX)
        zygote.start()
    except Exception as exc:
        problems = [f"the sandbox cannot start: {exc}"]
    else:
        try:
            layers, missing = list(zygote.layers), list(zygote.missing)
            problems = confinement_selftest(zygote)
        finally:
            zygote.close()
    SANDBOX_REPORT.update(layers=layers, missing=missing, problems=problems)
    if not problems:
        SANDBOX_REPORT["passed_at"] = datetime.now(UTC)
    return problems


@worker_init.connect
def refuse_to_grade_unconfined(**kwargs) -> None:
    """Before any pool process starts: report the sandbox's layers and prove the confinement holds.

    If a probe opens a socket or reads a host file, the worker exits instead of grading.
    """
    problems = sandbox_selftest()
    if SANDBOX_REPORT["layers"]:
        log.info("sandbox layers: %s", ", ".join(SANDBOX_REPORT["layers"]))
    if SANDBOX_REPORT["missing"]:
        log.warning("sandbox layers missing on this host: %s", "; ".join(SANDBOX_REPORT["missing"]))
    if problems:
        log.critical("sandbox self-test failed, this worker refuses to grade: %s", "; ".join(problems))
        raise SystemExit(78)  # Celery's signal dispatch lets SystemExit through: the worker stops
    log.info("sandbox self-test passed: no socket, no host file, no write outside /tmp, no fork")


@task_prerun.connect
def recycle_database_connection(task=None, **kwargs) -> None:
    """What Django does around each request, around each task: drop a connection that broke (the
    database restarted), failed its health check or outlived CONN_MAX_AGE; keep a healthy one.
    Not for a task applied in the caller's process (tests, eager mode): the caller owns that
    connection, perhaps mid-transaction, as Celery's own Django fixup also assumes."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    close_old_connections()


@worker_process_init.connect
def die_with_the_worker(**kwargs) -> None:
    """A pool process whose worker was killed would be left grading (or spinning) on its own; its
    zygote and the zygote's children already die with it (their parent-death signals)."""
    die_with_parent(signal.SIGKILL)


@beat_embedded_init.connect
def beat_dies_with_the_worker(**kwargs) -> None:
    """`worker --beat` runs beat as a child process: it goes with its worker too."""
    die_with_parent(signal.SIGKILL)
