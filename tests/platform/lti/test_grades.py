"""Deep linking, grade passback and roster sync against the simulated LMS, over real HTTP.

Scores go from the gradebook to the LMS's line items (late policy applied, regrades sent again);
an LMS that is down, a failing or slow token endpoint and a deleted line item delay a score but
never lose it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from lti_tool.models import LtiUser

from courses import assignments as course_assignments
from courses.models import Assignment, Membership
from lti import services
from lti.models import AssignmentLink, CourseLink, ScoreSend
from submissions.services import StoredVerdict, submission_replace_verdicts
from tests.platform.courses.fixtures import CORRECT, submit
from tests.platform.lti.conftest import INSTRUCTOR, LEARNER, Browser, person

pytestmark = pytest.mark.django_db(transaction=True)
WRONG_HALF = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"


def place(lms, exercise) -> dict:
    """An instructor adds the exercise to the LMS course by deep linking; returns what the LMS placed."""
    teacher = Browser()
    picker = teacher.launch(
        lms, user=person("teacher-1", "Grace", "Hopper"), roles=[INSTRUCTOR], message_type="LtiDeepLinkingRequest"
    )
    assert picker.status_code == 200 and picker.url.endswith("/lti/deep-link/"), picker.text[:300]
    assert f'value="exercise:{exercise.pk}"' in picker.text
    answer = teacher.submit(picker, 'name="item"', item=f"exercise:{exercise.pk}")
    assert answer.status_code == 200 and 'name="JWT"' in answer.text, answer.text[:500]
    assert f"form-action 'self' {lms.url}" in answer.headers["Content-Security-Policy"]
    placed = teacher.submit(answer, 'name="JWT"')
    assert placed.status_code == 200 and "placed" in placed.text, placed.text
    (item,) = lms.state()["deep_links"][-1]["items"]
    return item


def open_as_student(lms, item, sub: str = "student-1") -> Browser:
    browser = Browser()
    landed = browser.launch(
        lms,
        user=person(sub),
        roles=[LEARNER],
        resource_link={"id": item["resource_link_id"], "title": item["title"]},
        custom=item["custom"],
        lineitem=item["lineitem"],
    )
    assert landed.status_code == 200 and "/assignments/" in landed.url, landed.text[:300]
    return browser


def send_owed() -> list[str]:
    services.scores_refresh()
    return [services.score_send(score_id=pk) for pk in services.scores_due()]


def test_deep_linking_places_an_exercise_as_a_graded_item_with_its_points(lms, relu_exercise):
    item = place(lms, relu_exercise)
    assignment = Assignment.objects.get()
    assert item["type"] == "ltiResourceLink" and item["url"].endswith("/lti/launch/")
    assert item["custom"] == {"dlgrade_assignment": str(assignment.pk)}
    assert item["lineItem"]["scoreMaximum"] == relu_exercise.points == assignment.max_points
    assert item["lineItem"]["resourceId"] == f"dlgrade-assignment-{assignment.pk}"
    assert AssignmentLink.objects.get().assignment == assignment
    assert lms.state()["deep_links"][-1]["data"] == "dl-data-teacher-1"  # the LMS's data came back


def test_a_final_score_reaches_the_line_item_once_and_a_regrade_is_sent_again(lms, relu_exercise, zygote):
    item = place(lms, relu_exercise)
    open_as_student(lms, item)
    link = AssignmentLink.objects.get()
    assert link.lineitem_url == item["lineitem"]  # learnt from the launch's AGS claim
    student = LtiUser.objects.get(sub="student-1").auth_user
    submission = submit(student, relu_exercise, CORRECT, zygote=zygote)
    assert send_owed() == [ScoreSend.Status.SENT]
    (score,) = lms.state()["scores"]
    assert score["userId"] == "student-1" and score["scoreGiven"] == 10.0 and score["scoreMaximum"] == 10.0
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert send_owed() == []  # nothing changed: nothing sent twice

    # A regrade halves the score: the new one goes out, with a later timestamp.
    stored = StoredVerdict.read(submission)
    submission_replace_verdicts(replacements={submission.pk: StoredVerdict("graded", 0.5, 1, 2, stored.verdict, "")})
    assert send_owed() == [ScoreSend.Status.SENT]
    first, second = lms.state()["scores"]
    assert second["scoreGiven"] == 5.0 and second["timestamp"] > first["timestamp"]


def test_the_late_policy_applies_before_sending(lms, relu_exercise, zygote):
    item = place(lms, relu_exercise)
    open_as_student(lms, item)
    assignment = Assignment.objects.get()
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(counts_from=now - timedelta(days=4))
    assignment.refresh_from_db()
    course_assignments.assignment_update(
        assignment=assignment,
        title=assignment.title,
        opens_at=now - timedelta(days=3),
        due_at=now - timedelta(days=2, hours=1),  # three started days late: 30 % off at 10 % a day
        items=[course_assignments.ItemSpec(points=10, exercise=relu_exercise)],
        late_penalty_per_day=0.1,
    )
    submit(LtiUser.objects.get(sub="student-1").auth_user, relu_exercise, CORRECT, zygote=zygote)
    assert send_owed() == [ScoreSend.Status.SENT]
    assert lms.state()["scores"][-1]["scoreGiven"] == 7.0


def test_an_lms_outage_delays_a_score_and_it_arrives_once_the_lms_is_back(lms, relu_exercise, zygote, settings):
    item = place(lms, relu_exercise)
    open_as_student(lms, item)
    submit(LtiUser.objects.get(sub="student-1").auth_user, relu_exercise, CORRECT, zygote=zygote)

    lms.control("/control/faults", {"token": "500"})
    assert send_owed() == [ScoreSend.Status.RETRYING]
    score = ScoreSend.objects.get()
    assert score.attempts == 1 and "HTTP 500" in score.last_error and score.next_attempt_at > timezone.now()
    assert services.scores_due() == []  # not before its backoff

    settings.LTI_HTTP_TIMEOUT_S = 0.5
    lms.control("/control/faults", {"token": "slow", "token_delay": 2})
    ScoreSend.objects.update(next_attempt_at=timezone.now())
    assert send_owed() == [ScoreSend.Status.RETRYING]
    score = ScoreSend.objects.get()
    assert score.attempts == 2 and "Timeout" in score.last_error
    backoff = (score.next_attempt_at - timezone.now()).total_seconds()
    assert settings.LTI_RETRY_BASE_S < backoff <= 2 * settings.LTI_RETRY_BASE_S  # doubled

    lms.control("/control/faults", {"scores": "down"})
    ScoreSend.objects.update(next_attempt_at=timezone.now())
    assert send_owed() == [ScoreSend.Status.RETRYING] and "HTTP 503" in ScoreSend.objects.get().last_error
    assert lms.state()["scores"] == []

    lms.control("/control/faults", {})
    ScoreSend.objects.update(next_attempt_at=timezone.now())
    assert send_owed() == [ScoreSend.Status.SENT]
    assert [s["scoreGiven"] for s in lms.state()["scores"]] == [10.0]
    assert ScoreSend.objects.get().attempts == 0


def test_a_line_item_deleted_in_the_lms_is_made_again_and_the_score_sent_there(lms, relu_exercise, zygote):
    item = place(lms, relu_exercise)
    open_as_student(lms, item)
    student = LtiUser.objects.get(sub="student-1").auth_user
    submit(student, relu_exercise, WRONG_HALF, zygote=zygote)
    assert send_owed() == [ScoreSend.Status.SENT]
    lms.control("/control/delete_lineitem", {"id": item["lineitem"].rsplit("/", 1)[1]})
    submit(student, relu_exercise, CORRECT, zygote=zygote)
    assert send_owed() == [ScoreSend.Status.SENT]
    link = AssignmentLink.objects.get()
    assert link.lineitem_url != item["lineitem"]
    new_item = lms.state()["lineitems"][link.lineitem_url.rsplit("/", 1)[1]]
    assert new_item["data"]["resourceId"] == link.resource_id and new_item["data"]["scoreMaximum"] == 10
    assert lms.state()["scores"][-1]["lineitem"] == link.lineitem_url.rsplit("/", 1)[1]


def test_the_instructor_sees_each_students_send_status(lms, relu_exercise, zygote, client):
    item = place(lms, relu_exercise)
    open_as_student(lms, item)
    submit(LtiUser.objects.get(sub="student-1").auth_user, relu_exercise, CORRECT, zygote=zygote)
    lms.control("/control/faults", {"scores": "down"})
    send_owed()
    course = CourseLink.objects.get().course
    client.force_login(LtiUser.objects.get(sub="teacher-1").auth_user)
    page = client.get(f"/lti/courses/{course.pk}/").content.decode()
    assert 'data-status="retrying"' in page and "1 failed try" in page and "Ada Lovelace" in page


def test_the_roster_syncs_from_the_lms(lms, browser_less, client):
    assert browser_less.launch(lms, user=person("teacher-1"), roles=[INSTRUCTOR]).status_code == 200
    course = CourseLink.objects.get().course
    ta_roles = [INSTRUCTOR, "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"]
    lms.control(
        "/control/members",
        [
            {"user_id": "teacher-1", "roles": [INSTRUCTOR], "status": "Active", "name": "Grace Hopper"},
            {"user_id": "s-1", "roles": [LEARNER], "status": "Active", "given_name": "Alan", "family_name": "Turing"},
            {"user_id": "s-2", "roles": ["Learner"], "status": "Active", "name": "Emmy Noether"},
            {"user_id": "t-1", "roles": ta_roles, "status": "Active", "name": "Ada Byron"},
            {"user_id": "m-1", "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"], "name": "Parent"},
        ],
    )
    client.force_login(LtiUser.objects.get(sub="teacher-1").auth_user)
    response = client.post(f"/lti/courses/{course.pk}/roster/", follow=True)
    assert "3 added" in response.content.decode() and "Parent" in response.content.decode()
    roles = {m.user.lti_users.get().sub: m.role for m in Membership.objects.filter(course=course)}
    assert roles == {"teacher-1": "instructor", "s-1": "student", "s-2": "student", "t-1": "ta"}
    assert LtiUser.objects.get(sub="s-1").auth_user.get_full_name() == "Alan Turing"

    lms.control("/control/members", [{"user_id": "s-2", "roles": [LEARNER], "status": "Inactive"}])
    client.post(f"/lti/courses/{course.pk}/roster/")
    assert not Membership.objects.filter(course=course, user__lti_users__sub="s-2").exists()
