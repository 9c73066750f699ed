"""A course quiz's variants: drawn in the sandbox, read back as hostile input, then used without params.py."""

from __future__ import annotations

import copy
import json
import math

import pytest

from graders.content_check import check_course_quiz, check_quiz
from graders.errors import BundleError
from graders.quiz import load_quiz
from graders.quiz.precomputed import (
    MAX_LEAVES,
    VARIANTS_FILE,
    VariantTableError,
    load_precomputed,
    precompute,
    read_table,
    table_json,
    write_variants,
)
from graders.quiz.sandboxed import draw_variants
from graders.sandboxed_content import CourseContentFailed
from graders.scaffold import scaffold
from tests.conftest import ROOT


@pytest.fixture
def quiz(tmp_path):
    """The scaffold's quiz: one fixed question and one parameterized one (leaky-relu-value)."""
    return scaffold("quiz", "activations-quiz", tmp_path / "repo")


def test_variants_drawn_in_the_sandbox_are_those_drawn_here(zygote):
    bundle = load_quiz(ROOT / "quizzes" / "exploding-gradients-quiz")
    carried = precompute(bundle, draw_variants(bundle, zygote))
    for question in (q for q in bundle.questions if q.parameterized):
        for seed in (0, 17, 63, 2**63 + 5):
            here, there = bundle.variant(question, seed % 64), carried.variant(question, seed)
            assert (there.values, there.answer) == (here.values, here.answer)


def test_a_precomputed_quiz_never_imports_its_params(quiz, zygote):
    report, carried = check_course_quiz(quiz, zygote)
    assert report.ok and carried is not None
    write_variants(carried)
    assert (quiz.parent / VARIANTS_FILE).is_file() and not (quiz / VARIANTS_FILE).exists()
    loaded = load_precomputed(quiz)
    question = loaded.question("leaky-relu-value")
    variant = loaded.variant(question, 12345)
    assert variant.answer == pytest.approx(float(variant.values["alpha"]) * float(variant.values["x"]))
    with pytest.raises(RuntimeError, match="never runs on the platform"):
        loaded.answer_function(question)
    # The kept variants belong to the exact files they were drawn from.
    (quiz / "params.py").write_text("raise SystemExit('imported')\n")
    with pytest.raises(BundleError, match="another version"):
        load_precomputed(quiz)


def test_the_kept_variants_are_checked_again_when_loaded(quiz, zygote):
    _report, carried = check_course_quiz(quiz, zygote)
    file = write_variants(carried)
    data = json.loads(file.read_text())
    data["variants"]["leaky-relu-value"][0]["answer"] = "not a number"
    file.write_text(json.dumps(data))
    with pytest.raises(BundleError, match="must return a number"):
        load_precomputed(quiz)


def test_namespaced_uuids_keep_two_courses_apart(quiz, zygote):
    _report, carried = check_course_quiz(quiz, zygote)
    write_variants(carried)
    one, two = load_precomputed(quiz, "c1"), load_precomputed(quiz, "c2")
    assert one.uuid != two.uuid != carried.uuid
    assert {q.uuid for q in one.questions}.isdisjoint({q.uuid for q in two.questions})


@pytest.fixture
def good_table(quiz, zygote):
    bundle = load_quiz(quiz)
    return bundle, draw_variants(bundle, zygote)


def _refused(bundle, raw, match):
    with pytest.raises(VariantTableError, match=match):
        read_table(raw, bundle)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda t: t.update(extra=[]), "not parameterized: extra"),
        (lambda t: t.pop("leaky-relu-value"), "missing: leaky-relu-value"),
        (lambda t: t.update({"leaky-relu-value": t["leaky-relu-value"] * 3}), "between 1 and 64"),
        (lambda t: t.update({"leaky-relu-value": []}), "between 1 and 64"),
        (lambda t: t["leaky-relu-value"][3].update(answer=math.nan), "answer is nan: numbers must be finite"),
        (lambda t: t["leaky-relu-value"][3].update(answer=True), "answer is True"),
        (lambda t: t["leaky-relu-value"][3]["inputs"].update(x=math.inf), "must be finite"),
        (lambda t: t["leaky-relu-value"][3]["inputs"].update(x=list(range(MAX_LEAVES + 1))), "more than 256"),
        (lambda t: t["leaky-relu-value"][3]["inputs"].update(x=[[[1]]]), "nested"),
        (lambda t: t["leaky-relu-value"][3]["inputs"].update(x="<" * 10_000), "characters"),
        (lambda t: t["leaky-relu-value"][3]["inputs"].update(x="<script>"), "cannot carry markup"),
        (lambda t: t["leaky-relu-value"][3]["inputs"].update(x={"a": 1}), "is a dict"),
        (lambda t: t["leaky-relu-value"][3]["inputs"].update(x=10**30), "too large"),
        (lambda t: t["leaky-relu-value"][3]["work"].update({"not a name": 1}), "not a name"),
        (lambda t: t["leaky-relu-value"][3]["work"].update(answer=1), "not a name"),
        (lambda t: t["leaky-relu-value"][3]["work"].update({f"w{i}": 1 for i in range(40)}), "more than 32"),
        (lambda t: t["leaky-relu-value"][3].update(secret=1), "exactly inputs, answer and work"),
    ],
)
def test_a_hostile_table_is_refused_with_a_reason(good_table, change, match):
    bundle, raw = good_table
    hostile = copy.deepcopy(raw)
    change(hostile)
    _refused(bundle, hostile, match)


def test_a_table_that_passes_reading_still_meets_the_quiz_checks(good_table):
    bundle, raw = good_table
    assert read_table(raw, bundle)
    same = {"leaky-relu-value": [raw["leaky-relu-value"][0]] * 64}  # one variant for everyone
    with pytest.raises(BundleError, match="only 1 different variants"):
        precompute(bundle, same)
    missing = copy.deepcopy(raw)
    for entry in missing["leaky-relu-value"]:
        del entry["inputs"]["alpha"]
    with pytest.raises(BundleError, match="no value for placeholders alpha"):
        precompute(bundle, missing)
    assert table_json(precompute(bundle, raw).precomputed) == raw


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        (
            "import numpy as np\ndef draw_leaky(rng):\n    return {'alpha': 0.1, 'x': float(np.random.randint(1, 9))}\n"
            "def leaky(alpha, x):\n    return x\n",
            "the same seed gives different variants",
        ),
        ("def draw_leaky(rng)\n    pass\n", "SyntaxError"),
        ("def draw_leaky(rng):\n    return {'alpha': 0.1, 'x': 1.0}\n", "does not define leaky()"),
        ("import socket\n", "socket"),
    ],
)
def test_a_broken_params_py_is_named_from_the_sandbox(quiz, zygote, params, reason):
    (quiz / "params.py").write_text(params)
    with pytest.raises(CourseContentFailed, match=reason):
        draw_variants(load_quiz(quiz), zygote)
    report, carried = check_course_quiz(quiz, zygote)
    assert carried is None and [(p.bundle, p.file) for p in report.problems] == [("activations-quiz", "params.py")]


def test_check_content_draws_a_quiz_in_the_sandbox_too(quiz, zygote):
    assert check_quiz(quiz, zygote).checks == ["loads", "variants", "statements", "sandboxed"]
    assert check_quiz(quiz, zygote).ok
