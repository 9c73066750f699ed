"""A submission counts for every open assignment that holds its exercise, wherever it was made.

Judged by its own created_at and each assignment's policy: window (after the assignment existed,
from the opening to the cut-off, with the student's extension), late penalty, attempt limit,
minimum interval, best or last. The assignment-page path is in test_submission_policy.py.
"""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from catalog.models import Exercise
from courses import assignments, services
from courses.models import Assignment, AssignmentCredit, Membership
from courses.regrades import services as regrade_services
from courses.selectors import course_gradebook, credit_targets_for
from dashboard.selectors import course_dashboard
from quizzes.models import QuizAttempt
from submissions.models import Submission
from submissions.services import submission_create
from tests.conftest import sync_only
from tests.platform.courses.fixtures import (
    CORRECT,
    SYNTAX_ERROR,
    WRONG_ABS,
    credit_of,
    credits_of,
    make_assignment,
    submit,
)
from tests.platform.quizzes.conftest import right_answer

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def points(world, assignment, user=None) -> float:
    row = next(r for r in course_gradebook(course=world.course).rows if r.user == (user or world.student))
    return next(c for c in row.cells if c.assignment == assignment).points


def submit_from_the_exercise_page(client, source) -> Submission:
    response = client.post(reverse("exercises:submit", args=["relu"]), {"source": source}, **HTMX)
    assert response.status_code == 200, response.content
    return Submission.objects.latest("id")


def test_a_submission_from_the_exercise_page_counts_for_the_open_assignment(client, world, zygote):
    client.force_login(world.student)
    response = client.post(reverse("exercises:submit", args=["relu"]), {"source": CORRECT}, **HTMX)
    submission = Submission.objects.get()
    assert "Counted for" in response.content.decode() and ">Week 1</a>" in response.content.decode()
    assert credit_of(submission, world.assignment).counted
    submit(world.student, world.exercise, CORRECT, zygote=zygote)  # and graded, through the service
    assert points(world, world.assignment) == 10.0
    page = client.get(reverse("courses:assignment-detail", args=[world.course.pk, world.assignment.pk]))
    assert "✓ solved" in page.content.decode()


def test_before_the_opening_or_after_the_cutoff_it_is_graded_and_counts_nowhere(client, world):
    now = timezone.now()
    upcoming = make_assignment(world.course, [world.exercise], title="Next week", opens_at=now + timedelta(days=1))
    closed = make_assignment(
        world.course,
        [world.exercise],
        title="Last week",
        opens_at=now - timedelta(days=9),
        due_at=now - timedelta(days=2),
        late_policy=Assignment.LatePolicy.CUTOFF,
    )
    client.force_login(world.student)
    submission = submit_from_the_exercise_page(client, CORRECT)
    assert set(credits_of(submission)) == {"Week 1"}  # not "Next week", not "Last week"
    assert not credit_of(submission, upcoming) and not credit_of(submission, closed)


def test_work_made_before_the_assignment_existed_never_counts_for_it(world):
    before = submit(world.student, world.exercise, CORRECT)
    week2 = make_assignment(world.course, [world.exercise], title="Week 2")  # opened three days ago
    assert week2.opens_at < before.created_at < week2.counts_from
    assert credit_of(before, week2) is None
    assignments.assignment_update(
        assignment=week2,
        title="Week 2",
        opens_at=week2.opens_at - timedelta(days=1),
        due_at=week2.due_at,
        items=[assignments.ItemSpec(points=10, exercise=world.exercise)],
    )
    assert credit_of(before, week2) is None  # judging it again does not let it in either
    assert credit_of(before, world.assignment).counted  # Week 1 existed: it counts there


def test_late_marks_are_per_assignment(client, world, zygote):
    now = timezone.now()
    past_due = make_assignment(
        world.course,
        [world.exercise],
        title="Catch-up",
        opens_at=now - timedelta(days=5),
        due_at=now - timedelta(days=1, hours=12),
        late_penalty_per_day=0.1,
    )
    submission = submit(world.student, world.exercise, CORRECT, zygote=zygote)
    on_time, late = credit_of(submission, world.assignment), credit_of(submission, past_due)
    assert (on_time.is_late, on_time.late_penalty) == (False, 0.0)
    assert (late.is_late, late.late_days, late.late_penalty) == (True, 2, 0.2)
    assert points(world, world.assignment) == 10.0 and points(world, past_due) == 8.0
    client.force_login(world.student)
    panel = client.get(reverse("submissions:panel", args=[submission.pk])).content.decode()
    assert panel.count("Counted for") == 2 and "Late: 2 days after the due date" in panel and "20% penalty" in panel


