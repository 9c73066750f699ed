from __future__ import annotations

from dataclasses import dataclass

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
    for exercise in Exercise.objects.filter(is_active=True).order_by("order", "slug"):
        by_topic.setdefault(exercise.topic, []).append(exercise)
    index = 1 if language.startswith("zh") else 0
    return [TopicGroup(key, TOPICS[key][index], items) for key, items in by_topic.items() if items]


def exercise_get_active(*, slug: str) -> Exercise | None:
    return Exercise.objects.filter(slug=slug, is_active=True).first()
