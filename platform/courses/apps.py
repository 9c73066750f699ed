from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self) -> None:
        # Submissions and quiz tries count for assignments, and a course's own exercises and quizzes
        # open to its members, through these: the apps below courses call them and never import courses.
        from catalog.access import content_access_register
        from courses.hooks import CourseContentAccess, CourseQuizAccess, QuizAttemptCredit, SubmissionCredit
        from quizzes.access import quiz_access_register
        from quizzes.hooks import quiz_credit_policy_register
        from submissions.hooks import credit_policy_register

        credit_policy_register(SubmissionCredit())
        quiz_credit_policy_register(QuizAttemptCredit())
        content_access_register(CourseContentAccess())
        quiz_access_register(CourseQuizAccess())
