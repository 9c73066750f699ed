"""`manage.py grade SLUG FILE... --json`: the batch contract of ../shared/catalog.md.

Stdout carries only the JSON lines; everything else goes to stderr. Exit 0 whatever the scores,
2 for usage errors (unknown slug, missing file).
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from graders.batch import grade_files
from graders.bundle import BundleError, load_cached


class Command(BaseCommand):
    help = "Grade files as submissions of an exercise and print one JSON object per file."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="print one JSON object per line (the default output)")
        parser.add_argument("--workers", type=int, default=1, help="grade N files in parallel (one sandbox each)")

    def handle(self, *args, slug, files, workers, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1", returncode=2)
        folder = Path(settings.EXERCISES_DIR) / slug
        if not slug or "/" in slug or slug.startswith(".") or not (folder / "exercise.toml").is_file():
            raise CommandError(f"unknown exercise {slug!r}", returncode=2)
        missing = [file for file in files if not Path(file).is_file()]
        if missing:
            raise CommandError(f"no such file: {missing[0]}", returncode=2)
        try:
            bundle = load_cached(folder)
        except BundleError as exc:
            raise CommandError(f"exercise {slug!r} cannot be graded: {exc.reason}", returncode=1) from None
        out = sys.stdout
        for record in grade_files(bundle, files, workers=workers, isolation=settings.DLGRADE_SANDBOX):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
