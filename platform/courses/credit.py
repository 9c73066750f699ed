"""The assignment-credit rule: what each submission and quiz try counts for (docs/architecture.md)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from courses.models import (
    Assignment,
    AssignmentCredit,
    Course,
    Extension,
    Membership,
)
from courses.policy import NO_ATTEMPTS_LEFT, Deadline, Lateness, Prior, Refusal, in_window, limit_refusal, local_time
from courses.selectors import counted_priors, submission_prior
from quizzes.models import QuizAttempt
from submissions.models import Submission

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Work:
    """A submission or a finished quiz try, as the credit rule sees it."""

    user_id: int
    key: str  # the assignment item it is for: "exercise:<id>" or "quiz:<id>"
    at: datetime  # its own created_at: the only time the rule ever looks at
    prior: Prior  # how it weighs on the attempt limit and the interval, if it counts
    submission_id: int | None = None
    quiz_attempt_id: int | None = None

    @property
    def ref(self) -> tuple[int | None, int | None]:
        return (self.submission_id, self.quiz_attempt_id)


def _submission_work(submission_id, user_id, exercise_id, created_at, status) -> Work:
    return Work(
        user_id=user_id,
        key=f"exercise:{exercise_id}",
        at=created_at,
        submission_id=submission_id,
        prior=submission_prior(created_at, status),
    )


def _quiz_work(attempt_id, user_id, quiz_id, created_at) -> Work:
    return Work(
        user_id=user_id, key=f"quiz:{quiz_id}", at=created_at, quiz_attempt_id=attempt_id, prior=Prior(created_at, True)
    )


@dataclass(frozen=True)
class Decision:
    """A credit row's values, or why the work has none (outside the window)."""

    lateness: Lateness
    refusal: Refusal

    @property
    def counts_at_all(self) -> bool:
        return in_window(self.lateness)

    FIELDS = ("counted", "not_counted_reason", "is_late", "late_days", "late_penalty", "extension_applied")

    def fields(self) -> dict:
        return {
            "counted": not self.refusal,
            "not_counted_reason": self.refusal.reason,
            "is_late": self.lateness.is_late,
            "late_days": self.lateness.days_late,
            "late_penalty": self.lateness.penalty,
            "extension_applied": self.lateness.extension_applied,
        }


def _decide(assignment: Assignment, deadline: Deadline, work: Work, earlier: list[Prior]) -> Decision:
    """Judge work by its own time against one student's window and the attempts that counted before it."""
    lateness = deadline.judge(work.at)
    if not in_window(lateness):
        return Decision(lateness, Refusal())
    refusal = limit_refusal(
        max_attempts=assignment.max_attempts, min_interval_s=assignment.min_interval_s, earlier=earlier, at=work.at
    )
    return Decision(lateness, refusal)


def _credit_row(assignment: Assignment, work: Work, decision: Decision) -> AssignmentCredit:
    return AssignmentCredit(
        assignment=assignment,
        user_id=work.user_id,
        submission_id=work.submission_id,
        quiz_attempt_id=work.quiz_attempt_id,
        **decision.fields(),
    )


def _counting_assignments(*, course_ids, key: str, at: datetime) -> list[Assignment]:
    """Assignments of these courses that hold the item and existed (counted work) at ``at``."""
    kind, _sep, pk = key.partition(":")
    return list(
        Assignment.objects.filter(course_id__in=course_ids, counts_from__lte=at, **{f"items__{kind}_id": int(pk)})
        .distinct()
        .order_by("due_at", "id")
    )


def _window_refusal(assignment: Assignment, deadline: Deadline, lateness: Lateness) -> ValidationError:
    if lateness.before_open:
        return ValidationError(
            _("This assignment opens on %(opens)s; submit again then.") % {"opens": local_time(assignment.opens_at)}
        )
    if deadline.cutoff_at == deadline.due_at:
        return ValidationError(
            _("This assignment was due on %(due)s and does not accept late submissions.")
            % {"due": local_time(deadline.due_at)}
        )
    return ValidationError(
        _("The cut-off for this assignment was %(cutoff)s; submissions are no longer accepted.")
        % {"cutoff": local_time(deadline.cutoff_at)}
    )


