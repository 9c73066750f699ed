"""Where quiz tries count: the extension point through which the app that owns assignments plugs in.

courses imports quizzes (an assignment item can be a quiz), so quizzes never imports courses; a
finished try is judged by the assignments it may count for through the policy registered here, in
the transaction that stores the try. Without one, tries count for nothing.
"""

from __future__ import annotations

from typing import Protocol


class QuizCreditPolicy(Protocol):
    def judge_new(self, *, attempt) -> None:
        """Record what a just-finished QuizAttempt counts for. A try is never refused: it is already taken."""


class _NoCredit:
    def judge_new(self, *, attempt) -> None:
        return None


_policy: QuizCreditPolicy = _NoCredit()


def quiz_credit_policy_register(policy: QuizCreditPolicy) -> None:
    """Install the policy (once, from the owning app's ready()); a later registration replaces it."""
    global _policy
    _policy = policy


def quiz_credit_policy() -> QuizCreditPolicy:
    return _policy
