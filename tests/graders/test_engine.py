"""What a student is told when their code cannot run, or runs and is wrong."""

import dataclasses
import json

import pytest

from graders.bundle import load_bundle
from graders.engine import grade
from graders.feedback import say
from graders.sandbox import Limits
from graders.verdict import Verdict
from tests.conftest import EXERCISES


@pytest.fixture(scope="module")
def relu():
    return load_bundle(EXERCISES / "relu")


def test_syntax_error_is_not_gradable_with_the_line(relu, zygote):
    verdict = grade(relu, "import numpy as np\n\ndef relu(x)\n    return x\n", zygote=zygote)
    assert verdict.outcome == "not_gradable" and verdict.score == 0.0
    assert verdict.message == "SyntaxError at line 3: expected ':': def relu(x)"
    assert {case.status for case in verdict.cases} == {"error"}


def test_missing_function_is_named(relu, zygote):
    verdict = grade(relu, "def rectify(x):\n    return x\n", zygote=zygote)
    assert verdict.outcome == "not_gradable"
    assert verdict.message == "`relu` is not defined in your file"


def test_exception_points_at_the_students_line_not_the_graders(relu, zygote):
    source = "import numpy as np\n\ndef relu(x):\n    y = x.copy()\n    return y[[0, 1]] + np.ones(3)\n"
    verdict = grade(relu, source, zygote=zygote)
    case = verdict.cases[0]
    assert case.status == "error"
    assert "ValueError: operands could not be broadcast together" in case.message
    assert "line 5, in relu: return y[[0, 1]] + np.ones(3)" in case.message
    assert "runner.py" not in case.message


def test_wrong_shape_names_both_shapes(relu, zygote):
    verdict = grade(relu, "import numpy as np\ndef relu(x):\n    return np.maximum(x, 0).ravel()\n", zygote=zygote)
    matrix = next(case for case in verdict.cases if case.name == "matrix")
    assert matrix.message == "Wrong shape: expected your output of shape (3, 4), got (12,)"


def test_infinite_loop_times_out_per_case_and_other_cases_still_run(relu, zygote):
    fast = dataclasses.replace(relu, limits=Limits(time_s=0.3, memory_mib=256))
    source = "import numpy as np\ndef relu(x):\n    while x.size == 5:\n        pass\n    return np.maximum(x, 0)\n"
    verdict = grade(fast, source, zygote=zygote)
    statuses = {case.name: case.status for case in verdict.cases}
    assert statuses["vector"] == "timeout"
    assert verdict.cases[0].message == "Time limit of 0.3 s exceeded in case vector"
    assert statuses["matrix"] == "pass"
    assert verdict.outcome == "graded" and 0 < verdict.score < 1


def test_timeout_at_import_gives_every_case_that_status_once(relu, zygote):
    fast = dataclasses.replace(relu, limits=Limits(time_s=0.3, memory_mib=256))
    verdict = grade(fast, "while True:\n    pass\n", zygote=zygote)
    assert verdict.outcome == "not_gradable"
    assert {case.status for case in verdict.cases} == {"timeout"}
    assert "while loading your file" in verdict.message


def test_hidden_cases_show_status_only_to_students(relu, zygote):
    verdict = grade(relu, "import numpy as np\ndef relu(x):\n    return np.abs(x)\n", zygote=zygote)
    hidden = [case for case in verdict.public().cases if case.hidden]
    assert hidden and all(case.details == {} for case in hidden)
    assert {case.phrases[0].code for case in hidden if case.status == "fail"} == {"hidden_wrong_values"}
    staff = next(case for case in verdict.cases if case.hidden and case.status == "fail")
    assert "values" in staff.details["explanation"]  # the full story stays for course staff
    visible = next(case for case in verdict.public().cases if case.name == "vector")
    assert visible.details["got"] == "[2. , 0.5, 0. , 0.5, 3.5]"


