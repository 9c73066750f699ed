"""Who may open an exercise that is not public: the extension point for the app that owns courses.

A course's own content (from its content repository) is listed only in that course. This app sits
at the bottom and never imports courses, so courses registers a policy in its AppConfig.ready();
until one is registered only staff may open content that is not public.
"""

from __future__ import annotations

from typing import Protocol


class ContentAccess(Protocol):
    def may_open(self, *, user, exercise) -> bool:
        """Whether ``user`` may open ``exercise``, which is not public."""

    def namespaces_for(self, *, user) -> list[str]:
        """The namespaces of the content ``user`` may open besides the public catalog."""


class _StaffOnly:
    def may_open(self, *, user, exercise) -> bool:
        return bool(getattr(user, "is_staff", False))

    def namespaces_for(self, *, user) -> list[str]:
        return []


_policy: ContentAccess = _StaffOnly()


def content_access_register(policy: ContentAccess) -> None:
    """Install the policy (once, from the owning app's ready()); a later registration replaces it."""
    global _policy
    _policy = policy


def content_access() -> ContentAccess:
    return _policy


def exercise_open_to(*, user, exercise) -> bool:
    return exercise.is_public or content_access().may_open(user=user, exercise=exercise)
