"""A quiz question, the interface every question type implements, and one student's variant of it.

A question type is a subclass of Question in graders/quiz/types/, registered in
graders/quiz/registry.py. It declares the keys its ``[[questions]]`` table takes beside the common
ones (``fields``), and implements:

- ``validate``: build the question from its table, or raise DefinitionError saying what is wrong;
- ``parse``: a student's raw form values to a normalized answer, or AnswerError saying what is wrong;
- ``grade``: the score of a parsed answer, by the question's partial-credit rule (``partial``);
- ``partial_rule``: that rule as the page states it;
- ``describe``: what its page partial (``template``) shows, before and after grading.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np

from graders.manifest import Field
from graders.quiz.errors import DefinitionError
from graders.quiz.language import in_language
from graders.quiz.phrases import QuizPhrase
from graders.quiz.values import fill

ALL_OR_NOTHING = "all-or-nothing"
MAX_RAW_CHARS = 64  # the longest value one form field may carry; anything longer is not from our form


@dataclass(frozen=True)
class Option:
    id: str
    text: dict[str, str]


@dataclass(frozen=True)
class Graded:
    """An answer as it was stored: what the student gave and what was right for their variant."""

    response: Any
    expected: Any


@dataclass(frozen=True, kw_only=True)
class Question(ABC):
    type: ClassVar[str]  # `type` in quiz.toml, and Question.qtype in the database
    label: ClassVar[str]  # the badge on the card, marked for translation
    template: ClassVar[str]  # the page partial that draws it: quizzes/types/<template>.html
    fields: ClassVar[Mapping[str, Field]]  # its own keys in [[questions]], beside the common ones
    partial_rules: ClassVar[tuple[str, ...]] = (ALL_OR_NOTHING,)  # the first is the default
    parameterizable: ClassVar[bool] = False  # may draw its numbers per student (`params`)

    uuid: str
    key: str
    prompt: dict[str, str]
    explanation: dict[str, str]
    options: tuple[Option, ...] = ()
    answer: Any = None  # the fixed answer; None when parameterized (each variant computes its own)
    params: str | None = None
    partial: str = ALL_OR_NOTHING
    weight: float = 1.0

    @property
    def parameterized(self) -> bool:
        return self.params is not None

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    @classmethod
    @abstractmethod
    def validate(cls, table: Mapping[str, Any], common: dict[str, Any]) -> Self:
        """The question from its table, whose keys and kinds the manifest schema has checked.

        ``common`` holds the common fields, already read (uuid, key, prompt, explanation, params,
        partial, weight): pass them on to the constructor.
        """

    @abstractmethod
    def parse(self, raw: list[str]) -> Any:
        """The normalized answer from a form field's values (strings of at most MAX_RAW_CHARS)."""

    @abstractmethod
    def grade(self, answer: Any, response: Any) -> float:
        """The score in [0, 1] of a parsed response against the variant's ``answer``; 1 means right."""

    def partial_rule(self) -> QuizPhrase | None:
        """The partial-credit rule as the page states it; None when a type has only one rule."""
        return None

    @abstractmethod
    def describe(self, variant: Variant, language: str, *, posted: Sequence[str], graded: Graded | None) -> Any:
        """What ``template`` shows: the form (keeping what was ``posted`` when it was refused) or the graded answer.

        Texts of the bundle come in ``language`` as Markdown; sentences of our own as phrases.
        """

    def display_order(self, rng: np.random.Generator) -> tuple[str, ...]:
        """The order the options are shown in for one variant."""
        return tuple(option.id for option in self.options)

    def check_drawn_answer(self, answer: Any) -> None:
        """Raise DefinitionError if params.py drew an answer this type cannot grade (parameterizable types)."""
        raise DefinitionError(f"a {self.type} question cannot be parameterized")


@dataclass(frozen=True)
class Variant:
    """One student's version of a question: its numbers, its answer and its display order."""

    question: Question
    seed: int
    inputs: dict[str, Any]  # the drawn numbers, JSON-ready
    values: dict[str, str]  # every placeholder, formatted for display
    answer: Any
    option_order: tuple[str, ...]

    def prompt(self, language: str) -> str:
        return fill(in_language(self.question.prompt, language), self.values)

    def explanation(self, language: str) -> str:
        return fill(in_language(self.question.explanation, language), self.values)

    def options(self) -> list[Option]:
        return [self.question.option(option_id) for option_id in self.option_order]
