from __future__ import annotations

from django.db.models import Count, Max, QuerySet

from submissions.models import Submission


def progress_by_exercise(*, user) -> dict[int, dict]:
    """Best score and attempt count per exercise for one student."""
    rows = Submission.objects.filter(user=user).values("exercise_id").annotate(best=Max("score"), attempts=Count("id"))
    return {row["exercise_id"]: row for row in rows}


def submission_visible_to(*, user, submission_id: int) -> Submission | None:
    """The submission if ``user`` made it, operates the platform, or teaches the course it was made for."""
    submission = Submission.objects.select_related("exercise", "user", "assignment").filter(pk=submission_id).first()
    if submission is None:
        return None
    if submission.user_id == user.pk or user.is_staff or submission_staff_can_see(user=user, submission=submission):
        return submission
    return None


def submission_staff_can_see(*, user, submission: Submission) -> bool:
    """Whether ``user`` sees it as staff (hidden case details included): an operator or the course's staff."""
    if user.is_staff:
        return True
    if submission.assignment_id is None:
        return False
    from courses.selectors import is_course_staff

    return is_course_staff(user=user, course_id=submission.assignment.course_id)


def submissions_for(*, user, exercise, assignment=None) -> QuerySet[Submission]:
    """A student's submissions of an exercise, only those made for ``assignment`` when given."""
    submissions = Submission.objects.filter(user=user, exercise=exercise)
    if assignment is not None:
        submissions = submissions.filter(assignment=assignment)
    return submissions.order_by("-created_at", "-id")
