"""The move from Submission.assignment to credit rows keeps what stored data means (and back)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("courses", "0001_create_courses_assignments_regrades"),
    ("submissions", "0004_submission_verdict_summary"),
    ("quizzes", "0002_questions_answers_and_attempt_tries"),
]
AFTER = [
    ("courses", "0003_credit_existing_links_and_quiz_tries"),
    ("submissions", "0005_drop_assignment_link_now_in_credits"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_links_and_quiz_tries_become_credit_rows_and_back():
    now = timezone.now()
    apps = migrate(BEFORE)
    try:
        User = apps.get_model("auth", "User")
        student = User.objects.create(username="student")
        teacher = User.objects.create(username="teacher")
        Course = apps.get_model("courses", "Course")
        course = Course.objects.create(title="DL", slug="dl", join_code="ABCDEFGH")
        Membership = apps.get_model("courses", "Membership")
        Membership.objects.create(course=course, user=student, role="student")
        Membership.objects.create(course=course, user=teacher, role="instructor")
        exercise = apps.get_model("catalog", "Exercise").objects.create(
            uuid=uuid.uuid4(), slug="relu", function_name="relu", topic="activations", difficulty="easy",
            title_en="ReLU", title_zh="ReLU", statement_en_html="", statement_zh_html="", starter_code="",
            bundle_path="/nowhere", content_hash="x", rtol=1e-6, atol=1e-9, time_limit_s=1, memory_limit_mib=64,
        )  # fmt: skip
        quiz = apps.get_model("quizzes", "Quiz").objects.create(
            uuid=uuid.uuid4(), slug="rnn-quiz", topic="rnn", title_en="RNN", title_zh="RNN"
        )
        Assignment = apps.get_model("courses", "Assignment")
        week = Assignment.objects.create(
            course=course, title="Week 3", opens_at=now - timedelta(days=20), due_at=now - timedelta(days=3)
        )
        Assignment.objects.filter(pk=week.pk).update(created_at=now - timedelta(days=10))
        item = apps.get_model("courses", "AssignmentItem")
        item.objects.create(assignment=week, exercise=exercise, points=10)
        item.objects.create(assignment=week, quiz=quiz, points=10)
        Submission = apps.get_model("submissions", "Submission")
        linked = Submission.objects.create(
            user=student, exercise=exercise, source="x", status="graded", score=1.0, assignment=week,
            is_late=True, late_days=2, late_penalty=0.2,
        )  # fmt: skip
        from_the_menu = Submission.objects.create(
            user=student, exercise=exercise, source="y", status="graded", score=1.0
        )
        Submission.objects.filter(pk=from_the_menu.pk).update(created_at=now - timedelta(days=4))
        QuizAttempt = apps.get_model("quizzes", "QuizAttempt")
        before_it_existed = QuizAttempt.objects.create(user=student, quiz=quiz, score=0.706)
        in_the_window = QuizAttempt.objects.create(user=student, quiz=quiz, score=0.5)
        after_the_due_date = QuizAttempt.objects.create(user=student, quiz=quiz, score=1.0)
        for attempt, days in ((before_it_existed, 12), (in_the_window, 4), (after_the_due_date, 1)):
            QuizAttempt.objects.filter(pk=attempt.pk).update(created_at=now - timedelta(days=days))

        apps = migrate(AFTER)
        credits = {
            (row.submission_id, row.quiz_attempt_id): row
            for row in apps.get_model("courses", "AssignmentCredit").objects.all()
        }
        assert set(credits) == {(linked.pk, None), (None, in_the_window.pk), (None, after_the_due_date.pk)}
        kept = credits[(linked.pk, None)]
        assert (kept.assignment_id, kept.counted, kept.is_late, kept.late_days, kept.late_penalty) == (
            week.pk, True, True, 2, 0.2,
        )  # fmt: skip
        late = credits[(None, after_the_due_date.pk)]
        assert (late.is_late, late.late_days, late.late_penalty) == (True, 2, 0.2)  # penalty policy, 10 %/day
        migrated = apps.get_model("courses", "Assignment").objects.get(pk=week.pk)
        assert migrated.counts_from > now  # work from before the migration gains nothing new

        apps = migrate(BEFORE)
        back = apps.get_model("submissions", "Submission").objects.get(pk=linked.pk)
        assert (back.assignment_id, back.is_late, back.late_days, back.late_penalty) == (week.pk, True, 2, 0.2)
        assert apps.get_model("submissions", "Submission").objects.get(pk=from_the_menu.pk).assignment_id is None
    finally:
        migrate(latest())
