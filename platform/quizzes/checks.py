"""Start-up check: report bad quiz bundles (path and reason), like the exercise bundle check."""

from django.core.checks import Warning, register

from graders.quiz import discover_quizzes
from quizzes.conf import quizzes_dir


@register()
def check_quiz_bundles(app_configs, **kwargs):

    root = quizzes_dir()
    if not root.is_dir():
        return [Warning(f"quiz folder {root} does not exist", id="quizzes.W002")]
    _bundles, errors = discover_quizzes(root)
    return [Warning(f"bad quiz bundle {err.path}: {err.reason}", id="quizzes.W001") for err in errors]
