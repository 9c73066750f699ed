"""Numeric: a number within the stated tolerance, 1 or 0; what people type is read, anything else explained."""

from __future__ import annotations

import math

import pytest

from graders.quiz import AnswerError, Graded, Tolerance, grade, parse_number, parse_response, render
from graders.quiz.errors import DefinitionError
from graders.quiz.types.numeric import NumericQuestion
from tests.graders.quiz.bundles import made, question_of


def test_within_the_stated_tolerance():
    bundle, question = question_of("lstm-quiz", "forget-gate-value")
    variant = bundle.variant(question, 7)
    want = variant.answer
    assert grade(variant, parse_number(f"{want + 0.0009:.6f}")).correct
    assert not grade(variant, parse_number(f"{want + 0.0011:.6f}")).correct
    assert question.tolerance == Tolerance(abs=0.001)


def test_an_exact_answer_accepts_4_and_4_point_0_only():
    bundle, question = question_of("cnn-quiz", "conv-output-size")
    variant = bundle.variant_from_inputs(question, {"H": 7, "K": 3, "S": 2, "P": 1})
    assert grade(variant, parse_response(question, ["4"])).correct
    assert grade(variant, parse_response(question, [" 4.0 "])).correct
    assert not grade(variant, parse_response(question, ["4.01"])).correct


def test_one_rule_only_so_the_page_states_none():
    question = made(NumericQuestion, {"answer": 2, "tolerance": {"abs": 0.5}})
    assert NumericQuestion.partial_rules == ("all-or-nothing",) and question.partial_rule() is None
    assert question.grade(question.answer, 2.4) == 1.0 and question.grade(question.answer, 2.6) == 0.0


def test_relative_tolerance_and_how_tolerances_are_stated():
    tolerance = Tolerance(rel=0.01)
    assert tolerance.accepts(1030.0, 1024.0) and not tolerance.accepts(1040.0, 1024.0)
    assert render(tolerance.describe()) == "accepted within ±1 % (relative)"
    assert render(Tolerance(abs=0.001).describe()) == "accepted within ±0.001"
    assert render(Tolerance(abs=0.5, rel=0.02).describe()) == "accepted within ±0.5 + ±2 % (relative)"
    assert render(Tolerance().describe()) == "exact value"


def test_a_relative_tolerance_stays_relative_for_a_tiny_answer():
    # 0.5 ** 40 = 9.09e-13: "within 1 %" must not accept 0 (a fixed slack of 1e-12 once did).
    tolerance, want = Tolerance(rel=0.01), 0.5**40
    assert not tolerance.accepts(0.0, want)
    assert tolerance.accepts(9.1e-13, want) and not tolerance.accepts(9.2e-13, want)
    assert not Tolerance().accepts(1e-300, 0.0) and Tolerance().accepts(0.0, 0.0)


def test_a_bound_typed_exactly_is_accepted_despite_rounding():
    assert Tolerance(abs=0.1).accepts(0.4, 0.3) and Tolerance(abs=0.1).accepts(0.2, 0.3)  # |0.4 - 0.3| > 0.1 in floats
    assert Tolerance(rel=0.01).accepts(1034.24, 1024.0) and Tolerance(rel=0.01).accepts(1013.76, 1024.0)
    assert not Tolerance(abs=0.1).accepts(0.4000001, 0.3)


@pytest.mark.parametrize(
    "raw,message",
    [
        ("abc", "“abc” is not a number"),
        ("", "Enter a number."),
        ("1,5", "without commas"),
        ("1,769,472", "without commas"),
        ("nan", "finite number"),
        ("inf", "finite number"),
        ("3/4", "is not a number"),
        ("1" * 65, "enter one number"),
    ],
)
def test_a_non_number_gets_a_clear_message(raw, message):
    with pytest.raises(AnswerError) as error:
        parse_number(raw)
    assert message in str(error.value)
    assert not error.value.tampered


def test_numbers_people_type_are_accepted():
    assert parse_number("−0.5") == -0.5  # a typographic minus
    assert parse_number("1e-3") == 0.001
    assert parse_number("+2") == 2


def test_two_values_for_one_number_are_a_changed_form():
    _bundle, question = question_of("rnn-quiz", "scalar-rnn-step")
    with pytest.raises(AnswerError) as error:
        parse_response(question, ["1", "2"])
    assert error.value.tampered


def test_params_must_draw_a_finite_number():
    question = made(NumericQuestion, {"tolerance": {"abs": 0}}, params="size")
    question.check_drawn_answer(3)
    for drawn in ([1, 2], "3", True, math.inf):
        with pytest.raises(DefinitionError):
            question.check_drawn_answer(drawn)


def test_the_page_shows_the_tolerance_then_both_numbers():
    bundle, question = question_of("cnn-quiz", "conv-output-size")  # exact
    variant = bundle.variant(question, 3)
    form = question.describe(variant, "en", posted=["four"], graded=None)
    assert form.value == "four" and render(form.tolerance) == "exact value"
    graded = question.describe(variant, "en", posted=[], graded=Graded(response=4.0, expected=5))
    assert (graded.response_text, graded.answer_text) == ("4", "5")
    bundle, question = question_of("lstm-quiz", "forget-gate-value")
    variant = bundle.variant(question, 3)
    graded = question.describe(variant, "en", posted=[], graded=Graded(response=0.81761, expected=0.8175744761936437))
    assert (graded.response_text, graded.answer_text) == ("0.81761", "0.817574")
