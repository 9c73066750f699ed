"""The worker's reports to operations: a heartbeat with its sandbox's self-test, and the sandbox counters.

The main process records its heartbeat when ready and then every ``WORKER_HEARTBEAT_S`` from a
thread, re-running the confinement self-test every ``WORKER_SELFTEST_EVERY_S``; /readyz and the
status page read the rows. Each pool process adds its sandboxes' tally (case outcomes, platform
errors, zygote restarts) to the shared counters after every task, for /metrics.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from celery.signals import task_postrun, worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from config.celery import SANDBOX_REPORT, sandbox_selftest
from operations import services
from submissions.runtime import sandbox_tally

log = logging.getLogger("dlgrade.worker")
_stopping = threading.Event()


def _beat(consumer) -> None:
    hostname = consumer.hostname
    started_at = timezone.now()
    queues = sorted(queue.name for queue in consumer.task_consumer.queues) if consumer.task_consumer else []
    concurrency = getattr(consumer.controller, "concurrency", None) or 1
    last_selftest = time.monotonic()
    while True:
        if time.monotonic() - last_selftest >= settings.WORKER_SELFTEST_EVERY_S:
            last_selftest = time.monotonic()
            problems = sandbox_selftest()
            if problems:
                log.critical("sandbox self-test failed again: %s", "; ".join(problems))
        try:
            close_old_connections()
            services.worker_heartbeat_record(
                hostname=hostname,
                pid=os.getpid(),
                concurrency=int(concurrency),
                queues=queues,
                layers=SANDBOX_REPORT["layers"],
                missing=SANDBOX_REPORT["missing"],
                selftest_passed_at=SANDBOX_REPORT["passed_at"],
                selftest_problems=SANDBOX_REPORT["problems"],
                started_at=started_at,
            )
        except Exception:  # the database is down: the worker grades on, the next beat tries again
            log.warning("could not record this worker's heartbeat", exc_info=True)
        finally:
            connection.close()  # this thread's own connection
        if _stopping.wait(settings.WORKER_HEARTBEAT_S):
            return


@worker_ready.connect
def start_heartbeat(sender=None, **kwargs) -> None:
    _stopping.clear()
    threading.Thread(target=_beat, args=(sender,), name="dlgrade-heartbeat", daemon=True).start()


@worker_shutdown.connect
def stop_heartbeat(sender=None, **kwargs) -> None:
    _stopping.set()
    try:
        services.worker_heartbeat_remove(hostname=sender.hostname)
    except Exception:
        log.warning("could not remove this worker's heartbeat", exc_info=True)


@task_postrun.connect
def add_sandbox_tally(task=None, **kwargs) -> None:
    if task is not None and getattr(task.request, "is_eager", False):
        return  # graded in the caller's process (tests): its transaction, not ours
    tally = sandbox_tally()
    if tally:
        try:
            services.sandbox_counters_add(counts=tally)
        except Exception:
            log.warning("could not add the sandbox counters %s", tally, exc_info=True)
