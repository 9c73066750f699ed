"""Reads for courses: who may see what, what counts where, scores as the policy counts them, regrades."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    Assignment,
    AssignmentCredit,
    AssignmentItem,
    Course,
    Extension,
    Membership,
)
from courses.policy import Attempt, Deadline, ItemScore, Prior, item_score, limit_refusal, window_state
from quizzes.models import QuizAttempt
from submissions.hooks import STAFF, CreditNote, CreditTarget
from submissions.models import Submission

# Submissions in these states use up an attempt: code that could not run and our own failures do not.
USES_AN_ATTEMPT = (Submission.Status.QUEUED, Submission.Status.RUNNING, Submission.Status.GRADED)

# --- membership and access ----------------------------------------------------------------------


def membership_for(*, user, course_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("course").filter(course_id=course_id, user=user).first()


def memberships_of(*, user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("course").order_by("course__title", "course_id"))


def user_teaches(*, user) -> bool:
    """Whether the user is an instructor or a TA of some course (shows them the dashboard link)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, role__in=Membership.STAFF_ROLES).exists()


def user_can_create_courses(*, user) -> bool:
    """Platform operators, and users an operator gave the "add course" permission (e.g. an Instructors group)."""
    return user.is_authenticated and (user.is_staff or user.has_perm("courses.add_course"))


def is_course_staff(*, user, course_id: int | None) -> bool:
    if course_id is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(course_id=course_id, user=user, role__in=Membership.STAFF_ROLES).exists()


def user_reviews_submission(*, user, submission: Submission) -> bool:
    """Whether ``user`` teaches a course the submission was judged for (sees its hidden cases and code)."""
    if not user.is_authenticated:
        return False
    staff_courses = Membership.objects.filter(user=user, role__in=Membership.STAFF_ROLES).values("course_id")
    return AssignmentCredit.objects.filter(submission=submission, assignment__course_id__in=staff_courses).exists()


