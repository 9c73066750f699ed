"""Register an LMS (an LTI 1.3 platform) with its deployment ids, or list the registered ones."""

from django.core.management.base import BaseCommand, CommandError

from lti import registrations


class Command(BaseCommand):
    help = "Register an LTI 1.3 platform (issuer, client id, deployment ids, its URLs), or list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a platform, or update the one with this issuer and client id")
        add.add_argument("--name", required=True)
        add.add_argument("--issuer", required=True)
        add.add_argument("--client-id", required=True)
        add.add_argument("--deployment-id", action="append", default=[], dest="deployment_ids")
        add.add_argument("--auth-url", required=True, help="the platform's OIDC authorization endpoint")
        add.add_argument("--token-url", required=True, help="its OAuth2 access token endpoint")
        add.add_argument("--jwks-url", required=True, help="its public keyset URL")
        add.add_argument("--audience", default="", help="the token endpoint's audience, if not its URL")
        sub.add_parser("list")

    def handle(self, *args, action: str, **options):
        if action == "list":
            for line in registrations.registration_lines():
                self.stdout.write(line)
            return
        try:
            registration, created = registrations.registration_save(
                name=options["name"],
                issuer=options["issuer"],
                client_id=options["client_id"],
                deployment_ids=options["deployment_ids"],
                auth_url=options["auth_url"],
                token_url=options["token_url"],
                keyset_url=options["jwks_url"],
                audience=options["audience"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        verb = "registered" if created else "updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {registration.name} ({registration.issuer}, client {registration.client_id})")
        )
