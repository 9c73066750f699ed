"""Start the local OpenID provider (tests/oidc_provider) on a free port, with users and dlgrade as its client."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config.settings import csp_allowing_form_action_to, oidc_provider_settings
from tests.conftest import ROOT
from tests.mailbox import free_port

CLIENT_ID = "dlgrade-tests"
CLIENT_SECRET = "client-secret-for-tests"
PASSWORD = "provider-Passphrase-7"
# username at the provider, its email, whether the provider vouches for the address
USERS = [("ada.sso", "ada@uni.example", True), ("mallory.sso", "victim@uni.example", False)]

SETUP = """
import django, sys
django.setup()
from allauth.account.models import EmailAddress
from allauth.idp.oidc.models import Client
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

redirect_uri, client_id, secret, password = sys.argv[1:5]
for username, email, verified in {users!r}:
    user = User.objects.create_user(username=username, email=email, password=password, first_name=username.split(".")[0].title())
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
client = Client(id=client_id, name="dlgrade", secret=make_password(secret), skip_consent=True)
client.set_scopes(["openid", "profile", "email"])
client.set_redirect_uris([redirect_uri])
client.save()
"""


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def oidc_provider(live_server, settings, tmp_path):
    """A real OpenID provider in a second process; dlgrade is configured to sign in through it."""
    port = free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        PYTHONPATH=str(ROOT),
        OIDC_PROVIDER_DB=str(tmp_path / "provider.sqlite3"),
        OIDC_PROVIDER_KEY=_private_key_pem(),
    )
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], **run)
    callback = f"{live_server.url}/accounts/oidc/sso/login/callback/"
    subprocess.run(
        [sys.executable, "-c", SETUP.format(users=USERS), callback, CLIENT_ID, CLIENT_SECRET, PASSWORD], **run
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the local OpenID provider did not start")
            time.sleep(0.2)
    # What DLGRADE_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _LABEL make of the settings.
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider_settings(
        issuer=issuer, client_id=CLIENT_ID, secret=CLIENT_SECRET, label="University login"
    )
    settings.CONTENT_SECURITY_POLICY = csp_allowing_form_action_to(settings.CONTENT_SECURITY_POLICY, issuer)
    yield Provider(issuer=issuer, process=process)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
