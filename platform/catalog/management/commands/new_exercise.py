from django.core.management.base import BaseCommand, CommandError

from graders.scaffold import ScaffoldError, scaffold


class Command(BaseCommand):
    help = "Write a new exercise bundle that passes check_content, with a comment on every field, to start from."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the exercise's name: a-z, 0-9 and hyphens, like leaky-relu")
        parser.add_argument("--root", default=".", help="the folder to write it in (default: the current one)")

    def handle(self, *args, slug, root, **options):
        try:
            folder = scaffold("exercise", slug, root)
        except ScaffoldError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"wrote {folder}; edit it, then run: python manage.py check_content {folder}")
