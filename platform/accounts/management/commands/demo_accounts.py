from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import demo_accounts_ensure


class Command(BaseCommand):
    help = "Create the demo student and instructor accounts (development only) and print their logins."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=settings.DEMO_PASSWORD or "dlgrade-demo")

    def handle(self, *args, password, **options):
        if not settings.DEBUG:
            raise CommandError("demo accounts are for development: set DJANGO_DEBUG=1")
        for username, is_staff in demo_accounts_ensure(password=password):
            role = "instructor" if is_staff else "student"
            self.stdout.write(f"  {role:<10} {username:<11} password: {password}")
