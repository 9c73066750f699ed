"""API shapes. Verdicts are serialized from Verdict.to_dict() (public() for students)."""

from __future__ import annotations

import math

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from catalog.models import Exercise
from graders.verdict import CASE_STATUSES, OUTCOMES
from quizzes.models import Quiz
from submissions.hooks import NO_ATTEMPTS_LEFT, TOO_SOON, CreditNote, credit_policy
from submissions.models import Submission, public_seconds

RECORD_STATUSES = ("graded", "error")  # a batch record's status (docs/catalog.md)
PLATFORM_ERROR_MESSAGE = "We could not grade this submission (our fault, not your code); please submit it again."


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    is_staff = serializers.BooleanField()


class TitleSerializer(serializers.Serializer):
    en = serializers.CharField()
    zh = serializers.CharField()


class ExerciseSerializer(serializers.ModelSerializer):
    function = serializers.CharField(source="function_name")
    title = serializers.SerializerMethodField()
    tolerance = serializers.SerializerMethodField()
    limits = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = [
            "slug",
            "title",
            "function",
            "topic",
            "difficulty",
            "points",
            "case_count",
            "tolerance",
            "limits",
            "url",
        ]

    @extend_schema_field(TitleSerializer)
    def get_title(self, exercise: Exercise) -> dict:
        return {"en": exercise.title_en, "zh": exercise.title_zh}

    @extend_schema_field({"type": "object", "properties": {"rtol": {"type": "number"}, "atol": {"type": "number"}}})
    def get_tolerance(self, exercise: Exercise) -> dict:
        return {"rtol": exercise.rtol, "atol": exercise.atol}

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "time_s": {"type": "number"},
                "memory_mib": {"type": "integer"},
                "budget_s": {"type": "number", "description": "all cases of one submission together"},
            },
        }
    )
    def get_limits(self, exercise: Exercise) -> dict:
        return {
            "time_s": exercise.time_limit_s,
            "memory_mib": exercise.memory_limit_mib,
            "budget_s": exercise.time_budget_s,
        }

    def get_url(self, exercise: Exercise) -> str:
        return reverse("api:exercise-detail", args=[exercise.slug], request=self.context.get("request"))


class ExerciseDetailSerializer(ExerciseSerializer):
    statement_html = serializers.SerializerMethodField()
    starter_code = serializers.CharField()

    class Meta(ExerciseSerializer.Meta):
        fields = [*ExerciseSerializer.Meta.fields, "statement_html", "starter_code"]

    @extend_schema_field(TitleSerializer)
    def get_statement_html(self, exercise: Exercise) -> dict:
        return {"en": exercise.statement_en_html, "zh": exercise.statement_zh_html}


class QuizSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()

    class Meta:
        model = Quiz
        fields = ["slug", "title", "topic", "points"]

    @extend_schema_field(TitleSerializer)
    def get_title(self, quiz: Quiz) -> dict:
        return {"en": quiz.title_en, "zh": quiz.title_zh}


