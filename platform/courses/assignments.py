"""Writes for assignments: their items and policy, and students' extensions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Exercise
from courses.credit import credit_sync
from courses.models import (
    Assignment,
    AssignmentItem,
    Course,
    Extension,
    Membership,
)
from courses.policy import local_time

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ItemSpec:
    points: float
    exercise: Exercise | None = None
    quiz: object | None = None  # quizzes.Quiz


def _validate_assignment(
    *,
    title: str,
    opens_at: datetime,
    due_at: datetime,
    late_policy: str,
    late_penalty_per_day: float,
    cutoff_at: datetime | None,
    max_attempts: int | None,
    min_interval_s: int,
    score_policy: str,
    items: list[ItemSpec],
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("An assignment needs a title.")
    if due_at <= opens_at:
        errors["due_at"] = _("The due date must come after the opening date.")
    if cutoff_at is not None and cutoff_at < due_at:
        errors["cutoff_at"] = _("The cut-off cannot come before the due date.")
    if late_policy not in Assignment.LatePolicy.values:
        errors["late_policy"] = _("Choose a late policy.")
    if not 0.0 <= late_penalty_per_day <= 1.0:
        errors["late_penalty_per_day"] = _("The penalty per day is between 0 % and 100 %.")
    if max_attempts is not None and max_attempts < 1:
        errors["max_attempts"] = _("Allow at least one attempt, or leave it empty for no limit.")
    if min_interval_s < 0:
        errors["min_interval_s"] = _("The interval cannot be negative.")
    if score_policy not in Assignment.ScorePolicy.values:
        errors["score_policy"] = _("Choose which attempt counts.")
    if not items:
        errors["__all__"] = _("Choose at least one exercise or quiz.")
    elif any(item.points < 0 for item in items):
        errors["__all__"] = _("Points cannot be negative.")
    if errors:
        raise ValidationError(errors)


def _set_items(assignment: Assignment, items: list[ItemSpec]) -> None:
    current = {item.key: item for item in assignment.items.all()}
    wanted = {}
    for order, spec in enumerate(items):
        key = f"exercise:{spec.exercise.pk}" if spec.exercise is not None else f"quiz:{spec.quiz.pk}"
        wanted[key] = (order, spec)
    for key, item in current.items():
        if key not in wanted:
            item.delete()
    for key, (order, spec) in wanted.items():
        item = current.get(key)
        if item is None:
            AssignmentItem.objects.create(
                assignment=assignment, exercise=spec.exercise, quiz=spec.quiz, points=spec.points, order=order
            )
        elif item.points != spec.points or item.order != order:
            item.points, item.order = spec.points, order
            item.save(update_fields=["points", "order"])


@transaction.atomic
def assignment_create(
    *,
    course: Course,
    title: str,
    opens_at: datetime,
    due_at: datetime,
    items: list[ItemSpec],
    description: str = "",
    late_policy: str = Assignment.LatePolicy.PENALTY,
    late_penalty_per_day: float = 0.1,
    cutoff_at: datetime | None = None,
    max_attempts: int | None = None,
    min_interval_s: int = 0,
    score_policy: str = Assignment.ScorePolicy.BEST,
) -> Assignment:
    """Create an assignment of exercises and quizzes with its window, late policy and limits."""
    fields = {
        "title": title.strip(),
        "opens_at": opens_at,
        "due_at": due_at,
        "late_policy": late_policy,
        "late_penalty_per_day": late_penalty_per_day,
        "cutoff_at": cutoff_at,
        "max_attempts": max_attempts,
        "min_interval_s": min_interval_s,
        "score_policy": score_policy,
    }
    _validate_assignment(items=items, **fields)
    assignment = Assignment.objects.create(course=course, description=description.strip(), **fields)
    _set_items(assignment, items)
    return assignment


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    title: str,
    opens_at: datetime,
    due_at: datetime,
    items: list[ItemSpec],
    description: str = "",
    late_policy: str = Assignment.LatePolicy.PENALTY,
    late_penalty_per_day: float = 0.1,
    cutoff_at: datetime | None = None,
    max_attempts: int | None = None,
    min_interval_s: int = 0,
    score_policy: str = Assignment.ScorePolicy.BEST,
) -> Assignment:
    """Change an assignment; work already made is judged again against the new window, items and limits."""
    fields = {
        "title": title.strip(),
        "opens_at": opens_at,
        "due_at": due_at,
        "late_policy": late_policy,
        "late_penalty_per_day": late_penalty_per_day,
        "cutoff_at": cutoff_at,
        "max_attempts": max_attempts,
        "min_interval_s": min_interval_s,
        "score_policy": score_policy,
    }
    _validate_assignment(items=items, **fields)
    for name, value in fields.items():
        setattr(assignment, name, value)
    assignment.description = description.strip()
    assignment.save()
    _set_items(assignment, items)
    credit_sync(assignment=assignment)
    return assignment


@transaction.atomic
def extension_grant(*, assignment: Assignment, user, due_at: datetime, granted_by, reason: str = "") -> Extension:
    """Give one student a later due date (the cut-off moves as much); their work is judged again."""
    if not Membership.objects.filter(course=assignment.course_id, user=user, role=Membership.Role.STUDENT).exists():
        raise ValidationError({"user": _("Extensions are for students of this course.")})
    if due_at <= assignment.due_at:
        raise ValidationError(
            {
                "due_at": _("An extension moves the due date later than %(due)s.")
                % {"due": local_time(assignment.due_at)}
            }
        )
    extension, _created = Extension.objects.update_or_create(
        assignment=assignment,
        user=user,
        defaults={"due_at": due_at, "reason": reason.strip()[:300], "granted_by": granted_by},
    )
    credit_sync(assignment=assignment, user_ids=[user.pk])
    return extension


@transaction.atomic
def extension_revoke(*, extension: Extension) -> None:
    assignment, user = extension.assignment, extension.user
    extension.delete()
    credit_sync(assignment=assignment, user_ids=[user.pk])
