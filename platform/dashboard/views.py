from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.access import STAFF, course_view
from courses.selectors import assignment_get
from dashboard import selectors


def _titles() -> dict[str, str]:
    return {
        "completion": _("Completion by assignment"),
        "completion_x": _("students"),
        "completed": _("every item attempted"),
        "in_progress": _("in progress"),
        "not_started": _("not started"),
        "scores": _("Score distribution (students who started)"),
        # xgettext:no-python-format (a percent sign, not a placeholder)
        "scores_x": _("score, % of the points"),
        "scores_y": _("students"),
        "pass_rates": _("Pass rate per exercise"),
        "pass_rates_x": _("%"),
        # xgettext:no-python-format (a percent sign, not a placeholder)
        "solved": _("students who solved it, % of those who tried"),
        "submissions_full": _("submissions passing every case, %"),
        "failing_cases": _("Cases that fail most"),
        "failing_cases_x": _("failed submissions"),
        "mistakes": _("Mistakes detected most often"),
        "mistakes_x": _("submissions"),
        "timeline": _("Submissions per day"),
        "timeline_y": _("submissions"),
        "timeline_x": _("day"),
        "full": _("passed every case"),
        "other": _("other"),
    }


def _render(request, template: str, board, **extra):
    context = {
        "course": board.course,
        "membership": request.membership,
        "board": board,
        "chart_data": selectors.chart_data(board, _titles()),
        "stuck_min_attempts": selectors.STUCK_MIN_ATTEMPTS,
        "language": request.LANGUAGE_CODE,
        **extra,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "dashboard/_body.html", context)
    return render(request, template, context)


@login_required
@require_GET
def landing(request):
    """Where signing in leads: course staff to their dashboard, students to the exercises."""
    if selectors.staff_courses(user=request.user):
        return redirect("dashboard:home")  # straight on to the course when there is one
    return redirect("exercises:list")


@login_required
@require_GET
def dashboard_home(request):
    """The dashboards of every course the user teaches; straight to it when there is one."""
    courses = selectors.staff_courses(user=request.user)
    if len(courses) == 1:
        return redirect("dashboard:course", course_id=courses[0].pk)
    return render(request, "dashboard/home.html", {"courses": courses})


@course_view(STAFF)
@require_GET
def course_dashboard_view(request, course):
    board = selectors.course_dashboard(course=course, language=request.LANGUAGE_CODE)
    return _render(request, "dashboard/course.html", board, tab="dashboard")


@course_view(STAFF)
@require_GET
def assignment_dashboard_view(request, course, assignment_id: int):
    assignment = assignment_get(course=course, assignment_id=assignment_id)
    if assignment is None:
        raise Http404("No such assignment")
    board = selectors.assignment_dashboard(course=course, assignment=assignment, language=request.LANGUAGE_CODE)
    return _render(request, "dashboard/course.html", board, tab="dashboard")
