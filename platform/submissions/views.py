from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog.selectors import exercise_get_active
from config.ratelimit import limit_per_user
from graders.verdict import Verdict
from submissions.selectors import submission_staff_can_see, submission_visible_to, submissions_for
from submissions.services import submission_create


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def verdict_context(request, submission) -> dict:
    """What the verdict panel shows: hidden case details only for operators and the course's staff."""
    verdict = None
    if submission is not None and submission.verdict:
        verdict = Verdict.from_dict(submission.verdict)
        if not submission_staff_can_see(user=request.user, submission=submission):
            verdict = verdict.public()
    return {"submission": submission, "verdict": verdict, "language": request.LANGUAGE_CODE}


@login_required
@require_POST
@limit_per_user("SUBMIT_RATE")
def submission_create_view(request, slug: str):
    exercise = exercise_get_active(slug=slug)
    if exercise is None:
        raise Http404("No such exercise")
    source = request.POST.get("source", "")
    assignment_id = request.POST.get("assignment") or None
    try:
        assignment = None
        if assignment_id is not None:
            from courses.selectors import assignment_get_for_submission

            assignment = assignment_get_for_submission(assignment_id=assignment_id)
            if assignment is None:
                raise ValidationError(
                    _("This assignment does not exist (any more); open the exercise from your course.")
                )
        submission = submission_create(user=request.user, exercise=exercise, source=source, assignment=assignment)
    except ValidationError as error:
        if _is_htmx(request):
            return render(request, "submissions/_verdict.html", {"error": error.messages[0], "submission": None})
        return render(
            request,
            "catalog/exercise_detail.html",
            {
                "exercise": exercise,
                "title": exercise.title(request.LANGUAGE_CODE),
                "statement_html": exercise.statement_html(request.LANGUAGE_CODE),
                "source": source,
                "error": error.messages[0],
                "history": list(submissions_for(user=request.user, exercise=exercise)[:20]),
                "assignment_id": assignment_id,
            },
            status=400,
        )
    if _is_htmx(request):
        response = render(request, "submissions/_verdict.html", verdict_context(request, submission))
        response["HX-Trigger"] = "submission-changed"
        return response
    if assignment is not None:
        return redirect(f"{reverse('catalog:exercise-detail', args=[slug])}?assignment={assignment.pk}")
    return redirect("catalog:exercise-detail", slug=slug)


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
    exercise = exercise_get_active(slug=slug)
    if exercise is None:
        raise Http404("No such exercise")
    assignment = None
    if request.GET.get("assignment"):
        from courses.selectors import assignment_get_for_submission

        assignment = assignment_get_for_submission(assignment_id=request.GET["assignment"])
    history = submissions_for(user=request.user, exercise=exercise, assignment=assignment)[:20]
    return render(request, "submissions/_history.html", {"history": history, "exercise": exercise})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
