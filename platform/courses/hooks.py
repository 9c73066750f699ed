"""How courses plugs its credit rule into submissions and quizzes (registered in CoursesConfig.ready()).

Those apps sit below courses and never import it; they call these policies when work is stored
and when a page asks where work counts.
"""

from __future__ import annotations

from courses import credit, selectors


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
