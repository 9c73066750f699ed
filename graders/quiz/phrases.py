"""What quizzes say to a student, as phrases: a code from PHRASES plus its arguments.

The same path as the grader's feedback (graders/feedback.py): graders/ renders a phrase in
English (``str()`` of an AnswerError, logs); the site renders it through gettext, so a Chinese
page gets the Chinese sentence. Arguments are strings, already formatted. The translations live
in the quizzes app's own catalog (platform/quizzes/locale), beside the quiz pages' strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def gettext_noop(text: str) -> str:
    """Mark a template for translation; graders/ does not import Django."""
    return text


PHRASES: dict[str, str] = {
    # An answer refused before it is graded.
    "form_changed": gettext_noop(
        "This answer does not match the question on the page (the form was changed). Reload the page and answer again."
    ),
    "enter_a_number": gettext_noop("Enter a number."),
    "one_number_only": gettext_noop("That answer is too long: enter one number."),
    "number_with_commas": gettext_noop(
        "“{shown}” is not a number here: write it without commas, with a dot for decimals, e.g. 1769472 or 0.75."
    ),
    "not_a_number": gettext_noop("“{shown}” is not a number: enter a number such as 4, -0.25 or 1e-3."),
    "not_finite": gettext_noop("Enter a finite number (not inf or NaN)."),
    "choose_one_option": gettext_noop("Choose one option."),
    "tick_at_least_one": gettext_noop("Tick at least one option: an empty answer is not graded."),
    "fill_every_position": gettext_noop("Fill every position with a step."),
    "steps_used_twice": gettext_noop("Use every step exactly once (used more than once: {steps})."),
    # Answers refused because of the try they belong to (the quizzes app decides these).
    "answer_a_question_first": gettext_noop("Answer a question first."),
    "answer_before_finishing": gettext_noop("Answer at least one question before you finish."),
    "page_out_of_date": gettext_noop(
        "This page is out of date: a try was finished or started in another tab. Reload the page to continue."
    ),
    "not_in_quiz": gettext_noop("This question is not part of the quiz (any more). Reload the page."),
    "already_answered": gettext_noop(
        "You already answered this question in this try. Start a new try to answer it again."
    ),
    "not_your_numbers": gettext_noop(
        "These numbers were not generated for you in this try (the form was changed or is from another student "
        "or an earlier try). Reload the page to get your own."
    ),
    "nothing_stored": gettext_noop("Nothing was stored: correct the answers marked below and send them again."),
    # What a question's card states.
    "exact_value": gettext_noop("exact value"),
    "within_abs": gettext_noop("accepted within ±{abs}"),
    "within_rel": gettext_noop("accepted within ±{rel} % (relative)"),
    "within_abs_and_rel": gettext_noop("accepted within ±{abs} + ±{rel} % (relative)"),
    "tick_every_option_that_applies": gettext_noop("Tick every option that applies."),
    "partial_proportional": gettext_noop(
        "Partial credit: with k correct and m wrong options, each correct option you tick earns 1/k, each wrong "
        "option you tick costs 1/m; the score never goes below 0."
    ),
    "partial_positions": gettext_noop("Partial credit: with n steps, each step in its correct position earns 1/n."),
    "all_or_nothing": gettext_noop("All or nothing: only the fully correct answer scores."),
}


@dataclass(frozen=True)
class QuizPhrase:
    code: str
    args: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Checked here so that a wrong code or argument fails where it is written, not on a page.
        if self.code not in PHRASES:
            raise ValueError(f"unknown quiz phrase {self.code!r}")
        PHRASES[self.code].format_map(self.args)


def say(code: str, /, **args: str) -> QuizPhrase:
    return QuizPhrase(code, args)


def render(phrase: QuizPhrase, translate: Callable[[str], str] = gettext_noop) -> str:
    """The phrase as a sentence; ``translate`` maps the English template to the reader's language."""
    template = PHRASES[phrase.code]
    try:
        return translate(template).format_map(phrase.args)
    except (KeyError, IndexError, ValueError, AttributeError):
        return template.format_map(phrase.args)  # a broken translation: English rather than nothing
