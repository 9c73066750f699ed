"""Gradient-aware feedback (graders/gradients.py) and named outputs in exercise.toml (graders/bundle.py)."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pytest

from graders.bundle import BundleError, load_bundle, validate_bundle
from graders.engine import grade
from graders.feedback import fit_for_hidden_case, render
from graders.gradcheck import numerical_gradient, relative_error
from graders.gradients import judge_outputs, lab_details
from tests.conftest import EXERCISES

DENSE_OK = """import numpy as np

def dense_backward(dout, x, W, b):
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)
"""


@pytest.fixture(scope="module")
def dense():
    return load_bundle(EXERCISES / "dense-backward")


def _grade(bundle, body, zygote):
    return grade(bundle, "import numpy as np\n\ndef dense_backward(dout, x, W, b):\n" + body, zygote=zygote)


def test_outputs_and_gradients_are_read_from_exercise_toml(dense):
    assert dense.outputs == ("dx", "dW", "db") and dense.gradients == ("dx", "dW", "db")
    assert load_bundle(EXERCISES / "relu").outputs == ()  # not named: the plain comparison


@pytest.mark.parametrize(
    "lines,reason",
    [
        ('outputs = ["dx", "dx"]', "names an output twice"),
        ('outputs = ["d x"]', "list of Python identifiers"),
        ('outputs = ["dx"]\ngradients = ["dW"]', "must be one of `outputs`"),
        ('outputs = ["dx"]\n[lab]\nplot = "pie"', "lab.plot should be one of"),
        ('outputs = ["dx"]\n[lab]\nplot = "gradient_norms"\nclip_norm = 0', "clip_norm should be a number > 0"),
    ],
)
def test_bad_output_names_are_refused_with_the_reason(tmp_path, lines, reason):
    folder = tmp_path / "relu-backward"
    shutil.copytree(EXERCISES / "relu-backward", folder)
    top, _, lab = lines.partition("[lab]")
    toml = (folder / "exercise.toml").read_text().replace('outputs = ["dx"]\ngradients = ["dx"]\n', top)
    (folder / "exercise.toml").write_text(toml + (f"\n[lab]{lab}\n" if lab else ""))
    with pytest.raises(BundleError) as error:
        load_bundle(folder)
    assert reason in error.value.reason


def test_a_reference_that_returns_another_count_than_named_is_refused(tmp_path):
    folder = tmp_path / "dense-backward"
    shutil.copytree(EXERCISES / "dense-backward", folder)
    toml = (folder / "exercise.toml").read_text().replace('outputs = ["dx", "dW", "db"]', 'outputs = ["dx", "dW"]')
    (folder / "exercise.toml").write_text(toml.replace('gradients = ["dx", "dW", "db"]', 'gradients = ["dx"]'))
    with pytest.raises(BundleError) as error:
        validate_bundle(load_bundle(folder))
    assert "names 2 values" in error.value.reason


def test_one_wrong_gradient_is_named_with_a_gradient_check_and_the_others_are_right(dense, zygote):
    verdict = _grade(dense, "    return dout @ W.T, x.T @ dout, dout.mean(axis=0)\n", zygote)
    case = next(c for c in verdict.cases if c.name == "small_layer")
    assert case.message.startswith("db is wrong; dx and dW are right. db: relative error ")
    assert "as a gradient check measures it" in case.message
    assert "the largest difference is" in case.message and "at [" in case.message
    assert "db is the expected gradient times 0.25 everywhere" in case.message  # N = 4: a 1/N too many
    hidden = next(c for c in verdict.public().cases if c.hidden and c.status == "fail")
    assert hidden.message.startswith(  # then, when the case has one, what the case checks
        "Hidden case (its inputs and expected values are not shown): db is wrong; dx and dW are right."
    )
    assert all(fit_for_hidden_case(p) for p in hidden.phrases) and hidden.details == {}


def test_two_independent_mistakes_are_both_named_each_on_its_own_output(dense, zygote):
    # dW transposed and db not summed: no single known mistake gives the whole tuple.
    verdict = _grade(dense, "    return dout @ W.T, dout.T @ x, dout\n", zygote)
    assert {m.key for m in verdict.mistakes} == {"dW_transposed", "db_not_summed"}
    case = next(c for c in verdict.cases if c.name == "square_weights")
    assert case.message.startswith("dW and db are wrong; dx is right.")
    assert "dW: exactly what the known mistake `dW_transposed` gives." in case.message
    assert "db: exactly what the known mistake `db_not_summed` gives." in case.message
    assert case.mistake in {"dW_transposed", "db_not_summed"}


def test_a_transposed_gradient_is_recognized_by_its_shape(dense, zygote):
    verdict = _grade(dense, "    return dout @ W.T, dout.T @ x, dout.sum(axis=0)\n", zygote)
    case = next(c for c in verdict.cases if c.name == "small_layer")
    assert "Wrong shape: expected your output dW of shape (3, 2), got (2, 3)" in case.message
    assert "dW is the transpose of the expected array" in case.message


def test_a_result_of_the_wrong_length_keeps_the_plain_message(dense, zygote):
    verdict = _grade(dense, "    return dout @ W.T, x.T @ dout\n", zygote)
    case = verdict.cases[0]
    assert case.message == "Expected your output to have 3 items, got 2"
    assert judge_outputs(dense, (np.zeros(1),), dense.expected[0], rtol=1e-6, atol=1e-9) is None


def test_a_right_answer_still_scores_full_marks(dense, zygote):
    assert grade(dense, DENSE_OK, zygote=zygote).score == 1.0


def test_chinese_feedback_names_the_outputs_too(dense, zygote):
    from django.utils import translation
    from django.utils.translation import gettext

    verdict = _grade(dense, "    return dout @ W.T, x.T @ dout, dout.mean(axis=0)\n", zygote)
    case = next(c for c in verdict.cases if c.name == "small_layer")
    with translation.override("zh-hans"):
        text = render(case.phrases, gettext)
    assert text.startswith("db 不对；dx 和 dW 都是对的。") and "相对误差" in text


def test_the_lab_plots_visible_cases_with_clipping_and_never_a_hidden_one():
    bundle = load_bundle(EXERCISES / "bptt-gradient-norms")
    index = next(i for i, c in enumerate(bundle.cases) if c.name == "exploding")
    expected = bundle.expected[index]
    plot = lab_details(bundle, index, expected * 2.0, expected)["plot"]
    assert plot["got"][0] == pytest.approx(2 * expected[0], rel=1e-3)
    assert max(plot["got_clipped"]) <= 1.0 and plot["spectral_radius"] == "1.5"
    hidden = next(i for i, c in enumerate(bundle.cases) if c.hidden)
    assert lab_details(bundle, hidden, bundle.expected[hidden], bundle.expected[hidden]) == {}
    # A student's NaN, zero or wrong shape: the reference still plots, the student's series where it can.
    broken = expected.copy()
    broken[:3] = (np.nan, 0.0, -1.0)
    got = lab_details(bundle, index, broken, expected)["plot"]["got"]
    assert got[:3] == [None, None, None] and got[3] == pytest.approx(expected[3], rel=1e-3)
    assert "got" not in lab_details(bundle, index, np.zeros(3), expected)["plot"]


def test_a_bundle_without_a_lab_has_no_plot(dense):
    assert lab_details(dense, 0, dense.expected[0], dense.expected[0]) == {}
    labless = dataclasses.replace(load_bundle(EXERCISES / "bptt-gradient-norms"), lab={})
    assert lab_details(labless, 0, labless.expected[0], labless.expected[0]) == {}


def test_numerical_gradient_is_a_centered_difference():
    x = np.array([1.0, -2.0, 3.0])
    gradient = numerical_gradient(lambda: float(np.sum(x**3)), x, np.array([0, 2]))
    assert gradient[0] == pytest.approx(3.0, rel=1e-8) and np.isnan(gradient[1]) and gradient[2] == pytest.approx(27.0)
    assert x.tolist() == [1.0, -2.0, 3.0]  # restored
    assert relative_error(np.array([1.0, np.nan]), np.array([1.0 + 1e-9, 5.0])) < 1e-8
