"""Aggregates for the instructor dashboard: completion, scores, pass rates, failing cases, mistakes, activity."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from courses.models import Assignment, AssignmentCredit, Course, Membership
from courses.selectors import assignments_of, course_gradebook, students_of
from submissions.models import Submission

STUCK_MIN_ATTEMPTS = 5  # attempts without a full score on one exercise before a student counts as stuck
TOP = 10
TIMELINE_MAX_DAYS = 90
SCORE_BINS = 10


@dataclass
class PassRate:
    exercise_id: int
    slug: str
    title: str
    students_tried: int = 0
    students_solved: int = 0
    submissions: int = 0
    submissions_full: int = 0

    @property
    def solved_rate(self) -> float | None:
        return self.students_solved / self.students_tried if self.students_tried else None

    @property
    def submission_rate(self) -> float | None:
        return self.submissions_full / self.submissions if self.submissions else None


@dataclass
class FailingCase:
    slug: str
    case: str
    hidden: bool
    fails: int
    graded: int
    students: int

    @property
    def rate(self) -> float:
        return self.fails / self.graded if self.graded else 0.0


@dataclass
class FrequentMistake:
    slug: str
    key: str
    message: str
    message_zh: str
    submissions: int
    students: int


@dataclass
class StuckStudent:
    user: object
    slug: str
    attempts: int
    best: float | None
    last_at: object


@dataclass
class Dashboard:
    course: Course
    assignment: Assignment | None
    assignments: list[Assignment]
    students: int = 0
    started: int = 0
    completed: int = 0
    submissions: int = 0
    median_percent: float | None = None
    completion: list[tuple[Assignment, int, int, int]] = field(default_factory=list)
    score_bins: list[int] = field(default_factory=list)
    pass_rates: list[PassRate] = field(default_factory=list)
    failing_cases: list[FailingCase] = field(default_factory=list)
    mistakes: list[FrequentMistake] = field(default_factory=list)
    timeline: list[tuple[date, int, int]] = field(default_factory=list)
    not_started: list = field(default_factory=list)
    stuck: list[StuckStudent] = field(default_factory=list)


def _bin(percent: float) -> int:
    return min(SCORE_BINS - 1, int(percent // (100 / SCORE_BINS)))


def course_dashboard(*, course: Course, language: str = "en") -> Dashboard:
    return _dashboard(course, None, assignments_of(course=course), language)


def assignment_dashboard(*, course: Course, assignment: Assignment, language: str = "en") -> Dashboard:
    return _dashboard(course, assignment, [assignment], language)


def _dashboard(
    course: Course, assignment: Assignment | None, assignments: list[Assignment], language: str
) -> Dashboard:
    students = students_of(course=course)
    board = Dashboard(course=course, assignment=assignment, assignments=assignments, students=len(students))
    gradebook = course_gradebook(course=course, assignments=assignments, users=students)

    # completion and scores, as the gradebook counts them
    for index, a in enumerate(assignments):
        cells = [row.cells[index] for row in gradebook.rows]
        completed = sum(c.completed for c in cells)
        started = sum(c.started and not c.completed for c in cells)
        board.completion.append((a, completed, started, len(cells) - completed - started))
    percents = []
    for row in gradebook.rows:
        if row.started:
            board.started += 1
            percents.append(row.percent or 0.0)
            if all(cell.completed for cell in row.cells):
                board.completed += 1
        else:
            board.not_started.append(row.user)
    board.score_bins = [0] * SCORE_BINS
    for percent in percents:
        board.score_bins[_bin(percent)] += 1
    board.median_percent = statistics.median(percents) if percents else None

    _submission_aggregates(board, students, assignments, language)
    return board


def _submission_aggregates(board: Dashboard, students: list, assignments: list[Assignment], language: str) -> None:
    """Pass rates, failing cases, mistakes, activity and stuck students from the stored verdicts."""
    student_ids = {user.pk for user in students}
    users = {user.pk: user for user in students}
    items = {(a.pk, item.exercise_id) for a in assignments for item in a.items.all() if item.exercise_id}
    exercises = {item.exercise_id: item.exercise for a in assignments for item in a.items.all() if item.exercise_id}
    rates = {
        pk: PassRate(pk, e.slug, e.title_zh if language.startswith("zh") else e.title_en) for pk, e in exercises.items()
    }
    tried, solved = defaultdict(set), defaultdict(set)
    graded_by_exercise: Counter = Counter()
    case_fails: Counter = Counter()
    case_hidden: dict = {}
    case_students = defaultdict(set)
    mistake_counts: Counter = Counter()
    mistake_text: dict = {}
    mistake_students = defaultdict(set)
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    attempts = defaultdict(lambda: {"n": 0, "best": None, "solved": False, "last": None})

    # The submissions that counted for these assignments, by the same credit rows the scores use; one
    # that counted for two of them is one submission here.
    rows = AssignmentCredit.objects.filter(
        assignment__in=assignments, counted=True, submission__isnull=False, user_id__in=student_ids
    ).values_list(
        "submission_id",
        "submission__user_id",
        "submission__exercise_id",
        "assignment_id",
        "submission__status",
        "submission__score",
        "submission__created_at",
        "submission__verdict_summary",
    )
    seen: set[int] = set()
    for submission_id, user_id, exercise_id, assignment_id, status, score, created_at, summary in rows.iterator(
        chunk_size=500
    ):
        if submission_id in seen or (assignment_id, exercise_id) not in items:
            continue
        seen.add(submission_id)
        board.submissions += 1
        full = status == Submission.Status.GRADED and score is not None and score >= 1.0
        per_day[timezone.localtime(created_at).date()][0 if full else 1] += 1
        if status in (Submission.Status.GRADED, Submission.Status.NOT_GRADABLE):
            record = attempts[(user_id, exercise_id)]
            record["n"] += 1
            record["solved"] = record["solved"] or full
            record["best"] = score if record["best"] is None or (score or 0) > record["best"] else record["best"]
            record["last"] = max(record["last"], created_at) if record["last"] else created_at
        if status != Submission.Status.GRADED:
            continue
        rate = rates[exercise_id]
        rate.submissions += 1
        rate.submissions_full += full
        tried[exercise_id].add(user_id)
        if full:
            solved[exercise_id].add(user_id)
        graded_by_exercise[exercise_id] += 1
        for name, hidden in summary.get("failed", ()):
            key = (exercise_id, name)
            case_fails[key] += 1
            case_hidden[key] = hidden
            case_students[key].add(user_id)
        for mistake_key, message, message_zh in summary.get("mistakes", ()):
            key = (exercise_id, mistake_key)
            mistake_counts[key] += 1
            mistake_text[key] = (message, message_zh)
            mistake_students[key].add(user_id)

    for pk, rate in rates.items():
        rate.students_tried, rate.students_solved = len(tried[pk]), len(solved[pk])
    board.pass_rates = sorted(rates.values(), key=lambda r: (r.solved_rate is None, r.solved_rate or 0, r.slug))
    board.failing_cases = [
        FailingCase(
            slug=exercises[ex].slug,
            case=name,
            hidden=case_hidden[(ex, name)],
            fails=fails,
            graded=graded_by_exercise[ex],
            students=len(case_students[(ex, name)]),
        )
        for (ex, name), fails in case_fails.most_common(TOP)
    ]
    board.mistakes = [
        FrequentMistake(
            slug=exercises[ex].slug,
            key=key,
            message=mistake_text[(ex, key)][0],
            message_zh=mistake_text[(ex, key)][1],
            submissions=count,
            students=len(mistake_students[(ex, key)]),
        )
        for (ex, key), count in mistake_counts.most_common(TOP)
    ]
    if per_day:
        last = max(per_day)
        first = max(min(per_day), last - timedelta(days=TIMELINE_MAX_DAYS - 1))
        day = first
        while day <= last:
            full, other = per_day.get(day, (0, 0))
            board.timeline.append((day, full, other))
            day += timedelta(days=1)
    stuck = [
        StuckStudent(users[user_id], exercises[ex].slug, r["n"], r["best"], r["last"])
        for (user_id, ex), r in attempts.items()
        if not r["solved"] and r["n"] >= STUCK_MIN_ATTEMPTS
    ]
    board.stuck = sorted(stuck, key=lambda s: (-s.attempts, s.user.username))


def chart_data(board: Dashboard, titles: dict[str, str]) -> dict:
    """What the charts draw (JSON for Chart.js), with their translated titles and axis labels."""
    step = 100 // SCORE_BINS
    return {
        "titles": titles,
        "completion": {
            "labels": [a.title for a, *_ in board.completion],
            "completed": [c for _, c, _, _ in board.completion],
            "in_progress": [p for _, _, p, _ in board.completion],
            "not_started": [n for *_, n in board.completion],
        },
        "scores": {
            "labels": [f"{i * step}–{100 if i == SCORE_BINS - 1 else i * step + step - 1}%" for i in range(SCORE_BINS)],
            "counts": board.score_bins,
        },
        "pass_rates": {
            "labels": [r.slug for r in board.pass_rates],
            "solved": [None if r.solved_rate is None else round(100 * r.solved_rate, 1) for r in board.pass_rates],
            "submissions": [
                None if r.submission_rate is None else round(100 * r.submission_rate, 1) for r in board.pass_rates
            ],
        },
        "failing_cases": {
            "labels": [f"{c.slug} · {c.case}" for c in board.failing_cases],
            "counts": [c.fails for c in board.failing_cases],
        },
        "mistakes": {
            "labels": [f"{m.slug} · {m.key}" for m in board.mistakes],
            "counts": [m.submissions for m in board.mistakes],
        },
        "timeline": {
            "labels": [d.isoformat() for d, _, _ in board.timeline],
            "full": [f for _, f, _ in board.timeline],
            "other": [o for *_, o in board.timeline],
        },
    }


def staff_courses(*, user) -> list[Course]:
    return [
        m.course
        for m in Membership.objects.filter(user=user, role__in=Membership.STAFF_ROLES)
        .select_related("course")
        .order_by("course__title")
    ]
