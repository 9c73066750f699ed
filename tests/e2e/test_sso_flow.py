"""Single sign-on through a real OpenID provider running in a second process (allauth's identity provider)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from tests.oidc_provider.fixture import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def sign_in_at_the_provider(page, live_server, oidc_provider, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("button:has-text('Sign in with University login')")
    page.wait_for_url(f"{oidc_provider.issuer}/accounts/login/**")  # the provider's own sign-in page
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_a_user_signs_in_through_the_provider_into_the_account_with_that_verified_email(
    page, live_server, oidc_provider, student
):
    student.email = "ada@uni.example"
    student.save()
    EmailAddress.objects.create(user=student, email="ada@uni.example", verified=True, primary=True)
    sign_in_at_the_provider(page, live_server, oidc_provider, "ada.sso")
    page.wait_for_url(f"{live_server.url}/exercises/")
    assert "Student" in page.inner_text("header")  # the existing account, not a new one
    assert get_user_model().objects.filter(email__iexact="ada@uni.example").count() == 1
    assert student.socialaccount_set.get().provider == "sso"


def test_an_unverified_email_from_the_provider_never_opens_the_account_that_owns_it(
    page, live_server, oidc_provider, student
):
    student.email = "victim@uni.example"
    student.save()
    EmailAddress.objects.create(user=student, email="victim@uni.example", verified=True, primary=True)
    sign_in_at_the_provider(page, live_server, oidc_provider, "mallory.sso")
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url)
    assert "Student" not in page.inner_text("header")
    assert not student.socialaccount_set.exists()
    assert page.context.request.get(f"{live_server.url}/exercises/", max_redirects=0).status == 302
