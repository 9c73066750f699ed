"""Addresses that administrators gave accounts before sign-up existed are trusted as verified.

Only the first account per address (case-insensitively) gets it: allauth keeps an address unique.
"""

from django.db import migrations


def verify_existing(apps, schema_editor):
    User = apps.get_model("auth", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    rows = []
    for user_id, email in User.objects.exclude(email="").order_by("id").values_list("id", "email"):
        if email.lower() in taken:
            continue
        taken.add(email.lower())
        rows.append(EmailAddress(user_id=user_id, email=email, verified=True, primary=True))
    EmailAddress.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_profile_language"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(verify_existing, migrations.RunPython.noop)]
