from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from catalog.access import exercise_open_to
from catalog.models import Exercise
from graders.bundle import TOPICS


@dataclass
class TopicGroup:
    key: str
    name: str
    exercises: list[Exercise]


def exercise_groups(*, language: str) -> list[TopicGroup]:
    """Active exercises grouped by seed topic, in the order of the course."""
    by_topic: dict[str, list[Exercise]] = {key: [] for key in TOPICS}
    for exercise in Exercise.objects.filter(is_active=True, is_public=True).order_by("order", "slug"):
        by_topic.setdefault(exercise.topic, []).append(exercise)
    index = 1 if language.startswith("zh") else 0
    return [TopicGroup(key, TOPICS[key][index], items) for key, items in by_topic.items() if items]


def exercise_get_active(*, slug: str, user=None) -> Exercise | None:
    """The active exercise ``slug``; one that is not public only for a ``user`` who may open it."""
    exercise = Exercise.objects.filter(slug=slug, is_active=True).first()
    if (
        exercise is not None
        and not exercise.is_public
        and (user is None or not exercise_open_to(user=user, exercise=exercise))
    ):
        return None
    return exercise


def exercises_public() -> QuerySet[Exercise]:
    """The active exercises everyone sees: the built-in catalog and the deployment's content folders."""
    return Exercise.objects.filter(is_active=True, is_public=True)


def exercises_for_namespace(*, namespace: str) -> QuerySet[Exercise]:
    """The public catalog plus the active exercises of one content source (a course's own)."""
    return Exercise.objects.filter(Q(is_public=True) | Q(namespace=namespace), is_active=True)
