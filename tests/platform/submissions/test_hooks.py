"""submissions and quizzes never import courses (tests/platform/test_layers.py): courses plugs its credit rule in through hooks."""

from __future__ import annotations

from django.urls import reverse

from submissions import hooks
from submissions.models import Submission
from submissions.services import submission_create

CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"


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
