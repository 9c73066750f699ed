"""submissions (and quizzes, catalog) never import courses: courses plugs its credit rule in through hooks."""

from __future__ import annotations

import ast

import pytest
from django.urls import reverse

from submissions import hooks
from submissions.models import Submission
from submissions.services import submission_create
from tests.conftest import ROOT

BELOW_COURSES = ("catalog", "submissions", "quizzes")
ABOVE = ("courses", "dashboard", "api")
CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"


def imported_modules(path) -> set[str]:
    """Every module a file imports, function-local imports included."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", BELOW_COURSES)
def test_apps_below_courses_never_import_the_apps_above(app):
    offending = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path) if name.split(".")[0] in ABOVE)
        for path in (ROOT / "platform" / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_courses_registers_its_credit_policy_at_startup():
    from courses.hooks import QuizAttemptCredit, SubmissionCredit
    from quizzes.hooks import quiz_credit_policy

    assert isinstance(hooks.credit_policy(), SubmissionCredit)
    assert isinstance(quiz_credit_policy(), QuizAttemptCredit)


def test_without_a_policy_a_submission_is_kept_and_counts_nowhere(monkeypatch, client, student, relu_exercise):
    monkeypatch.setattr(hooks, "_policy", hooks._NoCredit())
    submission = submission_create(user=student, exercise=relu_exercise, source=CORRECT, assignment_id=12345)
    assert Submission.objects.get() == submission
    client.force_login(student)
    page = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    assert 'id="counts-for"' in page and "Counted for" not in page


def test_a_policy_registered_later_replaces_the_first(monkeypatch):
    monkeypatch.setattr(hooks, "_policy", hooks.credit_policy())
    replacement = hooks._NoCredit()
    hooks.credit_policy_register(replacement)
    assert hooks.credit_policy() is replacement
