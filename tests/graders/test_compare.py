import numpy as np
import pytest

from graders.compare import WRONG_TYPE, compare, matches, preview
from graders.sandbox.protocol import NumberSequence, UnconvertibleOutput


def test_shape_is_exact_where_allclose_would_broadcast():
    assert np.allclose(np.zeros(1), np.zeros((4, 4)))  # why we do not use it
    result = compare(np.zeros(1), np.zeros((4, 4)), rtol=1e-6, atol=1e-9)
    assert not result.ok
    assert result.message == "Wrong shape: expected your output of shape (4, 4), got (1,)"


def test_int_output_is_accepted_but_complex_is_not():
    assert compare(np.array([1, 2]), np.array([1.0, 2.0]), rtol=1e-6, atol=1e-9).ok
    result = compare(np.zeros(2, dtype=complex), np.zeros(2), rtol=1e-6, atol=1e-9)
    assert not result.ok and "complex" in result.message


def test_feedback_says_where_and_how_much():
    want = np.arange(12.0).reshape(3, 4)
    got = want.copy()
    got[2, 1] += 0.5
    got[0, 3] += 0.1
    result = compare(got, want, rtol=1e-6, atol=1e-9)
    assert not result.ok
    assert "2 of 12 values (16.7%)" in result.message
    assert "Largest error 0.5 at [2, 1]: got 9.5, expected 9" in result.message
    assert result.details["worst_index"] == [2, 1]


def test_nan_is_reported_where_it_first_appears():
    want = np.ones((2, 3))
    got = want.copy()
    got[1, 2] = np.nan
    result = compare(got, want, rtol=1e-6, atol=1e-9)
    assert "NaN in 1 of 6 places, first at [1, 2]" in result.message


def test_inf_never_passes_against_finite_values():
    result = compare(np.array([np.inf]), np.array([1e308]), rtol=1e-6, atol=1e-9)
    assert not result.ok and "inf" in result.message


def test_tuple_output_may_come_back_as_a_list_and_names_the_item():
    want = (np.zeros(2), np.ones(3))
    assert compare([np.zeros(2), np.ones(3)], want, rtol=1e-6, atol=1e-9).ok
    result = compare([np.zeros(2), np.ones(2)], want, rtol=1e-6, atol=1e-9)
    assert "your output[1] of shape (3,), got (2,)" in result.message
    result = compare(np.zeros(2), want, rtol=1e-6, atol=1e-9)
    assert result.message == "Expected your output to be a tuple of 2 items, got an array of shape (2,)"


def test_tolerance_is_relative_plus_absolute():
    want = np.array([1000.0, 0.0])
    assert compare(want + [5e-4, 5e-10], want, rtol=1e-6, atol=1e-9).ok
    assert not compare(want + [2e-3, 0], want, rtol=1e-6, atol=1e-9).ok


def test_value_message_names_the_item_of_a_list_output_and_skips_relative_error_at_zero():
    want = (np.zeros(3), np.array(2.0))
    result = compare((np.array([0.0, 0.5, 0.0]), np.array(2.0)), want, rtol=1e-6, atol=1e-9)
    assert result.message.startswith("In your output[0]: 1 of 3 values")
    assert "relative" not in result.message


def test_verdicts_with_infinite_errors_serialize_to_strict_json():
    import json

    from graders.verdict import CaseResult, Verdict

    result = compare(np.array([np.inf, 0.0]), np.array([1.0, 0.0]), rtol=1e-6, atol=1e-9)
    case = CaseResult(name="c", status="fail", message=result.message, details=result.details)
    verdict = Verdict(outcome="graded", score=0.0, passed=0, total=1, cases=(case,))
    text = json.dumps(verdict.to_dict(), allow_nan=False)
    assert json.loads(text)["cases"][0]["details"]["max_abs_error"] == "inf"


def test_a_list_of_numbers_is_compared_as_the_array_numpy_makes_of_it():
    want = np.arange(6.0).reshape(2, 3)
    assert compare(NumberSequence(want.copy(), "list"), want, rtol=1e-6, atol=1e-9).ok
    result = compare(NumberSequence(want.ravel(), "list"), want, rtol=1e-6, atol=1e-9)
    assert result.message == "Wrong shape: expected your output of shape (2, 3), got (6,)"


