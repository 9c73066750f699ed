"""Course code written for NumPy 1 under NumPy 2: the visible cases say what broke and how to fix it."""

import pytest

from graders.bundle import load_bundle
from graders.engine import grade
from graders.feedback import say
from graders.hints import numpy2_hint
from tests.conftest import EXERCISES

# What NumPy 2.x raises, as the runner reports it (graders/sandbox/inside/runner.py, _describe).
NP_INT = (
    "AttributeError: module 'numpy' has no attribute 'int'.\n`np.int` was a deprecated alias for the builtin `int`."
)
NP_FLOAT_ = "AttributeError: `np.float_` was removed in the NumPy 2.0 release. Use `np.float64` instead."
FLOAT_OF_ARRAY = "TypeError: only 0-dimensional arrays can be converted to Python scalars"
WHERE = (say("student_line", line="6", function="f", source="n = np.int(x)"),)


@pytest.mark.parametrize(
    "text,expected",
    [
        (NP_INT, say("numpy2_removed_name", name="int", replacement="`int` (or `np.int64`)")),
        (NP_FLOAT_, say("numpy2_removed_name", name="float_", replacement="`np.float64`")),
        (FLOAT_OF_ARRAY, say("numpy2_scalar_conversion")),
        ("TypeError: only length-1 arrays can be converted to Python scalars", say("numpy2_scalar_conversion")),
        ("AttributeError: module 'numpy' has no attribute 'sofmax'", None),  # a typo, not NumPy 2
        ("ValueError: operands could not be broadcast together", None),
        ("KeyError: \"AttributeError: module 'numpy' has no attribute 'int'\"", None),  # only the exception's own text
    ],
)
def test_the_exception_text_is_recognised_in_a_case_at_load_time_and_as_plain_text(text, expected):
    in_case = (say("exception_at", error=text, where=WHERE),)
    at_load = (say("raised_while_loading", error=in_case[0]),)
    assert numpy2_hint(in_case, "") == expected
    assert numpy2_hint(at_load, "") == expected
    assert numpy2_hint((), text) == expected


def test_names_in_the_hint_come_from_its_own_table_never_from_the_childs_text():
    forged = "AttributeError: module 'numpy' has no attribute 'x_seen_in_a_hidden_input_0.1234'"
    assert numpy2_hint((), forged) is None


@pytest.fixture(scope="module")
def max_pool():
    return load_bundle(EXERCISES / "max-pool-forward")


# A CS231n-era max pool: np.int for the output size.
NP_INT_POOL = """\
import numpy as np


def max_pool_forward(x, pool_height, pool_width, stride):
    N, C, H, W = x.shape
    H_out = np.int(1 + (H - pool_height) / stride)
    W_out = np.int(1 + (W - pool_width) / stride)
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width]
            out[:, :, i, j] = np.max(window, axis=(2, 3))
    return out
"""


def test_a_visible_case_says_how_to_fix_np_int_and_a_hidden_case_keeps_its_fixed_wording(max_pool, zygote):
    verdict = grade(max_pool, NP_INT_POOL, zygote=zygote)
    assert verdict.score == 0.0
    visible = [case for case in verdict.cases if not case.hidden]
    hidden = [case for case in verdict.cases if case.hidden]
    hint = say("numpy2_removed_name", name="int", replacement="`int` (or `np.int64`)")
    assert all(case.phrases[-1] == hint for case in visible)
    assert visible[0].message.endswith(
        "NumPy 2 removed `np.int`, which code written for NumPy 1 often uses: write `int` (or `np.int64`) instead."
    )
    assert all(hint not in case.phrases and case.phrases[0].code == "hidden_exception" for case in hidden)
    assert all("NumPy 2" not in case.message for case in hidden)


def test_a_file_that_fails_to_load_under_numpy_2_says_so(max_pool, zygote):
    source = "import numpy as np\n\nDTYPE = np.float\n\n\ndef max_pool_forward(x, pool_height, pool_width, stride):\n    return x\n"
    verdict = grade(max_pool, source, zygote=zygote)
    assert verdict.outcome == "not_gradable"
    assert verdict.phrases[-1] == say("numpy2_removed_name", name="float", replacement="`float` (or `np.float64`)")
    assert verdict.message.startswith(
        "Your file raised while loading: AttributeError: module 'numpy' has no attribute 'float'"
    )


def test_float_of_a_one_by_one_by_one_array_is_explained(zygote):
    clip = load_bundle(EXERCISES / "clip-by-norm")
    # the norm kept its axes (keepdims=True): an array of shape (1, 1) or (1, 1, 1), not a number
    source = (
        "import numpy as np\n\n\ndef clip_by_norm(grad, max_norm=1.0):\n"
        "    norm = float(np.sqrt(np.sum(grad ** 2, axis=tuple(range(grad.ndim)), keepdims=True)))\n"
        "    return grad * (max_norm / norm) if norm > max_norm else grad.copy()\n"
    )
    verdict = grade(clip, source, zygote=zygote)
    visible = [case for case in verdict.cases if not case.hidden]
    assert all(case.status == "error" and say("numpy2_scalar_conversion") in case.phrases for case in visible)
    assert "`a.item()`" in visible[0].message
