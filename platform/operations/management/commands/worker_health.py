"""Exit 0 when this host's grading worker is up and its sandbox self-test passed recently (a container healthcheck)."""

from __future__ import annotations

import socket

from django.core.management.base import BaseCommand, CommandError

from operations import selectors


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--hostname", default=f"celery@{socket.gethostname()}", help="the worker's node name")

    def handle(self, *args, hostname: str, **options) -> None:
        worker = next((w for w in selectors.workers_online() if w.hostname == hostname), None)
        if worker is None:
            raise CommandError(f"{hostname}: no fresh heartbeat")
        if not selectors.worker_is_trusted(worker):
            raise CommandError(
                f"{hostname}: sandbox self-test not passed recently: {'; '.join(worker.selftest_problems)}"
            )
        self.stdout.write(f"{hostname}: up, sandbox self-test passed {worker.selftest_passed_at:%H:%M:%S}")
