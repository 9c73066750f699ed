import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse

from courses.services import course_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, login, password, **headers):
    return client.post(reverse("login"), {"login": login, "password": password}, **headers)


def test_sign_in_and_out(client, student):
    response = sign_in(client, "student", "pw-student")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:landing")
    assert client.get(response["Location"])["Location"] == reverse("exercises:list")  # students land on the exercises
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("exercises:list")).status_code == 302


def test_an_account_made_by_an_administrator_without_email_signs_in_as_before(client, instructor):
    assert instructor.email == ""
    assert sign_in(client, "instructor", "pw-instructor")["Location"] == reverse("dashboard:landing")


def test_a_wrong_password_says_so_without_telling_whether_the_account_exists(client, student):
    wrong = sign_in(client, "student", "wrong").content.decode()
    stranger = sign_in(client, "nobody-here", "wrong").content.decode()
    assert "not correct" in wrong and "not correct" in stranger


def test_failures_lock_one_username_from_one_address_only_and_staff_see_the_record(client, student, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # behind the TLS proxy: the client is the last X-Forwarded-For entry
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9", "REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        sign_in(client, "student", "wrong", **attacker)
    locked = sign_in(client, "student", "pw-student", **attacker)
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    attempt = AccessAttempt.objects.get()
    assert attempt.ip_address == "203.0.113.9" and attempt.username == "student"

    # The real student, from another address behind the same proxy, is not locked out.
    student_there = {"HTTP_X_FORWARDED_FOR": "198.51.100.7", "REMOTE_ADDR": "10.0.0.2"}
    assert sign_in(client, "student", "pw-student", **student_there).status_code == 302

    # Staff lift the lock by deleting the record in the admin.
    attempt.delete()
    client.post(reverse("logout"))
    assert sign_in(client, "student", "pw-student", **attacker).status_code == 302


def test_a_forged_forwarded_for_does_not_dodge_the_lock(client, student, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        # The proxy appends the real address; whatever the client wrote in front of it is ignored.
        sign_in(client, "student", "wrong", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    assert sign_in(client, "student", "pw-student", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9").status_code == 429


@pytest.mark.real_password_hashing
def test_passwords_are_stored_hashed(student):
    assert student.password.startswith(("pbkdf2_sha256$", "argon2", "scrypt")) and "pw-student" not in student.password


def test_signing_in_switches_the_pages_to_the_preferred_language(client, student):
    from accounts.models import Profile

    Profile.objects.create(user=student, language="zh-hans")
    response = sign_in(client, "student", "pw-student")
    assert response.cookies["django_language"].value == "zh-hans"
    assert "练习" in client.get(reverse("exercises:list")).content.decode()


def test_an_instructor_lands_on_the_dashboard_of_the_course_they_teach(client, instructor):
    course = course_create(created_by=instructor, title="Deep learning 101")
    landing = client.get(sign_in(client, "instructor", "pw-instructor")["Location"])
    assert landing["Location"] == reverse("dashboard:home")
    assert client.get(landing["Location"])["Location"] == reverse("dashboard:course", args=[course.pk])
