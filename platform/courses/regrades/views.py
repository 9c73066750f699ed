"""The regrade pages: pick an exercise, watch the workers, read the preview, apply, resume, discard, roll back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.access import INSTRUCTOR, course_context, course_view
from courses.forms import RegradeForm
from courses.models import Regrade
from courses.regrades import selectors as regrade_selectors
from courses.regrades import services


def _regrade_or_404(course, regrade_id: int) -> Regrade:
    regrade = (
        Regrade.objects.select_related("exercise", "created_by", "applied_by")
        .filter(course=course, pk=regrade_id)
        .first()
    )
    if regrade is None:
        raise Http404("No such regrade")
    return regrade


@course_view(INSTRUCTOR)
@require_GET
def regrade_list(request, course):
    candidates = regrade_selectors.regrade_candidates(course=course)
    return render(
        request,
        "courses/regrade_list.html",
        course_context(
            request,
            course,
            candidates=candidates,
            regrades=course.regrades.select_related("exercise", "created_by")[:50],
            form=RegradeForm(exercises=[c.exercise for c in candidates]),
        ),
    )


@course_view(INSTRUCTOR)
@require_POST
def regrade_create_view(request, course):
    form = RegradeForm(request.POST, exercises=regrade_selectors.course_exercises(course=course))
    if not form.is_valid():
        messages.error(request, _("Choose an exercise of this course."))
        return redirect("courses:regrade-list", course_id=course.pk)
    try:
        regrade = services.regrade_preview(
            course=course, exercise=form.cleaned_data["exercise"], requested_by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("courses:regrade-list", course_id=course.pk)
    return redirect("courses:regrade-detail", course_id=course.pk, regrade_id=regrade.pk)


def _regradecourse_context(request, course, regrade) -> dict:
    progress = regrade_selectors.regrade_progress(regrade=regrade)
    preview = None
    if regrade.status != Regrade.Status.PREVIEW or progress.complete:
        preview = regrade_selectors.regrade_preview_of(regrade=regrade)
    return course_context(request, course, regrade=regrade, progress=progress, preview=preview)


@course_view(INSTRUCTOR)
@require_GET
def regrade_detail(request, course, regrade_id: int):
    regrade = _regrade_or_404(course, regrade_id)
    return render(request, "courses/regrade_detail.html", _regradecourse_context(request, course, regrade))


@course_view(INSTRUCTOR)
@require_GET
def regrade_progress_view(request, course, regrade_id: int):
    regrade = _regrade_or_404(course, regrade_id)
    return render(request, "courses/_regrade_progress.html", _regradecourse_context(request, course, regrade))


def _regrade_action(request, course, regrade_id: int, action):
    regrade = _regrade_or_404(course, regrade_id)
    try:
        message = action(regrade)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, message)
    return redirect("courses:regrade-detail", course_id=course.pk, regrade_id=regrade.pk)


@course_view(INSTRUCTOR)
@require_POST
def regrade_apply_view(request, course, regrade_id: int):
    def apply(regrade):
        count = services.regrade_apply(regrade=regrade, applied_by=request.user)
        return _("Applied: %(n)s submissions have their new verdict; the old ones are kept.") % {"n": count}

    return _regrade_action(request, course, regrade_id, apply)


@course_view(INSTRUCTOR)
@require_POST
def regrade_resume_view(request, course, regrade_id: int):
    def resume(regrade):
        return _("Resumed: %(n)s submissions sent to the workers again.") % {
            "n": services.regrade_resume(regrade=regrade)
        }

    return _regrade_action(request, course, regrade_id, resume)


@course_view(INSTRUCTOR)
@require_POST
def regrade_discard_view(request, course, regrade_id: int):
    def discard(regrade):
        services.regrade_discard(regrade=regrade)
        return _("Discarded: nothing changed for students.")

    return _regrade_action(request, course, regrade_id, discard)


@course_view(INSTRUCTOR)
@require_POST
def regrade_rollback_view(request, course, regrade_id: int):
    def rollback(regrade):
        count = services.regrade_rollback(regrade=regrade)
        return _("Rolled back: %(n)s submissions have their verdict from before the regrade.") % {"n": count}

    return _regrade_action(request, course, regrade_id, rollback)
