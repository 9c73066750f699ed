"""Quizzes: load and validate quiz bundles, parse and grade answers. Pure Python, no Django.

No student code runs, so there is no sandbox: a quiz is graded on the trusted side, on the spot.
Where things are: the loader (bundle.py), the question interface and variants (question.py), one
module per question type (types/), the list of types (registry.py), what quizzes say to students
(phrases.py), and the check of one answer (grading.py).
"""

from graders.quiz.bundle import (
    MIN_DISTINCT_VARIANTS,
    QuizBundle,
    discover_quizzes,
    load_quiz,
    load_quiz_cached,
    validate_quiz,
)
from graders.quiz.errors import AnswerError
from graders.quiz.grading import Result, grade, parse_response
from graders.quiz.phrases import QuizPhrase, render, say
from graders.quiz.question import Graded, Option, Question, Variant
from graders.quiz.registry import QUESTION_TYPES
from graders.quiz.types.numeric import Tolerance, parse_number

__all__ = [
    "MIN_DISTINCT_VARIANTS",
    "QUESTION_TYPES",
    "AnswerError",
    "Graded",
    "Option",
    "Question",
    "QuizBundle",
    "QuizPhrase",
    "Result",
    "Tolerance",
    "Variant",
    "discover_quizzes",
    "grade",
    "load_quiz",
    "load_quiz_cached",
    "parse_number",
    "parse_response",
    "render",
    "say",
    "validate_quiz",
]
