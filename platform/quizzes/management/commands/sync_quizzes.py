from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.conf import quizzes_dir
from quizzes.services import quiz_sync


class Command(BaseCommand):
    help = "Validate every quiz bundle on disk and upsert it and its questions into the database by uuid."

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(quizzes_dir()), help="folder of quiz bundles")
        parser.add_argument("--strict", action="store_true", help="exit with status 1 if any bundle is bad")

    def handle(self, *args, root, strict, **options):
        root = Path(root)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder")
        report = quiz_sync(root=root)
        for error in report.errors:
            self.stderr.write(self.style.ERROR(f"bad quiz bundle {error.path}: {error.reason}"))
        self.stdout.write(
            f"quizzes: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.deactivated)} deactivated, {len(report.errors)} bad"
        )
        if strict and report.errors:
            raise CommandError(f"{len(report.errors)} bad quiz bundle(s)")
