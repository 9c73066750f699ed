"""The score round as it runs in production: a real worker and its beat, the LMS down, then back."""

from __future__ import annotations

import time

import pytest
from lti_tool.models import LtiUser

from lti.models import ScoreSend
from submissions.services import submission_create
from tests.platform.lti.test_grades import CORRECT, open_as_student, place

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def wait_for(condition, timeout: float = 60.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"not within {timeout} s: {what}")


def test_a_score_owed_while_the_lms_is_down_is_retried_with_backoff_and_arrives_when_it_is_back(
    lms, relu_exercise, lti_worker
):
    item = place(lms, relu_exercise)
    open_as_student(lms, item)
    lms.control("/control/faults", {"scores": "down"})
    submission_create(user=LtiUser.objects.get(sub="student-1").auth_user, exercise=relu_exercise, source=CORRECT)
    wait_for(
        lambda: ScoreSend.objects.filter(status=ScoreSend.Status.RETRYING, attempts__gte=3).exists(),
        what="three failed sends:\n" + lti_worker.log(),
    )
    assert "HTTP 503" in ScoreSend.objects.get().last_error and lms.state()["scores"] == []

    lms.control("/control/faults", {})
    wait_for(lambda: lms.state()["scores"], what="the score at the LMS:\n" + lti_worker.log())
    (score,) = lms.state()["scores"]
    assert score["scoreGiven"] == 10.0 and score["userId"] == "student-1"
    wait_for(lambda: ScoreSend.objects.filter(status=ScoreSend.Status.SENT).exists(), what="recorded as sent")
    time.sleep(2.5)  # two more rounds: nothing is sent twice
    assert len(lms.state()["scores"]) == 1
