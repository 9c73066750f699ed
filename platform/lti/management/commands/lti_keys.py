"""dlgrade's LTI signing keys: show them, or rotate (a new key published now, signing after the publish delay)."""

from django.core.management.base import BaseCommand

from lti import keys


class Command(BaseCommand):
    help = "Show dlgrade's LTI signing keys, or rotate them without downtime."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "rotate"])

    def handle(self, *args, action: str, **options):
        if action == "rotate":
            new, retired = keys.key_rotate()
            self.stdout.write(
                self.style.SUCCESS(f"published key {new} (signs once published long enough); retired {retired}")
            )
        signing = keys.key_ensure()
        for jwk in keys.jwks()["keys"]:
            mark = " (signing)" if jwk["kid"] == str(signing) else ""
            self.stdout.write(f"{jwk['kid']}{mark}")
