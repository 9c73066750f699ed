"""The profile page: make a named API token (shown once), list them, revoke one."""

from __future__ import annotations

import re

from django.urls import reverse

from accounts.models import ApiToken, token_digest


def test_profile_needs_a_sign_in(client, db):
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_make_a_token_see_it_once_use_it_revoke_it(client, student):
    client.force_login(student)
    page = client.get(reverse("profile")).content.decode()
    assert "No tokens." in page and reverse("profile") in client.get("/exercises/").content.decode()

    made = client.post(reverse("profile"), {"action": "create", "name": "laptop"})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    raw = re.search(r"<code>(dlg_[A-Za-z0-9_-]+)</code>", made.content.decode()).group(1)
    token = ApiToken.objects.get(user=student)
    assert (token.name, token.digest, token.prefix) == ("laptop", token_digest(raw), raw[:10])
    assert raw not in client.get(reverse("profile")).content.decode()  # never shown again

    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me/").status_code == 200
    listing = client.get(reverse("profile")).content.decode()
    assert "laptop" in listing and f"{raw[:10]}…" in listing

    revoked = client.post(reverse("profile"), {"action": "revoke", "token": token.pk}, follow=True)
    assert "The token was revoked" in revoked.content.decode()
    assert not ApiToken.objects.exists()
    assert api.get("/api/v1/me/").status_code == 401


def test_no_one_revokes_anothers_token_and_names_are_required(client, student, other_student):
    from accounts.services import api_token_create

    theirs, _ = api_token_create(user=other_student, name="theirs")
    client.force_login(student)
    client.post(reverse("profile"), {"action": "revoke", "token": theirs.pk})
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    response = client.post(reverse("profile"), {"action": "create", "name": "  "})
    assert response.status_code == 400 and "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.filter(user=student).exists()


def test_staff_find_batch_grading_and_the_api_docs_on_their_profile(client, instructor):
    client.force_login(instructor)
    page = client.get(reverse("profile")).content.decode()
    assert reverse("batches:list") in page and "/api/v1/docs/" in page


def test_the_profile_keeps_the_name_and_the_language_pages_and_mails_use(client, student):
    from accounts.models import Profile

    client.force_login(student)
    page = client.get(reverse("profile")).content.decode()
    assert reverse("account_email") in page and reverse("account_change_password") in page
    saved = client.post(
        reverse("profile"), {"action": "profile", "first_name": "Ada", "last_name": "Lovelace", "language": "zh-hans"}
    )
    assert saved.status_code == 302 and saved.cookies["django_language"].value == "zh-hans"
    student.refresh_from_db()
    assert student.get_full_name() == "Ada Lovelace" and Profile.objects.get(user=student).language == "zh-hans"
    assert "Ada Lovelace" in client.get(reverse("profile")).content.decode()
    bad = client.post(reverse("profile"), {"action": "profile", "first_name": "", "last_name": "", "language": "xx"})
    assert bad.status_code == 400
