from __future__ import annotations

from django.db.models import Count, Max, QuerySet

from submissions.models import Submission


def submissions_for(*, user, exercise) -> QuerySet[Submission]:
    return Submission.objects.filter(user=user, exercise=exercise).order_by("-created_at", "-id")


def progress_by_exercise(*, user) -> dict[int, dict]:
    """Best score and attempt count per exercise for one student."""
    rows = Submission.objects.filter(user=user).values("exercise_id").annotate(best=Max("score"), attempts=Count("id"))
    return {row["exercise_id"]: row for row in rows}


def submission_visible_to(*, user, submission_id: int) -> Submission | None:
    submission = Submission.objects.select_related("exercise", "user").filter(pk=submission_id).first()
    if submission is None:
        return None
    if submission.user_id == user.pk or user.is_staff:
        return submission
    return None