def test_verdict_round_trips_through_json(relu, zygote):
    verdict = grade(relu, "import numpy as np\ndef relu(x):\n    return np.abs(x)\n", zygote=zygote)
    assert Verdict.from_dict(json.loads(json.dumps(verdict.to_dict()))) == verdict


def test_visible_cases_run_in_a_child_that_never_saw_hidden_inputs(relu, zygote):
    # Code that tries to leak every input it has seen through a visible case's error message.
    source = "seen = []\n\ndef relu(x):\n    seen.append(x.size)\n    raise ValueError(f'seen {seen}')\n"
    verdict = grade(relu, source, zygote=zygote)
    visible = [case for case in verdict.cases if not case.hidden]
    assert visible[-1].message.startswith("ValueError: seen [5, 12, 96, 5] (at line 5")  # the four visible inputs only


# ---------------------------------------------------------------------------------------------
# what a failing case checks


NAIVE_SIGMOID = "import numpy as np\n\n\ndef sigmoid(z):\n    s = 1 / (1 + np.exp(-z))\n    return s\n"
# Reads the array's bytes in the order they are stored, then reshapes them as if they were in C order.
BUFFER_SOFTMAX = """\
import numpy as np


def softmax(z):
    z = np.frombuffer(z.tobytes(order="A"), dtype=z.dtype).reshape(z.shape)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
"""


def test_a_failing_case_says_what_it_checks_visible_or_hidden(zygote):
    sigmoid = load_bundle(EXERCISES / "sigmoid")
    verdict = grade(sigmoid, NAIVE_SIGMOID, zygote=zygote)
    by_name = {case.name: case for case in verdict.cases}
    purpose = say("case_purpose", purpose=say("purpose_sigmoid_overflow"))
    assert by_name["saturation"].phrases[-1] == purpose  # visible
    assert by_name["saturation"].message.endswith(
        "What this case checks: large negative z (hundreds, up to 1e4 in size): 1 / (1 + exp(-z)) overflows there, "
        "and the overflow warning counts."
    )
    assert by_name["extremes_1e4"].phrases == (
        say("hidden_fp_events", events=(say("fp_overflow"),)),
        purpose,
    )
    assert by_name["extremes_1e4"].public().message == by_name["extremes_1e4"].message  # trusted wording throughout

    softmax = load_bundle(EXERCISES / "softmax")
    verdict = grade(softmax, BUFFER_SOFTMAX, zygote=zygote)
    assert [case.name for case in verdict.cases if not case.passed] == ["fortran_order"]
    assert verdict.public().cases[-1].message == (
        "Wrong values (hidden case: its inputs and expected values are not shown) What this case checks: inputs in "
        "Fortran order: strides you compute by hand must come from the array itself."
    )


def test_a_passing_case_or_one_the_code_never_reached_says_nothing_more(relu, zygote):
    fast = dataclasses.replace(relu, limits=Limits(time_s=0.2, memory_mib=256, budget_s=0.5))
    verdict = grade(fast, "import numpy as np\n\ndef relu(x):\n    while True:\n        pass\n", zygote=zygote)
    not_run = [case for case in verdict.cases if case.phrases and case.phrases[0].code == "budget_not_run"]
    assert not_run and all(len(case.phrases) == 1 for case in not_run)
    honest = grade(relu, "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0)\n", zygote=zygote)
    assert all(case.message == "" for case in honest.cases)


# ---------------------------------------------------------------------------------------------
# known mistakes, one or several at once


