import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_sign_in_and_out(client, student):
    response = client.post(reverse("login"), {"username": "student", "password": "pw-student"})
    assert response.status_code == 302 and response["Location"] == reverse("exercises:list")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("exercises:list")).status_code == 302


def test_repeated_failures_are_throttled_with_retry_after(client, student, settings):
    settings.LOGIN_FAILURE_RATE = "3/300"
    for _ in range(3):
        assert client.post(reverse("login"), {"username": "student", "password": "wrong"}).status_code == 200
    throttled = client.post(reverse("login"), {"username": "student", "password": "pw-student"})
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 300
    assert "Too many failed sign-ins" in throttled.content.decode()


def test_passwords_are_stored_hashed(student):
    assert student.password.startswith(("pbkdf2_sha256$", "argon2", "scrypt")) and "pw-student" not in student.password
