from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self) -> None:
        # Submissions and quiz tries count for assignments through these: the apps below courses
        # call them and never import courses.
        from courses.hooks import QuizAttemptCredit, SubmissionCredit
        from quizzes.hooks import quiz_credit_policy_register
        from submissions.hooks import credit_policy_register

        credit_policy_register(SubmissionCredit())
        quiz_credit_policy_register(QuizAttemptCredit())
