"""Quality gate for every exercise bundle: a test suite that cannot tell wrong from right is a bug.

For each bundle: it loads and validates; the reference scores 1.0; the starter scores less; every
alternative correct solution scores 1.0; every known mistake scores below 1.0 and is named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.bundle import discover
from graders.engine import grade
from tests.conftest import EXERCISES

BUNDLES, ERRORS = discover(EXERCISES)
BY_SLUG = {bundle.slug: bundle for bundle in BUNDLES}


def student_version_of(mistakes_py: Path, variant: str, function: str) -> str:
    """Turn mistakes.py into a submission that defines ``function`` as the wrong ``variant``.

    By convention mistakes.py imports only numpy, math and graders.cases, and ends with MISTAKES.
    """
    text = mistakes_py.read_text()
    text = text[: text.index("MISTAKES =")]
    lines = [line for line in text.splitlines() if not line.startswith("from graders")]
    return "\n".join(lines) + f"\n\n{function} = {variant}\n"


def test_every_bundle_loads():
    assert ERRORS == []
    assert BUNDLES


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_reference_scores_full_marks(slug, zygote):
    bundle = BY_SLUG[slug]
    verdict = grade(bundle, (bundle.path / "reference.py").read_text(), zygote=zygote)
    assert [(c.name, c.status, c.message) for c in verdict.cases if not c.passed] == []
    assert verdict.score == 1.0


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_starter_scores_less(slug, zygote):
    bundle = BY_SLUG[slug]
    assert grade(bundle, bundle.starter, zygote=zygote).score < 1.0


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_bundle_has_visible_and_hidden_cases_and_two_alternatives(slug):
    bundle = BY_SLUG[slug]
    assert any(case.hidden for case in bundle.cases) and any(not case.hidden for case in bundle.cases)
    assert len(bundle.alternative_solutions) >= 2, "two alternative correct solutions are required"


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_visible_cases_are_described_in_english_and_chinese(slug):
    visible = [case for case in BY_SLUG[slug].cases if not case.hidden]
    assert all(case.description and case.description_zh for case in visible), [c.name for c in visible]


@pytest.mark.parametrize(
    "slug,solution",
    [(slug, name) for slug, bundle in sorted(BY_SLUG.items()) for name in sorted(bundle.alternative_solutions)],
)
def test_alternative_solutions_score_full_marks(slug, solution, zygote):
    bundle = BY_SLUG[slug]
    verdict = grade(bundle, bundle.alternative_solutions[solution], zygote=zygote)
    assert [(c.name, c.message) for c in verdict.cases if not c.passed] == []


@pytest.mark.parametrize(
    "slug,key",
    [(slug, variant.key) for slug, bundle in sorted(BY_SLUG.items()) for variant in bundle.mistakes],
)
def test_mistake_scores_less_and_is_named(slug, key, zygote):
    bundle = BY_SLUG[slug]
    variant = next(v for v in bundle.mistakes if v.key == key)
    source = student_version_of(bundle.path / "mistakes.py", variant.function.__name__, bundle.function)
    verdict = grade(bundle, source, zygote=zygote)
    assert verdict.score < 1.0
    assert key in [m.key for m in verdict.mistakes], f"{key} not detected; found {[m.key for m in verdict.mistakes]}"


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_every_hidden_case_says_what_it_checks(slug):
    # A hidden case shows no inputs: when it fails, its purpose is all a student learns about it.
    assert [case.name for case in BY_SLUG[slug].cases if case.hidden and not case.purpose] == []


AS_NESTED_LISTS = """
import numpy as _numpy

_as_arrays = {function}


def _as_lists(value):
    if isinstance(value, (list, tuple)):
        return type(value)(_as_lists(item) for item in value)
    return _numpy.asarray(value).tolist()


def {function}(*args, **kwargs):
    return _as_lists(_as_arrays(*args, **kwargs))
"""


@pytest.mark.parametrize(
    "slug,key",
    [(slug, variant.key) for slug, bundle in sorted(BY_SLUG.items()) for variant in bundle.mistakes],
)
def test_a_mistake_returned_as_nested_lists_is_still_wrong_and_named(slug, key, zygote):
    # Lists of numbers are read as arrays now: that must not make any wrong answer right.
    bundle = BY_SLUG[slug]
    variant = next(v for v in bundle.mistakes if v.key == key)
    source = student_version_of(bundle.path / "mistakes.py", variant.function.__name__, bundle.function)
    verdict = grade(bundle, source + AS_NESTED_LISTS.format(function=bundle.function), zygote=zygote)
    assert verdict.score < 1.0
    assert key in [m.key for m in verdict.mistakes], [m.key for m in verdict.mistakes]


@pytest.mark.parametrize("slug", sorted(BY_SLUG))
def test_the_reference_returned_as_nested_lists_scores_full_marks(slug, zygote):
    bundle = BY_SLUG[slug]
    source = (bundle.path / "reference.py").read_text() + AS_NESTED_LISTS.format(function=bundle.function)
    verdict = grade(bundle, source, zygote=zygote)
    assert [(c.name, c.message) for c in verdict.cases if not c.passed] == []