def test_an_extension_counts_for_its_student_only(world, django_user_model):
    now = timezone.now()
    assignment = make_assignment(
        world.course,
        [world.exercise],
        title="Cut-off passed",
        opens_at=now - timedelta(days=5),
        due_at=now - timedelta(days=1),
        late_policy=Assignment.LatePolicy.CUTOFF,
    )
    assignments.extension_grant(
        assignment=assignment, user=world.student, due_at=now + timedelta(days=1), granted_by=world.teacher
    )
    classmate = django_user_model.objects.create_user(username="classmate")
    Membership.objects.create(course=world.course, user=classmate)
    mine = credit_of(submit(world.student, world.exercise, CORRECT), assignment)
    assert mine.counted and not mine.is_late and mine.extension_applied
    assert credit_of(submit(classmate, world.exercise, CORRECT), assignment) is None


def test_an_extension_granted_afterwards_brings_in_work_made_after_the_cutoff(world):
    now = timezone.now()
    assignment = make_assignment(
        world.course,
        [world.exercise],
        title="Flu week",
        opens_at=now - timedelta(days=5),
        due_at=now - timedelta(days=1),
        late_policy=Assignment.LatePolicy.CUTOFF,
    )
    sick = submit(world.student, world.exercise, CORRECT)
    assert credit_of(sick, assignment) is None
    extension = assignments.extension_grant(
        assignment=assignment, user=world.student, due_at=now + timedelta(days=1), granted_by=world.teacher
    )
    assert credit_of(sick, assignment).extension_applied
    assignments.extension_revoke(extension=extension)
    assert credit_of(sick, assignment) is None


def test_attempt_limit_outside_the_assignment_page_grades_but_stops_counting(client, world, zygote):
    limited = make_assignment(
        world.course, [world.exercise], title="Two tries", max_attempts=2, score_policy=Assignment.ScorePolicy.LAST
    )
    submit(world.student, world.exercise, SYNTAX_ERROR, zygote=zygote)  # could not run: no attempt used
    submit(world.student, world.exercise, WRONG_ABS, zygote=zygote)
    submit(world.student, world.exercise, WRONG_ABS, zygote=zygote)
    client.force_login(world.student)
    page = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    assert "attempt 2 of 2 used" in page and "All 2 attempts are used" in page and "does not count" in page

    third = submit(world.student, world.exercise, CORRECT, zygote=zygote)  # from the menu: accepted, graded
    assert third.status == "graded" and third.score == 1.0
    assert credit_of(third, limited).not_counted_reason == "attempts" and not credit_of(third, limited).counted
    assert credit_of(third, world.assignment).counted  # Week 1 has no limit
    assert points(world, limited) == 3.0  # the last attempt that counted: 30 %
    assert points(world, world.assignment) == 10.0
    panel = client.get(reverse("submissions:panel", args=[third.pk])).content.decode()
    assert "Not counted for" in panel and "no attempts were left" in panel

    # From the assignment's own page the same submission is refused, with the reason.
    with pytest.raises(ValidationError, match="You have used all 2 attempts"):
        submit(world.student, world.exercise, CORRECT, limited)


def test_minimum_interval_outside_the_assignment_page(client, world):
    paced = make_assignment(world.course, [world.exercise], title="Paced", min_interval_s=60)
    first = submit(world.student, world.exercise, WRONG_ABS)
    client.force_login(world.student)
    page = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    assert "counts one submission every 60 s" in page
    second = submit(world.student, world.exercise, CORRECT)
    assert credit_of(first, paced).counted and credit_of(second, paced).not_counted_reason == "interval"
    assert credit_of(second, world.assignment).counted
    # The clock runs from the last one that counted, so a student submitting often is not locked out.
    Submission.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    assert credit_of(submit(world.student, world.exercise, CORRECT), paced).counted


def test_a_one_try_assignment_counts_the_first_submission_only(world):
    limited = make_assignment(world.course, [world.exercise], title="One try", max_attempts=1)
    first, second = submit(world.student, world.exercise, WRONG_ABS), submit(world.student, world.exercise, CORRECT)
    assert [credit_of(s, limited).counted for s in (first, second)] == [True, False]


