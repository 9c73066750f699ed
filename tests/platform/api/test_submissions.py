"""Submit through the API, poll the status, read the verdict: students see their own, public; staff see all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from submissions.models import Submission
from tests.conftest import sync_only, wait_until_final

CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
WRONG = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"


@pytest.mark.slow
def test_student_submits_and_reads_a_public_verdict_staff_read_everything(
    grading_worker, as_student, as_staff, tmp_path
):
    sync_only(tmp_path, "relu")
    created = as_student.post("/api/v1/submissions/", {"exercise": "relu", "source": WRONG}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "queued" and body["is_final"] is False and body["verdict"] is None
    assert created["Location"] == body["url"] == f"http://testserver/api/v1/submissions/{body['id']}/"
    wait_until_final(body["id"])

    mine = as_student.get(body["url"]).json()
    assert (mine["status"], mine["score"], mine["is_final"], mine["user"]) == ("graded", 0.3, True, "student")
    verdict = mine["verdict"]
    assert verdict["mistakes"][0]["key"] == "absolute_value"
    failed = [case["name"] for case in verdict["cases"] if case["status"] != "pass"]
    assert verdict["mistakes"][0]["cases"] == failed and verdict["unexplained"] == []
    hidden = [case for case in verdict["cases"] if case["hidden"]]
    assert hidden and all(case["details"] == {} and case["duration_ms"] == 0.0 for case in hidden)
    # A hidden case says what kind of failure it was, and what the case checks, in the platform's own words only.
    assert {
        case["message"].partition(" What this case checks: ")[0] for case in hidden if case["status"] == "fail"
    } == {"Wrong values (hidden case: its inputs and expected values are not shown)"}
    visible = next(case for case in verdict["cases"] if not case["hidden"] and case["status"] == "fail")
    assert visible["details"]["expected"] and visible["message"]

    staff_view = as_staff.get(body["url"]).json()
    failed_hidden = [c for c in staff_view["verdict"]["cases"] if c["hidden"] and c["status"] == "fail"]
    assert failed_hidden and all(c["message"] for c in failed_hidden)  # staff see why hidden cases failed
    assert staff_view["source"] == WRONG


def test_students_see_only_their_own_submissions(
    as_student, student, other_student, instructor, relu_exercise, as_staff
):
    own = Submission.objects.create(user=student, exercise=relu_exercise, source=CORRECT)
    other = Submission.objects.create(user=other_student, exercise=relu_exercise, source=CORRECT)
    Submission.objects.create(user=instructor, exercise=relu_exercise, source=CORRECT)

    listing = as_student.get("/api/v1/submissions/").json()
    assert [s["id"] for s in listing["results"]] == [own.pk]
    assert as_student.get(f"/api/v1/submissions/{other.pk}/").status_code == 404
    assert as_student.get("/api/v1/submissions/?exercise=sigmoid").json()["count"] == 0
    assert as_student.get("/api/v1/submissions/?status=queued").json()["count"] == 1

    assert as_staff.get("/api/v1/submissions/").json()["count"] == 1  # the list is one's own, staff too
    assert as_staff.get(f"/api/v1/submissions/{other.pk}/").json()["user"] == "other_student"


@pytest.mark.parametrize("who", ["as_student", "as_staff"])
def test_refused_submissions_say_why(request, relu_exercise, who):
    api = request.getfixturevalue(who)
    empty = api.post("/api/v1/submissions/", {"exercise": "relu", "source": "   "}, format="json")
    assert empty.status_code == 400
    assert empty.json()["message"] == "source: Your code is empty."
    missing = api.post("/api/v1/submissions/", {"source": CORRECT}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"] == {"exercise": ["This field is required."]}
    unknown = api.post("/api/v1/submissions/", {"exercise": "no-such", "source": CORRECT}, format="json")
    assert unknown.status_code == 404 and unknown.json()["message"] == "No such exercise."
    assert not Submission.objects.exists()


def test_the_web_pages_rate_limit_applies_to_the_api(as_student, relu_exercise, settings):
    settings.SUBMIT_RATE = "2/60"
    for _ in range(2):
        assert (
            as_student.post("/api/v1/submissions/", {"exercise": "relu", "source": CORRECT}, format="json").status_code
            == 201
        )
    response = as_student.post("/api/v1/submissions/", {"exercise": "relu", "source": CORRECT}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["message"].startswith("You are submitting too fast: at most 2 submissions in 60 s.")
    assert Submission.objects.count() == 2


def test_a_stored_verdict_with_nan_timings_reads_without_error(as_student, as_staff, student, relu_exercise):
    # Verdicts stored before timings came from the trusted clock may hold a child's NaN.
    from graders.verdict import CaseResult, Verdict

    verdict = Verdict(
        outcome="graded",
        score=1.0,
        passed=1,
        total=1,
        cases=(CaseResult(name="vector", status="pass", duration_ms=float("nan")),),
        elapsed_ms=float("inf"),
    )
    submission = Submission.objects.create(
        user=student, exercise=relu_exercise, source=CORRECT, status="graded", score=1.0, verdict=verdict.to_dict()
    )
    for client in (as_student, as_staff):
        response = client.get(f"/api/v1/submissions/{submission.pk}/")
        assert response.status_code == 200, response.content
        body = response.json()["verdict"]
        assert body["cases"][0]["duration_ms"] in (None, 0.0) and body["elapsed_ms"] in (None, 0.0)


@pytest.fixture
def open_assignment(student, relu_exercise, django_user_model):
    from courses import assignments
    from courses import services as course_services
    from courses.models import Membership

    teacher = django_user_model.objects.create_user(username="teacher")
    course = course_services.course_create(title="Deep learning 101", created_by=teacher)
    Membership.objects.create(course=course, user=student)
    now = timezone.now()
    return assignments.assignment_create(
        course=course,
        title="Week 1",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=1),
        items=[assignments.ItemSpec(points=10, exercise=relu_exercise)],
    )


def test_a_submission_through_the_api_counts_and_says_for_what(as_student, open_assignment):
    created = as_student.post("/api/v1/submissions/", {"exercise": "relu", "source": CORRECT}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["counted_for"] == [
        {
            "assignment": open_assignment.pk,
            "title": "Week 1",
            "course": "Deep learning 101",
            "is_late": False,
            "late_days": 0,
            "late_penalty": 0.0,
            "extension_applied": False,
        }
    ]
    assert body["not_counted_for"] == [] and body["queue_wait_s"] is None and body["grading_s"] is None
    assert as_student.get(body["url"]).json()["counted_for"][0]["assignment"] == open_assignment.pk
    listed = as_student.get("/api/v1/submissions/").json()["results"][0]
    assert listed["id"] == body["id"] and listed["counted_for"][0]["title"] == "Week 1"


def test_an_api_submission_past_the_attempt_limit_is_graded_but_not_counted(as_student, open_assignment):
    type(open_assignment).objects.filter(pk=open_assignment.pk).update(max_attempts=1)
    as_student.post("/api/v1/submissions/", {"exercise": "relu", "source": WRONG}, format="json")
    second = as_student.post("/api/v1/submissions/", {"exercise": "relu", "source": CORRECT}, format="json")
    assert second.status_code == 201
    assert second.json()["counted_for"] == []
    assert second.json()["not_counted_for"] == [
        {"assignment": open_assignment.pk, "title": "Week 1", "course": "Deep learning 101", "reason": "attempts"}
    ]


def test_students_get_timings_to_a_tenth_of_a_second_staff_exactly(as_student, as_staff, student, relu_exercise):
    from graders.verdict import CaseResult, Verdict
    from submissions.services import submission_create, submission_record_verdict

    submission = submission_create(user=student, exercise=relu_exercise, source=CORRECT)
    verdict = Verdict(
        outcome="graded",
        score=1.0,
        passed=2,
        total=2,
        cases=(
            CaseResult(name="vector", status="pass", duration_ms=7.89),
            CaseResult(name="big", status="pass", hidden=True, duration_ms=151.2),
        ),
        elapsed_ms=163.456,
    )
    submission_record_verdict(submission_id=submission.pk, verdict=verdict)
    now = timezone.now().replace(microsecond=654321)
    Submission.objects.filter(pk=submission.pk).update(
        created_at=now - timedelta(seconds=23.25), started_at=now - timedelta(seconds=0.163), graded_at=now
    )
    url = f"/api/v1/submissions/{submission.pk}/"
    mine = as_student.get(url).json()
    assert (mine["queue_wait_s"], mine["grading_s"]) == (23.1, 0.2)
    # The total covers the hidden cases: a tenth of a second. A visible case's own time comes from
    # before the process held any hidden input (docs/sandbox.md), a hidden case's is never shown.
    assert mine["verdict"]["elapsed_ms"] == 200.0 and [c["duration_ms"] for c in mine["verdict"]["cases"]] == [
        7.89,
        0.0,
    ]
    assert ".654321" not in mine["graded_at"] and mine["graded_at"].endswith(f"{now:%H:%M:%S}Z")
    staff = as_staff.get(url).json()
    assert staff["verdict"]["elapsed_ms"] == 163.456 and staff["verdict"]["cases"][0]["duration_ms"] == 7.89
    assert ".654321" in staff["graded_at"]