# CS231n's rnn_forward starts from zeros (no s0 there), with an unstable softmax per step.
RNN_FORWARD_TWO_MISTAKES = """\
from builtins import range
import numpy as np


def softmax(x):
    e_x = np.exp(x)
    return e_x / np.sum(e_x, axis=1, keepdims=True)


def rnn_forward(xs, s0, U, W, V):
    T, N, D = xs.shape
    S = np.zeros((T, N, W.shape[0]))
    O = np.zeros((T, N, V.shape[0]))
    s_prev = np.zeros((N, W.shape[0]))
    for t in range(T):
        s_prev = np.tanh(xs[t].dot(U.T) + s_prev.dot(W.T))
        S[t] = s_prev
        O[t] = softmax(s_prev.dot(V.T))
    return S, O
"""
# A textbook convolution (the kernel flipped) that forgets the padding.
CONV2D_FLIPPED_WITHOUT_PADDING = """\
import numpy as np


def conv2d_single(image, kernel, stride=1, pad=0):
    kernel = kernel[::-1, ::-1]
    kh, kw = kernel.shape
    out_h = (image.shape[0] - kh) // stride + 1
    out_w = (image.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
    return out
"""
# A textbook convolution (the kernel flipped), whose windows do not move by the stride.
CONV2D_TWO_MISTAKES = """\
import numpy as np


def conv2d_single(image, kernel, stride=1, pad=0):
    image = np.pad(image, ((pad, pad), (pad, pad)), mode="constant")
    kh, kw = kernel.shape
    flipped = np.flipud(np.fliplr(kernel))
    out_h = (image.shape[0] - kh) // stride + 1
    out_w = (image.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * flipped)
    return out
"""


@pytest.mark.parametrize(
    "slug,source,named,unexplained",
    [
        (
            "conv2d-single",
            CONV2D_FLIPPED_WITHOUT_PADDING,
            {"flipped_kernel": ["question20_example", "remainder_stride2"], "ignore_padding": ["zeros_image_pad1"]},
            ["stride2_pad1", "pad2"],  # both mistakes at once
        ),
        (
            "rnn-forward",
            RNN_FORWARD_TWO_MISTAKES,
            {
                "ignores_s0": ["nonzero_s0", "T1_sequence", "square_dims", "odd_sizes", "saturated_states"],
                "softmax_overflow": ["large_logits_zero_state"],
            },
            ["large_logits"],  # both mistakes at once
        ),
        (
            "conv2d-single",
            CONV2D_TWO_MISTAKES,
            {
                "flipped_kernel": ["question20_example", "pad2", "kernel_equals_image"],
                "window_not_strided": ["symmetric_kernel_stride2"],
            },
            ["stride2_pad1", "remainder_stride2"],
        ),
    ],
)
def test_two_mistakes_at_once_are_each_named_for_the_cases_they_explain(zygote, slug, source, named, unexplained):
    verdict = grade(load_bundle(EXERCISES / slug), source, zygote=zygote)
    found = {mistake.key: mistake.cases for mistake in verdict.mistakes}
    assert set(named) <= set(found)
    for key, cases in named.items():
        assert set(cases) <= set(found[key]), (key, found[key])
    assert set(unexplained) <= set(verdict.unexplained)
    failed = {case.name for case in verdict.cases if not case.passed}
    assert failed == set(verdict.unexplained).union(*found.values())
    by_case = {case.name: case.mistake for case in verdict.cases}
    assert all(
        by_case[name] in {key for key, cases in found.items() if name in cases}
        for name in failed - set(verdict.unexplained)
    )
    assert Verdict.from_dict(json.loads(json.dumps(verdict.to_dict()))) == verdict
    assert verdict.public().mistakes == verdict.mistakes and verdict.public().unexplained == verdict.unexplained


def test_one_mistake_that_explains_every_failure_leaves_nothing_unexplained(relu, zygote):
    verdict = grade(relu, "import numpy as np\ndef relu(x):\n    return np.abs(x)\n", zygote=zygote)
    assert [(m.key, m.cases) for m in verdict.mistakes] == [
        ("absolute_value", tuple(case.name for case in verdict.cases if not case.passed))
    ]
    assert verdict.unexplained == ()


def test_no_mistake_named_means_no_unexplained_list(relu, zygote):
    verdict = grade(relu, "import numpy as np\ndef relu(x):\n    return x * 3.0\n", zygote=zygote)
    assert verdict.mistakes == () and verdict.unexplained == ()
