from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from catalog.selectors import exercise_get_active, exercise_groups
from submissions.selectors import progress_by_exercise, submissions_for
from submissions.views import verdict_context


@login_required
def exercise_list(request):
    groups = exercise_groups(language=request.LANGUAGE_CODE)
    progress = progress_by_exercise(user=request.user)
    for group in groups:
        for exercise in group.exercises:
            exercise.progress = progress.get(exercise.pk)
            exercise.display_title = exercise.title(request.LANGUAGE_CODE)
        group.solved = sum(1 for e in group.exercises if e.progress and e.progress["best"] == 1)
        group.percent = round(100 * group.solved / len(group.exercises))
    solved = sum(group.solved for group in groups)
    total = sum(len(group.exercises) for group in groups)
    return render(request, "catalog/exercise_list.html", {"groups": groups, "solved": solved, "total": total})


@login_required
def exercise_detail(request, slug: str):
    exercise = exercise_get_active(slug=slug)
    if exercise is None:
        raise Http404("No such exercise")
    assignment_view = None
    if request.GET.get("assignment"):  # opened from a course: submissions count for that assignment
        from courses.selectors import assignment_for_exercise

        assignment_view = assignment_for_exercise(
            user=request.user, assignment_id=request.GET["assignment"], exercise=exercise
        )
        if assignment_view is None:
            raise Http404("No such assignment")
    assignment = assignment_view.assignment if assignment_view else None
    history = list(submissions_for(user=request.user, exercise=exercise, assignment=assignment)[:20])
    latest = history[0] if history else None
    language = request.LANGUAGE_CODE
    return render(
        request,
        "catalog/exercise_detail.html",
        {
            **verdict_context(request, latest),  # the last verdict is back on reload
            "exercise": exercise,
            "title": exercise.title(language),
            "statement_html": exercise.statement_html(language),
            "source": latest.source if latest else exercise.starter_code,
            "history": history,
            "assignment_view": assignment_view,
        },
    )
