"""Token authentication (hashed, named, revocable) next to the browser session; errors are JSON."""

from __future__ import annotations

from rest_framework.test import APIClient

from accounts.models import ApiToken, token_digest
from accounts.services import api_token_create, api_token_revoke


def test_no_credentials_is_401_json_with_a_bearer_challenge(api, db):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "message": "Authentication credentials were not provided.",
        "status": 401,
        "code": "not_authenticated",
    }


def test_a_token_signs_in_as_its_user_and_only_its_digest_is_stored(api, student, instructor):
    token, raw = api_token_create(user=student, name="laptop")
    assert raw.startswith("dlg_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == token_digest(raw) and raw not in (stored.digest, stored.prefix, stored.name)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me/").json() == {"username": "student", "full_name": "Student", "is_staff": False}
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None

    _, staff_raw = api_token_create(user=instructor, name="ci")
    api.credentials(HTTP_AUTHORIZATION=f"Token {staff_raw}")  # the other usual keyword works too
    assert api.get("/api/v1/me/").json()["is_staff"] is True


def test_revoked_wrong_and_inactive_tokens_are_refused(api, student, other_student):
    token, raw = api_token_create(user=student, name="old")
    assert api_token_revoke(user=other_student, token_id=token.pk) is False  # not theirs
    assert api_token_revoke(user=student, token_id=token.pk) is True
    for header in (f"Bearer {raw}", "Bearer dlg_not-a-real-token", "Bearer", "Bearer a b", f"Bearer {raw[:-1]}"):
        api.credentials(HTTP_AUTHORIZATION=header)
        response = api.get("/api/v1/me/")
        assert response.status_code == 401, header
        assert response.json()["status"] == 401 and response.json()["message"]
    _, raw = api_token_create(user=student, name="new")
    student.is_active = False
    student.save()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me/").status_code == 401


def test_the_browser_session_works_and_needs_csrf_for_writes(student, relu_exercise):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(student)
    assert browser.get("/api/v1/me/").json()["username"] == "student"
    response = browser.post("/api/v1/submissions/", {"exercise": "relu", "source": "x = 1\n"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
