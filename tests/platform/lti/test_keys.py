"""dlgrade's signing keys: made on demand, rotated without downtime, the old one published until it expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from lti_tool.models import Key

from lti import keys

pytestmark = pytest.mark.django_db


def test_a_new_key_is_published_before_it_signs_and_the_old_one_stays_until_it_expires(settings):
    settings.LTI_KEY_PUBLISH_AHEAD_S, settings.LTI_KEY_RETIRE_AFTER_S = 3600, 86400
    first = keys.key_ensure()
    Key.objects.filter(pk=first.pk).update(datetime_created=timezone.now() - timedelta(days=90))
    assert [k["kid"] for k in keys.jwks()["keys"]] == [str(first)] and keys.key_ensure() == first

    second, retired = keys.key_rotate()
    assert retired == 0 and {k["kid"] for k in keys.jwks()["keys"]} == {str(first), str(second)}
    assert keys.signing_key() == first  # the LMS may still hold the old JWKS: the new key waits

    Key.objects.filter(pk=second.pk).update(datetime_created=timezone.now() - timedelta(hours=2))
    assert keys.signing_key() == second
    assert keys.key_retire_expired() == 0  # the old key still verifies what it signed

    Key.objects.filter(pk=second.pk).update(datetime_created=timezone.now() - timedelta(days=2))
    assert keys.key_retire_expired() == 1
    assert [k["kid"] for k in keys.jwks()["keys"]] == [str(second)]
    assert all("d" not in k for k in keys.jwks()["keys"])  # never a private part


def test_the_command_rotates_and_registers(capsys):
    call_command("lti_keys", "rotate")
    assert "(signing)" in capsys.readouterr().out and Key.objects.count() == 1
    call_command(
        "lti_platform", "add", "--name", "Moodle", "--issuer", "https://moodle.example", "--client-id", "abc",
        "--deployment-id", "7", "--auth-url", "https://moodle.example/mod/lti/auth.php",
        "--token-url", "https://moodle.example/mod/lti/token.php", "--jwks-url", "https://moodle.example/mod/lti/certs.php",
    )  # fmt: skip
    call_command("lti_platform", "list")
    assert "Moodle: issuer https://moodle.example, client abc, deployments 7" in capsys.readouterr().out
