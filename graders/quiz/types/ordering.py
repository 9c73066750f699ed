"""Ordering: the steps in the right order; shown shuffled, credit per position by default."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from graders.manifest import Value
from graders.quiz.errors import AnswerError, DefinitionError, tampered_form
from graders.quiz.language import in_language
from graders.quiz.phrases import QuizPhrase, gettext_noop, say
from graders.quiz.question import ALL_OR_NOTHING, Graded, Question, Variant
from graders.quiz.types.options import LETTERS, OPTIONS, ShownOption, as_list, read_options

POSITIONS = "positions"


@dataclass(frozen=True)
class Position:
    number: int
    selected: str = ""  # the step chosen for this position in the form


@dataclass(frozen=True)
class PlacedStep:
    """A step of the student's graded order."""

    id: str
    text: str  # Markdown in the reader's language; "" for a step the bundle no longer has
    ok: bool  # the right step for its position


@dataclass(frozen=True)
class OrderingView:
    steps: list[ShownOption]  # lettered, in the variant's shuffled order
    positions: list[Position]  # the form: one choice of step per position
    placed: list[PlacedStep]  # graded: the student's order
    right_order: list[str]  # graded: the steps' Markdown in the right order


@dataclass(frozen=True, kw_only=True)
class OrderingQuestion(Question):
    type = "ordering"
    label = gettext_noop("Put in order")
    template = "ordering"
    fields = {"options": OPTIONS, "answer": Value((list,))}
    partial_rules = (POSITIONS, ALL_OR_NOTHING)

    @classmethod
    def validate(cls, table: Mapping[str, Any], common: dict[str, Any]) -> OrderingQuestion:
        options = read_options(table.get("options", []))
        ids = [option.id for option in options]
        answer = table.get("answer")
        if (
            len(options) < 3
            or not isinstance(answer, list)
            or not all(isinstance(item, str) for item in answer)
            or sorted(answer) != sorted(ids)
        ):
            raise DefinitionError("an ordering needs 3+ items and `answer` = all their ids in order")
        if answer == sorted(answer):
            raise DefinitionError("the ids in alphabetical order give the answer away; rename them")
        return cls(**common, options=options, answer=tuple(answer))

    def parse(self, raw: list[str]) -> list[str]:
        """One value per position, in position order."""
        if len(raw) != len(self.options) or any(item and self.option(item) is None for item in raw):
            raise tampered_form()
        if not all(raw):
            raise AnswerError(say("fill_every_position"))
        repeated = sorted({item for item in raw if raw.count(item) > 1})
        if repeated:
            raise AnswerError(say("steps_used_twice", steps=", ".join(repeated)))
        return list(raw)

    def grade(self, answer: tuple[str, ...], response: list[str]) -> float:
        """``positions``: each of the n steps in its right position earns 1/n. ``all-or-nothing``: 1 or 0."""
        in_place = sum(got == want for got, want in zip(response, answer, strict=True))
        if self.partial == ALL_OR_NOTHING:
            return 1.0 if in_place == len(answer) else 0.0
        return in_place / len(answer)

    def partial_rule(self) -> QuizPhrase:
        return say("partial_positions" if self.partial == POSITIONS else "all_or_nothing")

    def display_order(self, rng: np.random.Generator) -> tuple[str, ...]:
        """A permutation that never shows the right order (that would give the answer away)."""
        ids = tuple(option.id for option in self.options)
        permutation = tuple(ids[i] for i in rng.permutation(len(ids)))
        if permutation == ids:
            permutation = permutation[1:] + permutation[:1]
        return permutation

    def describe(
        self, variant: Variant, language: str, *, posted: Sequence[str], graded: Graded | None
    ) -> OrderingView:
        chosen = as_list(graded.response) if graded is not None else list(posted)
        right = as_list(graded.expected) if graded is not None else []
        return OrderingView(
            steps=[
                ShownOption(id=option.id, letter=LETTERS[index], text=in_language(option.text, language))
                for index, option in enumerate(variant.options())
            ],
            positions=[
                Position(number=number, selected=chosen[number - 1] if number <= len(chosen) else "")
                for number in range(1, len(self.options) + 1)
            ],
            placed=[
                PlacedStep(id=step, text=self._text(step, language), ok=index < len(right) and step == right[index])
                for index, step in enumerate(chosen if graded is not None else [])
            ],
            right_order=[self._text(step, language) for step in right if self.option(step)],
        )

    def _text(self, step: str, language: str) -> str:
        option = self.option(step)
        return in_language(option.text, language) if option is not None else ""
