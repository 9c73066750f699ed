from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from graders.content_check import check_path
from graders.sandbox import Zygote


class Command(BaseCommand):
    help = (
        "Run the catalog's quality gate on exercise and quiz bundles (one bundle folder, or a folder of them) "
        "and list what to fix; exit status 1 if anything fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="a bundle folder, or a folder holding bundles")

    def handle(self, *args, paths, **options):
        failed = 0
        bundles = 0
        with Zygote() as zygote:  # one warm sandbox for every bundle: the same one grading uses
            for raw in paths:
                path = Path(raw)
                if not path.exists():
                    raise CommandError(f"{path} does not exist")
                for report in check_path(path, zygote):
                    bundles += 1
                    if report.ok:
                        self.stdout.write(
                            self.style.SUCCESS(f"ok    {report.name} ({report.kind}): {', '.join(report.checks)}")
                        )
                        continue
                    failed += 1
                    self.stdout.write(self.style.ERROR(f"FAIL  {report.name} ({report.kind})"))
                    for problem in report.problems:
                        self.stdout.write(f"      {problem.file}: {problem.reason}")
        if failed:
            raise CommandError(f"{failed} of {bundles} bundle(s) fail the quality gate: fix the files named above")
        self.stdout.write(f"{bundles} bundle(s) pass the quality gate.")
