"""Single choice: one right option, 1 or 0, and the form's values checked before grading."""

from __future__ import annotations

import numpy as np
import pytest

from graders.quiz import AnswerError, Graded, Variant, grade, parse_response
from graders.quiz.types.single import SingleChoice
from tests.graders.quiz.bundles import made, options, question_of


def test_right_and_wrong_score_one_and_zero():
    bundle, question = question_of("cnn-quiz", "and-neuron-logic")
    variant = bundle.variant(question, 0)
    right, wrong = grade(variant, parse_response(question, ["b"])), grade(variant, parse_response(question, ["a"]))
    assert (right.score, right.correct, right.response, right.answer) == (1.0, True, "b", "b")
    assert (wrong.score, wrong.correct) == (0.0, False)


def test_one_rule_only_so_the_page_states_none():
    question = made(SingleChoice, {"options": options("a", "b"), "answer": "a"})
    assert SingleChoice.partial_rules == ("all-or-nothing",) and question.partial_rule() is None


@pytest.mark.parametrize(
    "raw,message,tampered",
    [
        ([], "Choose one option.", False),
        ([""], "Choose one option.", False),
        (["a", "b"], "does not match the question", True),
        (["z"], "does not match the question", True),
        (["a" * 65], "does not match the question", True),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(raw, message, tampered):
    question = made(SingleChoice, {"options": options("a", "b"), "answer": "a"})
    with pytest.raises(AnswerError) as error:
        parse_response(question, raw)
    assert message in str(error.value) and error.value.tampered is tampered


def test_the_page_shows_radio_buttons_then_the_choice_and_the_right_answer():
    question = made(SingleChoice, {"options": options("a", "b", "c"), "answer": "b"})
    variant_options = question.display_order(np.random.default_rng(0))
    assert variant_options == ("a", "b", "c")  # choices keep the author's order
    variant = Variant(question, 0, {}, {}, "b", variant_options)
    form = question.describe(variant, "zh-hans", posted=["c"], graded=None)
    assert not form.several and form.hint is None
    assert [(o.letter, o.text, o.checked, o.is_answer) for o in form.options] == [
        ("A", "选项 a", False, False),
        ("B", "选项 b", False, False),
        ("C", "选项 c", True, False),  # kept after a refusal; the answer is not given away
    ]
    graded = question.describe(variant, "en", posted=[], graded=Graded(response="c", expected="b"))
    assert [(o.checked, o.is_answer) for o in graded.options] == [(False, False), (False, True), (True, False)]
