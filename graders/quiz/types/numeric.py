"""Numeric: a number within a stated tolerance, fixed or computed per student from drawn numbers (params.py)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graders.manifest import NUMBER, Table
from graders.quiz.errors import AnswerError, DefinitionError, tampered_form
from graders.quiz.phrases import QuizPhrase, gettext_noop, say
from graders.quiz.question import MAX_RAW_CHARS, Graded, Question, Variant
from graders.quiz.values import format_number, format_value


@dataclass(frozen=True)
class Tolerance:
    """A numeric answer is right when ``|got - want| <= abs + rel * |want|``."""

    abs: float = 0.0
    rel: float = 0.0

    @property
    def exact(self) -> bool:
        return self.abs == 0 and self.rel == 0

    def accepts(self, got: float, want: float) -> bool:
        # A few units in the last place of the numbers compared, so that a bound typed exactly
        # (want + abs) is not lost to float rounding. Never a fixed amount: a relative tolerance stays
        # relative however small the answer (0 is not within 1 % of 9.09e-13).
        slack = 4 * math.ulp(max(abs(got), abs(want)))
        return abs(got - want) <= self.abs + self.rel * abs(want) + slack

    def describe(self) -> QuizPhrase:
        if self.exact:
            return say("exact_value")
        if not self.rel:
            return say("within_abs", abs=format_number(self.abs))
        if not self.abs:
            return say("within_rel", rel=format_number(self.rel * 100))
        return say("within_abs_and_rel", abs=format_number(self.abs), rel=format_number(self.rel * 100))


def parse_number(text: str) -> float:
    """A number typed by a student: '0.75', '-2', '1e-3'; a clear message for anything else."""
    cleaned = text.strip().replace("\u2212", "-").replace("\uff0d", "-")
    if not cleaned:
        raise AnswerError(say("enter_a_number"))
    if len(cleaned) > MAX_RAW_CHARS:
        raise AnswerError(say("one_number_only"))
    shown = cleaned[:24]
    if "," in cleaned or "\uff0c" in cleaned:
        raise AnswerError(say("number_with_commas", shown=shown))
    try:
        number = float(cleaned)
    except ValueError:
        raise AnswerError(say("not_a_number", shown=shown)) from None
    if not math.isfinite(number):
        raise AnswerError(say("not_finite"))
    return number


@dataclass(frozen=True)
class NumericView:
    tolerance: QuizPhrase
    value: str = ""  # what the student typed, kept when the answer was refused
    response_text: str = ""  # graded: the student's number
    answer_text: str = ""  # graded: the right one


def _finite(value: Any, what: str) -> float:
    if not math.isfinite(value):
        raise DefinitionError(f"{what} must be a finite number")
    return float(value)


@dataclass(frozen=True, kw_only=True)
class NumericQuestion(Question):
    type = "numeric"
    label = gettext_noop("Numeric answer")
    template = "numeric"
    fields = {"answer": NUMBER, "tolerance": Table({"abs": NUMBER, "rel": NUMBER})}
    parameterizable = True

    tolerance: Tolerance

    @classmethod
    def validate(cls, table: Mapping[str, Any], common: dict[str, Any]) -> NumericQuestion:
        bounds = table.get("tolerance")
        if bounds is None:
            raise DefinitionError("a numeric question needs `tolerance = { abs = ..., rel = ... }`")
        tolerance = Tolerance(
            _finite(bounds.get("abs", 0), "tolerance.abs"), _finite(bounds.get("rel", 0), "tolerance.rel")
        )
        if tolerance.abs < 0 or not 0 <= tolerance.rel < 1:
            raise DefinitionError("tolerances must be >= 0 (rel < 1)")
        answer = table.get("answer")
        if (common["params"] is None) == (answer is None):
            raise DefinitionError("a numeric question needs either `answer` or `params`, not both")
        if answer is not None:
            answer = _finite(answer, "answer")
        return cls(**common, answer=answer, tolerance=tolerance)

    def parse(self, raw: list[str]) -> float:
        if len(raw) > 1:
            raise tampered_form()
        return parse_number(raw[0] if raw else "")

    def grade(self, answer: float, response: float) -> float:
        return 1.0 if self.tolerance.accepts(float(response), float(answer)) else 0.0

    def check_drawn_answer(self, answer: Any) -> None:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            raise DefinitionError(f"{self.params}() must return a number")
        if not math.isfinite(answer):
            raise DefinitionError(f"{self.params}() gives a non-finite answer")

    def describe(self, variant: Variant, language: str, *, posted: Sequence[str], graded: Graded | None) -> NumericView:
        if graded is None:
            return NumericView(self.tolerance.describe(), value=posted[0] if posted else "")
        return NumericView(
            self.tolerance.describe(),
            response_text=self._shown(graded.response),
            answer_text=self._shown(graded.expected),
        )

    def _shown(self, number: float) -> str:
        if self.tolerance.exact and float(number).is_integer():
            return str(int(number))
        return format_value(float(number))
