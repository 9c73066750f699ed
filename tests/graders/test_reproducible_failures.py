"""A failed visible case can be reproduced: its inputs as a line of Python, got beside expected."""

import numpy as np
import pytest

from graders.bundle import load_bundle
from graders.case_text import parse_call
from graders.compare import compare
from graders.engine import grade
from tests.conftest import EXERCISES

WRONG = "import numpy as np\ndef relu(x):\n    return np.abs(x)\n"


@pytest.fixture(scope="module")
def relu():
    return load_bundle(EXERCISES / "relu")


def test_a_failed_visible_case_offers_its_inputs_as_python_that_rebuilds_them_exactly(relu, zygote):
    verdict = grade(relu, WRONG, zygote=zygote)
    case = next(c for c in verdict.cases if c.name == "matrix")
    assert case.status == "fail" and case.details["call_exact"]
    call = parse_call(case.details["call"], function="relu")
    original = next(c for c in relu.cases if c.name == "matrix")
    assert np.array_equal(call.args[0], original.args[0]) and call.args[0].dtype == original.args[0].dtype
    assert all("call" not in c.details for c in verdict.cases if c.passed)
    assert all("call" not in c.details for c in verdict.public().cases if c.hidden)


def test_got_and_expected_come_as_rows_with_the_values_that_are_off_marked():
    got = np.array([[1.0, -2.0, 3.0], [0.0, 5.0, -6.0]])
    want = np.maximum(got, 0)
    grid = compare(got, want, rtol=1e-5, atol=1e-8).details["grid"]
    assert grid == [
        ["[0, :]", [["1", "1", False], ["-2", "0", True], ["3", "3", False]]],
        ["[1, :]", [["0", "0", False], ["5", "5", False], ["-6", "0", True]]],
    ]


def test_outputs_too_large_for_rows_keep_the_previews_only():
    got = np.zeros((20, 20))
    assert "grid" not in compare(got, got + 1, rtol=1e-5, atol=1e-8).details
