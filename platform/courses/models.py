"""Courses own who takes what and when: members and roles, assignments and their policies, regrades."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import policy
from courses.policy import Deadline


class Course(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    # Students join with this code; instructors can reset it or close joining.
    join_code = models.CharField(max_length=16, unique=True)
    join_open = models.BooleanField(default=True)
    # Joining by code or link only for accounts with a verified address at one of these domains
    # ("university.edu cs.university.edu"); empty: any account.
    join_email_domains = models.CharField(max_length=500, blank=True)
    # Deadlines are set and shown in this zone on the course's pages ("Asia/Shanghai"); empty: the site's.
    time_zone = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or settings.TIME_ZONE)


class Membership(models.Model):
    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", _("Instructor")
        TA = "ta", _("Teaching assistant")
        STUDENT = "student", _("Student")

    class Source(models.TextChoices):
        CREATOR = "creator", _("Created the course")
        JOIN_CODE = "join_code", _("Join code")
        CSV = "csv", _("CSV upload")
        ADMIN = "admin", _("Admin")
        LMS = "lms", _("Learning management system")

    STAFF_ROLES = (Role.INSTRUCTOR, Role.TA)

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.STUDENT)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.ADMIN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["course", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="membership_once_per_course")]
        indexes = [models.Index(fields=["user", "role"], name="membership_user_role")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_id} as {self.role}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in self.STAFF_ROLES

    @property
    def is_instructor(self) -> bool:
        return self.role == self.Role.INSTRUCTOR


class Invitation(models.Model):
    """A roster row for someone who had no account: their account was made, they set its password by a link.

    Only a digest of the current link's token is kept; a resend makes a new one (the old link stops working).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_invitations")
    email = models.EmailField()
    role = models.CharField(max_length=12, choices=Membership.Role.choices, default=Membership.Role.STUDENT)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A send is owed while send_requested_at is later than sent_at: the task is idempotent on that.
    send_requested_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveIntegerField(default=0)
    send_error = models.CharField(max_length=500, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course", "email"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="invitation_once_per_course")]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.course_id} ({self.state})"


class Assignment(models.Model):
    """Exercises and quizzes with points, a window, a late policy and limits on attempts."""

    class LatePolicy(models.TextChoices):
        PENALTY = "penalty", _("Penalty per day late")
        CUTOFF = "cutoff", _("No credit after the cut-off")

    class ScorePolicy(models.TextChoices):
        BEST = "best", _("Best attempt")
        LAST = "last", _("Last attempt")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    late_policy = models.CharField(max_length=10, choices=LatePolicy.choices, default=LatePolicy.PENALTY)
    # A fraction of the score lost per started day late (penalty policy only).
    late_penalty_per_day = models.FloatField(default=0.1)
    # After this, submissions are refused; with the cut-off policy an empty value means the due date.
    cutoff_at = models.DateTimeField(null=True, blank=True)
    max_attempts = models.PositiveIntegerField(null=True, blank=True)
    min_interval_s = models.PositiveIntegerField(default=0)
    score_policy = models.CharField(max_length=4, choices=ScorePolicy.choices, default=ScorePolicy.BEST)
    created_at = models.DateTimeField(auto_now_add=True)
    # Work made before this moment never gains credit here: an assignment cannot count what was done
    # before it existed, whatever its opening date says. Assignments older than credit rows have the
    # migration's time, so that work from before keeps exactly the credit it had.
    counts_from = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gt=F("opens_at")), name="assignment_due_after_open"),
            models.CheckConstraint(
                condition=Q(cutoff_at__isnull=True) | Q(cutoff_at__gte=F("due_at")),
                name="assignment_cutoff_not_before_due",
            ),
            models.CheckConstraint(
                condition=Q(late_penalty_per_day__gte=0, late_penalty_per_day__lte=1),
                name="assignment_penalty_is_a_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def deadline_for(self, extension: Extension | None) -> Deadline:
        """The window one student works in: the assignment's, moved by their extension if any."""
        penalty = self.late_penalty_per_day if self.late_policy == self.LatePolicy.PENALTY else 0.0
        cutoff = self.cutoff_at
        if cutoff is None and self.late_policy == self.LatePolicy.CUTOFF:
            cutoff = self.due_at
        due = self.due_at
        if extension is not None and extension.due_at > self.due_at:
            shift = extension.due_at - self.due_at
            due = extension.due_at
            cutoff = cutoff + shift if cutoff is not None else None
        return Deadline(
            opens_at=self.opens_at,
            due_at=due,
            cutoff_at=cutoff,
            penalty_per_day=penalty,
            original_due_at=self.due_at,
        )

    @property
    def max_points(self) -> float:
        return sum(item.points for item in self.items.all())


class AssignmentItem(models.Model):
    """One exercise or one quiz of an assignment, worth some points."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(
        "catalog.Exercise", null=True, blank=True, on_delete=models.PROTECT, related_name="assignment_items"
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz", null=True, blank=True, on_delete=models.PROTECT, related_name="assignment_items"
    )
    points = models.FloatField(default=10)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["assignment", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exercise__isnull=False, quiz__isnull=True) | Q(exercise__isnull=True, quiz__isnull=False),
                name="item_is_one_exercise_or_one_quiz",
            ),
            models.UniqueConstraint(
                fields=["assignment", "exercise"], condition=Q(exercise__isnull=False), name="item_exercise_once"
            ),
            models.UniqueConstraint(
                fields=["assignment", "quiz"], condition=Q(quiz__isnull=False), name="item_quiz_once"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="item_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.exercise_id or self.quiz_id}"

    @property
    def kind(self) -> str:
        return "exercise" if self.exercise_id else "quiz"

    @property
    def key(self) -> str:
        """A stable key for score tables: 'exercise:<id>' or 'quiz:<id>'."""
        return f"exercise:{self.exercise_id}" if self.exercise_id else f"quiz:{self.quiz_id}"

    def title(self, language: str) -> str:
        target = self.exercise or self.quiz
        return target.title_zh if language.startswith("zh") else target.title_en

    @property
    def slug(self) -> str:
        return (self.exercise or self.quiz).slug


class Extension(models.Model):
    """A later due date for one student; the cut-off moves by the same amount."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions")
    due_at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assignment", "user__username"]
        constraints = [models.UniqueConstraint(fields=["assignment", "user"], name="extension_once_per_student")]

    def __str__(self) -> str:
        return f"{self.user_id} until {self.due_at:%Y-%m-%d %H:%M}"


