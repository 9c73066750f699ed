"""Tries stored before the question types became plugins show as they did: rows written field by field as then."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quizzes.models import Question, QuestionAnswer, QuizAttempt
from quizzes.presenters import build_cards
from tests.platform.quizzes.conftest import bundle_of

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
FORGET_GATE_INPUTS = {"h": 0.5, "x": 2.0, "wh": 1.0, "wx": 0.5, "b": 0.0}  # f = sigma(1.5) = 0.817574...
# key: (response, expected, score, is_correct, the numbers shown) as the earlier code stored them
STORED = {
    "forget-gate-role": ("a", "b", 0.0, False, {}),
    "forget-gate-value": (0.8176, 0.8175744761936437, 1.0, True, FORGET_GATE_INPUTS),
    "lstm-update-order": (
        ["concat", "cell", "gates", "squash", "hidden"],
        ["concat", "gates", "cell", "squash", "hidden"],
        0.6,
        False,
        {},
    ),
    "cell-state-facts": (["a", "c"], ["a", "c", "d"], 2 / 3, False, {}),
}


@pytest.fixture
def earlier_try(student, quizzes):
    quiz = quizzes["lstm-quiz"]
    rows = {row.key: row for row in Question.objects.filter(quiz=quiz)}
    attempt = QuizAttempt.objects.create(
        user=student,
        quiz=quiz,
        number=1,
        score=round((0 + 1 + 0.6 + 2 / 3) / 11, 6),
        answers={  # every question of the quiz, unanswered ones with no response, as the summary was written
            key: {
                "question": str(row.uuid),
                "type": row.qtype,
                "weight": 1.0,
                "response": STORED[key][0] if key in STORED else None,
                "score": STORED[key][2] if key in STORED else 0.0,
                "correct": STORED[key][3] if key in STORED else False,
                "variant": "",
            }
            for key, row in rows.items()
        },
        answered=4,
        total=11,
        bundle_hash="0" * 64,
    )
    for key, (response, expected, score, correct, values) in STORED.items():
        QuestionAnswer.objects.create(
            user=student,
            quiz=quiz,
            question=rows[key],
            attempt_number=1,
            attempt=attempt,
            response=response,
            score=score,
            is_correct=correct,
            expected=expected,
            variant="",
            values=values,
        )
    return attempt


def test_an_earlier_try_is_reviewed_in_both_languages(client, student, earlier_try):
    client.force_login(student)
    url = reverse("quizzes:attempt-detail", args=[earlier_try.pk])
    page = client.get(url).content.decode()
    assert page.count("✓ Correct") == 1 and page.count("◐ Partly right") == 2 and page.count("✗ Not right") == 1
    assert "<code>0.8176</code>" in page and "<code>0.817574</code>" in page  # the numbers as graded then
    assert "$h_{t-1} = 0.5$" in page and "\\approx 0.817574" in page  # the student's own numbers, and answer
    assert "Your order" in page and "each correct option you tick earns 1/k" in page
    assert page.count("Not answered in this try.") == 7
    chinese = client.get(url, **ZH).content.decode()
    assert "你的顺序" in chinese and "部分得分" in chinese and "误差在 ±0.001 以内即算正确" in chinese
    assert chinese.count("本次作答中未回答。") == 7


def test_every_stored_answer_gets_its_types_view(student, earlier_try):
    bundle = bundle_of("lstm-quiz")
    answers = {str(answer.question.uuid): answer for answer in earlier_try.question_answers.all()}
    questions = [question for question in bundle.questions if question.key in STORED]
    cards = build_cards(
        bundle=bundle, questions=questions, user_id=student.pk, attempt_number=1, language="en", answers=answers
    )
    by_key = {card.key: card for card in cards}
    assert by_key["forget-gate-value"].view.response_text == "0.8176"
    assert [step.ok for step in by_key["lstm-update-order"].view.placed] == [True, False, False, True, True]
    chosen = [(option.id, option.checked, option.is_answer) for option in by_key["cell-state-facts"].view.options]
    assert chosen[:4] == [("a", True, True), ("b", False, False), ("c", True, True), ("d", False, True)]
    assert [card.template for card in cards] == [f"quizzes/types/{question.template}.html" for question in questions]
