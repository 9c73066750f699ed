from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from catalog.selectors import exercise_get_active, exercise_groups
from submissions.hooks import credit_policy
from submissions.presenters import assignment_id_from
from submissions.selectors import progress_by_exercise
from submissions.views import exercise_page


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
    return render(request, "catalog/exercise_list.html", {"groups": groups, "solved": solved, "total": total})


@login_required
def exercise_detail(request, slug: str):
    exercise = exercise_get_active(slug=slug)
    if exercise is None:
        raise Http404("No such exercise")
    # Opened from an assignment: its box is shown whatever its state, and the form names it.
    return exercise_page(request, exercise, assignment_id=assignment_id_from(request.GET.get("assignment")))