def _limit_refusal(assignment: Assignment, refusal: Refusal) -> ValidationError:
    if refusal.reason == NO_ATTEMPTS_LEFT:
        return ValidationError(
            _("You have used all %(n)s attempts at this exercise for this assignment.") % {"n": assignment.max_attempts}
        )
    return ValidationError(
        _("Please wait %(wait)s s before submitting again: this assignment allows one submission every %(interval)s s.")
        % {"wait": refusal.wait_s, "interval": assignment.min_interval_s}
    )


def credit_hold_student(*, user) -> dict[int, Membership]:
    """Lock the student's memberships until the transaction ends, and return them by course.

    Serializes one student's new work: two submissions at once must not both take the last attempt.
    Taken again (a no-op) when the work is judged; submissions take it before storing the row.
    """
    return {m.course_id: m for m in Membership.objects.select_for_update().filter(user=user)}


def _credit_new_work(*, user, work: Work, target: Assignment | None = None) -> list[AssignmentCredit]:
    """Write what new work counts for: every assignment of the student's courses open for them at its time.

    With a ``target`` (the assignment whose page it was sent from) the work must count there, else
    ValidationError says why and nothing is written. Call inside the transaction that stored it.
    """
    memberships = credit_hold_student(user=user)
    student_courses = [course_id for course_id, m in memberships.items() if not m.is_staff_role]
    assignments = _counting_assignments(course_ids=student_courses, key=work.key, at=work.at)
    if target is not None and target.pk not in {a.pk for a in assignments}:
        assignments.append(target)  # made before it could count: judged below only to say why
    extensions = {e.assignment_id: e for e in Extension.objects.filter(assignment__in=assignments, user=user)}
    earlier = counted_priors(assignments=assignments, user_id=user.pk)  # the new work has no row yet
    rows = []
    for assignment in assignments:
        deadline = assignment.deadline_for(extensions.get(assignment.pk))
        decision = _decide(assignment, deadline, work, earlier.get((assignment.pk, work.key), []))
        if target is not None and assignment.pk == target.pk:
            if not decision.counts_at_all or work.at < assignment.counts_from:
                raise _window_refusal(assignment, deadline, decision.lateness)
            if decision.refusal:
                raise _limit_refusal(assignment, decision.refusal)
        if decision.counts_at_all:
            rows.append(_credit_row(assignment, work, decision))
    return AssignmentCredit.objects.bulk_create(rows)


def credit_judge_submission(*, submission: Submission, assignment_id: int | None) -> list[AssignmentCredit]:
    """The credit policy for a just-stored submission (registered with submissions in CoursesConfig.ready()).

    ``assignment_id`` is the assignment whose page it was sent from: refused (ValidationError) if
    the student is not in its course, it does not hold the exercise, or it could not count there.
    Course staff trying their own assignment are never refused and earn no credit.
    """
    target = None
    if assignment_id is not None:
        target = Assignment.objects.filter(pk=assignment_id).first()
        if target is None:
            raise ValidationError(_("This assignment does not exist (any more); open the exercise from your course."))
        membership = Membership.objects.filter(course=target.course_id, user=submission.user_id).first()
        if membership is None:
            raise ValidationError(_("You are not enrolled in the course of this assignment."))
        if not target.items.filter(exercise=submission.exercise_id).exists():
            raise ValidationError(_("This exercise is not part of this assignment."))
        if membership.is_staff_role:
            target = None  # staff try their own assignment: no window, no limits, no credit
    work = _submission_work(
        submission.pk, submission.user_id, submission.exercise_id, submission.created_at, submission.status
    )
    return _credit_new_work(user=submission.user, work=work, target=target)


