"""The repository's quiz bundles for the grader's tests, and copies of them to break."""

from __future__ import annotations

import shutil
from pathlib import Path

from graders.quiz import Question, QuizBundle, discover_quizzes
from tests.conftest import ROOT

QUIZZES = ROOT / "quizzes"
BUNDLES, ERRORS = discover_quizzes(QUIZZES)
BY_SLUG = {bundle.slug: bundle for bundle in BUNDLES}


def question_of(slug: str, key: str) -> tuple[QuizBundle, Question]:
    bundle = BY_SLUG[slug]
    return bundle, bundle.question(key)


def copy_bundle(tmp_path: Path, slug: str) -> Path:
    target = tmp_path / slug
    shutil.copytree(QUIZZES / slug, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def edited_bundle(tmp_path: Path, slug: str, old: str, new: str, count: int = 1) -> Path:
    """A copy of a bundle whose quiz.toml has ``old`` replaced by ``new``."""
    folder = copy_bundle(tmp_path, slug)
    text = (folder / "quiz.toml").read_text()
    assert old in text
    (folder / "quiz.toml").write_text(text.replace(old, new, count))
    return folder


def made(kind: type[Question], table: dict, **common) -> Question:
    """A question of type ``kind`` built from a [[questions]] table, as the loader builds it."""
    defaults = {
        "uuid": "6f1c7e1e-95a8-4a8e-9f43-5a4d8f3f0a11",
        "key": "made-up",
        "prompt": {"en": "Which?", "zh": "哪个？"},
        "explanation": {"en": "Because.", "zh": "因为。"},
        "params": None,
        "partial": kind.partial_rules[0],
        "weight": 1.0,
    }
    return kind.validate(table, {**defaults, **common})


def options(*ids: str) -> list[dict[str, str]]:
    return [{"id": option_id, "en": f"Option {option_id}", "zh": f"选项 {option_id}"} for option_id in ids]
