"""Single choice: one option is right; 1 or 0."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graders.manifest import TEXT
from graders.quiz.errors import AnswerError, DefinitionError, tampered_form
from graders.quiz.phrases import gettext_noop, say
from graders.quiz.question import Graded, Question, Variant
from graders.quiz.types.options import OPTIONS, ChoiceView, describe_choices, read_options


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    type = "single"
    label = gettext_noop("Single choice")
    template = "choice"
    fields = {"options": OPTIONS, "answer": TEXT}

    @classmethod
    def validate(cls, table: Mapping[str, Any], common: dict[str, Any]) -> SingleChoice:
        options = read_options(table.get("options", []))
        answer = table.get("answer")
        if len(options) < 2 or answer not in {option.id for option in options}:
            raise DefinitionError("a single choice needs 2+ options and `answer` = one option id")
        return cls(**common, options=options, answer=answer)

    def parse(self, raw: list[str]) -> str:
        chosen = [item for item in raw if item]
        if not chosen:
            raise AnswerError(say("choose_one_option"))
        if len(chosen) > 1 or self.option(chosen[0]) is None:
            raise tampered_form()
        return chosen[0]

    def grade(self, answer: str, response: str) -> float:
        return 1.0 if response == answer else 0.0

    def describe(self, variant: Variant, language: str, *, posted: Sequence[str], graded: Graded | None) -> ChoiceView:
        return describe_choices(variant, language, posted=posted, graded=graded, several=False)
