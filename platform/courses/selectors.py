"""Reads for courses: who may see what, scores as the policy counts them, regrade progress and preview."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from courses.models import Assignment, AssignmentItem, Course, Extension, Membership, Regrade, RegradeResult
from courses.policy import Attempt, Deadline, ItemScore, item_score, window_state
from submissions.models import Submission

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


def course_of_submission(submission: Submission) -> int | None:
    if submission.assignment_id is None:
        return None
    return Assignment.objects.filter(pk=submission.assignment_id).values_list("course_id", flat=True).first()


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
    """Counted attempts by (assignment, user, item key): graded submissions and quiz attempts.

    ``override`` replaces the status and score of some submissions (a regrade preview).
    """
    attempts: dict[tuple[int, int, str], list[Attempt]] = defaultdict(list)
    if not assignments:
        return attempts
    rows = Submission.objects.filter(assignment__in=assignments).values_list(
        "id",
        "assignment_id",
        "user_id",
        "exercise_id",
        "status",
        "score",
        "late_penalty",
        "created_at",
        "is_late",
        "extension_applied",
    )
    for pk, assignment_id, user_id, exercise_id, status, score, penalty, created_at, is_late, extension in rows:
        if user_ids is not None and user_id not in user_ids:
            continue
        if override and pk in override:
            status, score = override[pk]
        if status != Submission.Status.GRADED or score is None:
            continue  # not gradable and platform errors use no attempt and earn nothing
        attempts[(assignment_id, user_id, f"exercise:{exercise_id}")].append(
            Attempt(score, penalty, created_at, is_late, extension, submission_id=pk)
        )
    _quiz_attempts(assignments, user_ids, attempts)
    return attempts


def _quiz_attempts(assignments, user_ids, attempts) -> None:
    """Quiz attempts count for an assignment when made in its window, judged like submissions."""
    from quizzes.models import QuizAttempt

    by_quiz: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        for item in assignment.items.all():
            if item.quiz_id:
                by_quiz[item.quiz_id].append(assignment)
    if not by_quiz:
        return
    extensions = {(e.assignment_id, e.user_id): e for e in Extension.objects.filter(assignment__in=assignments)}
    rows = QuizAttempt.objects.filter(quiz_id__in=list(by_quiz)).values_list(
        "id", "user_id", "quiz_id", "score", "created_at"
    )
    for _pk, user_id, quiz_id, score, created_at in rows:
        if user_ids is not None and user_id not in user_ids:
            continue
        for assignment in by_quiz[quiz_id]:
            lateness = assignment.deadline_for(extensions.get((assignment.pk, user_id))).judge(created_at)
            if lateness.before_open or lateness.beyond_cutoff:
                continue
            attempts[(assignment.pk, user_id, f"quiz:{quiz_id}")].append(
                Attempt(score, lateness.penalty, created_at, lateness.is_late, lateness.extension_applied)
            )


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
    current: StudentItem | None = None  # the item of the exercise page it was opened for


def student_assignment(*, assignment: Assignment, user) -> StudentAssignment:
    """One student's view of an assignment: their window, score and attempts left per item."""
    deadline, extension = deadline_of(assignment=assignment, user=user)
    attempts = submission_attempts(assignments=[assignment], user_ids={user.pk})
    score = score_assignment(assignment, user.pk, attempts, extension)
    used = dict(
        Submission.objects.filter(
            assignment=assignment,
            user=user,
            status__in=(Submission.Status.QUEUED, Submission.Status.RUNNING, Submission.Status.GRADED),
        )
        .values("exercise_id")
        .annotate(n=Count("id"))
        .values_list("exercise_id", "n")
    )
    items = []
    for item in assignment.items.all():
        n = used.get(item.exercise_id, 0) if item.exercise_id else score.items[item.key].attempts
        left = None
        if assignment.max_attempts is not None and item.exercise_id:
            left = max(0, assignment.max_attempts - n)
        items.append(StudentItem(item=item, score=score.items[item.key], attempts_used=n, attempts_left=left))
    return StudentAssignment(
        assignment=assignment,
        deadline=deadline,
        extension=extension,
        state=window_state(deadline, timezone.now()),
        score=score,
        items=items,
    )


def assignment_for_exercise(*, user, assignment_id, exercise) -> StudentAssignment | None:
    """The assignment an exercise page is opened for, if the user is in its course and it holds the exercise."""
    try:
        assignment_id = int(assignment_id)
    except (TypeError, ValueError):
        return None
    assignment = (
        Assignment.objects.filter(pk=assignment_id, course__memberships__user=user).select_related("course").first()
    )
    if assignment is None or not assignment.items.filter(exercise=exercise).exists():
        return None
    view = student_assignment(assignment=assignment, user=user)
    view.current = next((i for i in view.items if i.item.exercise_id == exercise.pk), None)
    return view


def assignment_get_for_submission(*, assignment_id) -> Assignment | None:
    try:
        return Assignment.objects.filter(pk=int(assignment_id)).first()
    except (TypeError, ValueError):
        return None


