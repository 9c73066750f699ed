"""The demo course `make run` sets up for the demo accounts."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from catalog.models import Exercise
from courses.assignments import ItemSpec, assignment_create
from courses.models import (
    Course,
    Membership,
)
from courses.services import new_join_code

log = logging.getLogger(__name__)


DEMO_COURSE_SLUG = "dl-fundamentals-demo"
DEMO_EXERCISES = ("relu", "sigmoid", "softmax", "clip-by-norm")


def demo_course_ensure(*, instructor, students: list) -> Course | None:
    """A demo course taught by ``instructor`` with ``students`` enrolled and one open assignment.

    Idempotent: an existing demo course keeps its data. Returns None when no exercise is synced yet.
    """
    exercises = list(Exercise.objects.filter(slug__in=DEMO_EXERCISES, is_active=True))
    if not exercises:
        return None
    with transaction.atomic():
        course = Course.objects.filter(slug=DEMO_COURSE_SLUG).first()
        if course is None:
            course = Course.objects.create(
                title="Deep learning fundamentals (demo)",
                slug=DEMO_COURSE_SLUG,
                description="A demo course: one assignment on activations and gradient clipping.",
                join_code=new_join_code(),
                created_by=instructor,
            )
        Membership.objects.get_or_create(
            course=course,
            user=instructor,
            defaults={"role": Membership.Role.INSTRUCTOR, "source": Membership.Source.CREATOR},
        )
        for student in students:
            Membership.objects.get_or_create(
                course=course,
                user=student,
                defaults={"role": Membership.Role.STUDENT, "source": Membership.Source.ADMIN},
            )
        if not course.assignments.exists():
            now = timezone.now()
            order = {slug: index for index, slug in enumerate(DEMO_EXERCISES)}
            assignment_create(
                course=course,
                title="Week 1: activations and clipping",
                description="Implement the activations, then clip a gradient by its norm.",
                opens_at=now - timedelta(days=1),
                due_at=now + timedelta(days=7),
                cutoff_at=now + timedelta(days=10),
                late_penalty_per_day=0.1,
                max_attempts=20,
                min_interval_s=5,
                items=[ItemSpec(points=e.points, exercise=e) for e in sorted(exercises, key=lambda e: order[e.slug])],
            )
    return course