def test_staff_try_their_assignments_without_credit(client, world):
    client.force_login(world.teacher)
    submission = submit_from_the_exercise_page(client, CORRECT)
    assert not AssignmentCredit.objects.filter(submission=submission).exists()
    url = reverse("exercises:detail", args=["relu"]) + f"?assignment={world.assignment.pk}"
    assert "You teach this course: your submissions are not counted." in client.get(url).content.decode()


def test_a_student_who_joins_later_finds_the_work_made_while_it_was_open(client, world):
    Membership.objects.filter(course=world.course, user=world.student).delete()
    submission = submit(world.student, world.exercise, CORRECT)
    assert credit_of(submission, world.assignment) is None
    services.membership_join(user=world.student, code=world.course.join_code)
    assert credit_of(submission, world.assignment).counted


def test_editing_the_window_and_items_judges_the_work_again(world, tmp_path):
    submission = submit(world.student, world.exercise, CORRECT)
    sync_only(tmp_path, "relu", "sigmoid")
    sigmoid = Exercise.objects.get(slug="sigmoid")
    assignment = world.assignment

    def update(**changes):
        fields = {
            "title": assignment.title,
            "opens_at": assignment.opens_at,
            "due_at": assignment.due_at,
            "items": [assignments.ItemSpec(points=10, exercise=world.exercise)],
        }
        fields.update(changes)
        assignments.assignment_update(assignment=assignment, **fields)

    update(due_at=timezone.now() - timedelta(hours=1))  # now due an hour ago: it was made after that
    credit = credit_of(submission, assignment)
    assert (credit.is_late, credit.late_days, credit.late_penalty) == (True, 1, 0.1)
    update(opens_at=timezone.now() + timedelta(hours=1), due_at=timezone.now() + timedelta(days=2))
    assert credit_of(submission, assignment) is None  # made before the (new) opening
    update(opens_at=timezone.now() - timedelta(days=1), items=[assignments.ItemSpec(points=10, exercise=sigmoid)])
    assert credit_of(submission, assignment) is None  # relu is no longer part of it
    update(opens_at=timezone.now() - timedelta(days=1))
    assert credit_of(submission, assignment).counted


def test_every_page_that_shows_points_uses_the_same_rows(client, world, zygote, tmp_path):
    """Gradebook, CSV, dashboard, the student's page and the regrade all see a menu submission."""
    week2 = make_assignment(world.course, [world.exercise], title="Week 2")
    submission = submit(world.student, world.exercise, CORRECT, zygote=zygote)  # counts for Week 1 and Week 2
    assert set(credits_of(submission)) == {"Week 1", "Week 2"}
    assert points(world, world.assignment) == points(world, week2) == 10.0

    board = course_dashboard(course=world.course)
    assert board.submissions == 1 and board.started == 1  # one submission, though it counted twice

    client.force_login(world.teacher)
    csv = client.get(reverse("courses:gradebook-csv", args=[world.course.pk])).content.decode()
    assert "\r\nstudent,Student,,,10,,10,,20,100\r\n" in csv
    page = client.get(reverse("courses:student-detail", args=[world.course.pk, world.student.pk])).content.decode()
    assert "1 submission · 0 quiz tries" in page and f'id="submission-{submission.pk}"' in page
    assert f'data-assignment="{world.assignment.pk}"' in page and f'data-assignment="{week2.pk}"' in page
    assert page.count('<span class="pill graded">Week') == 2  # counted for both, said per assignment

    candidates = client.get(reverse("courses:regrade-list", args=[world.course.pk])).content.decode()
    assert "relu" in candidates
    regrade = regrade_services.regrade_preview(course=world.course, exercise=world.exercise, requested_by=world.teacher)
    assert list(regrade.results.values_list("submission_id", flat=True)) == [submission.pk]


