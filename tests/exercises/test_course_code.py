"""Code in the shape real courses write it (CS231n, deeplearning.ai, Deep-ML), graded for real.

Each file in course_code/ is named <function>__<what it shows>.py. Right code in a course's own
style scores 1.0 (its headers, `.tolist()` returns, a copy before clipping in place); wrong code in
that style scores below 1.0 and its mistake is named, with the cases it explains.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.bundle import load_bundle
from graders.engine import grade
from tests.conftest import EXERCISES

COURSE_CODE = Path(__file__).resolve().parent / "course_code"

RIGHT = [
    "relu__cs231n_layers",
    "conv_forward__cs231n_naive",
    "rnn_step__cs231n_rnn_layers",
    "softmax__deepml_tolist",
    "rnn_step__deepml_tolist",
    "l1_regularization__deepml_tolist",
    "clip_by_value__dlai_deepcopy",
]
# file -> the mistakes it must be told, each with at least these cases
WRONG = {
    "lstm_forward__cs231n_zero_c0": {"ignores_c0": {"nonzero_states", "T1_sequence"}},
    "conv_forward__dlai_square_kernel": {"square_kernel": {"column_kernel"}},
    "max_pool_forward__round": {"rounded_output_size": {"remainder_floor", "remainder_rounding"}},
    "max_pool_forward__window_not_strided": {"window_not_strided": {"overlap_pool3_stride2", "remainder_floor"}},
    "clip_by_norm__pytorch_epsilon": {"epsilon_in_norm": {"tiny_values"}},
    "clip_by_global_norm__pytorch_epsilon": {"epsilon_in_norm": {"tiny_values"}},
    "relu__returns_derivative": {"derivative_instead": {"vector", "matrix", "batch_nchw"}},
    "softmax__deepml_vector_softmax": {"whole_array": {"batch_rows", "three_d"}},
    "softmax__batch_axis_1": {"axis_1": {"three_d"}},
    "rnn_forward__vector_softmax_per_step": {"softmax_whole_batch": {"small_sequence", "nonzero_s0"}},
    "rnn_step__vector_softmax": {"softmax_whole_batch": {"small_example", "zero_state"}},
}
# files with a test of their own below
OTHERS = ["clip_by_value__dlai_in_place", "sigmoid__naive"]


def bundle_for(name: str):
    return load_bundle(EXERCISES / name.split("__")[0].replace("_", "-"))


def source_of(name: str) -> str:
    return (COURSE_CODE / f"{name}.py").read_text()


def test_every_file_of_the_corpus_has_an_expectation():
    assert sorted(path.stem for path in COURSE_CODE.glob("*.py")) == sorted(RIGHT + list(WRONG) + OTHERS)


@pytest.mark.parametrize("name", RIGHT)
def test_right_code_in_a_courses_style_scores_full_marks(name, zygote):
    verdict = grade(bundle_for(name), source_of(name), zygote=zygote)
    assert [(case.name, case.message) for case in verdict.cases if not case.passed] == []


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_code_in_a_courses_style_is_told_its_mistake(name, zygote):
    verdict = grade(bundle_for(name), source_of(name), zygote=zygote)
    assert verdict.score < 1.0
    found = {mistake.key: set(mistake.cases) for mistake in verdict.mistakes}
    for key, cases in WRONG[name].items():
        assert key in found, (key, found)
        assert cases <= found[key], (key, found[key])


def test_clipping_in_place_changes_the_callers_gradients(zygote):
    verdict = grade(bundle_for("clip_by_value"), source_of("clip_by_value__dlai_in_place"), zygote=zygote)
    assert verdict.score < 0.5
    changed = [case for case in verdict.cases if not case.hidden and not case.passed]
    assert changed and all(
        case.message.startswith("Your function changed its input arrays or lists") for case in changed
    )
    read_only = next(case for case in verdict.cases if case.name == "read_only")
    assert read_only.status == "error" and read_only.message == (
        "Your code raised ValueError (hidden case: the message is not shown) What this case checks: read-only "
        "inputs: writing into an input (in place, with `out=` or `+=`) raises here, so work on a copy."
    )


def test_a_naive_sigmoid_overflows_and_the_cases_say_why_they_exist(zygote):
    verdict = grade(bundle_for("sigmoid"), source_of("sigmoid__naive"), zygote=zygote)
    assert verdict.score < 1.0
    failed = {case.name: case for case in verdict.cases if not case.passed}
    assert {"saturation", "extremes_1e4", "large_random", "all_negative"} <= set(failed)
    assert failed["saturation"].message.startswith("NumPy reported an overflow during this case")
    assert all("1 / (1 + exp(-z)) overflows there" in failed[name].message for name in ("saturation", "extremes_1e4"))
