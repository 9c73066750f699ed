"""Quiz fixtures: the real bundles synced into the test database, and the right answer for anyone's variant."""

from __future__ import annotations

import re

import pytest

from graders.quiz import load_quiz
from tests.conftest import ROOT, sync_only

QUIZZES = ROOT / "quizzes"


@pytest.fixture
def quizzes(db):
    """Every quiz bundle of the repository, synced; returns the Quiz rows by slug."""
    from quizzes.models import Quiz
    from quizzes.services import quiz_sync

    report = quiz_sync(root=QUIZZES)
    assert report.errors == []
    return {quiz.slug: quiz for quiz in Quiz.objects.all()}


@pytest.fixture
def topic_exercises(db, tmp_path):
    """One coding exercise of two topics, for the links between quizzes and exercises."""
    sync_only(tmp_path, "relu", "clip-by-norm")


def bundle_of(slug: str):
    return load_quiz(QUIZZES / slug)


def right_answer(user, slug: str, key: str, attempt_number: int = 1) -> list[str]:
    """The form values that answer question ``key`` right for this user's variant."""
    from quizzes.services import variant_for

    bundle = bundle_of(slug)
    question = bundle.question(key)
    _token, variant = variant_for(bundle=bundle, question=question, user_id=user.pk, attempt_number=attempt_number)
    if isinstance(variant.answer, (int, float)):  # a number, typed in full
        return [repr(float(variant.answer))]
    if isinstance(variant.answer, (list, tuple)):
        return list(variant.answer)
    return [variant.answer]


def token_of(user, slug: str, key: str, attempt_number: int = 1) -> str:
    from quizzes.variants import variant_token

    question = bundle_of(slug).question(key)
    return variant_token(user_id=user.pk, question_uuid=question.uuid, attempt_number=attempt_number)


def shown_numbers(html: str, key: str) -> str:
    """The prompt of one question card as rendered (its numbers included)."""
    match = re.search(
        rf'<section class="card question[^"]*" id="q-{re.escape(key)}".*?<div class="prose question-prompt">(.*?)</div>',
        html,
        re.S,
    )
    assert match, f"question {key} is not on the page"
    return match.group(1)