def test_the_exercise_pages_say_what_a_submission_counts_for(client, world):
    assignments.extension_grant(
        assignment=world.assignment,
        user=world.student,
        due_at=world.assignment.due_at + timedelta(days=2),
        granted_by=world.teacher,
    )
    due = timezone.localtime(world.assignment.due_at + timedelta(days=2))
    client.force_login(world.student)
    listing = client.get(reverse("exercises:list")).content.decode()
    assert f'Counts for: <span class="credit-target">Week 1, due {due:%a} {due.day} {due:%b}, {due:%H:%M}' in listing
    assert "(your extension)" in listing
    detail = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    assert "Counts for" in detail and "Deep learning 101 / Week 1" in detail and "attempt" in detail
    zh = client.get(reverse("exercises:list"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert f'计入： <span class="credit-target">Week 1，截止 {due.month}月{due.day}日' in zh and "你的延期" in zh

    client.force_login(world.other_student)  # no course with an open assignment: nothing to say
    assert "Counts for" not in client.get(reverse("exercises:list")).content.decode()


def test_the_counts_for_box_refreshes_after_a_submission(client, world):
    client.force_login(world.student)
    url = reverse("exercises:counts-for", args=["relu"]) + f"?assignment={world.assignment.pk}"
    assert "0 attempts" in client.get(url).content.decode()
    submit(world.student, world.exercise, WRONG_ABS)
    box = client.get(url).content.decode()
    assert 'id="assignment-banner"' in box and "1 attempt" in box and "best counts" in box
    old = reverse("courses:assignment-banner", args=[world.course.pk, world.assignment.pk, "relu"])
    assert "1 attempt" in client.get(old).content.decode()  # the URL pages loaded before still answers


def test_targets_list_open_assignments_in_due_order(world):
    later = make_assignment(world.course, [world.exercise], title="Later", due_at=timezone.now() + timedelta(days=9))
    found = credit_targets_for(user=world.student, exercise_ids=[world.exercise.pk])[world.exercise.pk]
    assert [t.title for t in found] == ["Week 1", "Later"] and all(t.counts for t in found)
    assert credit_targets_for(user=world.other_student, exercise_ids=[world.exercise.pk]) == {}
    assert later.pk in {t.assignment_id for t in found}


# --- quizzes: the same rule for a try, judged when it is finished ------------------------------------


def finish_a_try(client, user, slug: str, attempt: int) -> QuizAttempt:
    key = "why-recurrent"
    client.post(
        reverse("quizzes:quiz-answer", args=[slug]),
        {"attempt": attempt, "only": key, f"a-{key}": right_answer(user, slug, key, attempt)},
        **HTMX,
    )
    response = client.post(reverse("quizzes:quiz-finish", args=[slug]), {"attempt": attempt}, **HTMX)
    assert response.status_code == 200
    return QuizAttempt.objects.get(user=user, number=attempt)


def test_a_quiz_try_counts_like_a_submission_with_the_attempt_limit(client, world, quizzes):
    quiz = quizzes["rnn-quiz"]
    one_try = make_assignment(
        world.course, [], title="Quiz week", max_attempts=1, items=[assignments.ItemSpec(points=10, quiz=quiz)]
    )
    client.force_login(world.student)
    first, second = (
        finish_a_try(client, world.student, "rnn-quiz", 1),
        finish_a_try(client, world.student, "rnn-quiz", 2),
    )
    credits = {c.quiz_attempt_id: c for c in AssignmentCredit.objects.filter(assignment=one_try)}
    assert credits[first.pk].counted and not credits[second.pk].counted
    assert credits[second.pk].not_counted_reason == "attempts"
    assert 0 < first.score < 1 and points(world, one_try) == round(first.score * 10, 4)
    # Finished after the cut-off: no row at all.
    Assignment.objects.filter(pk=one_try.pk).update(
        due_at=timezone.now() - timedelta(minutes=1), late_policy=Assignment.LatePolicy.CUTOFF
    )
    third = finish_a_try(client, world.student, "rnn-quiz", 3)
    assert not AssignmentCredit.objects.filter(quiz_attempt=third).exists()


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_cannot_both_take_the_last_attempt(world):
    """The credit is judged under a lock on the student's memberships, in the transaction that stores the work."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writing transaction at a time anyway")
    limited = make_assignment(world.course, [world.exercise], title="One try", max_attempts=1)
    start = threading.Barrier(2)
    errors = []

    def send(source):
        try:
            start.wait(timeout=10)
            submission_create(user=world.student, exercise=world.exercise, source=source)
        except Exception as error:  # reported below: a thread's failure would otherwise pass silently
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(source,)) for source in (WRONG_ABS, CORRECT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(limited.credits.values_list("counted", flat=True)) == [False, True]
