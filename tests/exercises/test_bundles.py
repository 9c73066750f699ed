"""Quality gate for every built-in bundle: the very checks of graders/content_check.py.

``manage.py check_content`` and every content sync run the same functions, so an instructor's
bundle meets the bar the built-in catalog meets. One test per bundle and check, so a failure names
both.
"""

from __future__ import annotations

import pytest

from graders.bundle import discover
from graders.content_check import EXERCISE_CHECKS, check_path, check_quiz, run_check
from tests.conftest import EXERCISES, ROOT

QUIZZES = ROOT / "quizzes"

BUNDLES, ERRORS = discover(EXERCISES)
BY_SLUG = {bundle.slug: bundle for bundle in BUNDLES}


def test_every_bundle_loads():
    assert ERRORS == []
    assert BUNDLES


@pytest.mark.parametrize("check", list(EXERCISE_CHECKS))
@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_bundle_meets_the_quality_gate(slug, check, zygote):
    assert [str(problem) for problem in run_check(BY_SLUG[slug], check, zygote)] == []


@pytest.mark.parametrize("folder", sorted(p.name for p in QUIZZES.iterdir() if (p / "quiz.toml").is_file()))
def test_quiz_meets_the_quality_gate(folder):
    assert [str(problem) for problem in check_quiz(QUIZZES / folder).problems] == []


def test_uuids_are_unique_across_the_catalog(zygote, monkeypatch):
    # check_path runs every check; here only its cross-bundle part matters, so the checks are skipped.
    monkeypatch.setattr("graders.content_check.EXERCISE_CHECKS", {})
    problems = [problem for report in check_path(EXERCISES, zygote) for problem in report.problems]
    assert problems == []
