"""Courses with people in every role, graded submissions made the real way (services + sandbox)."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from catalog.models import Exercise
from catalog.services import exercise_sync
from courses import assignments
from courses import services as course_services
from courses.models import Assignment, AssignmentCredit, Course, Membership
from graders.bundle import load_cached
from graders.engine import grade
from graders.sandboxed_content import sandboxed
from quizzes.hooks import quiz_credit_policy
from quizzes.models import Quiz, QuizAttempt
from submissions import services as submission_services
from submissions.models import Submission
from tests.conftest import EXERCISES, sync_only

CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
WRONG_ABS = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"  # the absolute_value mistake, 30 %
OFF_BY_A_LITTLE = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0) + 1e-3\n"
FLOAT32 = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0).astype(np.float32)\n"
SYNTAX_ERROR = "def relu(x)\n    return x\n"


def make_user(django_user_model, username: str, **fields):
    fields.setdefault("email", f"{username}@example.edu")
    return django_user_model.objects.create_user(username=username, password="pw-" + username, **fields)


@dataclass
class World:
    course: Course
    other_course: Course
    assignment: Assignment
    exercise: Exercise
    teacher: object  # instructor of course (not a platform operator)
    ta: object
    student: object  # enrolled in course
    other_student: object  # enrolled in other_course only
    other_teacher: object  # instructor of other_course only


def make_assignment(course, exercises, **overrides) -> Assignment:
    now = timezone.now()
    fields = {
        "title": "Week 1",
        "opens_at": now - timedelta(days=3),
        "due_at": now + timedelta(days=3),
        "items": [assignments.ItemSpec(points=10, exercise=e) for e in exercises],
    }
    fields.update(overrides)
    return assignments.assignment_create(course=course, **fields)


@pytest.fixture
def teacher(db, django_user_model):
    return make_user(django_user_model, "teacher", first_name="Tess", last_name="Teacher")


@pytest.fixture
def other_teacher(db, django_user_model):
    return make_user(django_user_model, "other_teacher")


@pytest.fixture
def ta(db, django_user_model):
    return make_user(django_user_model, "assistant")


@pytest.fixture
def world(tmp_path, student, other_student, teacher, other_teacher, ta) -> World:
    sync_only(tmp_path, "relu")
    exercise = Exercise.objects.get(slug="relu")
    course = course_services.course_create(title="Deep learning 101", created_by=teacher)
    other_course = course_services.course_create(title="Another course", created_by=other_teacher)
    Membership.objects.create(course=course, user=student)
    Membership.objects.create(course=course, user=ta, role=Membership.Role.TA)
    Membership.objects.create(course=other_course, user=other_student)
    assignment = make_assignment(course, [exercise])
    return World(course, other_course, assignment, exercise, teacher, ta, student, other_student, other_teacher)


def submit(user, exercise, source, assignment=None, *, zygote=None) -> Submission:
    """Submit through the service (the credit rule applies), then grade in this process when a zygote is given.

    With an ``assignment`` it is sent from that assignment's page: refused unless it counts there.
    """
    submission = submission_services.submission_create(
        user=user, exercise=exercise, source=source, assignment_id=assignment.pk if assignment is not None else None
    )
    if zygote is not None:
        submission_services.submission_start(submission_id=submission.pk)  # as the worker does: times the grading
        bundle = load_cached(exercise.bundle_path, untrusted=exercise.runs_in_sandbox)
        if bundle.untrusted:  # a course's own exercise: its code runs in the sandbox, as in the worker
            bundle = sandboxed(bundle, lambda: zygote)
        verdict = grade(bundle, source, zygote=zygote)
        submission_services.submission_record_verdict(submission_id=submission.pk, verdict=verdict)
    submission.refresh_from_db()
    return submission


def make_quiz(slug: str = "why-clip", points: float = 5):
    """A quiz row without a bundle: enough to be an assignment item and to have tries."""
    return Quiz.objects.create(
        uuid=uuid.uuid4(),
        slug=slug,
        topic="exploding-gradients",
        title_en="Why clip",
        title_zh="为什么裁剪",
        points=points,
    )


def quiz_try(user, quiz, score: float, *, at=None) -> QuizAttempt:
    """A finished try, credited as the quiz pages do when a try ends; ``at`` dates it in the past first."""
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(user=user, quiz=quiz, score=score)
        if at is not None:
            QuizAttempt.objects.filter(pk=attempt.pk).update(created_at=at)
            attempt.refresh_from_db()
        quiz_credit_policy().judge_new(attempt=attempt)
    return attempt


def existed_since(assignment, moment) -> None:
    """Pretend the assignment was created at ``moment`` (to date work before now, yet after it existed)."""
    Assignment.objects.filter(pk=assignment.pk).update(created_at=moment, counts_from=moment)
    assignment.refresh_from_db()


def credits_of(submission, *, counted_only: bool = True) -> dict[str, AssignmentCredit]:
    """What a submission counts for, by assignment title."""
    rows = AssignmentCredit.objects.filter(submission=submission).select_related("assignment")
    if counted_only:
        rows = rows.filter(counted=True)
    return {row.assignment.title: row for row in rows}


def credit_of(submission, assignment) -> AssignmentCredit | None:
    return AssignmentCredit.objects.filter(submission=submission, assignment=assignment).first()


@pytest.fixture
def relu_copy(tmp_path, db):
    """A copy of the relu bundle that a test may edit (to regrade after a change), synced."""
    root = tmp_path / "editable-exercises"
    shutil.copytree(EXERCISES / "relu", root / "relu", ignore=shutil.ignore_patterns("__pycache__"))
    exercise_sync(root=root)
    return root / "relu"


def set_tolerance(bundle_dir, *, rtol: float, atol: float) -> None:
    """Change the exercise's tolerances on disk and sync, as an author fixing an exercise would."""
    toml = (bundle_dir / "exercise.toml").read_text()
    start = toml.index("[tolerance]")
    end = toml.index("[", start + 1)
    toml = toml[:start] + f"[tolerance]\nrtol = {rtol!r}\natol = {atol!r}\n\n" + toml[end:]
    (bundle_dir / "exercise.toml").write_text(toml)
    report = exercise_sync(root=bundle_dir.parent)
    assert report.updated == ["relu"], report
