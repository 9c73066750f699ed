"""Every quiz question type, in one place.

A new type is a module in graders/quiz/types/ (a Question subclass), its page partial
platform/quizzes/templates/quizzes/types/<template>.html, and a line here.
"""

from __future__ import annotations

from graders.quiz.question import Question
from graders.quiz.types.multiple import MultipleChoice
from graders.quiz.types.numeric import NumericQuestion
from graders.quiz.types.ordering import OrderingQuestion
from graders.quiz.types.single import SingleChoice

QUESTION_TYPES: dict[str, type[Question]] = {
    kind.type: kind for kind in (SingleChoice, MultipleChoice, NumericQuestion, OrderingQuestion)
}
