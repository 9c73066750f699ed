"""Multiple choice: proportional partial credit (or all or nothing), stated on the page."""

from __future__ import annotations

import pytest

from graders.quiz import AnswerError, Graded, Result, grade, load_quiz, parse_response, render
from graders.quiz.types.multiple import MultipleChoice
from tests.graders.quiz.bundles import copy_bundle, made, options, question_of


def _graded(ticked: list[str]) -> Result:
    bundle, question = question_of("rnn-quiz", "shared-parameters")  # right: a, c, e; wrong: b, d
    return grade(bundle.variant(question, 0), parse_response(question, ticked))


@pytest.mark.parametrize(
    "ticked,score",
    [
        (["a", "c", "e"], 1.0),  # k = 3 right, m = 2 wrong options
        (["a", "c"], 2 / 3),  # two right: 2/3
        (["a", "c", "b"], 2 / 3 - 1 / 2),  # two right, one wrong: 2/3 - 1/2
        (["a", "b", "c", "d", "e"], 0.0),  # everything: 1 - 1
        (["b", "d"], 0.0),  # only wrong ones: floored at 0
        (["e"], 1 / 3),
    ],
)
def test_proportional_rule(ticked, score):
    result = _graded(ticked)
    assert result.score == pytest.approx(score)
    assert result.correct is (score == 1.0)


def test_all_or_nothing_rule(tmp_path):
    folder = copy_bundle(tmp_path, "rnn-quiz")
    text = (folder / "quiz.toml").read_text()
    (folder / "quiz.toml").write_text(
        text.replace('type = "multiple"\n', 'type = "multiple"\npartial = "all-or-nothing"\n', 1)
    )
    bundle = load_quiz(folder)
    question = bundle.question("shared-parameters")
    assert grade(bundle.variant(question, 0), ["a", "c"]).score == 0.0
    assert grade(bundle.variant(question, 0), ["a", "c", "e"]).score == 1.0
    assert render(question.partial_rule()) == "All or nothing: only the fully correct answer scores."


def test_the_rule_is_stated():
    _bundle, question = question_of("rnn-quiz", "shared-parameters")
    assert question.partial == "proportional"
    assert "each correct option you tick earns 1/k" in render(question.partial_rule())
    assert "1/m" in render(question.partial_rule())


def test_ticked_options_are_kept_once_in_the_authors_order():
    question = made(MultipleChoice, {"options": options("a", "b", "c"), "answer": ["a", "b"]})
    assert parse_response(question, ["c", "a", "c", ""]) == ["a", "c"]


@pytest.mark.parametrize(
    "raw,message,tampered",
    [
        ([], "Tick at least one option", False),
        ([""], "Tick at least one option", False),
        (["a", "zz"], "does not match the question", True),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(raw, message, tampered):
    _bundle, question = question_of("rnn-quiz", "shared-parameters")
    with pytest.raises(AnswerError) as error:
        parse_response(question, raw)
    assert message in str(error.value) and error.value.tampered is tampered


def test_the_page_shows_checkboxes_with_a_hint_then_every_right_option():
    bundle, question = question_of("rnn-quiz", "shared-parameters")
    variant = bundle.variant(question, 0)
    form = question.describe(variant, "en", posted=[], graded=None)
    assert form.several and render(form.hint) == "Tick every option that applies."
    graded = question.describe(variant, "en", posted=[], graded=Graded(response=["a", "b"], expected=["a", "c", "e"]))
    assert [(o.id, o.checked, o.is_answer) for o in graded.options] == [
        ("a", True, True),
        ("b", True, False),
        ("c", False, True),
        ("d", False, False),
        ("e", False, True),
    ]
