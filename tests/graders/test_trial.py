"""Run: the visible cases and the student's own cases, with the reference's expected outputs."""

import numpy as np
import pytest

from graders.bundle import load_bundle
from graders.case_text import CaseTextError, case_call, parse_call, parse_cases
from graders.trial import run_trial
from tests.conftest import EXERCISES

RIGHT = "import numpy as np\ndef relu(x):\n    print('max', x.max())\n    return np.maximum(x, 0)\n"
WRONG = "import numpy as np\ndef relu(x):\n    return np.abs(x)\n"


@pytest.fixture(scope="module")
def relu():
    return load_bundle(EXERCISES / "relu")


def test_run_covers_the_visible_cases_and_the_students_own_with_the_references_answer(relu, zygote):
    own = parse_cases("relu(np.array([[1.0, -2.0], [3.0, -4.0]]))\n# a comment\n", function="relu")
    verdict = run_trial(relu, WRONG, own, zygote=zygote)
    visible = [case for case in relu.cases if not case.hidden]
    assert [case.name for case in verdict.cases] == [case.name for case in visible] + ["own_1"]
    mine = verdict.cases[-1]
    assert mine.status == "fail" and mine.details["own"]
    assert mine.details["expected"] == "[[1., 0.],\n [3., 0.]]" and mine.details["got"] == "[[1., 2.],\n [3., 4.]]"
    assert mine.details["description"] == "relu(np.array([[1.0, -2.0], [3.0, -4.0]]))"
    assert not any(case.hidden for case in verdict.cases)


def test_run_shows_what_the_own_case_printed(relu, zygote):
    own = parse_cases("relu(np.arange(-3, 4))", function="relu")
    verdict = run_trial(relu, RIGHT, own, zygote=zygote)
    assert verdict.score == 1.0 and verdict.cases[-1].printed == "max 3\n"


def test_inputs_the_reference_cannot_take_say_so_and_do_not_run(relu, zygote):
    own = parse_cases("relu('abc')", function="relu")
    verdict = run_trial(relu, RIGHT, own, zygote=zygote)
    assert verdict.cases[-1].status == "error"
    assert verdict.cases[-1].message.startswith("The reference solution cannot run on these inputs (")


@pytest.mark.parametrize(
    "line,problem",
    [
        ("relu(__import__('os').system('id'))", "is not a value this page can read"),
        ("relu(np.zeros((100000, 100000)))", "more than 100000 values"),
        ("relu(np.ones((1000, 1000)))", "more than 100000 values"),
        ("relu(np.array([1, [2, 3]]))", "rows of different lengths"),
        ("softmax(np.zeros(3))", "write it as a call of `relu(...)`"),
        ("relu(np.zeros(3), dtype=np.object_)", "is not a value this page can read"),
        ("relu(np.array([1], dtype='object'))", "is not a dtype this page knows"),
        ("relu((lambda: 1)())", "is not a value this page can read"),
        ("relu(", "is not a line of Python"),
    ],
)
def test_a_line_that_is_not_plain_data_is_refused_with_its_line_number(line, problem):
    with pytest.raises(CaseTextError) as error:
        parse_cases(f"relu(1.0)\n{line}", function="relu")
    assert str(error.value).startswith("Your case on line 2:") and problem in str(error.value)


def test_a_case_written_back_reads_back_to_the_same_inputs():
    x = np.random.default_rng(1).standard_normal((3, 4)).astype(np.float32)
    x[0, 0], x[1, 1] = np.nan, -np.inf
    line, exact = case_call("f", (x, [np.arange(3), 2.5]), {"axis": -1})
    assert exact
    call = parse_call(line, function="f")
    assert call.args[0].dtype == np.float32 and np.array_equal(call.args[0], x, equal_nan=True)
    assert np.array_equal(call.args[1][0], np.arange(3)) and call.args[1][1] == 2.5 and call.kwargs == {"axis": -1}


def test_a_large_input_is_written_as_a_seeded_call_of_the_same_shape():
    line, exact = case_call("f", (np.ones((30, 30), dtype=np.float32),), {})
    assert not exact and line == "f(np.random.default_rng(0).standard_normal((30, 30), dtype='float32'))"
    assert parse_call(line, function="f").args[0].shape == (30, 30)
