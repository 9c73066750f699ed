"""What a page shows of a question: its variant in the reader's language, its type's view, the verdict.

The card is the same for every question type; what differs (the inputs, the graded answer) is the
type's own view (``Question.describe``), drawn by the type's partial template.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from catalog.rendering import render_statement
from graders.quiz import AnswerError, Graded, Question, QuizBundle, QuizPhrase, Variant
from graders.quiz.language import in_language
from graders.quiz.values import fill, format_value
from quizzes.models import QuestionAnswer
from quizzes.variants import variant_seed, variant_token

_WRAPPED = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


@functools.lru_cache(maxsize=8192)
def render_block(text: str) -> str:
    """Markdown + LaTeX to HTML (formulas kept for KaTeX), cached: most texts are static."""
    return render_statement(text)


@functools.lru_cache(maxsize=8192)
def render_inline(text: str) -> str:
    """Like render_block, without the paragraph around a one-paragraph text (option labels)."""
    html = render_statement(text).strip()
    match = _WRAPPED.match(html)
    return match.group(1) if match and "<p>" not in match.group(1) else html


def type_template(question: Question) -> str:
    return f"quizzes/types/{question.template}.html"


@dataclass
class ResultView:
    score: float
    correct: bool

    @property
    def partial(self) -> bool:
        return 0 < self.score < 1

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class QuestionCard:
    index: int
    key: str
    type: str
    type_label: str
    template: str  # the type's partial, drawing ``view``
    prompt_html: str
    weight: float
    view: Any  # the type's own view of the question (Question.describe)
    rule: QuizPhrase | None = None
    parameterized: bool = False
    token: str = ""
    error: QuizPhrase | None = None
    result: ResultView | None = None
    explanation_html: str = ""

    @property
    def answered(self) -> bool:
        return self.result is not None


def build_card(
    *,
    index: int,
    bundle: QuizBundle,
    question: Question,
    user_id: int,
    attempt_number: int,
    language: str,
    answer: QuestionAnswer | None = None,
    posted: list[str] | None = None,
    error: AnswerError | None = None,
) -> QuestionCard:
    """One question as the page shows it: the form to answer it, or the graded answer and explanation."""
    token = variant_token(user_id=user_id, question_uuid=question.uuid, attempt_number=attempt_number)
    if answer is not None and question.parameterized:
        variant: Variant = bundle.variant_from_inputs(question, answer.values, variant_seed(token))
    else:
        variant = bundle.variant(question, variant_seed(token))
    graded = Graded(answer.response, answer.expected) if answer is not None else None
    card = QuestionCard(
        index=index,
        key=question.key,
        type=question.type,
        type_label=gettext(question.label),
        template=type_template(question),
        prompt_html=render_block(variant.prompt(language)),
        weight=question.weight,
        view=question.describe(variant, language, posted=posted or [], graded=graded),
        rule=question.partial_rule(),
        parameterized=question.parameterized,
        token=token if question.parameterized else "",
        error=error.phrase if error else None,
    )
    if answer is not None:
        card.result = ResultView(score=answer.score, correct=answer.is_correct)
        values = dict(variant.values)
        if question.parameterized:  # the answer as it was graded, even if params.py changed since
            values["answer"] = format_value(answer.expected)
        card.explanation_html = render_block(fill(in_language(question.explanation, language), values))
    return card


def build_cards(
    *,
    bundle: QuizBundle,
    questions: list[Question],
    user_id: int,
    attempt_number: int,
    language: str,
    answers: dict[str, QuestionAnswer] | None = None,
    posted: dict[str, list[str]] | None = None,
    errors: dict[str, AnswerError] | None = None,
) -> list[QuestionCard]:
    answers = answers or {}
    posted = posted or {}
    errors = errors or {}
    return [
        build_card(
            index=index,
            bundle=bundle,
            question=question,
            user_id=user_id,
            attempt_number=attempt_number,
            language=language,
            answer=answers.get(question.uuid),
            posted=posted.get(question.key),
            error=errors.get(question.key),
        )
        for index, question in enumerate(questions, start=1)
    ]
