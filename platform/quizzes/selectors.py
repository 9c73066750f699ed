"""Reads for quizzes: lists by topic, the try in progress, attempts and who may see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count, Max, Q, QuerySet

from catalog.models import Exercise
from catalog.selectors import exercises_public
from graders.bundle import TOPICS, BundleError
from graders.quiz import QuizBundle, load_quiz_cached
from graders.quiz.language import topic_name
from graders.quiz.precomputed import load_precomputed_cached
from quizzes.access import quiz_open_to, visible_to
from quizzes.models import QuestionAnswer, Quiz, QuizAttempt


@dataclass
class TopicQuizzes:
    key: str
    name: str
    quizzes: list[Quiz]
    exercise_count: int = 0
    exercises: list[Exercise] = field(default_factory=list)


def quizzes_visible(*, user) -> QuerySet[Quiz]:
    """The active quizzes ``user`` may see listed: the public ones and their courses' own (quizzes/access.py)."""
    return Quiz.objects.filter(visible_to(user), is_active=True)


def quizzes_for_namespace(*, namespace: str) -> QuerySet[Quiz]:
    """The public quizzes plus the active quizzes of one content source (a course's own)."""
    return Quiz.objects.filter(Q(is_public=True) | Q(namespace=namespace), is_active=True)


def quiz_groups(*, language: str, user) -> list[TopicQuizzes]:
    """Active quizzes ``user`` may see, grouped by seed topic, in course order, with the topic's coding exercises."""
    by_topic: dict[str, list[Quiz]] = {key: [] for key in TOPICS}
    for quiz in quizzes_visible(user=user).order_by("order", "slug"):
        by_topic.setdefault(quiz.topic, []).append(quiz)
    counts = dict(exercises_public().values("topic").annotate(n=Count("id")).values_list("topic", "n"))
    return [
        TopicQuizzes(key, topic_name(key, language), quizzes, exercise_count=counts.get(key, 0))
        for key, quizzes in by_topic.items()
        if quizzes
    ]


def quiz_get_active(*, slug: str, user) -> Quiz | None:
    """The active quiz ``slug``; one that is not public only for a ``user`` who may open it."""
    quiz = Quiz.objects.filter(slug=slug, is_active=True).first()
    if quiz is not None and not quiz_open_to(user=user, quiz=quiz):
        return None
    return quiz


def quizzes_of_topic(*, topic: str, user=None) -> list[Quiz]:
    """The topic's active quizzes: the public ones, and those ``user`` may open when given."""
    rows = quizzes_visible(user=user) if user is not None else Quiz.objects.filter(is_public=True, is_active=True)
    return list(rows.filter(topic=topic).order_by("order", "slug"))


def exercises_of_topic(*, topic: str) -> list[Exercise]:
    # Public ones only: a course's own exercises are shown in that course, not beside everyone's quizzes.
    return list(exercises_public().filter(topic=topic).order_by("order", "slug"))


def quiz_bundle(*, quiz: Quiz) -> QuizBundle | None:
    """The quiz's bundle from disk, loaded once per content; None when it is missing or broken.

    A quiz that is not built-in (a course repository's) comes with its kept variants, its uuids
    namespaced as its rows are: its params.py is never imported here.
    """
    if not quiz.bundle_path or not Path(quiz.bundle_path).is_dir():
        return None
    try:
        if quiz.variants_precomputed:
            return load_precomputed_cached(quiz.bundle_path, quiz.namespace)
        return load_quiz_cached(quiz.bundle_path)
    except BundleError:
        return None


def open_answers(*, user, quiz: Quiz, attempt_number: int) -> dict[str, QuestionAnswer]:
    """The answers given so far in the try in progress, by question uuid."""
    rows = QuestionAnswer.objects.filter(user=user, quiz=quiz, attempt_number=attempt_number).select_related("question")
    return {str(row.question.uuid): row for row in rows}


def attempts_for(*, user, quiz: Quiz) -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("-created_at", "-id")


def progress_by_quiz(*, user) -> dict[int, dict]:
    """Best score and number of finished tries per quiz for one student."""
    rows = QuizAttempt.objects.filter(user=user).values("quiz_id").annotate(best=Max("score"), attempts=Count("id"))
    return {row["quiz_id"]: row for row in rows}


def attempt_visible_to(*, user, attempt_id: int) -> QuizAttempt | None:
    """A student sees their own attempts; staff see anyone's."""
    attempt = QuizAttempt.objects.select_related("quiz", "user").filter(pk=attempt_id).first()
    if attempt is None:
        return None
    if attempt.user_id == user.pk or user.is_staff:
        return attempt
    return None


def attempts_of_quiz(*, quiz: Quiz) -> QuerySet[QuizAttempt]:
    """Every student's attempts at a quiz, for staff."""
    return QuizAttempt.objects.filter(quiz=quiz).select_related("user").order_by("-created_at", "-id")
