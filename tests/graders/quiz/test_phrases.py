"""Quiz phrases: every one renders in English; a translation that does not fit falls back to English."""

from __future__ import annotations

import string

import pytest

from graders.quiz import AnswerError, render, say
from graders.quiz.phrases import PHRASES, QuizPhrase


def placeholders(template: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)


@pytest.mark.parametrize("code", PHRASES)
def test_every_phrase_renders_in_english(code):
    args = {name: f"<{name}>" for name in placeholders(PHRASES[code])}
    text = render(say(code, **args))
    assert text and "{" not in text and all(value in text for value in args.values())


def test_an_unknown_code_or_missing_argument_fails_where_it_is_written():
    with pytest.raises(ValueError, match="unknown quiz phrase"):
        say("no_such_phrase")
    with pytest.raises(KeyError):
        say("steps_used_twice")


def test_a_broken_translation_falls_back_to_english():
    phrase = say("steps_used_twice", steps="a, b")
    assert (
        render(phrase, lambda template: "重复了：{stepz}") == "Use every step exactly once (used more than once: a, b)."
    )
    assert render(phrase, lambda template: "重复了：{steps}") == "重复了：a, b"


def test_an_answer_error_reads_in_english_and_keeps_its_phrase():
    error = AnswerError(say("not_a_number", shown="four"), tampered=False)
    assert str(error) == "“four” is not a number: enter a number such as 4, -0.25 or 1e-3."
    assert error.phrase == QuizPhrase("not_a_number", {"shown": "four"}) and not error.tampered
