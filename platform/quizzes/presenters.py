"""What a page shows of a question: its variant rendered in the reader's language, inputs, feedback."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _

from catalog.rendering import render_statement
from graders.quiz import AnswerError, Question, QuizBundle, Tolerance, Variant, fill, format_value, partial_rule
from quizzes.models import QuestionAnswer
from quizzes.variants import variant_seed, variant_token

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_WRAPPED = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


def lang(language: str) -> str:
    return "zh" if language.startswith("zh") else "en"


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


@dataclass
class OptionView:
    id: str
    letter: str
    html: str
    checked: bool = False  # ticked by the student (in the form, or in the graded answer)
    is_answer: bool = False  # part of the right answer (shown after grading only)


@dataclass
class PositionView:
    number: int
    selected: str = ""  # the option id chosen for this position
    html: str = ""  # graded: the text of the chosen step
    ok: bool = False  # graded: the right step in this position


@dataclass
class ResultView:
    score: float
    correct: bool
    partial: bool
    response_text: str = ""  # numeric: what the student answered
    answer_text: str = ""  # numeric: the right value
    positions: list[PositionView] = field(default_factory=list)  # ordering: the student's order
    right_order: list[str] = field(default_factory=list)  # ordering: the right order, as HTML

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class QuestionCard:
    index: int
    key: str
    type: str
    type_label: str
    prompt_html: str
    weight: float
    options: list[OptionView] = field(default_factory=list)
    positions: list[PositionView] = field(default_factory=list)
    value: str = ""
    tolerance: str = ""
    rule: str = ""
    parameterized: bool = False
    token: str = ""
    error: str = ""
    result: ResultView | None = None
    explanation_html: str = ""

    @property
    def answered(self) -> bool:
        return self.result is not None


def type_label(kind: str) -> str:
    return {
        "single": _("Single choice"),
        "multiple": _("Multiple choice"),
        "numeric": _("Numeric answer"),
        "ordering": _("Put in order"),
    }[kind]


def _option_html(question: Question, option_id: str, language: str) -> str:
    return render_inline(question.option(option_id).text[lang(language)])


def _number_text(value: float, tolerance: Tolerance | None) -> str:
    if tolerance is not None and tolerance.abs == 0 and tolerance.rel == 0 and float(value).is_integer():
        return str(int(value))
    return format_value(float(value))


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
    language = lang(language)
    token = variant_token(user_id=user_id, question_uuid=question.uuid, attempt_number=attempt_number)
    if answer is not None and question.parameterized:
        variant: Variant = bundle.variant_from_inputs(question, answer.values, variant_seed(token))
    else:
        variant = bundle.variant(question, variant_seed(token))
    card = QuestionCard(
        index=index,
        key=question.key,
        type=question.type,
        type_label=type_label(question.type),
        prompt_html=render_block(variant.prompt(language)),
        weight=question.weight,
        tolerance=question.tolerance.describe(language) if question.tolerance else "",
        rule=partial_rule(question, language),
        parameterized=question.parameterized,
        token=token if question.parameterized else "",
        error=error.message(language) if error else "",
    )
    chosen: list[str] = []
    if answer is not None:
        chosen = answer.response if isinstance(answer.response, list) else [answer.response]
    elif posted:
        chosen = list(posted)
    right = variant.answer if answer is None else answer.expected
    right_ids = set(right) if isinstance(right, (list, tuple)) else {right}

    if question.type in ("single", "multiple"):
        card.options = [
            OptionView(
                id=option.id,
                letter=LETTERS[i],
                html=_option_html(question, option.id, language),
                checked=option.id in chosen,
                is_answer=answer is not None and option.id in right_ids,
            )
            for i, option in enumerate(variant.options())
        ]
    elif question.type == "ordering":
        card.options = [
            OptionView(id=option.id, letter=LETTERS[i], html=_option_html(question, option.id, language))
            for i, option in enumerate(variant.options())
        ]
        card.positions = [
            PositionView(number=i + 1, selected=chosen[i] if i < len(chosen) else "")
            for i in range(len(question.options))
        ]
    elif answer is None and posted:
        card.value = posted[0]

    if answer is not None:
        result = ResultView(score=answer.score, correct=answer.is_correct, partial=0 < answer.score < 1)
        if question.type == "numeric":
            result.response_text = _number_text(answer.response, question.tolerance)
            result.answer_text = _number_text(right, question.tolerance)
        elif question.type == "ordering":
            result.positions = [
                PositionView(
                    number=i + 1,
                    selected=step,
                    html=_option_html(question, step, language) if question.option(step) else escape(step),
                    ok=i < len(right) and step == right[i],
                )
                for i, step in enumerate(answer.response)
            ]
            result.right_order = [_option_html(question, step, language) for step in right if question.option(step)]
        card.result = result
        values = dict(variant.values)
        if question.parameterized and question.type == "numeric":
            values["answer"] = format_value(right)
        card.explanation_html = render_block(fill(question.explanation[language], values))
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
