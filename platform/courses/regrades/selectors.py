"""Reads for regrades: which exercises can be regraded, a regrade's progress and its preview."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from catalog.models import Exercise
from courses.models import (
    Assignment,
    Course,
    Regrade,
    RegradeResult,
)
from courses.policy import item_score
from courses.selectors import assignments_of, course_submissions, submission_attempts
from submissions.models import Submission

# Submissions in these states use up an attempt: code that could not run and our own failures do not.
USES_AN_ATTEMPT = (Submission.Status.QUEUED, Submission.Status.RUNNING, Submission.Status.GRADED)


def course_exercises(*, course: Course) -> list:
    """The exercises of the course's assignments, with how many stored submissions each has."""
    return list(
        Exercise.objects.filter(assignment_items__assignment__course=course)
        .distinct()
        .order_by("topic", "order", "slug")
    )


@dataclass
class RegradeCandidate:
    exercise: object
    submissions: int
    outdated: int  # graded with another version of the bundle than the current one


def regrade_candidates(*, course: Course) -> list[RegradeCandidate]:
    candidates = []
    for exercise in course_exercises(course=course):
        stored = course_submissions(course=course).filter(exercise=exercise, status__in=Submission.FINAL_STATUSES)
        candidates.append(
            RegradeCandidate(
                exercise=exercise,
                submissions=stored.count(),
                outdated=stored.exclude(bundle_hash=exercise.content_hash).count(),
            )
        )
    return candidates


@dataclass
class RegradeProgress:
    total: int
    done: int
    failed: int
    pending: int
    failures: list[tuple[int, str]]

    @property
    def complete(self) -> bool:
        return self.pending == 0 and self.failed == 0

    @property
    def stalled(self) -> bool:
        return self.pending == 0 and self.failed > 0

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 100


def regrade_progress(*, regrade: Regrade) -> RegradeProgress:
    counts = dict(regrade.results.values("status").annotate(n=Count("id")).values_list("status", "n"))
    failures = list(
        regrade.results.filter(status=RegradeResult.Status.FAILED).values_list("submission_id", "message")[:5]
    )
    return RegradeProgress(
        total=regrade.total,
        done=counts.get(RegradeResult.Status.DONE, 0),
        failed=counts.get(RegradeResult.Status.FAILED, 0),
        pending=counts.get(RegradeResult.Status.PENDING, 0),
        failures=failures,
    )


@dataclass
class RegradeChange:
    user: object
    assignment: Assignment
    old_points: float
    new_points: float
    max_points: float

    @property
    def delta(self) -> float:
        return round(self.new_points - self.old_points, 4)


@dataclass
class RegradePreview:
    changes: list[RegradeChange]  # students whose points for an item change, biggest drop first
    unchanged: int
    submissions_up: int
    submissions_down: int
    submissions_same: int
    results: list[RegradeResult]

    @property
    def up(self) -> list[RegradeChange]:
        return [c for c in self.changes if c.delta > 0]

    @property
    def down(self) -> list[RegradeChange]:
        return [c for c in self.changes if c.delta < 0]


def regrade_preview_of(*, regrade: Regrade) -> RegradePreview:
    """Whose points would go up or down, and by how much, if the computed verdicts were applied.

    Points are per student and per assignment item, counted by the assignment's policy (best or
    last, late penalties) with the old and with the new scores of every regraded submission.
    """
    results = list(
        regrade.results.filter(status=RegradeResult.Status.DONE)
        .select_related("submission__user")
        .order_by("submission__user__username", "submission__created_at")
    )
    # Before and after come from the results themselves, so an applied or rolled-back regrade still
    # shows what it changed.
    old = {r.submission_id: (r.old_status, r.old_score) for r in results}
    new = {r.submission_id: (r.new_status, r.new_score) for r in results}
    key = f"exercise:{regrade.exercise_id}"
    assignments = [a for a in assignments_of(course=regrade.course) if any(item.key == key for item in a.items.all())]
    users = {r.submission.user_id: r.submission.user for r in results}
    user_ids = set(users)
    before = submission_attempts(assignments=assignments, user_ids=user_ids, override=old)
    after = submission_attempts(assignments=assignments, user_ids=user_ids, override=new)
    changes, unchanged = [], 0
    for assignment in assignments:
        item = next(item for item in assignment.items.all() if item.key == key)
        for user_id, user in users.items():
            was = item_score(
                before.get((assignment.pk, user_id, key), ()), policy=assignment.score_policy, max_points=item.points
            )
            will = item_score(
                after.get((assignment.pk, user_id, key), ()), policy=assignment.score_policy, max_points=item.points
            )
            if not was.started and not will.started:
                continue
            if abs(will.points - was.points) < 1e-9:
                unchanged += 1
            else:
                changes.append(RegradeChange(user, assignment, was.points, will.points, item.points))
    changes.sort(key=lambda c: (c.delta, c.user.username))
    deltas = [r.delta or 0.0 for r in results]
    return RegradePreview(
        changes=changes,
        unchanged=unchanged,
        submissions_up=sum(d > 1e-9 for d in deltas),
        submissions_down=sum(d < -1e-9 for d in deltas),
        submissions_same=sum(abs(d) <= 1e-9 for d in deltas),
        results=results,
    )
