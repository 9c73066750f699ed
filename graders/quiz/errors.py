"""What can be wrong: a student's answer (AnswerError) or a question's definition in its bundle."""

from __future__ import annotations

from graders.quiz.phrases import QuizPhrase, render, say


class AnswerError(ValueError):
    """An answer that cannot be graded, and the phrase saying why. ``tampered`` marks input no honest form sends."""

    def __init__(self, phrase: QuizPhrase, *, tampered: bool = False) -> None:
        super().__init__(render(phrase))
        self.phrase = phrase
        self.tampered = tampered


def tampered_form() -> AnswerError:
    return AnswerError(say("form_changed"), tampered=True)


class DefinitionError(ValueError):
    """A question's table in quiz.toml is wrong; the loader adds the bundle and the question."""