class AssignmentCredit(models.Model):
    """How one submission or one quiz try counts for one assignment; written only by courses.services.

    A row exists when the work was made while the assignment was open for its student (after
    ``counts_from``, from the opening to the cut-off, with their extension) and the assignment holds
    its exercise or quiz. ``counted`` is False when the attempt limit or the minimum interval kept
    it from counting; the late marks are per assignment, since one submission can count for several.
    """

    class Reason(models.TextChoices):
        NO_ATTEMPTS_LEFT = policy.NO_ATTEMPTS_LEFT, _("no attempts left")
        TOO_SOON = policy.TOO_SOON, _("too soon after the previous one")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="credits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        "submissions.Submission", null=True, blank=True, on_delete=models.CASCADE, related_name="assignment_credits"
    )
    quiz_attempt = models.ForeignKey(
        "quizzes.QuizAttempt", null=True, blank=True, on_delete=models.CASCADE, related_name="assignment_credits"
    )
    counted = models.BooleanField(default=True)
    not_counted_reason = models.CharField(max_length=10, choices=Reason.choices, blank=True)
    is_late = models.BooleanField(default=False)
    late_days = models.PositiveIntegerField(default=0)
    late_penalty = models.FloatField(default=0.0)  # the fraction of the score lost, in [0, 1]
    extension_applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["assignment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission__isnull=False, quiz_attempt__isnull=True)
                | Q(submission__isnull=True, quiz_attempt__isnull=False),
                name="credit_is_for_one_submission_or_one_quiz_try",
            ),
            models.UniqueConstraint(
                fields=["assignment", "submission"],
                condition=Q(submission__isnull=False),
                name="credit_submission_once",
            ),
            models.UniqueConstraint(
                fields=["assignment", "quiz_attempt"],
                condition=Q(quiz_attempt__isnull=False),
                name="credit_quiz_attempt_once",
            ),
            models.CheckConstraint(
                condition=Q(late_penalty__gte=0, late_penalty__lte=1), name="credit_penalty_is_a_fraction"
            ),
        ]
        indexes = [models.Index(fields=["assignment", "user"], name="credit_assignment_user")]

    def __str__(self) -> str:
        work = f"submission {self.submission_id}" if self.submission_id else f"quiz try {self.quiz_attempt_id}"
        return f"{work} for {self.assignment_id}" + (
            "" if self.counted else f" (not counted: {self.not_counted_reason})"
        )


