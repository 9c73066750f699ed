from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet

from submissions.hooks import credit_policy
from submissions.models import Submission, Trial


def progress_by_exercise(*, user) -> dict[int, dict]:
    """Best score and attempt count per exercise for one student."""
    rows = Submission.objects.filter(user=user).values("exercise_id").annotate(best=Max("score"), attempts=Count("id"))
    return {row["exercise_id"]: row for row in rows}


def submission_visible_to(*, user, submission_id: int) -> Submission | None:
    """The submission if ``user`` made it, operates the platform, or teaches a course it counted in."""
    submission = Submission.objects.select_related("exercise", "user").filter(pk=submission_id).first()
    if submission is None:
        return None
    if submission.user_id == user.pk or submission_staff_can_see(user=user, submission=submission):
        return submission
    return None


def submission_staff_can_see(*, user, submission: Submission) -> bool:
    """Whether ``user`` sees it as staff (hidden case details included): an operator or the course's staff."""
    if user.is_staff:
        return True
    if not user.is_authenticated:
        return False
    return credit_policy().reviews(user=user, submission=submission)


def submissions_for(*, user, exercise) -> QuerySet[Submission]:
    """A student's submissions of an exercise, newest first, wherever they were made."""
    return Submission.objects.filter(user=user, exercise=exercise).order_by("-created_at", "-id")


RECENT_GRADINGS = 20  # how many of the latest gradings the wait estimate averages


@dataclass(frozen=True)
class QueuePlace:
    position: int  # 1: next to be graded
    wait_s: float | None  # None: nothing graded recently to estimate from


def submission_queue_place(*, submission: Submission) -> QueuePlace:
    """Where a queued submission stands: its place among the queued ones and an estimated wait.

    The wait is the mean grading time of the latest gradings, times the rounds of gradings ahead:
    the submissions running now tell how many are graded at once.
    """
    ahead = Submission.objects.filter(status=Submission.Status.QUEUED, pk__lt=submission.pk).count()
    recent = list(
        Submission.objects.filter(started_at__isnull=False, graded_at__isnull=False)
        .order_by("-graded_at")
        .values_list("started_at", "graded_at")[:RECENT_GRADINGS]
    )
    if not recent:
        return QueuePlace(position=ahead + 1, wait_s=None)
    mean_s = sum(max(0.0, (graded - started).total_seconds()) for started, graded in recent) / len(recent)
    running = max(1, Submission.objects.filter(status=Submission.Status.RUNNING).count())
    return QueuePlace(position=ahead + 1, wait_s=math.ceil((ahead + 1) / running) * mean_s)


def trial_of(*, user, trial_id: int) -> Trial | None:
    """A Run is its student's own: nobody else sees it (it is not work handed in)."""
    return Trial.objects.select_related("exercise").filter(pk=trial_id, user=user).first()


def latest_trial(*, user, exercise) -> Trial | None:
    return Trial.objects.filter(user=user, exercise=exercise).order_by("-created_at").first()
