"""Reads for LTI: which LMS origins may frame dlgrade, what a course's LMS link looks like, scores owed."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.cache import cache
from lti_tool.models import LtiRegistration

from lti.models import AssignmentLink, CourseLink, ScoreSend

ORIGINS_CACHE_KEY = "lti:frame-origins"


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of a URL, or None for anything but http(s)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def registration_origins(registration: LtiRegistration) -> list[str]:
    """Where a registered LMS shows its pages: its issuer and its sign-in endpoint (they differ in hosted Canvas)."""
    return sorted({o for o in (origin_of(registration.issuer), origin_of(registration.auth_url)) if o})


def registered_origins() -> list[str]:
    """Every active registration's origins: the only sites that may frame dlgrade's LTI pages."""
    origins = cache.get(ORIGINS_CACHE_KEY)
    if origins is None:
        origins = sorted({o for r in LtiRegistration.objects.active() for o in registration_origins(r)})
        cache.set(ORIGINS_CACHE_KEY, origins, 60)
    return origins


def course_link_of(*, course) -> CourseLink | None:
    return (
        CourseLink.objects.select_related("context__deployment__registration")
        .filter(course=course)
        .order_by("-created_at")
        .first()
    )


@dataclass
class ScoreRow:
    user: object
    cells: list[ScoreSend | None]


@dataclass
class ScoreTable:
    links: list[AssignmentLink]
    rows: list[ScoreRow]
    owed: int


def score_table(*, course_link: CourseLink) -> ScoreTable:
    """Per student and placed assignment: the score owed to the LMS and whether it got there."""
    links = list(course_link.assignment_links.select_related("assignment").order_by("assignment__due_at", "pk"))
    scores = list(
        ScoreSend.objects.filter(link__in=links).select_related("user").order_by("user__last_name", "user__username")
    )
    by_user: dict[int, dict[int, ScoreSend]] = {}
    users = {}
    for score in scores:
        by_user.setdefault(score.user_id, {})[score.link_id] = score
        users[score.user_id] = score.user
    rows = [ScoreRow(user=users[uid], cells=[by_user[uid].get(link.pk) for link in links]) for uid in users]
    owed = sum(1 for score in scores if score.status != ScoreSend.Status.SENT)
    return ScoreTable(links=links, rows=rows, owed=owed)