def students_of(*, course: Course) -> list:
    memberships = (
        Membership.objects.filter(course=course, role=Membership.Role.STUDENT)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return [m.user for m in memberships]


def assignments_of(*, course: Course) -> list[Assignment]:
    items = AssignmentItem.objects.select_related("exercise", "quiz").order_by("order", "id")
    return list(course.assignments.prefetch_related(Prefetch("items", queryset=items)).order_by("due_at", "id"))


def assignment_get(*, course: Course, assignment_id: int) -> Assignment | None:
    items = AssignmentItem.objects.select_related("exercise", "quiz").order_by("order", "id")
    return course.assignments.prefetch_related(Prefetch("items", queryset=items)).filter(pk=assignment_id).first()


def deadline_of(*, assignment: Assignment, user) -> tuple[Deadline, Extension | None]:
    extension = Extension.objects.filter(assignment=assignment, user=user).first()
    return assignment.deadline_for(extension), extension


def course_submissions(*, course: Course) -> QuerySet[Submission]:
    """The submissions a course holds: those judged for one of its assignments (counted or kept from counting)."""
    judged = AssignmentCredit.objects.filter(assignment__course=course, submission__isnull=False)
    return Submission.objects.filter(pk__in=judged.values("submission_id"))


# --- scores -------------------------------------------------------------------------------------


@dataclass
class AssignmentScore:
    assignment: Assignment
    items: dict[str, ItemScore]
    extension: Extension | None = None

    @property
    def points(self) -> float:
        return round(sum(score.points for score in self.items.values()), 4)

    @property
    def max_points(self) -> float:
        return round(sum(score.max_points for score in self.items.values()), 4)

    @property
    def percent(self) -> float | None:
        return 100.0 * self.points / self.max_points if self.max_points else None

    @property
    def started(self) -> bool:
        return any(score.started for score in self.items.values())

    @property
    def completed(self) -> bool:
        return bool(self.items) and all(score.started for score in self.items.values())

    @property
    def is_late(self) -> bool:
        return any(score.is_late for score in self.items.values())


@dataclass
class GradebookRow:
    user: object
    cells: list[AssignmentScore]

    @property
    def total(self) -> float:
        return round(sum(cell.points for cell in self.cells), 4)

    @property
    def max_total(self) -> float:
        return round(sum(cell.max_points for cell in self.cells), 4)

    @property
    def percent(self) -> float | None:
        return 100.0 * self.total / self.max_total if self.max_total else None

    @property
    def started(self) -> bool:
        return any(cell.started for cell in self.cells)


@dataclass
class Gradebook:
    course: Course
    assignments: list[Assignment]
    rows: list[GradebookRow] = field(default_factory=list)

    @property
    def max_total(self) -> float:
        return round(sum(a.max_points for a in self.assignments), 4)


def submission_attempts(
    *,
    assignments: list[Assignment],
    user_ids: set[int] | None = None,
    override: dict[int, tuple[str, float | None]] | None = None,
) -> dict[tuple[int, int, str], list[Attempt]]:
    """Counted attempts by (assignment, user, item key): graded submissions and quiz tries that counted there.

    Every page that shows points (gradebook, CSV, dashboard, student pages, regrade previews) reads
    them here, from the credit rows the rule wrote. ``override`` replaces the status and score of
    some submissions (a regrade preview).
    """
    attempts: dict[tuple[int, int, str], list[Attempt]] = defaultdict(list)
    if not assignments:
        return attempts
    credits = AssignmentCredit.objects.filter(assignment__in=assignments, counted=True)
    if user_ids is not None:
        credits = credits.filter(user_id__in=user_ids)
    submissions = credits.filter(submission__isnull=False).values_list(
        "assignment_id",
        "user_id",
        "submission_id",
        "submission__exercise_id",
        "submission__status",
        "submission__score",
        "late_penalty",
        "submission__created_at",
        "is_late",
        "extension_applied",
    )
    for assignment_id, user_id, pk, exercise_id, status, score, penalty, created_at, is_late, extension in submissions:
        if override and pk in override:
            status, score = override[pk]
        if status != Submission.Status.GRADED or score is None:
            continue  # not gradable and platform errors use no attempt and earn nothing
        attempts[(assignment_id, user_id, f"exercise:{exercise_id}")].append(
            Attempt(score, penalty, created_at, is_late, extension, submission_id=pk)
        )
    tries = credits.filter(quiz_attempt__isnull=False).values_list(
        "assignment_id",
        "user_id",
        "quiz_attempt__quiz_id",
        "quiz_attempt__score",
        "late_penalty",
        "quiz_attempt__created_at",
        "is_late",
        "extension_applied",
    )
    for assignment_id, user_id, quiz_id, score, penalty, created_at, is_late, extension in tries:
        attempts[(assignment_id, user_id, f"quiz:{quiz_id}")].append(
            Attempt(score, penalty, created_at, is_late, extension)
        )
    return attempts


def score_assignment(
    assignment: Assignment, user_id: int, attempts: dict, extension: Extension | None = None
) -> AssignmentScore:
    items = {
        item.key: item_score(
            attempts.get((assignment.pk, user_id, item.key), ()), policy=assignment.score_policy, max_points=item.points
        )
        for item in assignment.items.all()
    }
    return AssignmentScore(assignment=assignment, items=items, extension=extension)


def course_gradebook(
    *, course: Course, assignments: list[Assignment] | None = None, users: list | None = None
) -> Gradebook:
    """Students by assignments, scored as each assignment's policy says (best or last, late penalties)."""
    assignments = assignments if assignments is not None else assignments_of(course=course)
    users = users if users is not None else students_of(course=course)
    user_ids = {user.pk for user in users}
    attempts = submission_attempts(assignments=assignments, user_ids=user_ids)
    extensions = {
        (e.assignment_id, e.user_id): e
        for e in Extension.objects.filter(assignment__in=assignments, user_id__in=user_ids)
    }
    gradebook = Gradebook(course=course, assignments=assignments)
    for user in users:
        cells = [score_assignment(a, user.pk, attempts, extensions.get((a.pk, user.pk))) for a in assignments]
        gradebook.rows.append(GradebookRow(user=user, cells=cells))
    return gradebook


def submission_prior(created_at: datetime, status: str) -> Prior:
    """A submission as the attempt limit and the interval see it."""
    return Prior(
        at=created_at,
        uses_attempt=status in USES_AN_ATTEMPT,
        paces=status != Submission.Status.PLATFORM_ERROR,
    )


def counted_priors(*, assignments: list[Assignment], user_id: int) -> dict[tuple[int, str], list[Prior]]:
    """Per (assignment, item key), the student's work that counted there, as the limit and interval see it."""
    priors: dict[tuple[int, str], list[Prior]] = defaultdict(list)
    credits = AssignmentCredit.objects.filter(assignment__in=assignments, user_id=user_id, counted=True)
    for assignment_id, exercise_id, created_at, status in credits.filter(submission__isnull=False).values_list(
        "assignment_id", "submission__exercise_id", "submission__created_at", "submission__status"
    ):
        priors[(assignment_id, f"exercise:{exercise_id}")].append(submission_prior(created_at, status))
    for assignment_id, quiz_id, created_at in credits.filter(quiz_attempt__isnull=False).values_list(
        "assignment_id", "quiz_attempt__quiz_id", "quiz_attempt__created_at"
    ):
        priors[(assignment_id, f"quiz:{quiz_id}")].append(Prior(at=created_at, uses_attempt=True))
    return priors


@dataclass
class StudentItem:
    item: AssignmentItem
    score: ItemScore
    attempts_used: int
    attempts_left: int | None


@dataclass
class StudentAssignment:
    assignment: Assignment
    deadline: Deadline
    extension: Extension | None
    state: str
    score: AssignmentScore
    items: list[StudentItem]


def student_assignment(*, assignment: Assignment, user) -> StudentAssignment:
    """One student's view of an assignment: their window, score and attempts left per item."""
    deadline, extension = deadline_of(assignment=assignment, user=user)
    attempts = submission_attempts(assignments=[assignment], user_ids={user.pk})
    score = score_assignment(assignment, user.pk, attempts, extension)
    in_use = counted_priors(assignments=[assignment], user_id=user.pk)
    items = []
    for item in assignment.items.all():
        used = sum(prior.uses_attempt for prior in in_use.get((assignment.pk, item.key), ()))
        left = None if assignment.max_attempts is None else max(0, assignment.max_attempts - used)
        items.append(StudentItem(item=item, score=score.items[item.key], attempts_used=used, attempts_left=left))
    return StudentAssignment(
        assignment=assignment,
        deadline=deadline,
        extension=extension,
        state=window_state(deadline, timezone.now()),
        score=score,
        items=items,
    )


# --- where work counts: what the submission and exercise pages show --------------------------------


def _assignment_url(assignment: Assignment) -> str:
    return reverse("courses:assignment-detail", args=[assignment.course_id, assignment.pk])


def credit_notes_for(*, submission_ids: list[int]) -> dict[int, list[CreditNote]]:
    """What each stored submission counted for, or was kept from counting for, in due date order."""
    notes: dict[int, list[CreditNote]] = defaultdict(list)
    if not submission_ids:
        return notes
    rows = (
        AssignmentCredit.objects.filter(submission_id__in=submission_ids)
        .select_related("assignment__course")
        .order_by("assignment__due_at", "assignment_id")
    )
    for row in rows:
        notes[row.submission_id].append(
            CreditNote(
                assignment_id=row.assignment_id,
                title=row.assignment.title,
                course_title=row.assignment.course.title,
                url=_assignment_url(row.assignment),
                counted=row.counted,
                reason=row.not_counted_reason,
                is_late=row.is_late,
                late_days=row.late_days,
                late_penalty=row.late_penalty,
                extension_applied=row.extension_applied,
            )
        )
    return notes


def credit_targets_for(
    *, user, exercise_ids: list[int], assignment_id: int | None = None, now: datetime | None = None
) -> dict[int, list[CreditTarget]]:
    """Per exercise, the assignments a submission made ``now`` would count for, as its student sees them.

    Those are the assignments of the user's courses (as a student) that hold the exercise and are
    open or accepting late work for them now. ``assignment_id`` (the assignment a page was opened
    for) is added in any state if the user is in its course, as staff too; it is flagged is_target.
    """
    if not user.is_authenticated or not exercise_ids:
        return {}
    now = now or timezone.now()
    memberships = {m.course_id: m for m in Membership.objects.filter(user=user)}
    if not memberships:
        return {}
    student_courses = [course_id for course_id, m in memberships.items() if not m.is_staff_role]
    items = list(
        AssignmentItem.objects.filter(
            assignment__course_id__in=student_courses, assignment__counts_from__lte=now, exercise_id__in=exercise_ids
        ).select_related("assignment__course")
    )
    if assignment_id:
        items += list(
            AssignmentItem.objects.filter(
                assignment_id=assignment_id, assignment__course_id__in=list(memberships), exercise_id__in=exercise_ids
            ).select_related("assignment__course")
        )
    assignments = {item.assignment_id: item.assignment for item in items}
    if not assignments:
        return {}
    extensions = {e.assignment_id: e for e in Extension.objects.filter(assignment_id__in=assignments, user=user)}
    in_use = counted_priors(assignments=list(assignments.values()), user_id=user.pk)
    points = submission_attempts(assignments=list(assignments.values()), user_ids={user.pk})
    targets: dict[int, dict[int, CreditTarget]] = defaultdict(dict)
    for item in items:
        assignment = assignments[item.assignment_id]
        is_target = assignment.pk == assignment_id
        deadline = assignment.deadline_for(extensions.get(assignment.pk))
        state = window_state(deadline, now)
        if state not in ("open", "late") and not is_target:
            continue
        priors = in_use.get((assignment.pk, item.key), [])
        refusal = limit_refusal(
            max_attempts=assignment.max_attempts, min_interval_s=assignment.min_interval_s, earlier=priors, at=now
        )
        is_staff = memberships[assignment.course_id].is_staff_role
        score = item_score(
            points.get((assignment.pk, user.pk, item.key), ()), policy=assignment.score_policy, max_points=item.points
        )
        targets[item.exercise_id][assignment.pk] = CreditTarget(
            assignment_id=assignment.pk,
            title=assignment.title,
            course_title=assignment.course.title,
            url=_assignment_url(assignment),
            state=state,
            opens_at=deadline.opens_at,
            due_at=deadline.due_at,
            cutoff_at=deadline.cutoff_at,
            extended=deadline.extended,
            counts=state in ("open", "late") and not refusal and not is_staff,
            reason=STAFF if is_staff else refusal.reason,
            wait_s=refusal.wait_s,
            attempts_used=sum(prior.uses_attempt for prior in priors),
            max_attempts=assignment.max_attempts,
            min_interval_s=assignment.min_interval_s,
            score_policy=assignment.score_policy,
            late_policy=assignment.late_policy,
            late_penalty_per_day=assignment.late_penalty_per_day,
            points=score.points if score.started else None,
            max_points=item.points,
            is_target=is_target,
        )
    return {
        exercise_id: sorted(found.values(), key=lambda t: (not t.is_target, t.due_at, t.assignment_id))
        for exercise_id, found in targets.items()
    }


@dataclass
class CourseWork:
    """One submission or quiz try of a student's that a course's assignments judged, with those judgements."""

    at: datetime
    credits: list[AssignmentCredit]
    submission: Submission | None = None
    quiz_attempt: QuizAttempt | None = None

    @property
    def counted(self) -> bool:
        return any(credit.counted for credit in self.credits)


def student_course_work(*, course: Course, user) -> list[CourseWork]:
    """Every submission and quiz try of a student's judged for the course's assignments, newest first.

    The same credit rows the scores come from, so the list always holds what the points were made of.
    """
    rows = (
        AssignmentCredit.objects.filter(assignment__course=course, user=user)
        .select_related("assignment", "submission__exercise", "quiz_attempt__quiz")
        .prefetch_related("submission__verdict_history")
        .order_by("assignment__due_at", "assignment_id")
    )
    work: dict[tuple[str, int], CourseWork] = {}
    for row in rows:
        if row.submission_id:
            key, at = ("submission", row.submission_id), row.submission.created_at
            entry = work.setdefault(key, CourseWork(at=at, credits=[], submission=row.submission))
        else:
            key, at = ("quiz", row.quiz_attempt_id), row.quiz_attempt.created_at
            entry = work.setdefault(key, CourseWork(at=at, credits=[], quiz_attempt=row.quiz_attempt))
        entry.credits.append(row)
    return sorted(work.values(), key=lambda w: (w.at, w.submission is not None), reverse=True)
