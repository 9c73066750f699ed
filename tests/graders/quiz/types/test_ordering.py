"""Ordering: shown shuffled, credit per position (or all or nothing), one step per position."""

from __future__ import annotations

import pytest

from graders.quiz import AnswerError, Graded, grade, load_quiz, parse_response, render
from tests.graders.quiz.bundles import copy_bundle, question_of

RIGHT = ["concat", "gates", "cell", "squash", "hidden"]


@pytest.mark.parametrize(
    "order,score",
    [
        (RIGHT, 1.0),
        (["concat", "cell", "gates", "squash", "hidden"], 3 / 5),  # two steps swapped
        (["hidden", "concat", "gates", "cell", "squash"], 0.0),  # everything shifted by one
    ],
)
def test_credit_per_position(order, score):
    bundle, question = question_of("lstm-quiz", "lstm-update-order")
    result = grade(bundle.variant(question, 0), parse_response(question, order))
    assert result.score == pytest.approx(score) and result.correct is (score == 1.0)
    assert (
        render(question.partial_rule()) == "Partial credit: with n steps, each step in its correct position earns 1/n."
    )


def test_all_or_nothing_rule(tmp_path):
    folder = copy_bundle(tmp_path, "lstm-quiz")
    text = (folder / "quiz.toml").read_text()
    (folder / "quiz.toml").write_text(
        text.replace('type = "ordering"\n', 'type = "ordering"\npartial = "all-or-nothing"\n')
    )
    bundle = load_quiz(folder)
    question = bundle.question("lstm-update-order")
    swapped = ["concat", "cell", "gates", "squash", "hidden"]
    assert grade(bundle.variant(question, 0), swapped).score == 0.0
    assert grade(bundle.variant(question, 0), RIGHT).score == 1.0
    assert "All or nothing" in render(question.partial_rule())


def test_shown_shuffled_and_never_in_the_right_order():
    bundle, question = question_of("lstm-quiz", "lstm-update-order")
    orders = {bundle.variant(question, seed).option_order for seed in range(100)}
    assert question.answer not in orders
    assert len(orders) > 10
    assert all(sorted(order) == sorted(question.answer) for order in orders)


@pytest.mark.parametrize(
    "raw,message,tampered",
    [
        (["prev", "mix", "", "scores", "softmax"], "Fill every position", False),
        (["prev", "mix", "mix", "scores", "softmax"], "used more than once: mix", False),
        (["prev", "mix", "squash", "scores"], "does not match the question", True),
        (["prev", "mix", "squash", "scores", "x"], "does not match the question", True),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(raw, message, tampered):
    _bundle, question = question_of("rnn-quiz", "rnn-step-order")
    with pytest.raises(AnswerError) as error:
        parse_response(question, raw)
    assert message in str(error.value) and error.value.tampered is tampered


def test_the_page_shows_lettered_steps_then_both_orders():
    bundle, question = question_of("lstm-quiz", "lstm-update-order")
    variant = bundle.variant(question, 0)
    form = question.describe(variant, "en", posted=["cell", "", "", "", ""], graded=None)
    assert [step.id for step in form.steps] == list(variant.option_order)
    assert [step.letter for step in form.steps] == ["A", "B", "C", "D", "E"]
    assert [position.selected for position in form.positions] == ["cell", "", "", "", ""]
    # An answer stored before a step was renamed in the bundle still shows, by its id.
    stored = Graded(response=["concat", "old-step", "cell", "squash", "hidden"], expected=RIGHT)
    graded = question.describe(variant, "zh", posted=[], graded=stored)
    assert [(step.id, step.ok, bool(step.text)) for step in graded.placed] == [
        ("concat", True, True),
        ("old-step", False, False),
        ("cell", True, True),
        ("squash", True, True),
        ("hidden", True, True),
    ]
    assert len(graded.right_order) == 5 and graded.right_order[0] == question.option("concat").text["zh"]