class FiniteFloatField(serializers.FloatField):
    """A number from a stored verdict: NaN, infinity or anything unreadable comes back as null (a
    verdict stored before durations were measured on the trusted side may hold a child's NaN)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value) -> float | None:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return number if math.isfinite(number) else None


class CaseResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=CASE_STATUSES)
    message = serializers.CharField(allow_blank=True)
    hidden = serializers.BooleanField()
    weight = FiniteFloatField()
    duration_ms = FiniteFloatField()
    details = serializers.DictField(
        help_text="Visible cases only: previews of inputs, expected, got; where they differ"
    )
    mistake = serializers.CharField(allow_blank=True, help_text="The key of a known mistake this case matched")
    printed = serializers.CharField(
        allow_blank=True, default="", help_text="Visible cases only: what the code printed (at most 4000 characters)"
    )


class MistakeSerializer(serializers.Serializer):
    key = serializers.CharField()
    message = serializers.CharField()
    message_zh = serializers.CharField(allow_blank=True)
    cases = serializers.ListField(
        child=serializers.CharField(), default=list, help_text="The failed cases this mistake explains"
    )


class VerdictSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    score = serializers.FloatField(min_value=0, max_value=1)
    passed = serializers.IntegerField()
    total = serializers.IntegerField()
    message = serializers.CharField(allow_blank=True)
    cases = CaseResultSerializer(many=True)
    mistakes = MistakeSerializer(many=True)
    unexplained = serializers.ListField(
        child=serializers.CharField(),
        default=list,
        help_text="Failed cases that none of the named mistakes explains (empty when no mistake is named)",
    )
    exercise = serializers.CharField()
    bundle_hash = serializers.CharField(allow_blank=True)
    elapsed_ms = FiniteFloatField()
    tolerance = serializers.DictField(help_text="rtol and atol")


class SecondsDateTimeField(serializers.DateTimeField):
    """A server timestamp, to the second for students: graded_at - created_at to the microsecond would time
    the grading, hidden cases included. Operators get it exact."""

    def to_representation(self, value):
        request = self.context.get("request")
        if value is not None and not (request is not None and request.user.is_staff):
            value = value.replace(microsecond=0)
        return super().to_representation(value)


class CreditSerializer(serializers.Serializer):
    """An assignment a submission counted for, with its late marks there."""

    assignment = serializers.IntegerField(source="assignment_id")
    title = serializers.CharField()
    course = serializers.CharField(source="course_title")
    is_late = serializers.BooleanField()
    late_days = serializers.IntegerField()
    late_penalty = serializers.FloatField(help_text="The fraction of the score lost there, in [0, 1]")
    extension_applied = serializers.BooleanField()


class NotCountedSerializer(serializers.Serializer):
    """An assignment whose window a submission was made in, but that did not count it."""

    assignment = serializers.IntegerField(source="assignment_id")
    title = serializers.CharField()
    course = serializers.CharField(source="course_title")
    reason = serializers.ChoiceField(
        choices=(NO_ATTEMPTS_LEFT, TOO_SOON), help_text="attempts: no attempts were left; interval: too soon"
    )


class SubmissionSerializer(serializers.ModelSerializer):
    exercise = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_final = serializers.BooleanField(read_only=True)
    created_at = SecondsDateTimeField(read_only=True)
    graded_at = SecondsDateTimeField(read_only=True, allow_null=True)
    queue_wait_s = serializers.SerializerMethodField(help_text="Seconds it waited for a worker, to 0.1 s")
    grading_s = serializers.SerializerMethodField(help_text="Seconds grading took, to 0.1 s")
    counted_for = serializers.SerializerMethodField(
        help_text="Every assignment it counts for: open for you when it was made, holding this exercise"
    )
    not_counted_for = serializers.SerializerMethodField(
        help_text="Assignments it was made in the window of but that did not count it (attempt limit, interval)"
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "exercise",
            "user",
            "status",
            "is_final",
            "score",
            "passed",
            "total",
            "created_at",
            "graded_at",
            "queue_wait_s",
            "grading_s",
            "counted_for",
            "not_counted_for",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, submission: Submission) -> str:
        return reverse("api:submission-detail", args=[submission.pk], request=self.context.get("request"))

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_queue_wait_s(self, submission: Submission) -> float | None:
        wait = submission.queue_wait_s
        return None if wait is None else round(wait, 1)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_grading_s(self, submission: Submission) -> float | None:
        return public_seconds(submission.grading_s)

    def _notes(self, submission: Submission) -> list[CreditNote]:
        notes = self.context.get("credit_notes")
        if notes is None:  # a single submission: look it up here
            notes = credit_policy().notes(submission_ids=[submission.pk])
        return notes.get(submission.pk, [])

    @extend_schema_field(CreditSerializer(many=True))
    def get_counted_for(self, submission: Submission) -> list[dict]:
        return CreditSerializer([note for note in self._notes(submission) if note.counted], many=True).data

    @extend_schema_field(NotCountedSerializer(many=True))
    def get_not_counted_for(self, submission: Submission) -> list[dict]:
        return NotCountedSerializer([note for note in self._notes(submission) if not note.counted], many=True).data


class SubmissionDetailSerializer(SubmissionSerializer):
    verdict = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "message", "verdict", "source"]
        read_only_fields = fields

    @extend_schema_field(VerdictSerializer(allow_null=True))
    def get_verdict(self, submission: Submission) -> dict | None:
        verdict = self.context["verdicts"].get(submission.pk)
        return None if verdict is None else VerdictSerializer(verdict).data

    def get_message(self, submission: Submission) -> str:
        if submission.status == Submission.Status.PLATFORM_ERROR:
            return PLATFORM_ERROR_MESSAGE
        verdict = self.context["verdicts"].get(submission.pk)
        return verdict["message"] if verdict else ""


class SubmissionCreateSerializer(serializers.Serializer):
    exercise = serializers.SlugField(help_text="The exercise's slug, e.g. relu")
    source = serializers.CharField(trim_whitespace=False, allow_blank=True, help_text="The Python module, as text")


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    running = serializers.IntegerField()
    queued = serializers.IntegerField()
    percent = serializers.IntegerField()
    mean_score = serializers.FloatField(allow_null=True)


class SkippedSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField()


class BatchJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    exercise = serializers.CharField(source="exercise.slug")
    origin = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    is_finished = serializers.BooleanField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, job) -> str:
        return reverse("api:batch-detail", args=[job.pk], request=self.context.get("request"))


class BatchJobDetailSerializer(BatchJobSerializer):
    progress = serializers.SerializerMethodField()
    skipped = SkippedSerializer(many=True)
    results_url = serializers.SerializerMethodField()
    report_csv_url = serializers.SerializerMethodField()

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, job) -> dict:
        return ProgressSerializer(self.context["progress"].as_dict()).data

    def get_results_url(self, job) -> str:
        return reverse("api:batch-results", args=[job.pk], request=self.context.get("request"))

    def get_report_csv_url(self, job) -> str:
        return reverse("api:batch-report-csv", args=[job.pk], request=self.context.get("request"))


class BatchJobCreateSerializer(serializers.Serializer):
    exercise = serializers.SlugField(help_text="The exercise's slug")
    archive = serializers.FileField(help_text="A zip archive of .py files (folders are kept in the names)")


class RecordCaseSerializer(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=CASE_STATUSES)
    message = serializers.CharField(allow_blank=True)


class BatchResultSerializer(serializers.Serializer):
    """One file's record, as `manage.py grade --json` prints it, with its position in the job."""

    position = serializers.IntegerField()
    file = serializers.CharField(source="record.file")
    exercise = serializers.CharField(source="record.exercise")
    status = serializers.ChoiceField(choices=RECORD_STATUSES, source="record.status")
    score = serializers.FloatField(source="record.score")
    passed = serializers.IntegerField(source="record.passed")
    total = serializers.IntegerField(source="record.total")
    cases = RecordCaseSerializer(many=True, source="record.cases")
    message = serializers.CharField(source="record.message", default="")
    mistakes = serializers.ListField(child=serializers.CharField(), source="record.mistakes", default=list)


class CourseMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="course.id")
    slug = serializers.CharField(source="course.slug")
    title = serializers.CharField(source="course.title")
    role = serializers.CharField()
    gradebook_url = serializers.SerializerMethodField(help_text="For the course's instructors and TAs only")

    def get_gradebook_url(self, membership) -> str | None:
        if not membership.is_staff_role:
            return None
        return reverse("api:course-gradebook", args=[membership.course_id], request=self.context.get("request"))


class GradebookItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="exercise:<id> or quiz:<id>")
    kind = serializers.ChoiceField(choices=("exercise", "quiz"))
    slug = serializers.CharField()
    points = serializers.FloatField()


class GradebookAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    opens_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    max_points = serializers.FloatField()
    items = GradebookItemSerializer(many=True)


class GradebookItemScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    attempts = serializers.IntegerField()
    points = serializers.FloatField()
    max_points = serializers.FloatField()
    credited = serializers.FloatField(allow_null=True, help_text="The fraction that counts, after late penalties")
    solved = serializers.BooleanField()
    is_late = serializers.BooleanField()


class GradebookCellSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    points = serializers.FloatField()
    max_points = serializers.FloatField()
    is_late = serializers.BooleanField()
    extension = serializers.BooleanField()
    items = GradebookItemScoreSerializer(many=True)


class GradebookRowSerializer(serializers.Serializer):
    username = serializers.CharField()
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    total = serializers.FloatField()
    max_total = serializers.FloatField()
    percent = serializers.FloatField(allow_null=True)
    assignments = GradebookCellSerializer(many=True)


class GradebookPageSerializer(serializers.Serializer):
    """One page of students (``results``), with the course's assignments as the columns."""

    course = serializers.DictField(help_text="id, slug and title")
    assignments = GradebookAssignmentSerializer(many=True)
    max_total = serializers.FloatField()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = GradebookRowSerializer(many=True)