def test_where_a_list_or_tuple_is_expected_a_list_of_numbers_is_split_along_its_first_axis():
    # rnn-step's (s_t, o_t) as (s_t.tolist(), o_t.tolist()) with H == K, or clip-by-value's list of
    # equally shaped arrays: the child sends both as one array.
    s_t, o_t = np.full((2, 3), 0.5), np.full((2, 3), 1 / 3)
    assert compare(NumberSequence(np.stack([s_t, o_t]), "tuple"), (s_t, o_t), rtol=1e-6, atol=1e-9).ok
    assert compare(NumberSequence(np.stack([s_t, o_t]), "list"), [s_t, o_t], rtol=1e-6, atol=1e-9).ok
    result = compare(NumberSequence(np.stack([s_t, o_t, o_t]), "list"), [s_t, o_t], rtol=1e-6, atol=1e-9)
    assert result.message == "Expected your output to have 2 items, got 3"


def test_a_ragged_list_or_one_that_holds_other_things_is_a_clear_failure():
    want = np.zeros((2, 3))
    ragged = compare([NumberSequence(np.zeros(3), "list"), np.zeros(2)], want, rtol=1e-6, atol=1e-9)
    assert ragged.kind == WRONG_TYPE
    assert ragged.message == (
        "Your output is a list whose items have different lengths or shapes, so NumPy cannot make one array of "
        "it; expected an array of shape (2, 3)"
    )
    other = compare([None, UnconvertibleOutput("str with dtype <U1")], want, rtol=1e-6, atol=1e-9)
    assert other.kind == WRONG_TYPE
    assert (
        other.message
        == "Expected your output to be an array of shape (2, 3), got a list that holds something other than numbers"
    )


def test_a_list_of_numbers_is_previewed_and_described_like_an_array():
    numbers = NumberSequence(np.array([1.0, 2.0]), "tuple")
    assert preview(numbers) == "[1., 2.]"
    assert (
        compare(numbers, [np.zeros(1)] * 3, rtol=1e-6, atol=1e-9).message
        == "Expected your output to have 3 items, got 2"
    )


@pytest.mark.parametrize(
    "got,want",
    [
        (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-7])),
        (np.array([1.0, 2.0]), np.array([1.0, 2.1])),
        (np.array([np.nan, 1.0]), np.array([np.nan, 1.0])),
        (np.array([np.nan, 1.0]), np.array([0.0, 1.0])),
        (np.array([0.0, 1.0]), np.array([np.nan, 1.0])),
        (np.array([np.inf, -np.inf]), np.array([np.inf, -np.inf])),
        (np.array([np.inf]), np.array([-np.inf])),
        (np.array([np.inf]), np.array([1e308])),
        (np.array([1, 0], dtype=bool), np.array([1.0, 0.0])),
        (np.zeros(2, dtype=complex), np.zeros(2)),
        (np.zeros(1), np.zeros((2, 2))),
        (np.array(3.0), np.array(3.0)),
        ([np.zeros(2), np.ones(3)], (np.zeros(2), np.ones(3))),
        ([np.zeros(2)], (np.zeros(2), np.ones(3))),
        (NumberSequence(np.zeros((2, 3)), "list"), [np.zeros(3), np.zeros(3)]),
        (NumberSequence(np.zeros((2, 3)), "list"), np.zeros((2, 3))),
        ([np.zeros(3), None], np.zeros((2, 3))),
        (None, np.zeros(2)),
        (UnconvertibleOutput("str"), np.zeros(2)),
    ],
)
def test_matches_agrees_with_compare(got, want):
    # Mistake detection asks matches() on every failed case; it must decide exactly what compare() does.
    assert matches(got, want, rtol=1e-6, atol=1e-9) == compare(got, want, rtol=1e-6, atol=1e-9).ok


def test_an_infinity_is_matched_only_by_the_same_infinity():
    # rtol * inf used to let any finite value pass where the reference (or a wrong version) is infinite.
    want = np.array([1.0, np.inf, -np.inf])
    assert not compare(np.array([1.0, 5.0, -np.inf]), want, rtol=1e-6, atol=1e-9).ok
    assert not matches(np.array([1.0, np.inf, 0.0]), want, rtol=1e-6, atol=1e-9)
    assert compare(want.copy(), want, rtol=1e-6, atol=1e-9).ok and matches(want.copy(), want, rtol=1e-6, atol=1e-9)
