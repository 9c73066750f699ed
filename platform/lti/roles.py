"""LMS roles as dlgrade course roles.

Context roles decide (LTI 1.3 sends full URIs; simple names like "Learner" are the deprecated short
form). Instructor -> instructor, its TeachingAssistant sub-role -> TA, ContentDeveloper (a course
designer) -> TA, context Administrator -> instructor, Learner -> student. Mentors and observers,
and users with only institution or system roles, get no course role: dlgrade has no read-only
member, and an LMS administrator passing through a course is not its teacher.
"""

from __future__ import annotations

from courses.models import Membership

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
MEMBERSHIP_SUB = "http://purl.imsglobal.org/vocab/lis/v2/membership/"


def _normalized(role: str) -> str:
    role = role.strip()
    if role and "/" not in role and ":" not in role:
        return MEMBERSHIP + role
    return role


def course_role(roles: list[str] | None) -> str | None:
    """The dlgrade course role for an LMS user's roles in one context, or None when they have none here."""
    found = {_normalized(role) for role in roles or () if isinstance(role, str)}
    if MEMBERSHIP_SUB + "Instructor#TeachingAssistant" in found or MEMBERSHIP + "TeachingAssistant" in found:
        return Membership.Role.TA
    if MEMBERSHIP + "Instructor" in found or MEMBERSHIP + "Administrator" in found:
        return Membership.Role.INSTRUCTOR
    if MEMBERSHIP + "ContentDeveloper" in found:
        return Membership.Role.TA
    if MEMBERSHIP + "Learner" in found:
        return Membership.Role.STUDENT
    return None