def credit_judge_quiz_attempt(*, attempt) -> list[AssignmentCredit]:
    """The credit policy for a just-finished quiz try: it counts wherever the rule says, never refused."""
    work = _quiz_work(attempt.pk, attempt.user_id, attempt.quiz_id, attempt.created_at)
    return _credit_new_work(user=attempt.user, work=work)


def _candidate_work(assignment: Assignment, user_ids: list[int]) -> list[Work]:
    """Work an assignment may count: on its items, made since ``counts_from`` or credited there before."""
    items = list(assignment.items.all())
    exercise_ids = [item.exercise_id for item in items if item.exercise_id]
    quiz_ids = [item.quiz_id for item in items if item.quiz_id]
    since = Q(created_at__gte=assignment.counts_from) | Q(assignment_credits__assignment=assignment)
    works = [
        _submission_work(*row)
        for row in Submission.objects.filter(since, user_id__in=user_ids, exercise_id__in=exercise_ids)
        .distinct()
        .values_list("id", "user_id", "exercise_id", "created_at", "status")
    ]
    works += [
        _quiz_work(*row)
        for row in QuizAttempt.objects.filter(since, user_id__in=user_ids, quiz_id__in=quiz_ids)
        .distinct()
        .values_list("id", "user_id", "quiz_id", "created_at")
    ]
    return works


def credit_sync(*, assignment: Assignment, user_ids: list[int] | None = None) -> int:
    """Judge again what counts for an assignment after its window, items, limits or extensions changed.

    The rule is the one applied when work is made, replayed in the order the work was made (so
    the attempt limit keeps the first attempts). Work made before ``counts_from`` is only ever
    re-marked: it gains no credit it did not have. Returns how many rows changed.
    """
    students = Membership.objects.filter(course=assignment.course_id, role=Membership.Role.STUDENT)
    if user_ids is not None:
        students = students.filter(user_id__in=user_ids)
    student_ids = list(students.values_list("user_id", flat=True))
    if not student_ids:
        return 0
    extensions = {e.user_id: e for e in assignment.extensions.filter(user_id__in=student_ids)}
    existing = {
        (row.submission_id, row.quiz_attempt_id): row
        for row in AssignmentCredit.objects.filter(assignment=assignment, user_id__in=student_ids)
    }
    by_item: dict[tuple[int, str], list[Work]] = defaultdict(list)
    for work in _candidate_work(assignment, student_ids):
        by_item[(work.user_id, work.key)].append(work)
    wanted: dict[tuple, Decision] = {}
    works: dict[tuple, Work] = {}
    for (user_id, _key), item_works in by_item.items():
        deadline = assignment.deadline_for(extensions.get(user_id))
        earlier: list[Prior] = []
        for work in sorted(item_works, key=lambda w: (w.at, w.submission_id or 0, w.quiz_attempt_id or 0)):
            decision = _decide(assignment, deadline, work, earlier)
            if not decision.counts_at_all:
                continue
            wanted[work.ref], works[work.ref] = decision, work
            if not decision.refusal:
                earlier.append(work.prior)
    gone = [row.pk for ref, row in existing.items() if ref not in wanted]
    new, changed = [], []
    for ref, decision in wanted.items():
        row = existing.get(ref)
        if row is None:
            new.append(_credit_row(assignment, works[ref], decision))
            continue
        fields = decision.fields()
        if any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            changed.append(row)
    AssignmentCredit.objects.filter(pk__in=gone).delete()
    AssignmentCredit.objects.bulk_create(new)
    AssignmentCredit.objects.bulk_update(changed, Decision.FIELDS)
    return len(gone) + len(new) + len(changed)


def credit_sync_member(*, course: Course, user_ids: list[int]) -> int:
    """A student who joins finds the work they made while the course's assignments were open counted."""
    return sum(credit_sync(assignment=a, user_ids=user_ids) for a in course.assignments.prefetch_related("items"))
