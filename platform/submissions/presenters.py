"""What the submission panels show: a verdict as the viewer may see it, where work counted, how long it took."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils import timezone

from graders.engine import PRINTED_SHOWN_MAX
from graders.sandbox import Limits
from graders.verdict import Verdict
from submissions.hooks import CreditTarget, credit_policy
from submissions.models import Submission, Trial, public_seconds
from submissions.selectors import submission_queue_place, submission_staff_can_see, submissions_for

MAX_ID = 2**31 - 1


def assignment_id_from(value) -> int | None:
    """The assignment a page was opened for (``?assignment=`` or the form's field); 0 names none that exists."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= MAX_ID else 0


@dataclass(frozen=True)
class Timing:
    """Queue wait and grading time apart: a long queue is load, not the student's code."""

    queued_s: int | None  # whole seconds, only when the wait was noticeable
    grading_s: float | None  # to 0.1 s (public_seconds): finer would time the hidden cases


def timing_of(submission: Submission | None) -> Timing | None:
    if submission is None or submission.grading_s is None:
        return None
    wait = submission.queue_wait_s
    return Timing(
        queued_s=round(wait) if wait is not None and wait >= 1 else None,
        grading_s=public_seconds(submission.grading_s),
    )


def verdict_for(*, user, submission: Submission) -> Verdict | None:
    """The stored verdict as ``user`` may see it: whole for operators and the course's staff."""
    if not submission.verdict:
        return None
    verdict = Verdict.from_dict(submission.verdict)
    return verdict if submission_staff_can_see(user=user, submission=submission) else verdict.public()


@dataclass(frozen=True)
class LabPlot:
    """One visible case's plot of the exploding-gradient lab (graders/gradients.py, lab_details)."""

    key: str  # the id of its data's json_script
    case: str
    description: str
    spectral_radius: str
    data: dict


def lab_plots(verdict: Verdict | None, language: str) -> list[LabPlot]:
    """The plots of the verdict's visible cases. Only a visible case carries one: its numbers come
    from a run that never held a hidden input (the trust rule), and a public verdict has no others."""
    if verdict is None:
        return []
    plots = []
    for case in verdict.cases:
        plot = case.details.get("plot") if not case.hidden else None
        if not isinstance(plot, dict) or plot.get("kind") != "gradient_norms":
            continue
        zh = language.startswith("zh") and case.details.get("description_zh")
        description = case.details.get("description_zh") if zh else case.details.get("description", "")
        key = f"lab-plot-{len(plots) + 1}"
        plots.append(LabPlot(key, case.name, description or "", str(plot.get("spectral_radius", "")), plot))
    return plots


def verdict_context(request, submission: Submission | None) -> dict:
    """The verdict panel: hidden case details only for operators and the course's staff, and where it counted."""
    verdict = verdict_for(user=request.user, submission=submission) if submission is not None else None
    notes = []
    if submission is not None:
        notes = credit_policy().notes(submission_ids=[submission.pk]).get(submission.pk, [])
    return {
        "submission": submission,
        "verdict": verdict,
        "language": request.LANGUAGE_CODE,
        "credit_notes": notes,
        "timing": timing_of(submission),
        "lab_plots": lab_plots(verdict, request.LANGUAGE_CODE),
        "queue_place": queue_place_of(submission),
    }


def queue_place_of(submission: Submission | None) -> dict | None:
    """A waiting submission's place in the queue and estimated wait, as the panel says them."""
    if submission is None or submission.status != Submission.Status.QUEUED:
        return None
    place = submission_queue_place(submission=submission)
    wait = None if place.wait_s is None else max(1, math.ceil(place.wait_s))
    return {"position": place.position, "wait_s": wait, "wait_min": None if wait is None else math.ceil(wait / 60)}


def with_credit_notes(submissions: list[Submission]) -> list[Submission]:
    """Attach ``credit_notes`` (what each counted for) to a page of submissions, in one lookup."""
    notes = credit_policy().notes(submission_ids=[s.pk for s in submissions])
    for submission in submissions:
        submission.credit_notes = notes.get(submission.pk, [])
    return submissions


def exercise_history(*, user, exercise) -> list[Submission]:
    return with_credit_notes(list(submissions_for(user=user, exercise=exercise)[:20]))


def credit_targets(*, user, exercise, assignment_id: int | None = None) -> list[CreditTarget]:
    """Where a submission of ``exercise`` made now would count (and the page's own assignment, in any state)."""
    targets = credit_policy().targets(user=user, exercise_ids=[exercise.pk], assignment_id=assignment_id)
    return targets.get(exercise.pk, [])


# A Run that has not finished by then was lost (a worker died, the broker lost it): say so and stop polling.
TRIAL_GIVE_UP_S = 90


def trial_context(trial: Trial | None) -> dict:
    """What the Run panel shows: the trial's verdict (never public-filtered: a Run holds no hidden case)."""
    if trial is None:
        return {"trial": None}
    verdict = Verdict.from_dict(trial.result) if trial.result else None
    lost = not trial.is_final and (timezone.now() - trial.created_at).total_seconds() > TRIAL_GIVE_UP_S
    visible = [case for case in verdict.cases if not case.details.get("own")] if verdict else []
    return {
        "trial": trial,
        "own_cases": trial.own_cases,
        "trial_verdict": verdict,
        "trial_lost": lost,
        "trial_visible_passed": sum(case.passed for case in visible),
        "trial_visible_total": len(visible),
    }


@dataclass(frozen=True)
class CodeRules:
    """What a statement says up front: what the code may import, what print and the time limits do."""

    case_s: float
    all_cases_s: float
    memory_mib: int
    printed_chars: int
    output_kib: int


def code_rules(exercise) -> CodeRules:
    limits = Limits(time_s=exercise.time_limit_s, memory_mib=exercise.memory_limit_mib)
    return CodeRules(
        case_s=exercise.time_limit_s,
        all_cases_s=limits.submission_budget_s,
        memory_mib=exercise.memory_limit_mib,
        printed_chars=PRINTED_SHOWN_MAX,
        output_kib=limits.output_bytes // 1024,
    )