class Regrade(models.Model):
    """Rerun every stored submission of one exercise in one course against its current bundle.

    A regrade is computed first (the preview: new verdicts go to RegradeResult, nothing else
    changes), then applied in one transaction (old verdicts go to VerdictHistory), and can be rolled
    back from that history. A preview that failed half-way is resumed or discarded.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        APPLIED = "applied", _("Applied")
        ROLLED_BACK = "rolled_back", _("Rolled back")
        DISCARDED = "discarded", _("Discarded")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="regrades")
    exercise = models.ForeignKey("catalog.Exercise", on_delete=models.PROTECT, related_name="regrades")
    bundle_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEW, db_index=True)
    total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one open preview per course and exercise: two could not both be applied.
            models.UniqueConstraint(
                fields=["course", "exercise"], condition=Q(status="preview"), name="one_open_regrade_per_exercise"
            )
        ]

    def __str__(self) -> str:
        return f"regrade #{self.pk} of {self.exercise_id} in {self.course_id} ({self.status})"


class RegradeResult(models.Model):
    """The pending table of a regrade: one submission's new verdict, computed but not applied."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    regrade = models.ForeignKey(Regrade, on_delete=models.CASCADE, related_name="results")
    submission = models.ForeignKey("submissions.Submission", on_delete=models.CASCADE, related_name="regrade_results")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    old_status = models.CharField(max_length=20)
    old_score = models.FloatField(null=True, blank=True)
    new_status = models.CharField(max_length=20, blank=True)
    new_score = models.FloatField(null=True, blank=True)
    new_passed = models.IntegerField(null=True, blank=True)
    new_total = models.IntegerField(null=True, blank=True)
    new_verdict = models.JSONField(null=True, blank=True)
    message = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["regrade", "id"]
        constraints = [models.UniqueConstraint(fields=["regrade", "submission"], name="regrade_result_once")]

    def __str__(self) -> str:
        return f"{self.regrade_id}/{self.submission_id}: {self.status}"

    @property
    def delta(self) -> float | None:
        if self.new_score is None and self.old_score is None:
            return None
        return (self.new_score or 0.0) - (self.old_score or 0.0)


class VerdictHistory(models.Model):
    """A verdict a submission used to have, kept when a regrade (or its rollback) replaced it."""

    class Reason(models.TextChoices):
        REGRADE = "regrade", _("Replaced by a regrade")
        ROLLBACK = "rollback", _("Replaced by a rollback")

    submission = models.ForeignKey("submissions.Submission", on_delete=models.CASCADE, related_name="verdict_history")
    regrade = models.ForeignKey(Regrade, null=True, blank=True, on_delete=models.SET_NULL, related_name="history")
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.REGRADE)
    status = models.CharField(max_length=20)
    score = models.FloatField(null=True, blank=True)
    passed = models.IntegerField(null=True, blank=True)
    total = models.IntegerField(null=True, blank=True)
    verdict = models.JSONField(null=True, blank=True)
    bundle_hash = models.CharField(max_length=64, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "-replaced_at", "-id"]
        verbose_name_plural = _("verdict history")

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.score} ({self.reason} {self.regrade_id})"


class ContentRepository(models.Model):
    """A course's own exercises and quizzes, in a git repository the instructors keep (exercises/<slug>/ and
    quizzes/<slug>/ bundles).

    Pulled on demand and on a schedule (courses.content_sync_repository); every new version of a
    bundle is checked by the catalog's quality gate and waits, previewed, for course staff to publish.
    """

    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="content_repository")
    git_url = models.CharField(max_length=500)
    branch = models.CharField(max_length=200, default="main")
    # Sent by the git host's push webhook (?token=...) to ask for a pull.
    webhook_token = models.CharField(max_length=64, unique=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    # What the last pull said: "" (never pulled), or why it failed (cannot clone, no such branch).
    sync_error = models.TextField(blank=True)
    # The problems of the last pull, per bundle: [{"bundle", "file", "reason"}].
    sync_problems = models.JSONField(default=list, blank=True)
    syncing = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.course_id}: {self.git_url}@{self.branch}"


class ContentVersion(models.Model):
    """One version of one bundle of a course repository: its files kept as they were, checked, maybe published."""

    class Status(models.TextChoices):
        READY = "ready", _("Ready to publish")
        FAILED = "failed", _("Fails the quality gate")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    class Kind(models.TextChoices):
        EXERCISE = "exercise", _("Exercise")
        QUIZ = "quiz", _("Quiz")

    repository = models.ForeignKey(ContentRepository, on_delete=models.CASCADE, related_name="versions")
    # exercises/<slug>/ or quizzes/<slug>/ (db_default: the versions kept before quizzes were exercises).
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EXERCISE, db_default=Kind.EXERCISE)
    slug = models.SlugField(max_length=50)
    content_hash = models.CharField(max_length=64)
    path = models.CharField(max_length=500)  # the kept copy: the live exercise's bundle_path once published
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    problems = models.JSONField(default=list, blank=True)
    # What the preview page shows, computed by the sync (graders.content_check.preview).
    preview = models.JSONField(default=dict, blank=True)
    exercise = models.ForeignKey(
        "catalog.Exercise", null=True, blank=True, on_delete=models.SET_NULL, related_name="content_versions"
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz", null=True, blank=True, on_delete=models.SET_NULL, related_name="content_versions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "slug", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "kind", "slug", "content_hash"], name="content_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.slug}@{self.content_hash[:12]} ({self.status})"
