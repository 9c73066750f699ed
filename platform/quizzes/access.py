"""Who may open a quiz that is not public: the extension point for the app that owns courses.

A course's own quiz (from its content repository) opens only to that course's members. This app
sits below courses and never imports it, so courses registers a policy in its AppConfig.ready()
(as for catalog/access.py); until one is registered only staff may open a quiz that is not public.
"""

from __future__ import annotations

from typing import Protocol

from django.db.models import Q


class QuizAccess(Protocol):
    def may_open(self, *, user, quiz) -> bool:
        """Whether ``user`` may open ``quiz``, which is not public."""

    def namespaces_for(self, *, user) -> list[str]:
        """The namespaces of the quizzes ``user`` may open besides the public ones."""


class _StaffOnly:
    def may_open(self, *, user, quiz) -> bool:
        return bool(getattr(user, "is_staff", False))

    def namespaces_for(self, *, user) -> list[str]:
        return []


_policy: QuizAccess = _StaffOnly()


def quiz_access_register(policy: QuizAccess) -> None:
    """Install the policy (once, from the owning app's ready()); a later registration replaces it."""
    global _policy
    _policy = policy


def quiz_access() -> QuizAccess:
    return _policy


def quiz_open_to(*, user, quiz) -> bool:
    return quiz.is_public or quiz_access().may_open(user=user, quiz=quiz)


def visible_to(user) -> Q:
    """The quizzes ``user`` may see listed: the public ones and those of the namespaces the policy names."""
    return Q(is_public=True) | Q(namespace__in=quiz_access().namespaces_for(user=user))
