from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from catalog.selectors import exercise_get_active, exercise_groups
from config.ratelimit import limit_per_user
from submissions.hooks import credit_policy
from submissions.presenters import (
    assignment_id_from,
    code_rules,
    credit_targets,
    exercise_history,
    trial_context,
    verdict_context,
)
from submissions.selectors import latest_trial, progress_by_exercise, submission_visible_to, trial_of
from submissions.services import submission_create, trial_create


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _active_exercise_or_404(slug: str, user):
    exercise = exercise_get_active(slug=slug, user=user)
    if exercise is None:
        raise Http404("No such exercise")
    return exercise


@login_required
def exercise_list(request):
    groups = exercise_groups(language=request.LANGUAGE_CODE)
    progress = progress_by_exercise(user=request.user)
    exercise_ids = [exercise.pk for group in groups for exercise in group.exercises]
    targets = credit_policy().targets(user=request.user, exercise_ids=exercise_ids)
    for group in groups:
        for exercise in group.exercises:
            exercise.progress = progress.get(exercise.pk)
            exercise.display_title = exercise.title(request.LANGUAGE_CODE)
            exercise.counts_for = targets.get(exercise.pk, [])
        group.solved = sum(1 for e in group.exercises if e.progress and e.progress["best"] == 1)
        group.percent = round(100 * group.solved / len(group.exercises))
    solved = sum(group.solved for group in groups)
    total = sum(len(group.exercises) for group in groups)
    return render(request, "submissions/exercise_list.html", {"groups": groups, "solved": solved, "total": total})


@login_required
def exercise_detail(request, slug: str):
    exercise = _active_exercise_or_404(slug, request.user)
    # Opened from an assignment: its box is shown whatever its state, and the form names it.
    return exercise_page(request, exercise, assignment_id=assignment_id_from(request.GET.get("assignment")))


def exercise_page(request, exercise, *, assignment_id: int | None, source: str | None = None, error: str = ""):
    """The exercise page: statement, editor, where a submission counts, the last verdict, the history.

    ``assignment_id`` is the assignment it was opened from; a member of its course who cannot see
    it there (not in the course, or not an exercise of it) gets a 404, as before.
    """
    targets = credit_targets(user=request.user, exercise=exercise, assignment_id=assignment_id)
    if assignment_id is not None and not any(target.is_target for target in targets):
        raise Http404("No such assignment")
    history = exercise_history(user=request.user, exercise=exercise)
    latest = history[0] if history else None
    language = request.LANGUAGE_CODE
    context = {
        **verdict_context(request, None if error else latest),  # the last verdict is back on reload
        "exercise": exercise,
        "title": exercise.title(language),
        "statement_html": exercise.statement_html(language),
        "source": source if source is not None else (latest.source if latest else exercise.starter_code),
        "history": history,
        "targets": targets,
        "assignment_id": assignment_id,
        "error": error,
        **trial_context(latest_trial(user=request.user, exercise=exercise)),
        # Code, not prose: the form of a line Run reads (graders/case_text.py).
        "rules": code_rules(exercise),
        "own_case_example": f"{exercise.function_name}(np.array([[1.0, -2.0], [3.0, 4.0]]))",
    }
    return render(request, "submissions/exercise_detail.html", context, status=400 if error else 200)


@login_required
@require_POST
@limit_per_user("SUBMIT_RATE")
def submission_create_view(request, slug: str):
    exercise = _active_exercise_or_404(slug, request.user)
    source = request.POST.get("source", "")
    assignment_id = assignment_id_from(request.POST.get("assignment"))
    try:
        submission = submission_create(user=request.user, exercise=exercise, source=source, assignment_id=assignment_id)
    except ValidationError as error:
        if _is_htmx(request):
            return render(request, "submissions/_verdict.html", {"error": error.messages[0], "submission": None})
        try:
            return exercise_page(request, exercise, assignment_id=assignment_id, source=source, error=error.messages[0])
        except Http404:  # the assignment it was sent for is gone: say why on the plain exercise page
            return exercise_page(request, exercise, assignment_id=None, source=source, error=error.messages[0])
    if _is_htmx(request):
        response = render(request, "submissions/_verdict.html", verdict_context(request, submission))
        response["HX-Trigger"] = "submission-changed"
        return response
    if assignment_id is not None:
        return redirect(f"{reverse('exercises:detail', args=[slug])}?assignment={assignment_id}")
    return redirect("exercises:detail", slug=slug)


@login_required
@require_GET
def submission_panel_view(request, pk: int):
    submission = submission_visible_to(user=request.user, submission_id=pk)
    if submission is None:
        raise Http404("No such submission")
    response = render(request, "submissions/_verdict.html", verdict_context(request, submission))
    if submission.is_final and request.GET.get("polling"):
        response["HX-Trigger"] = "submission-changed"
    return response


@login_required
@require_GET
def submission_detail_view(request, pk: int):
    submission = submission_visible_to(user=request.user, submission_id=pk)
    if submission is None:
        raise Http404("No such submission")
    return render(request, "submissions/detail.html", verdict_context(request, submission))


@login_required
@require_GET
def submission_history_view(request, slug: str):
    exercise = _active_exercise_or_404(slug, request.user)
    history = exercise_history(user=request.user, exercise=exercise)
    context = {"history": history, "exercise": exercise, "title": exercise.title(request.LANGUAGE_CODE)}
    # The exercise page refreshes this fragment; opened directly, the address gets a whole page.
    template = "submissions/_history.html" if _is_htmx(request) else "submissions/history.html"
    return render(request, template, context)


@login_required
@require_GET
def submission_targets_view(request, slug: str):
    """The "Counts for" box of an exercise page, refreshed after each submission (attempts used, score)."""
    exercise = _active_exercise_or_404(slug, request.user)
    assignment_id = assignment_id_from(request.GET.get("assignment"))
    targets = credit_targets(user=request.user, exercise=exercise, assignment_id=assignment_id)
    return render(
        request,
        "submissions/_counts_for.html",
        {"targets": targets, "exercise": exercise, "assignment_id": assignment_id},
    )


@login_required
@require_POST
@limit_per_user("RUN_RATE")
def trial_create_view(request, slug: str):
    """Run: the visible cases and the student's own, in the same sandbox, never an attempt."""
    exercise = _active_exercise_or_404(slug, request.user)
    try:
        trial = trial_create(
            user=request.user,
            exercise=exercise,
            source=request.POST.get("source", ""),
            own_cases=request.POST.get("own_cases", ""),
        )
    except ValidationError as error:
        if _is_htmx(request):
            return render(request, "submissions/_trial.html", {"trial_error": error.messages[0]})
        return exercise_page(
            request, exercise, assignment_id=None, source=request.POST.get("source", ""), error=error.messages[0]
        )
    if _is_htmx(request):
        return render(request, "submissions/_trial.html", trial_context(trial))
    return redirect("exercises:detail", slug=slug)


@login_required
@require_GET
def trial_panel_view(request, pk: int):
    trial = trial_of(user=request.user, trial_id=pk)
    if trial is None:
        raise Http404("No such run")
    return render(request, "submissions/_trial.html", trial_context(trial))
