"""`manage.py grade SLUG FILE... --json`: the batch contract of docs/catalog.md.

Stdout carries only the records (JSON lines, or CSV with ``--format csv``); with ``--output`` they
go to that file and stdout stays empty. Everything else (skipped entries, the progress bar when
stderr is a terminal) goes to stderr. Exit 0 whatever the scores, 2 for usage errors (unknown
slug, missing file, unreadable archive or output).

A FILE may be a folder (its ``.py`` files, walked in sorted order) or a zip archive (read in
memory, never extracted); entries that are not submissions are skipped and named on stderr.
``--workers N`` grades N files at a time on this machine; ``--distributed`` stores the files as a
batch job and lets the worker pool grade them (any number of machines), gathering the records in
input order.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
import time
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from batches.models import BatchJob
from batches.selectors import batch_job_progress, batch_records_from
from batches.services import batch_job_create, batch_job_refresh
from catalog.models import Exercise
from graders.batch import Collected, InputError, collect_inputs, csv_header, csv_row, grade_inputs, record_in_order
from graders.bundle import Bundle, BundleError, load_cached

POLL_S = 0.1
REFRESH_EVERY_S = 2.0
NO_WORKER_NOTICE_S = 15.0


class Command(BaseCommand):
    help = "Grade files, folders or zip archives as submissions of an exercise; print one record per file."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("files", nargs="+", metavar="FILE", help="a .py file, a folder of them or a zip archive")
        parser.add_argument("--json", action="store_true", help="print one JSON object per line (the default output)")
        parser.add_argument("--format", choices=("json", "csv"), default=None, help="json lines (default) or csv")
        parser.add_argument("--output", metavar="FILE", help="write the records to FILE instead of stdout")
        parser.add_argument("--workers", type=int, default=1, help="grade N files in parallel (one sandbox each)")
        parser.add_argument(
            "--distributed",
            action="store_true",
            help=f"fan the files out as tasks to the worker pool through the broker (queue {settings.CELERY_BATCH_QUEUE})",
        )

    def handle(self, *args, slug, files, workers, output, distributed, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1", returncode=2)
        if options["json"] and options["format"] == "csv":
            raise CommandError("--json and --format csv contradict each other", returncode=2)
        output_format = options["format"] or "json"
        folder = Path(settings.EXERCISES_DIR) / slug
        if not slug or "/" in slug or slug.startswith(".") or not (folder / "exercise.toml").is_file():
            raise CommandError(f"unknown exercise {slug!r}", returncode=2)
        missing = [file for file in files if not Path(file).exists()]
        if missing:
            raise CommandError(f"no such file: {missing[0]}", returncode=2)
        try:
            bundle = load_cached(folder)
        except BundleError as exc:
            raise CommandError(f"exercise {slug!r} cannot be graded: {exc.reason}", returncode=1) from None
        exercise = self._exercise_for_distribution(slug, bundle) if distributed else None
        try:
            collected = collect_inputs(files)
        except (InputError, OSError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        try:
            out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=2) from None
        for entry in collected.skipped:
            self.stderr.write(f"skipped {entry.name}: {entry.reason}")
        if not collected.inputs:
            self.stderr.write("no Python files to grade")
        try:
            writer = RecordWriter(out, output_format, [case.name for case in bundle.cases])
            progress = ProgressBar(sys.stderr, total=len(collected.inputs), label=slug)
            if distributed:
                records = self._grade_distributed(exercise, bundle, collected, " ".join(files), progress)
            else:
                records = grade_inputs(bundle, collected.inputs, workers=workers, isolation=settings.DLGRADE_SANDBOX)
            for done, record in enumerate(records, start=1):
                writer.write(record)
                progress.update(done)
            progress.close()
        finally:
            if output:
                out.close()

    def _exercise_for_distribution(self, slug: str, bundle: Bundle):
        exercise = Exercise.objects.filter(slug=slug, is_active=True).first()
        if exercise is None:
            raise CommandError(
                f"exercise {slug!r} is not in the database (run manage.py sync_exercises), "
                "which --distributed workers grade from",
                returncode=2,
            )
        if exercise.content_hash != bundle.content_hash:
            self.stderr.write(
                f"warning: the database holds another version of {slug!r} than {bundle.path}; "
                "the workers grade the database's (run manage.py sync_exercises)"
            )
        return exercise

    def _grade_distributed(self, exercise, bundle: Bundle, collected: Collected, label: str, progress: ProgressBar):
        """Store the job, let the workers grade it, yield the records in input order as they arrive."""
        if not collected.inputs:
            return
        job = batch_job_create(
            exercise=exercise,
            bundle=bundle,
            inputs=collected.inputs,
            skipped=collected.skipped,
            origin=BatchJob.Origin.COMMAND,
            label=label,
        )
        self.stderr.write(f"batch job #{job.pk}: {job.total} files on queue {settings.CELERY_BATCH_QUEUE!r}")
        position, total = 0, job.total
        started = last_refresh = time.monotonic()
        noticed = False
        try:
            while position < total:
                records = batch_records_from(job_id=job.pk, position=position)
                for record in records:
                    yield record_in_order(record)
                position += len(records)
                if position >= total:
                    break
                now = time.monotonic()
                if now - last_refresh >= REFRESH_EVERY_S:
                    last_refresh = now
                    batch_job_refresh(job_id=job.pk)
                    state = batch_job_progress(job_id=job.pk)
                    progress.update(state.done)
                    if not noticed and now - started > NO_WORKER_NOTICE_S and state.done == 0 and state.running == 0:
                        noticed = True
                        self.stderr.write(
                            f"no worker has taken a file yet: is a worker consuming queue "
                            f"{settings.CELERY_BATCH_QUEUE!r} running? (make run, or celery -A config worker "
                            f"-Q {settings.CELERY_GRADING_QUEUE},{settings.CELERY_BATCH_QUEUE})"
                        )
                if not records:
                    time.sleep(POLL_S)
        except KeyboardInterrupt:
            progress.close()
            raise CommandError(
                f"interrupted; batch job #{job.pk} goes on in the workers (its report: /batches/{job.pk}/)",
                returncode=130,
            ) from None


class RecordWriter:
    """JSON lines (the catalog's format) or CSV with a header, flushed record by record."""

    def __init__(self, out: IO[str], output_format: str, case_names: list[str]) -> None:
        self.out = out
        self.format = output_format
        self.case_names = case_names
        self.csv = None
        if output_format == "csv":
            self.csv = csv.writer(out, lineterminator="\n")
            self.csv.writerow(csv_header(case_names))
            out.flush()

    def write(self, record: dict[str, Any]) -> None:
        if self.csv is not None:
            self.csv.writerow(csv_row(record, self.case_names))
        else:
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.out.flush()


class ProgressBar:
    """A one-line bar on a terminal's stderr; silent when stderr is not a terminal (a pipe, a log file)."""

    def __init__(self, stream: IO[str], *, total: int, label: str) -> None:
        self.stream = stream
        self.total = total
        self.label = label
        self.enabled = total > 0 and _isatty(stream)
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.done = 0
        self.drawn = False

    def update(self, done: int) -> None:
        self.done = max(self.done, done)
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last_drawn < 0.1 and self.done < self.total:
            return
        self.last_drawn = now
        self.stream.write("\r" + self._line(now))
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.enabled and self.drawn:
            self.stream.write("\r" + self._line(time.monotonic()) + "\n")
            self.stream.flush()
            self.enabled = False

    def _line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        remaining = (self.total - self.done) / rate if rate > 0 else 0.0
        tail = f" {self.done}/{self.total} {rate:6.1f}/s " + (
            f"ETA {remaining:4.0f} s" if self.done < self.total else f"{elapsed:5.1f} s"
        )
        columns = shutil.get_terminal_size((80, 20)).columns
        width = max(10, min(40, columns - len(self.label) - len(tail) - 4))
        filled = int(width * self.done / self.total) if self.total else width
        return f"{self.label} [{'#' * filled}{'-' * (width - filled)}]{tail}"[: columns - 1]


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
