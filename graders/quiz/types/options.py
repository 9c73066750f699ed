"""What the question types with options share: reading the options, and showing them lettered."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graders.manifest import TEXT, Table, TableList
from graders.quiz.errors import DefinitionError
from graders.quiz.language import LANGUAGES, in_language, read_texts
from graders.quiz.phrases import QuizPhrase
from graders.quiz.question import Graded, Option, Variant

OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
OPTIONS = TableList(Table({"id": TEXT, **dict.fromkeys(LANGUAGES, TEXT)}, required=("id",)), label_key="id")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def read_options(raw: list[dict[str, Any]]) -> tuple[Option, ...]:
    options = []
    for table in raw:
        if not OPTION_ID.match(table["id"]):
            raise DefinitionError("every option needs an `id` of a-z, 0-9, _ and -")
        texts = {language: table.get(language) for language in LANGUAGES}
        options.append(Option(table["id"], read_texts(texts, f"option {table['id']!r}")))
    ids = [option.id for option in options]
    if len(set(ids)) != len(ids):
        raise DefinitionError("option ids must be unique")
    if len(options) > len(LETTERS):
        raise DefinitionError(f"at most {len(LETTERS)} options")
    return tuple(options)


def as_list(value: Any) -> list[Any]:
    """A stored response or answer as a list: one id, or a list of them (answers stored before a type changed too)."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


@dataclass(frozen=True)
class ShownOption:
    id: str
    letter: str
    text: str  # Markdown, in the reader's language
    checked: bool = False  # ticked by the student (in the form, or in the graded answer)
    is_answer: bool = False  # part of the right answer (known after grading only)


@dataclass(frozen=True)
class ChoiceView:
    """The page of a choice question: lettered options, radio buttons or, when ``several``, checkboxes."""

    options: list[ShownOption]
    several: bool
    hint: QuizPhrase | None = None


def describe_choices(
    variant: Variant,
    language: str,
    *,
    posted: Sequence[str],
    graded: Graded | None,
    several: bool,
    hint: QuizPhrase | None = None,
) -> ChoiceView:
    chosen = as_list(graded.response) if graded is not None else list(posted)
    right = set(as_list(graded.expected)) if graded is not None else set()
    return ChoiceView(
        options=[
            ShownOption(
                id=option.id,
                letter=LETTERS[index],
                text=in_language(option.text, language),
                checked=option.id in chosen,
                is_answer=option.id in right,
            )
            for index, option in enumerate(variant.options())
        ],
        several=several,
        hint=hint,
    )
