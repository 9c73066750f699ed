"""Which text of a bundle a page shows: authors write every text in English and Chinese.

This is for bundle content only (titles, prompts, options, explanations). What the platform says
itself, feedback included, goes through gettext (graders/quiz/phrases.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graders.bundle import TOPICS
from graders.quiz.errors import DefinitionError

LANGUAGES = ("en", "zh")  # the first is the fallback


def bundle_language(language: str) -> str:
    """The bundle language for a page's language code: "zh-hans" reads "zh"; one no bundle has reads "en"."""
    primary = re.split(r"[-_]", language.lower(), maxsplit=1)[0]
    return primary if primary in LANGUAGES else LANGUAGES[0]


def in_language(texts: Mapping[str, str], language: str) -> str:
    return texts[bundle_language(language)]


def topic_name(topic: str, language: str) -> str:
    names = TOPICS.get(topic, (topic,) * len(LANGUAGES))
    return in_language(dict(zip(LANGUAGES, names, strict=True)), language)


def read_texts(value: object, what: str) -> dict[str, str]:
    """A text of the bundle in every language, stripped; DefinitionError when one is missing or empty."""
    if not isinstance(value, dict) or not all(
        isinstance(value.get(language), str) and value[language].strip() for language in LANGUAGES
    ):
        raise DefinitionError(f"{what} needs non-empty `en` and `zh` texts")
    return {language: value[language].strip() for language in LANGUAGES}
