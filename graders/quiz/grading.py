"""Check and grade one answer: the raw form values, then the question type's own parse and grade."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graders.quiz.errors import tampered_form
from graders.quiz.question import MAX_RAW_CHARS, Question, Variant
from graders.quiz.values import plain


@dataclass(frozen=True)
class Result:
    score: float  # in [0, 1]
    correct: bool
    response: Any  # the normalized answer, JSON-ready: an id, a list of ids, a float, an order
    answer: Any  # the right answer of this variant, JSON-ready


def parse_response(question: Question, raw: list[str]) -> Any:
    """Turn a form field's values into a normalized answer, or raise AnswerError saying what is wrong."""
    if any(not isinstance(item, str) or len(item) > MAX_RAW_CHARS for item in raw):
        raise tampered_form()
    return question.parse(raw)


def grade(variant: Variant, response: Any) -> Result:
    """Score a parsed response against this variant's answer, by the question's partial-credit rule."""
    score = variant.question.grade(variant.answer, response)
    return Result(score, score == 1.0, plain(response), plain(variant.answer))
