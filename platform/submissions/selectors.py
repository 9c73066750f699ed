from __future__ import annotations

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


def trial_of(*, user, trial_id: int) -> Trial | None:
    """A Run is its student's own: nobody else sees it (it is not work handed in)."""
    return Trial.objects.select_related("exercise").filter(pk=trial_id, user=user).first()


def latest_trial(*, user, exercise) -> Trial | None:
    return Trial.objects.filter(user=user, exercise=exercise).order_by("-created_at").first()
