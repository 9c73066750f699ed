"""Writes for courses: create, enrol, set assignments and their policy, extensions, regrades."""

from __future__ import annotations

import csv
import io
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalog.models import Exercise
from courses.models import (
    Assignment,
    AssignmentCredit,
    AssignmentItem,
    Course,
    Extension,
    Membership,
    Regrade,
    RegradeResult,
    VerdictHistory,
)
from courses.policy import NO_ATTEMPTS_LEFT, Deadline, Lateness, Prior, Refusal, in_window, limit_refusal
from courses.selectors import counted_priors, course_submissions, submission_prior
from graders.verdict import Verdict
from quizzes.models import QuizAttempt
from submissions.models import Submission
from submissions.services import StoredVerdict, SubmissionChanged, submission_replace_verdicts

log = logging.getLogger(__name__)

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
JOIN_CODE_LENGTH = 8
MAX_CSV_BYTES = 1_000_000
MAX_CSV_ROWS = 5000


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


# --- courses and members ------------------------------------------------------------------------


def _new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if not Course.objects.filter(join_code=code).exists():
            return code


def _unique_slug(title: str) -> str:
    base = slugify(title)[:50] or "course"
    slug, n = base, 2
    while Course.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def course_create(*, title: str, created_by, description: str = "") -> Course:
    """Create a course; its creator becomes its first instructor."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("A course needs a title.")})
    course = Course.objects.create(
        title=title,
        slug=_unique_slug(title),
        description=description.strip(),
        join_code=_new_join_code(),
        created_by=created_by,
    )
    Membership.objects.create(
        course=course, user=created_by, role=Membership.Role.INSTRUCTOR, source=Membership.Source.CREATOR
    )
    return course


def course_join_code_reset(*, course: Course, join_open: bool | None = None) -> Course:
    """Give the course a fresh join code (the old one stops working); optionally open or close joining."""
    course.join_code = _new_join_code()
    if join_open is not None:
        course.join_open = join_open
    course.save(update_fields=["join_code", "join_open"])
    return course


def course_join_open_set(*, course: Course, join_open: bool) -> Course:
    course.join_open = join_open
    course.save(update_fields=["join_open"])
    return course


def membership_join(*, user, code: str) -> tuple[Membership, bool]:
    """Join a course as a student with its code; return the membership and whether it is new."""
    code = "".join(code.split()).upper()
    course = Course.objects.filter(join_code=code).first() if code else None
    if course is None:
        raise ValidationError(_("No course has this join code; check it with your instructor."))
    existing = Membership.objects.filter(course=course, user=user).first()
    if existing is not None:
        return existing, False
    if not course.join_open:
        raise ValidationError(_("This course is not accepting students by join code; ask your instructor."))
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            course=course, user=user, defaults={"role": Membership.Role.STUDENT, "source": Membership.Source.JOIN_CODE}
        )
        if created:
            credit_sync_member(course=course, user_ids=[user.pk])
    return membership, created


def membership_remove(*, membership: Membership) -> None:
    """Remove a member; their submissions stay (a student re-enrolled finds them again)."""
    if (
        membership.is_instructor
        and not membership.course.memberships.filter(role=Membership.Role.INSTRUCTOR).exclude(pk=membership.pk).exists()
    ):
        raise ValidationError(_("A course keeps at least one instructor."))
    membership.delete()


@dataclass
class CsvRowProblem:
    line: int
    text: str
    reason: str


@dataclass
class EnrolmentReport:
    enrolled: list[tuple[int, str, str]] = field(default_factory=list)  # (line, username, role)
    unchanged: list[tuple[int, str, str]] = field(default_factory=list)  # (line, username, why)
    errors: list[CsvRowProblem] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error


ROLE_NAMES = {
    "": Membership.Role.STUDENT,
    "student": Membership.Role.STUDENT,
    "ta": Membership.Role.TA,
    "teaching assistant": Membership.Role.TA,
    "assistant": Membership.Role.TA,
    "instructor": Membership.Role.INSTRUCTOR,
}
USERNAME_HEADERS = {"username", "user", "login", "user name", "user_name"}
EMAIL_HEADERS = {"email", "e-mail", "mail", "email address"}


def _decode_csv(data: bytes) -> str:
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s KiB; upload the class in parts.") % {"size": MAX_CSV_BYTES // 1024}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8 (comma delimited)”.")
        ) from None


def _read_rows(text: str) -> tuple[list[tuple[int, list[str]]], dict[str, int]]:
    """Rows with their line numbers, and the columns found in the header (or a headerless list)."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise ValidationError(
            _("The file is not a readable CSV (line %(line)s: %(error)s).") % {"line": reader.line_num, "error": error}
        ) from None
    rows = [(line, cells) for line, cells in rows if any(cells)]
    if not rows:
        raise ValidationError(_("The file has no rows."))
    header = [" ".join(cell.lower().replace("_", " ").split()) for cell in rows[0][1]]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if name.replace(" ", "_") in USERNAME_HEADERS or name in USERNAME_HEADERS:
            columns.setdefault("username", index)
        elif name in EMAIL_HEADERS:
            columns.setdefault("email", index)
        elif name == "role":
            columns.setdefault("role", index)
    if columns:
        if "username" not in columns and "email" not in columns:
            raise ValidationError(_("The header needs a “username” or an “email” column."))
        rows = rows[1:]
    elif len(rows[0][1]) > 1:
        found = ", ".join(f"“{cell}”" for cell in rows[0][1] if cell)
        raise ValidationError(
            _("The header needs a “username” or an “email” column (found %(found)s).") % {"found": found}
        )
    else:
        columns = {"identifier": 0}  # no header: one username or email per line
    if len(rows) > MAX_CSV_ROWS:
        raise ValidationError(
            _("The file has %(rows)s rows; upload at most %(max)s at a time.")
            % {"rows": len(rows), "max": MAX_CSV_ROWS}
        )
    return rows, columns


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _find_user(username: str, email: str):
    """Return (user, None) or (None, reason)."""
    User = get_user_model()
    user = None
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            matches = list(User.objects.filter(username__iexact=username)[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None:
            return None, _("no account with the username “%(username)s”") % {"username": username}
        if email and user.email and user.email.lower() != email.lower():
            return None, _("the username “%(username)s” and the email “%(email)s” belong to different accounts") % {
                "username": username,
                "email": email,
            }
    else:
        matches = list(User.objects.filter(email__iexact=email)[:2])
        if not matches:
            return None, _("no account with the email “%(email)s”") % {"email": email}
        if len(matches) > 1:
            return None, _("several accounts share the email “%(email)s”; give the username instead") % {"email": email}
        user = matches[0]
    if not user.is_active:
        return None, _("the account “%(username)s” is deactivated") % {"username": user.username}
    return user, None


def membership_enrol_csv(*, course: Course, data: bytes) -> EnrolmentReport:
    """Enrol the students of an uploaded CSV: good rows are enrolled, bad rows are listed with why.

    The file has a header with a ``username`` or ``email`` column (and optionally ``role``:
    student, ta, instructor), or no header and one username or email per line. Accounts must
    exist; a row that names no account, an ambiguous one or one already listed is reported.
    """
    report = EnrolmentReport()
    try:
        rows, columns = _read_rows(_decode_csv(data))
    except ValidationError as error:
        report.file_error = error.messages[0]
        return report
    existing = {m.user_id: m for m in Membership.objects.filter(course=course)}
    seen: dict[int, int] = {}
    to_create: list[Membership] = []
    for line, cells in rows:
        text = ",".join(cells)[:200]
        if "identifier" in columns:
            identifier = _cell(cells, columns, "identifier")
            username, email = ("", identifier) if "@" in identifier else (identifier, "")
        else:
            username, email = _cell(cells, columns, "username"), _cell(cells, columns, "email")
        if not username and not email:
            report.errors.append(CsvRowProblem(line, text, _("no username or email in this row")))
            continue
        role_text = " ".join(_cell(cells, columns, "role").lower().split())
        role = ROLE_NAMES.get(role_text)
        if role is None:
            report.errors.append(
                CsvRowProblem(
                    line, text, _("unknown role “%(role)s” (use student, ta or instructor)") % {"role": role_text}
                )
            )
            continue
        user, reason = _find_user(username, email)
        if user is None:
            report.errors.append(CsvRowProblem(line, text, reason))
            continue
        if user.pk in seen:
            report.errors.append(
                CsvRowProblem(
                    line,
                    text,
                    _("%(username)s is already on line %(line)s") % {"username": user.username, "line": seen[user.pk]},
                )
            )
            continue
        seen[user.pk] = line
        membership = existing.get(user.pk)
        if membership is not None:
            why = (
                _("already enrolled")
                if membership.role == role
                else _("already a member as %(role)s") % {"role": membership.get_role_display()}
            )
            report.unchanged.append((line, user.username, why))
            continue
        to_create.append(Membership(course=course, user=user, role=role, source=Membership.Source.CSV))
        report.enrolled.append((line, user.username, role))
    with transaction.atomic():
        Membership.objects.bulk_create(to_create, ignore_conflicts=True)
        students = [m.user_id for m in to_create if m.role == Membership.Role.STUDENT]
        if students:
            credit_sync_member(course=course, user_ids=students)
    return report


# --- assignments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    points: float
    exercise: Exercise | None = None
    quiz: object | None = None  # quizzes.Quiz


def _validate_assignment(
    *,
    title: str,
    opens_at: datetime,
    due_at: datetime,
    late_policy: str,
    late_penalty_per_day: float,
    cutoff_at: datetime | None,
    max_attempts: int | None,
    min_interval_s: int,
    score_policy: str,
    items: list[ItemSpec],
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("An assignment needs a title.")
    if due_at <= opens_at:
        errors["due_at"] = _("The due date must come after the opening date.")
    if cutoff_at is not None and cutoff_at < due_at:
        errors["cutoff_at"] = _("The cut-off cannot come before the due date.")
    if late_policy not in Assignment.LatePolicy.values:
        errors["late_policy"] = _("Choose a late policy.")
    if not 0.0 <= late_penalty_per_day <= 1.0:
        errors["late_penalty_per_day"] = _("The penalty per day is between 0 % and 100 %.")
    if max_attempts is not None and max_attempts < 1:
        errors["max_attempts"] = _("Allow at least one attempt, or leave it empty for no limit.")
    if min_interval_s < 0:
        errors["min_interval_s"] = _("The interval cannot be negative.")
    if score_policy not in Assignment.ScorePolicy.values:
        errors["score_policy"] = _("Choose which attempt counts.")
    if not items:
        errors["__all__"] = _("Choose at least one exercise or quiz.")
    elif any(item.points < 0 for item in items):
        errors["__all__"] = _("Points cannot be negative.")
    if errors:
        raise ValidationError(errors)


def _set_items(assignment: Assignment, items: list[ItemSpec]) -> None:
    current = {item.key: item for item in assignment.items.all()}
    wanted = {}
    for order, spec in enumerate(items):
        key = f"exercise:{spec.exercise.pk}" if spec.exercise is not None else f"quiz:{spec.quiz.pk}"
        wanted[key] = (order, spec)
    for key, item in current.items():
        if key not in wanted:
            item.delete()
    for key, (order, spec) in wanted.items():
        item = current.get(key)
        if item is None:
            AssignmentItem.objects.create(
                assignment=assignment, exercise=spec.exercise, quiz=spec.quiz, points=spec.points, order=order
            )
        elif item.points != spec.points or item.order != order:
            item.points, item.order = spec.points, order
            item.save(update_fields=["points", "order"])


@transaction.atomic
def assignment_create(
    *,
    course: Course,
    title: str,
    opens_at: datetime,
    due_at: datetime,
    items: list[ItemSpec],
    description: str = "",
    late_policy: str = Assignment.LatePolicy.PENALTY,
    late_penalty_per_day: float = 0.1,
    cutoff_at: datetime | None = None,
    max_attempts: int | None = None,
    min_interval_s: int = 0,
    score_policy: str = Assignment.ScorePolicy.BEST,
) -> Assignment:
    """Create an assignment of exercises and quizzes with its window, late policy and limits."""
    fields = {
        "title": title.strip(),
        "opens_at": opens_at,
        "due_at": due_at,
        "late_policy": late_policy,
        "late_penalty_per_day": late_penalty_per_day,
        "cutoff_at": cutoff_at,
        "max_attempts": max_attempts,
        "min_interval_s": min_interval_s,
        "score_policy": score_policy,
    }
    _validate_assignment(items=items, **fields)
    assignment = Assignment.objects.create(course=course, description=description.strip(), **fields)
    _set_items(assignment, items)
    return assignment


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    title: str,
    opens_at: datetime,
    due_at: datetime,
    items: list[ItemSpec],
    description: str = "",
    late_policy: str = Assignment.LatePolicy.PENALTY,
    late_penalty_per_day: float = 0.1,
    cutoff_at: datetime | None = None,
    max_attempts: int | None = None,
    min_interval_s: int = 0,
    score_policy: str = Assignment.ScorePolicy.BEST,
) -> Assignment:
    """Change an assignment; work already made is judged again against the new window, items and limits."""
    fields = {
        "title": title.strip(),
        "opens_at": opens_at,
        "due_at": due_at,
        "late_policy": late_policy,
        "late_penalty_per_day": late_penalty_per_day,
        "cutoff_at": cutoff_at,
        "max_attempts": max_attempts,
        "min_interval_s": min_interval_s,
        "score_policy": score_policy,
    }
    _validate_assignment(items=items, **fields)
    for name, value in fields.items():
        setattr(assignment, name, value)
    assignment.description = description.strip()
    assignment.save()
    _set_items(assignment, items)
    credit_sync(assignment=assignment)
    return assignment


@transaction.atomic
def extension_grant(*, assignment: Assignment, user, due_at: datetime, granted_by, reason: str = "") -> Extension:
    """Give one student a later due date (the cut-off moves as much); their work is judged again."""
    if not Membership.objects.filter(course=assignment.course_id, user=user, role=Membership.Role.STUDENT).exists():
        raise ValidationError({"user": _("Extensions are for students of this course.")})
    if due_at <= assignment.due_at:
        raise ValidationError(
            {"due_at": _("An extension moves the due date later than %(due)s.") % {"due": _local(assignment.due_at)}}
        )
    extension, _created = Extension.objects.update_or_create(
        assignment=assignment,
        user=user,
        defaults={"due_at": due_at, "reason": reason.strip()[:300], "granted_by": granted_by},
    )
    credit_sync(assignment=assignment, user_ids=[user.pk])
    return extension


@transaction.atomic
def extension_revoke(*, extension: Extension) -> None:
    assignment, user = extension.assignment, extension.user
    extension.delete()
    credit_sync(assignment=assignment, user_ids=[user.pk])


# --- assignment credit: what each submission and quiz try counts for (docs/architecture.md) ---------


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
            _("This assignment opens on %(opens)s; submit again then.") % {"opens": _local(assignment.opens_at)}
        )
    if deadline.cutoff_at == deadline.due_at:
        return ValidationError(
            _("This assignment was due on %(due)s and does not accept late submissions.")
            % {"due": _local(deadline.due_at)}
        )
    return ValidationError(
        _("The cut-off for this assignment was %(cutoff)s; submissions are no longer accepted.")
        % {"cutoff": _local(deadline.cutoff_at)}
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


def _credit_new_work(*, user, work: Work, target: Assignment | None = None) -> list[AssignmentCredit]:
    """Write what new work counts for: every assignment of the student's courses open for them at its time.

    With a ``target`` (the assignment whose page it was sent from) the work must count there, else
    ValidationError says why and nothing is written. Call inside the transaction that stored it.
    """
    # Serialize one student's work: two submissions at once must not both take the last attempt.
    memberships = {m.course_id: m for m in Membership.objects.select_for_update().filter(user=user)}
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


# --- regrades ---------------------------------------------------------------------------------


def regrade_preview(*, course: Course, exercise: Exercise, requested_by) -> Regrade:
    """Start computing new verdicts for every stored submission of ``exercise`` in ``course``.

    Nothing a student sees changes: the new verdicts go to the pending table (RegradeResult),
    computed by ``courses.regrade_submissions`` tasks fanned out over the grading workers.
    """
    try:
        with transaction.atomic():
            exercise = Exercise.objects.get(pk=exercise.pk)  # the version synced now, not a stale copy
            open_preview = Regrade.objects.filter(
                course=course, exercise=exercise, status=Regrade.Status.PREVIEW
            ).first()
            if open_preview is not None:
                raise ValidationError(
                    _("Regrade #%(n)s of this exercise is still a preview: apply or discard it first.")
                    % {"n": open_preview.pk}
                )
            submissions = list(
                course_submissions(course=course)
                .filter(exercise=exercise, status__in=Submission.FINAL_STATUSES)
                .values_list("pk", "status", "score")
            )
            if not submissions:
                raise ValidationError(_("No graded submission of this exercise in this course: nothing to regrade."))
            regrade = Regrade.objects.create(
                course=course,
                exercise=exercise,
                bundle_hash=exercise.content_hash,
                total=len(submissions),
                created_by=requested_by,
            )
            RegradeResult.objects.bulk_create(
                RegradeResult(regrade=regrade, submission_id=pk, old_status=status, old_score=score)
                for pk, status, score in submissions
            )
            result_ids = list(regrade.results.values_list("pk", flat=True))
            transaction.on_commit(lambda: regrade_enqueue(result_ids=result_ids))
    except IntegrityError:  # another instructor started the same regrade at the same moment
        raise ValidationError(_("A regrade of this exercise is already being prepared.")) from None
    return regrade


REGRADE_TASKS_AT_LEAST = 64  # small regrades: one submission per task; large ones: up to
REGRADE_CHUNK_MAX = 20  # this many per task, so broker overhead does not dominate


def regrade_enqueue(*, result_ids: list[int]) -> int:
    """Fan the results out over the grading workers in small chunks; a chunk left unsent is resumed later."""
    from courses.tasks import regrade_submissions

    size = max(1, min(REGRADE_CHUNK_MAX, -(-len(result_ids) // REGRADE_TASKS_AT_LEAST)))
    sent = 0
    for start in range(0, len(result_ids), size):
        chunk = result_ids[start : start + size]
        try:
            regrade_submissions.apply_async((chunk,), queue=settings.CELERY_GRADING_QUEUE)
        except Exception:  # the broker is down: the results stay pending and "Resume" sends them again
            log.exception("could not enqueue %s regrade results; they stay pending", len(result_ids) - sent)
            break
        sent += len(chunk)
    return sent


def _regrade_finish_if_complete(regrade_id: int) -> None:
    if not RegradeResult.objects.filter(regrade_id=regrade_id).exclude(status=RegradeResult.Status.DONE).exists():
        Regrade.objects.filter(pk=regrade_id, computed_at__isnull=True).update(computed_at=timezone.now())


def regrade_record_result(*, result_id: int, verdict: Verdict) -> bool:
    """Store one new verdict in the pending table, once; the submission itself does not change."""
    with transaction.atomic():
        result = RegradeResult.objects.select_for_update().get(pk=result_id)
        if result.status == RegradeResult.Status.DONE:
            return False
        new = StoredVerdict.of(verdict)
        result.status = RegradeResult.Status.DONE
        result.new_status, result.new_score = new.status, new.score
        result.new_passed, result.new_total = new.passed, new.total
        result.new_verdict = new.verdict
        result.message = ""
        result.attempts += 1
        result.computed_at = timezone.now()
        result.save()
    _regrade_finish_if_complete(result.regrade_id)
    return True


def regrade_record_failure(*, result_id: int, message: str, final: bool) -> None:
    """Count a failed computation; after the last retry the result is failed (resume to try again)."""
    with transaction.atomic():
        result = RegradeResult.objects.select_for_update().get(pk=result_id)
        if result.status == RegradeResult.Status.DONE:
            return
        result.attempts += 1
        result.message = message[:2000]
        if final:
            result.status = RegradeResult.Status.FAILED
        result.save(update_fields=["attempts", "message", "status"])


def _refusal(action: str) -> str:
    """Whole sentences, so that each can be translated: "Regrade #3 is applied: it cannot be resumed." """
    return {
        "resumed": _("Regrade #%(n)s is %(status)s: it cannot be resumed."),
        "discarded": _("Regrade #%(n)s is %(status)s: it cannot be discarded."),
        "applied": _("Regrade #%(n)s is %(status)s: it cannot be applied."),
        "rolled back": _("Regrade #%(n)s is %(status)s: it cannot be rolled back."),
    }[action]


def _require_status(regrade: Regrade, status: str, action: str) -> None:
    if regrade.status != status:
        raise ValidationError(_refusal(action) % {"n": regrade.pk, "status": regrade.get_status_display().lower()})


def regrade_resume(*, regrade: Regrade) -> int:
    """Send again every result of a preview that is not computed (failed, or its task was lost)."""
    with transaction.atomic():
        regrade = Regrade.objects.select_for_update().get(pk=regrade.pk)
        _require_status(regrade, Regrade.Status.PREVIEW, "resumed")
        unfinished = regrade.results.exclude(status=RegradeResult.Status.DONE)
        result_ids = list(unfinished.values_list("pk", flat=True))
        unfinished.update(status=RegradeResult.Status.PENDING, attempts=0, message="")
        if result_ids:
            transaction.on_commit(lambda: regrade_enqueue(result_ids=result_ids))
    return len(result_ids)


def regrade_discard(*, regrade: Regrade) -> None:
    """Drop a preview: nothing was applied, so nothing changes for students."""
    with transaction.atomic():
        regrade = Regrade.objects.select_for_update().get(pk=regrade.pk)
        _require_status(regrade, Regrade.Status.PREVIEW, "discarded")
        regrade.status = Regrade.Status.DISCARDED
        regrade.finished_at = timezone.now()
        regrade.save(update_fields=["status", "finished_at"])
        regrade.results.filter(status=RegradeResult.Status.PENDING).update(
            status=RegradeResult.Status.FAILED, message="discarded"
        )


def _history_of(submission_id: int, before: StoredVerdict, *, regrade: Regrade, reason: str) -> VerdictHistory:
    return VerdictHistory(
        submission_id=submission_id,
        regrade=regrade,
        reason=reason,
        status=before.status,
        score=before.score,
        passed=before.passed,
        total=before.total,
        verdict=before.verdict,
        bundle_hash=before.bundle_hash,
        graded_at=before.graded_at,
    )


def regrade_apply(*, regrade: Regrade, applied_by) -> int:
    """Switch every submission of a computed preview to its new verdict, in one transaction.

    The old verdicts go to VerdictHistory. If anything is off (a result missing, the exercise or
    a submission changed since the preview) nothing is applied.
    """
    with transaction.atomic():
        regrade = Regrade.objects.select_for_update().select_related("exercise").get(pk=regrade.pk)
        _require_status(regrade, Regrade.Status.PREVIEW, "applied")
        unfinished = regrade.results.exclude(status=RegradeResult.Status.DONE).count()
        if unfinished:
            raise ValidationError(
                _("%(n)s of %(total)s submissions are not regraded yet: resume the regrade, or discard it.")
                % {"n": unfinished, "total": regrade.total}
            )
        if regrade.exercise.content_hash != regrade.bundle_hash:
            raise ValidationError(
                _("The exercise changed again since this preview was computed: discard it and start a new regrade.")
            )
        results = list(regrade.results.all())
        replacements = {
            r.submission_id: StoredVerdict(
                r.new_status,
                r.new_score,
                r.new_passed,
                r.new_total,
                r.new_verdict,
                (r.new_verdict or {}).get("bundle_hash", regrade.bundle_hash),
            )
            for r in results
        }
        try:
            before = submission_replace_verdicts(
                replacements=replacements, expected={r.submission_id: (r.old_status, r.old_score) for r in results}
            )
        except SubmissionChanged as exc:
            raise ValidationError(
                _("Submission #%(n)s changed since the preview was computed: discard this regrade and start a new one.")
                % {"n": exc.submission_id}
            ) from None
        VerdictHistory.objects.bulk_create(
            [
                _history_of(sid, old, regrade=regrade, reason=VerdictHistory.Reason.REGRADE)
                for sid, old in before.items()
            ]
        )
        regrade.status = Regrade.Status.APPLIED
        regrade.applied_by = applied_by
        regrade.applied_at = regrade.finished_at = timezone.now()
        regrade.save(update_fields=["status", "applied_by", "applied_at", "finished_at"])
    return len(before)


def regrade_rollback(*, regrade: Regrade) -> int:
    """Give every submission of an applied regrade its verdict from before, in one transaction."""
    with transaction.atomic():
        regrade = Regrade.objects.select_for_update().get(pk=regrade.pk)
        _require_status(regrade, Regrade.Status.APPLIED, "rolled back")
        later = (
            Regrade.objects.filter(
                course=regrade.course_id,
                exercise=regrade.exercise_id,
                status=Regrade.Status.APPLIED,
                applied_at__gt=regrade.applied_at,
            )
            .order_by("-applied_at")
            .first()
        )
        if later is not None:
            raise ValidationError(_("Regrade #%(n)s was applied after this one: roll it back first.") % {"n": later.pk})
        previous = VerdictHistory.objects.filter(regrade=regrade, reason=VerdictHistory.Reason.REGRADE)
        before = submission_replace_verdicts(replacements={h.submission_id: StoredVerdict.read(h) for h in previous})
        VerdictHistory.objects.bulk_create(
            [
                _history_of(sid, old, regrade=regrade, reason=VerdictHistory.Reason.ROLLBACK)
                for sid, old in before.items()
            ]
        )
        regrade.status = Regrade.Status.ROLLED_BACK
        regrade.rolled_back_at = regrade.finished_at = timezone.now()
        regrade.save(update_fields=["status", "rolled_back_at", "finished_at"])
    return len(before)


# --- demo data (make run) -------------------------------------------------------------------------

DEMO_COURSE_SLUG = "dl-fundamentals-demo"
DEMO_EXERCISES = ("relu", "sigmoid", "softmax", "clip-by-norm")


def demo_course_ensure(*, instructor, students: list) -> Course | None:
    """A demo course taught by ``instructor`` with ``students`` enrolled and one open assignment.

    Idempotent: an existing demo course keeps its data. Returns None when no exercise is synced yet.
    """
    exercises = list(Exercise.objects.filter(slug__in=DEMO_EXERCISES, is_active=True))
    if not exercises:
        return None
    with transaction.atomic():
        course = Course.objects.filter(slug=DEMO_COURSE_SLUG).first()
        if course is None:
            course = Course.objects.create(
                title="Deep learning fundamentals (demo)",
                slug=DEMO_COURSE_SLUG,
                description="A demo course: one assignment on activations and gradient clipping.",
                join_code=_new_join_code(),
                created_by=instructor,
            )
        Membership.objects.get_or_create(
            course=course,
            user=instructor,
            defaults={"role": Membership.Role.INSTRUCTOR, "source": Membership.Source.CREATOR},
        )
        for student in students:
            Membership.objects.get_or_create(
                course=course,
                user=student,
                defaults={"role": Membership.Role.STUDENT, "source": Membership.Source.ADMIN},
            )
        if not course.assignments.exists():
            now = timezone.now()
            order = {slug: index for index, slug in enumerate(DEMO_EXERCISES)}
            assignment_create(
                course=course,
                title="Week 1: activations and clipping",
                description="Implement the activations, then clip a gradient by its norm.",
                opens_at=now - timedelta(days=1),
                due_at=now + timedelta(days=7),
                cutoff_at=now + timedelta(days=10),
                late_penalty_per_day=0.1,
                max_attempts=20,
                min_interval_s=5,
                items=[ItemSpec(points=e.points, exercise=e) for e in sorted(exercises, key=lambda e: order[e.slug])],
            )
    return course
