"""Who may open a course's pages: the decorator every course page (and the dashboards) use."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from courses import selectors

STAFF = "staff"
INSTRUCTOR = "instructor"
MEMBER = "member"


def course_view(level: str = MEMBER):
    """Resolve the course of the URL for a member: 404 for everyone else, 403 for a member without the role."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, course_id: int, *args, **kwargs):
            membership = selectors.membership_for(user=request.user, course_id=course_id)
            if membership is None:
                raise Http404("No such course")
            if level in (STAFF, INSTRUCTOR) and not membership.is_staff_role:
                raise PermissionDenied
            if level == INSTRUCTOR and not membership.is_instructor:
                raise PermissionDenied
            request.membership = membership
            # Deadlines on a course's pages, and those its forms take, are in the course's zone.
            with timezone.override(membership.course.zone):
                return view(request, membership.course, *args, **kwargs)

        return wrapper

    return decorator


def course_context(request, course, **extra) -> dict:
    """What every course page's template gets: the course and the viewer's membership."""
    return {"course": course, "membership": request.membership, "language": request.LANGUAGE_CODE, **extra}