def student_submissions(*, course: Course, user) -> QuerySet[Submission]:
    """Every submission a student made for the course's assignments, newest first."""
    return (
        Submission.objects.filter(assignment__course=course, user=user)
        .select_related("exercise", "assignment")
        .prefetch_related("verdict_history")
        .order_by("-created_at", "-id")
    )


# --- regrades -----------------------------------------------------------------------------------


def course_exercises(*, course: Course) -> list:
    """The exercises of the course's assignments, with how many stored submissions each has."""
    from catalog.models import Exercise

    return list(
        Exercise.objects.filter(assignment_items__assignment__course=course)
        .distinct()
        .order_by("topic", "order", "slug")
    )


@dataclass
class RegradeCandidate:
    exercise: object
    submissions: int
    outdated: int  # graded with another version of the bundle than the current one


def regrade_candidates(*, course: Course) -> list[RegradeCandidate]:
    candidates = []
    for exercise in course_exercises(course=course):
        stored = Submission.objects.filter(
            assignment__course=course, exercise=exercise, status__in=Submission.FINAL_STATUSES
        )
        candidates.append(
            RegradeCandidate(
                exercise=exercise,
                submissions=stored.count(),
                outdated=stored.exclude(bundle_hash=exercise.content_hash).count(),
            )
        )
    return candidates


@dataclass
class RegradeProgress:
    total: int
    done: int
    failed: int
    pending: int
    failures: list[tuple[int, str]]

    @property
    def complete(self) -> bool:
        return self.pending == 0 and self.failed == 0

    @property
    def stalled(self) -> bool:
        return self.pending == 0 and self.failed > 0

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 100


def regrade_progress(*, regrade: Regrade) -> RegradeProgress:
    counts = dict(regrade.results.values("status").annotate(n=Count("id")).values_list("status", "n"))
    failures = list(
        regrade.results.filter(status=RegradeResult.Status.FAILED).values_list("submission_id", "message")[:5]
    )
    return RegradeProgress(
        total=regrade.total,
        done=counts.get(RegradeResult.Status.DONE, 0),
        failed=counts.get(RegradeResult.Status.FAILED, 0),
        pending=counts.get(RegradeResult.Status.PENDING, 0),
        failures=failures,
    )


@dataclass
class RegradeChange:
    user: object
    assignment: Assignment
    old_points: float
    new_points: float
    max_points: float

    @property
    def delta(self) -> float:
        return round(self.new_points - self.old_points, 4)


@dataclass
class RegradePreview:
    changes: list[RegradeChange]  # students whose points for an item change, biggest drop first
    unchanged: int
    submissions_up: int
    submissions_down: int
    submissions_same: int
    results: list[RegradeResult]

    @property
    def up(self) -> list[RegradeChange]:
        return [c for c in self.changes if c.delta > 0]

    @property
    def down(self) -> list[RegradeChange]:
        return [c for c in self.changes if c.delta < 0]


def regrade_preview_of(*, regrade: Regrade) -> RegradePreview:
    """Whose points would go up or down, and by how much, if the computed verdicts were applied.

    Points are per student and per assignment item, counted by the assignment's policy (best or
    last, late penalties) with the old and with the new scores of every regraded submission.
    """
    results = list(
        regrade.results.filter(status=RegradeResult.Status.DONE)
        .select_related("submission__user", "submission__assignment")
        .order_by("submission__user__username", "submission__created_at")
    )
    # Before and after come from the results themselves, so an applied or rolled-back regrade still
    # shows what it changed.
    old = {r.submission_id: (r.old_status, r.old_score) for r in results}
    new = {r.submission_id: (r.new_status, r.new_score) for r in results}
    key = f"exercise:{regrade.exercise_id}"
    assignments = [a for a in assignments_of(course=regrade.course) if any(item.key == key for item in a.items.all())]
    users = {r.submission.user_id: r.submission.user for r in results}
    user_ids = set(users)
    before = submission_attempts(assignments=assignments, user_ids=user_ids, override=old)
    after = submission_attempts(assignments=assignments, user_ids=user_ids, override=new)
    changes, unchanged = [], 0
    for assignment in assignments:
        item = next(item for item in assignment.items.all() if item.key == key)
        for user_id, user in users.items():
            was = item_score(
                before.get((assignment.pk, user_id, key), ()), policy=assignment.score_policy, max_points=item.points
            )
            will = item_score(
                after.get((assignment.pk, user_id, key), ()), policy=assignment.score_policy, max_points=item.points
            )
            if not was.started and not will.started:
                continue
            if abs(will.points - was.points) < 1e-9:
                unchanged += 1
            else:
                changes.append(RegradeChange(user, assignment, was.points, will.points, item.points))
    changes.sort(key=lambda c: (c.delta, c.user.username))
    deltas = [r.delta or 0.0 for r in results]
    return RegradePreview(
        changes=changes,
        unchanged=unchanged,
        submissions_up=sum(d > 1e-9 for d in deltas),
        submissions_down=sum(d < -1e-9 for d in deltas),
        submissions_same=sum(abs(d) <= 1e-9 for d in deltas),
        results=results,
    )
