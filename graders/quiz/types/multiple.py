"""Multiple choice: several options are right, at least one is wrong; partial credit by default."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graders.manifest import Value
from graders.quiz.errors import AnswerError, DefinitionError, tampered_form
from graders.quiz.phrases import QuizPhrase, gettext_noop, say
from graders.quiz.question import ALL_OR_NOTHING, Graded, Question, Variant
from graders.quiz.types.options import OPTIONS, ChoiceView, describe_choices, read_options

PROPORTIONAL = "proportional"


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(Question):
    type = "multiple"
    label = gettext_noop("Multiple choice")
    template = "choice"
    fields = {"options": OPTIONS, "answer": Value((list,))}
    partial_rules = (PROPORTIONAL, ALL_OR_NOTHING)

    @classmethod
    def validate(cls, table: Mapping[str, Any], common: dict[str, Any]) -> MultipleChoice:
        options = read_options(table.get("options", []))
        ids = [option.id for option in options]
        answer = table.get("answer")
        if (
            not isinstance(answer, list)
            or not answer
            or not all(isinstance(item, str) for item in answer)
            or len(set(answer)) != len(answer)
            or not set(answer) <= set(ids)
        ):
            raise DefinitionError("`answer` must list distinct option ids")
        if len(answer) == len(ids) or len(ids) < 3:
            raise DefinitionError("a multiple choice needs 3+ options and at least one wrong one")
        return cls(**common, options=options, answer=tuple(answer))

    def parse(self, raw: list[str]) -> list[str]:
        chosen = [item for item in raw if item]
        if not chosen:
            raise AnswerError(say("tick_at_least_one"))
        if any(self.option(item) is None for item in chosen):
            raise tampered_form()
        order = [option.id for option in self.options]
        return sorted(set(chosen), key=order.index)

    def grade(self, answer: tuple[str, ...], response: list[str]) -> float:
        """``proportional``: with k right and m wrong options, each right option ticked earns 1/k, each
        wrong one costs 1/m, never below 0 (ticking every option scores 0). ``all-or-nothing``: the
        exact set or nothing."""
        right, chosen = set(answer), set(response)
        if self.partial == ALL_OR_NOTHING:
            return 1.0 if chosen == right else 0.0
        wrong_options = len(self.options) - len(right)
        score = len(chosen & right) / len(right) - len(chosen - right) / wrong_options
        return min(1.0, max(0.0, score))

    def partial_rule(self) -> QuizPhrase:
        return say("partial_proportional" if self.partial == PROPORTIONAL else "all_or_nothing")

    def describe(self, variant: Variant, language: str, *, posted: Sequence[str], graded: Graded | None) -> ChoiceView:
        hint = say("tick_every_option_that_applies")
        return describe_choices(variant, language, posted=posted, graded=graded, several=True, hint=hint)
