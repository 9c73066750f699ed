"""Launches from the simulated LMS over real HTTP: provisioning, roles, and every kind of bad launch."""

from __future__ import annotations

import pytest
import requests
from django.contrib.auth import get_user_model
from lti_tool.models import LtiUser

from courses.models import Course, Membership
from lti.models import CourseLink
from tests.platform.lti.conftest import INSTRUCTOR, LEARNER, person

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_tool_serves_its_keys_and_a_configuration_canvas_imports(lms):
    keys = requests.get(f"{lms.live_server.url}/lti/jwks.json", timeout=10).json()["keys"]
    assert len(keys) == 1 and keys[0]["alg"] == "RS256" and keys[0]["use"] == "sig" and "d" not in keys[0]
    config = requests.get(f"{lms.live_server.url}/lti/config.json", timeout=10).json()
    assert config["oidc_initiation_url"].endswith("/lti/login/")
    assert config["target_link_uri"].endswith("/lti/launch/") and config["public_jwk_url"].endswith("/lti/jwks.json")
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in config["scopes"]


def test_an_instructor_launch_makes_the_course_and_a_student_launch_joins_it(lms, browser_less):
    landed = browser_less.launch(lms, user=person("teacher-1", "Grace", "Hopper"), roles=[INSTRUCTOR])
    assert landed.status_code == 200, landed.text[:500]
    assert "/lti/courses/" in landed.url and "Deep Learning (LMS)" in landed.text
    link = CourseLink.objects.get()
    assert link.course.title == "Deep Learning (LMS)" and link.context.id_on_platform == "course-1"
    teacher = LtiUser.objects.get(sub="teacher-1").auth_user
    assert teacher.get_full_name() == "Grace Hopper" and not teacher.has_usable_password()
    assert Membership.objects.get(course=link.course, user=teacher).role == Membership.Role.INSTRUCTOR

    student_browser = type(browser_less)()
    landed = student_browser.launch(lms, user=person("student-1"), roles=[LEARNER])
    assert landed.status_code == 200 and landed.url.endswith(f"/courses/{link.course.pk}/")
    student = LtiUser.objects.get(sub="student-1").auth_user
    membership = Membership.objects.get(course=link.course, user=student)
    assert membership.role == Membership.Role.STUDENT and membership.source == Membership.Source.LMS
    # The same person again: matched, not made twice.
    assert student_browser.launch(lms, user=person("student-1"), roles=[LEARNER]).status_code == 200
    assert LtiUser.objects.filter(sub="student-1").count() == 1 and Course.objects.count() == 1


def _refused(response, reason: str) -> None:
    assert response.status_code in (400, 403, 410), (response.status_code, response.text[:300])
    assert f'data-reason="{reason}"' in response.text
    assert "frame-ancestors 'self' http://127.0.0.1:" in response.headers["Content-Security-Policy"]


def _nothing_made() -> None:
    assert not get_user_model().objects.exists()
    assert not LtiUser.objects.exists() and not Course.objects.exists()


@pytest.mark.parametrize(
    "spec,reason",
    [
        ({"defects": ["expired"]}, "expired"),
        ({"defects": ["wrong_key"]}, "signature"),
        ({"deployment_id": "deployment-unknown"}, "unknown_deployment"),
        ({"remove": ["roles"]}, "claims"),
        ({"remove": ["sub"]}, "claims"),
        ({"remove": ["exp"]}, "claims"),
        ({"iss": "https://unknown-lms.example"}, "unknown_platform"),
        ({"roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"]}, "role"),
    ],
    ids=["expired", "wrongly-signed", "unknown-deployment", "no-roles", "no-sub", "no-exp", "unknown-issuer", "mentor"],
)
def test_a_bad_launch_gets_a_clear_page_a_log_line_and_creates_nothing(lms, browser_less, caplog, spec, reason):
    response = browser_less.launch(lms, user=person("student-1"), roles=spec.pop("roles", [INSTRUCTOR]), **spec)
    _refused(response, reason)
    assert any("lti: refused" in record.getMessage() and reason in record.getMessage() for record in caplog.records)
    _nothing_made()


def test_a_student_cannot_open_a_course_no_instructor_set_up(lms, browser_less):
    _refused(browser_less.launch(lms, user=person("student-1"), roles=[LEARNER]), "course_not_ready")
    _nothing_made()


def test_a_replayed_launch_and_a_nonce_seen_before_are_refused(lms, browser_less):
    assert browser_less.launch(lms, user=person("teacher-1"), roles=[INSTRUCTOR]).status_code == 200
    _refused(browser_less.replay(), "replay")  # the same id_token and state posted again
    # A fresh state, but the LMS signs the previous launch's nonce: refused as seen before.
    _refused(browser_less.launch(lms, user=person("teacher-1"), roles=[INSTRUCTOR], defects=["stale_nonce"]), "replay")


def test_lti_pages_may_be_framed_by_the_lms_and_nothing_else(lms, browser_less, client, student):
    landed = browser_less.launch(lms, user=person("teacher-1"), roles=[INSTRUCTOR])
    policy = landed.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {lms.url}" in policy and "X-Frame-Options" not in landed.headers
    # A session that did not come from the LMS keeps every page unframeable.
    client.force_login(student)
    response = client.get("/exercises/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"
