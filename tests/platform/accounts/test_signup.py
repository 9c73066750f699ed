"""Sign-up, verification, reset and email change, with the mails going through a real SMTP server."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Profile

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-Passphrase-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # allauth's rate limits live in the cache
    yield
    cache.clear()


def sign_up(client, username="ada", email="ada@uni.example", **extra):
    return client.post(
        reverse("account_signup"),
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
        **extra,
    )


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_sign_up_verify_by_the_mailed_link_and_sign_in_by_email(client, smtp):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(username="ada")
    assert not EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("exercises:list")).status_code == 302  # not signed in before verifying

    mail = smtp.wait_for("ada@uni.example")[0]
    link = path_of(mail.link("/accounts/confirm-email/"))
    page = client.get(link)
    assert page.status_code == 200 and "ada@uni.example" in page.content.decode()
    assert not EmailAddress.objects.get(user=user).verified  # a mail scanner's GET confirms nothing
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("exercises:list")).status_code == 200  # signed in by confirming

    client.post(reverse("logout"))
    signed_in = client.post(reverse("login"), {"login": "ADA@uni.example", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("dashboard:landing")


def test_a_forged_or_reused_verification_link_says_so(client, smtp):
    sign_up(client)
    link = path_of(smtp.wait_for("ada@uni.example")[0].link("/accounts/confirm-email/"))
    forged = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert "expired or is invalid" in forged.content.decode()
    client.post(link)
    client.post(reverse("logout"))
    again = client.get(link)
    assert again.status_code == 200 and "expired or is invalid" in again.content.decode()


def test_signing_up_with_a_taken_email_looks_the_same_and_tells_only_the_owner(client, smtp, student):
    student.email = "taken@uni.example"
    student.save()
    EmailAddress.objects.create(user=student, email="taken@uni.example", verified=True, primary=True)
    response = sign_up(client, username="intruder", email="taken@uni.example")
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert not get_user_model().objects.filter(username="intruder").exists()
    [mail] = smtp.wait_for("taken@uni.example")
    assert "already" in mail.body.lower()


def test_password_reset_by_mail_once_and_no_enumeration(client, smtp, student):
    student.email = "student@uni.example"
    student.save()
    EmailAddress.objects.create(user=student, email="student@uni.example", verified=True, primary=True)
    known = client.post(reverse("account_reset_password"), {"email": "student@uni.example"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@uni.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")

    link = path_of(smtp.wait_for("student@uni.example")[0].link("/accounts/password/reset/key/"))
    form = client.get(link, follow=True)
    assert form.status_code == 200
    post_to = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(post_to, {"password1": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302
    assert client.post(reverse("login"), {"login": "student", "password": PASSWORD}).status_code == 302

    client.post(reverse("logout"))
    reused = client.get(link, follow=True).content.decode()
    assert "invalid" in reused.lower()


def test_mails_are_in_the_recipients_language(client, smtp, student):
    student.email = "li@uni.example"
    student.save()
    EmailAddress.objects.create(user=student, email="li@uni.example", verified=True, primary=True)
    Profile.objects.create(user=student, language="zh-hans")
    client.post(reverse("account_reset_password"), {"email": "li@uni.example"}, HTTP_ACCEPT_LANGUAGE="en")
    mail = smtp.wait_for("li@uni.example")[0]
    assert "密码" in mail.subject + mail.body


def test_changing_the_email_takes_effect_once_the_new_address_is_verified(client, smtp, student):
    student.email = "old@uni.example"
    student.save()
    EmailAddress.objects.create(user=student, email="old@uni.example", verified=True, primary=True)
    client.force_login(student)
    response = client.post(reverse("account_email"), {"email": "new@uni.example", "action_add": ""})
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.email == "old@uni.example"
    link = path_of(smtp.wait_for("new@uni.example")[0].link("/accounts/confirm-email/"))
    client.post(link)
    student.refresh_from_db()
    assert student.email == "new@uni.example"
    assert list(EmailAddress.objects.filter(user=student).values_list("email", flat=True)) == ["new@uni.example"]


def test_sign_up_floods_from_one_address_are_refused(client, smtp, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    assert sign_up(client, "one", "one@uni.example").status_code == 302
    client.post(reverse("logout"))
    assert sign_up(client, "two", "two@uni.example").status_code == 302
    client.post(reverse("logout"))
    third = sign_up(client, "three", "three@uni.example")
    assert third.status_code == 429
    assert not get_user_model().objects.filter(username="three").exists()


def test_forms_need_the_csrf_token(student):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("login"), {"login": "student", "password": "pw-student"}).status_code == 403
    assert strict.post(reverse("account_signup"), {}).status_code == 403
    assert strict.post(reverse("account_reset_password"), {"email": "x@uni.example"}).status_code == 403
