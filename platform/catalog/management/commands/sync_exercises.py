from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.services import exercise_sync
from graders.bundle import SLUG_PATTERN


class Command(BaseCommand):
    help = "Validate every exercise bundle on disk and upsert it into the database by uuid."

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(settings.EXERCISES_DIR), help="folder of exercise bundles")
        parser.add_argument("--strict", action="store_true", help="exit with status 1 if any bundle is bad")

    def handle(self, *args, root, strict, **options):
        root = Path(root)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder")
        bad = self._sync("exercises", exercise_sync(root=root))
        # The deployment's extra content folders: checked by the quality gate, slugs "<folder>--<slug>".
        for folder in settings.CONTENT_DIRS:
            namespace = folder.name.lower()
            if not SLUG_PATTERN.match(namespace) or not (folder / "exercises").is_dir():
                self.stderr.write(
                    self.style.ERROR(
                        f"content folder {folder}: needs an exercises/ folder and a name of a-z, 0-9 and single hyphens"
                    )
                )
                bad += 1
                continue
            report = exercise_sync(root=folder / "exercises", namespace=namespace, gate=True)
            bad += self._sync(f"{namespace} exercises", report)
        if strict and bad:
            raise CommandError(f"{bad} bad bundle(s)")

    def _sync(self, label: str, report) -> int:
        bad = len({error.path for error in report.errors})  # a bundle may have several problems
        for error in report.errors:
            self.stderr.write(self.style.ERROR(f"bad bundle {error.path}: {error.reason}"))
        self.stdout.write(
            f"{label}: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.deactivated)} deactivated, {bad} bad"
        )
        return bad
