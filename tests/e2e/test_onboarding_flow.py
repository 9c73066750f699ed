"""A class gets in on its own: sign-up with a mailed verification, join by code, roster invitations, reset.

Mails go through a real SMTP server (aiosmtpd) and the links are read from them.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from courses.demo import demo_course_ensure
from courses.models import Membership
from courses.services import course_create
from tests.conftest import sync_only
from tests.e2e.conftest import ARTIFACTS, set_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "a-long-Passphrase-42"
RELU = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
ROSTER = (
    b"email,name,role\nann@uni.example,Ann Lee,student\nben@uni.example,Ben Okafor,student\ncai@uni.example,Cai Wen,\n"
)


@pytest.fixture
def links_to_live_server(live_server, monkeypatch):
    """Workers started after this write links to the test's server (they have no request to take it from)."""
    monkeypatch.setenv("DLGRADE_SITE_URL", live_server.url)
    return live_server


def test_a_new_student_signs_up_verifies_joins_the_demo_course_and_submits_relu(
    page, live_server, smtp, grading_worker, instructor, tmp_path
):
    sync_only(tmp_path, "relu")
    course = demo_course_ensure(instructor=instructor, students=[])
    page.goto(f"{live_server.url}/courses/join/{course.join_code}/")
    page.click("a.button:has-text('Create an account')")
    page.fill("#id_email", "new.student@uni.example")
    page.fill("#id_username", "newstudent")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")
    assert "new.student@uni.example" in page.inner_text("main") or "verif" in page.inner_text("main").lower()

    link = smtp.wait_for("new.student@uni.example")[0].link("/accounts/confirm-email/")
    page.goto(link)
    page.click("main button[type=submit]")  # confirming is a POST: a mail scanner's GET confirms nothing
    page.wait_for_url(f"**/courses/join/{course.join_code}/")  # back where the student started
    page.click("text=Join the course")
    page.wait_for_url(f"{live_server.url}/courses/{course.pk}/")
    assert Membership.objects.filter(course=course, user__username="newstudent", role="student").exists()

    page.goto(f"{live_server.url}/exercises/relu/")
    set_code(page, RELU)
    page.click("#submit-button")
    page.wait_for_selector(".score.full", timeout=20000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "onboarding-signed-up-and-solved.png"), full_page=True)


def test_an_instructor_invites_a_roster_and_an_invitee_sets_a_password_and_lands_in_the_course(
    browser, page, links_to_live_server, smtp, grading_worker, instructor, tmp_path
):
    live_server = links_to_live_server
    course = course_create(title="Intro to deep learning", created_by=instructor)
    sign_in(page, live_server, "instructor", "pw-instructor")
    page.goto(f"{live_server.url}/courses/{course.pk}/members/")
    page.set_input_files("#id_file", files=[{"name": "class.csv", "mimeType": "text/csv", "buffer": ROSTER}])
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#enrol-report")
    assert "3 new accounts invited" in page.inner_text("#enrol-report")

    mail = smtp.wait_for("ben@uni.example")[0]
    smtp.wait_for("ann@uni.example")
    smtp.wait_for("cai@uni.example")
    invitee = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        ben = invitee.new_page()
        ben.goto(mail.link("/courses/invitations/"))
        ben.fill("#id_password1", PASSWORD)
        ben.fill("#id_password2", PASSWORD)
        ben.click("main button[type=submit]")
        ben.wait_for_url(f"{live_server.url}/courses/{course.pk}/")
        assert "Intro to deep learning" in ben.inner_text("main")
    finally:
        invitee.close()

    page.reload()
    rows = {row.get_attribute("data-email"): row.inner_text() for row in page.locator("#invitations tbody tr").all()}
    assert "Accepted" in rows["ben@uni.example"] and "Invited" in rows["ann@uni.example"]


def test_a_user_resets_a_forgotten_password(page, live_server, smtp, student):
    student.email = "student@uni.example"
    student.save()
    EmailAddress.objects.create(user=student, email="student@uni.example", verified=True, primary=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("text=Forgot your password?")
    page.fill("#id_email", "student@uni.example")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/password/reset/done/")

    page.goto(smtp.wait_for("student@uni.example")[0].link("/accounts/password/reset/key/"))
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/password/reset/key/done/")
    sign_in(page, live_server, "student@uni.example", PASSWORD)
