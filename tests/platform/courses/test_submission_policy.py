"""Deadlines, extensions, attempt limits and intervals, judged on the server with each submission's own time.

These submissions are sent from the assignment's page: one that could not count there is refused.
The same rule from anywhere else (exercise page, API, CLI) is in test_credit_rule.py.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses import assignments
from courses.models import Assignment, AssignmentCredit, Membership
from courses.selectors import course_gradebook
from submissions.models import Submission
from tests.platform.courses.fixtures import CORRECT, SYNTAX_ERROR, WRONG_ABS, credit_of, make_assignment, submit

pytestmark = pytest.mark.django_db


def late_assignment(world, **overrides):
    now = timezone.now()
    fields = {"opens_at": now - timedelta(days=5), "due_at": now - timedelta(days=1, hours=12)}
    fields.update(overrides)
    return make_assignment(world.course, [world.exercise], title="Late one", **fields)


def test_outside_every_course_nothing_counts(world):
    submission = submit(world.other_student, world.exercise, CORRECT)
    assert not AssignmentCredit.objects.filter(submission=submission).exists()


def test_on_time_submission_is_not_marked(world):
    submission = submit(world.student, world.exercise, CORRECT, world.assignment)
    credit = credit_of(submission, world.assignment)
    assert credit.counted and (credit.is_late, credit.late_days, credit.late_penalty) == (False, 0, 0.0)


def test_late_submission_is_stored_marked_and_loses_the_penalty_per_started_day(world, zygote):
    assignment = late_assignment(world, late_penalty_per_day=0.1)
    submission = submit(world.student, world.exercise, CORRECT, assignment, zygote=zygote)
    credit = credit_of(submission, assignment)
    assert (credit.is_late, credit.late_days, credit.late_penalty) == (True, 2, 0.2)
    row = next(r for r in course_gradebook(course=world.course).rows if r.user == world.student)
    cell = next(c for c in row.cells if c.assignment == assignment)
    assert submission.score == 1.0 and cell.points == 8.0  # 100 % less 20 % of 10 points


def test_late_submission_through_the_page_says_so(client, world):
    assignment = late_assignment(world, late_penalty_per_day=0.25)
    client.force_login(world.student)
    response = client.post(
        reverse("exercises:submit", args=["relu"]),
        {"source": CORRECT, "assignment": assignment.pk},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Late: 2 days after the due date" in page and "50% penalty" in page
    assert credit_of(Submission.objects.get(), assignment).is_late


def test_no_credit_after_the_cutoff_refuses_with_the_reason(client, world):
    assignment = late_assignment(world, late_policy=Assignment.LatePolicy.CUTOFF)
    client.force_login(world.student)
    response = client.post(
        reverse("exercises:submit", args=["relu"]),
        {"source": CORRECT, "assignment": assignment.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "does not accept late submissions" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_penalty_policy_with_a_passed_cutoff_refuses(world):
    assignment = late_assignment(world, cutoff_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(
        ValidationError, match="The cut-off for this assignment was .*; submissions are no longer accepted"
    ):
        submit(world.student, world.exercise, CORRECT, assignment)
    assert not Submission.objects.exists()


def test_an_extension_makes_it_on_time_for_that_student_only(world, django_user_model):
    assignment = late_assignment(world, late_policy=Assignment.LatePolicy.CUTOFF)
    assignments.extension_grant(
        assignment=assignment, user=world.student, due_at=timezone.now() + timedelta(days=1), granted_by=world.teacher
    )
    credit = credit_of(submit(world.student, world.exercise, CORRECT, assignment), assignment)
    assert not credit.is_late and credit.extension_applied
    classmate = django_user_model.objects.create_user(username="classmate")
    Membership.objects.create(course=world.course, user=classmate)
    with pytest.raises(ValidationError, match="does not accept late submissions"):
        submit(classmate, world.exercise, CORRECT, assignment)


def test_an_extension_moves_the_cutoff_by_as_much(world):
    now = timezone.now()
    assignment = late_assignment(world, due_at=now - timedelta(days=3), cutoff_at=now - timedelta(days=2))
    assignments.extension_grant(
        assignment=assignment, user=world.student, due_at=now - timedelta(hours=12), granted_by=world.teacher
    )
    # The extension moves the due date by 2.5 days, so the cut-off is now + 12 h: late, but accepted.
    credit = credit_of(submit(world.student, world.exercise, CORRECT, assignment), assignment)
    assert credit.is_late and credit.late_days == 1 and credit.extension_applied


def test_an_extension_granted_afterwards_removes_the_late_mark_and_revoking_restores_it(world):
    assignment = late_assignment(world)
    submission = submit(world.student, world.exercise, CORRECT, assignment)
    assert credit_of(submission, assignment).is_late
    extension = assignments.extension_grant(
        assignment=assignment, user=world.student, due_at=timezone.now() + timedelta(days=1), granted_by=world.ta
    )
    credit = credit_of(submission, assignment)
    assert not credit.is_late and credit.late_penalty == 0 and credit.extension_applied
    assignments.extension_revoke(extension=extension)
    credit = credit_of(submission, assignment)
    assert credit.is_late and credit.late_penalty == 0.2


def test_an_extension_must_be_later_than_the_due_date_and_for_a_student(world):
    with pytest.raises(ValidationError, match="moves the due date later"):
        assignments.extension_grant(
            assignment=world.assignment, user=world.student, due_at=world.assignment.due_at, granted_by=world.teacher
        )
    with pytest.raises(ValidationError, match="for students of this course"):
        assignments.extension_grant(
            assignment=world.assignment,
            user=world.other_student,
            due_at=world.assignment.due_at + timedelta(days=1),
            granted_by=world.teacher,
        )


def test_before_the_opening_submissions_are_refused(world):
    now = timezone.now()
    assignment = make_assignment(
        world.course, [world.exercise], opens_at=now + timedelta(days=1), due_at=now + timedelta(days=2)
    )
    with pytest.raises(ValidationError, match="This assignment opens on"):
        submit(world.student, world.exercise, CORRECT, assignment)


def test_the_attempt_limit_refuses_and_code_that_cannot_run_does_not_count(world, zygote):
    assignment = make_assignment(world.course, [world.exercise], title="Two tries", max_attempts=2)
    not_gradable = submit(world.student, world.exercise, SYNTAX_ERROR, assignment, zygote=zygote)
    assert not_gradable.status == "not_gradable"
    submit(world.student, world.exercise, WRONG_ABS, assignment, zygote=zygote)
    submit(world.student, world.exercise, WRONG_ABS, assignment)  # still queued: it counts
    with pytest.raises(ValidationError, match="You have used all 2 attempts at this exercise for this assignment."):
        submit(world.student, world.exercise, CORRECT, assignment)
    assert Submission.objects.count() == 3 and assignment.credits.filter(counted=True).count() == 3
    # From the Exercises menu it is graded, and counts wherever attempts are left (Week 1), not here.
    practice = submit(world.student, world.exercise, CORRECT)
    assert credit_of(practice, world.assignment).counted
    assert credit_of(practice, assignment).not_counted_reason == "attempts"


def test_the_minimum_interval_is_measured_between_stored_submissions(world):
    assignment = make_assignment(world.course, [world.exercise], title="Slow down", min_interval_s=60)
    first = submit(world.student, world.exercise, WRONG_ABS, assignment)
    with pytest.raises(
        ValidationError, match=r"Please wait 60 s before submitting again: .* one submission every 60 s."
    ):
        submit(world.student, world.exercise, CORRECT, assignment)
    Submission.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    assert submit(world.student, world.exercise, CORRECT, assignment).pk


def test_someone_outside_the_course_or_an_exercise_outside_the_assignment_is_refused(world, tmp_path):
    with pytest.raises(ValidationError, match="not enrolled in the course"):
        submit(world.other_student, world.exercise, CORRECT, world.assignment)
    from catalog.models import Exercise
    from tests.conftest import sync_only

    sync_only(tmp_path, "relu", "sigmoid")
    sigmoid = Exercise.objects.get(slug="sigmoid")
    with pytest.raises(ValidationError, match="not part of this assignment"):
        submit(world.student, sigmoid, "def sigmoid(x):\n    return x\n", world.assignment)


def test_course_staff_may_try_their_assignment_after_the_cutoff(world):
    assignment = late_assignment(world, late_policy=Assignment.LatePolicy.CUTOFF)
    submission = submit(world.teacher, world.exercise, CORRECT, assignment)
    assert submission.pk and not AssignmentCredit.objects.filter(submission=submission).exists()  # a try, no credit


def test_an_unknown_assignment_id_is_a_clear_message(client, world):
    client.force_login(world.student)
    response = client.post(
        reverse("exercises:submit", args=["relu"]),
        {"source": CORRECT, "assignment": 99999},
        HTTP_HX_REQUEST="true",
    )
    assert "This assignment does not exist" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_exercise_page_for_an_assignment_carries_it_and_shows_the_rules(client, world):
    client.force_login(world.student)
    url = reverse("exercises:detail", args=["relu"]) + f"?assignment={world.assignment.pk}"
    page = client.get(url).content.decode()
    assert f'name="assignment" value="{world.assignment.pk}"' in page
    assert "Deep learning 101 / Week 1" in page and "best counts" in page
    client.force_login(world.other_student)
    assert client.get(url).status_code == 404
