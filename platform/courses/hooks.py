"""How courses plugs its credit rule into submissions and quizzes (registered in CoursesConfig.ready()).

Those apps sit below courses and never import it; they call these policies when work is stored
and when a page asks where work counts.
"""

from __future__ import annotations

from courses import credit, selectors
from courses.content.selectors import course_namespace, course_of_namespace
from courses.models import Membership


class SubmissionCredit:
    def hold(self, *, user):
        credit.credit_hold_student(user=user)

    def judge_new(self, *, submission, assignment_id):
        credit.credit_judge_submission(submission=submission, assignment_id=assignment_id)

    def notes(self, *, submission_ids):
        return selectors.credit_notes_for(submission_ids=submission_ids)

    def targets(self, *, user, exercise_ids, assignment_id=None):
        return selectors.credit_targets_for(user=user, exercise_ids=exercise_ids, assignment_id=assignment_id)

    def reviews(self, *, user, submission):
        return selectors.user_reviews_submission(user=user, submission=submission)


class QuizAttemptCredit:
    def judge_new(self, *, attempt):
        credit.credit_judge_quiz_attempt(attempt=attempt)


def _may_open_namespace(user, namespace: str) -> bool:
    course_id = course_of_namespace(namespace)
    if course_id is None or not user.is_authenticated:
        return bool(getattr(user, "is_staff", False))
    return user.is_staff or Membership.objects.filter(course_id=course_id, user=user).exists()


def _namespaces_for(user) -> list[str]:
    if not user.is_authenticated:
        return []
    ids = Membership.objects.filter(user=user).values_list("course_id", flat=True)
    return [course_namespace(course_id) for course_id in ids]


class CourseContentAccess:
    """A course's own exercises open to its members (students and staff alike) and to site staff."""

    def may_open(self, *, user, exercise) -> bool:
        return _may_open_namespace(user, exercise.namespace)

    def namespaces_for(self, *, user) -> list[str]:
        return _namespaces_for(user)


class CourseQuizAccess:
    """A course's own quizzes, by the same rule as its exercises."""

    def may_open(self, *, user, quiz) -> bool:
        return _may_open_namespace(user, quiz.namespace)

    def namespaces_for(self, *, user) -> list[str]:
        return _namespaces_for(user)
