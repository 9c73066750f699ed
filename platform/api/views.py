"""The REST API under /api/v1/: exercises, quizzes, submissions and verdicts; batch jobs for staff.

Views validate input and call one service or selector each. Submitting goes through
submissions.services.submission_create(), the same path as the web page, with the same rate limit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.views import defaults
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from api import serializers as api_serializers
from api.exceptions import PayloadTooLarge, error_body
from api.pagination import Pagination
from api.permissions import IsStaff
from batches.models import BatchItem, BatchJob
from batches.selectors import batch_job_get, batch_job_progress, batch_job_report_csv, batch_jobs_for
from batches.services import batch_job_create_from_zip, batch_job_refresh
from batches.uploads import size_text, upload_too_large
from catalog.models import Exercise
from catalog.selectors import exercise_get_active
from config import ratelimit
from courses.selectors import course_gradebook, membership_for, memberships_of
from quizzes.selectors import quiz_get_active, quizzes_visible
from submissions.hooks import credit_policy
from submissions.models import Submission
from submissions.presenters import verdict_for
from submissions.selectors import submission_visible_to
from submissions.services import submission_create

ERROR_RESPONSES = {
    401: OpenApiResponse(description="No or invalid credentials (JSON error)"),
    403: OpenApiResponse(description="Not allowed (JSON error)"),
    404: OpenApiResponse(description="Not found (JSON error)"),
}


class ApiRootView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["api"],
        summary="Links to the API's lists and its documentation",
        responses=inline_serializer(
            "ApiRoot",
            {
                name: serializers.URLField()
                for name in ("exercises", "quizzes", "submissions", "batches", "courses", "me", "schema", "docs")
            },
        ),
    )
    def get(self, request):
        links = {
            name: reverse(f"api:{route}", request=request)
            for name, route in (
                ("exercises", "exercise-list"),
                ("quizzes", "quiz-list"),
                ("submissions", "submission-list"),
                ("batches", "batch-list"),
                ("courses", "course-list"),
                ("me", "me"),
                ("schema", "schema"),
                ("docs", "docs"),
            )
        }
        return Response(links)


class MeView(APIView):
    @extend_schema(
        tags=["api"], summary="The signed-in user", responses={200: api_serializers.MeSerializer, **ERROR_RESPONSES}
    )
    def get(self, request):
        return Response(api_serializers.MeSerializer(request.user).data)


@extend_schema(summary="Active exercises, in course order")
class ExerciseListView(generics.ListAPIView):
    serializer_class = api_serializers.ExerciseSerializer

    def get_queryset(self):
        return Exercise.objects.filter(is_active=True, is_public=True).order_by("topic", "order", "slug")


@extend_schema(
    summary="One exercise, with its statement and starter code",
    responses={200: api_serializers.ExerciseDetailSerializer, **ERROR_RESPONSES},
)
class ExerciseDetailView(generics.RetrieveAPIView):
    serializer_class = api_serializers.ExerciseDetailSerializer

    def get_object(self):
        exercise = exercise_get_active(slug=self.kwargs["slug"], user=self.request.user)
        if exercise is None:
            raise exceptions.NotFound("No such exercise.")
        return exercise


@extend_schema(summary="Active quizzes")
class QuizListView(generics.ListAPIView):
    serializer_class = api_serializers.QuizSerializer

    def get_queryset(self):
        # The public quizzes and the caller's courses' own (quizzes/access.py).
        return quizzes_visible(user=self.request.user).order_by("topic", "slug")


@extend_schema(summary="One quiz", responses={200: api_serializers.QuizSerializer, **ERROR_RESPONSES})
class QuizDetailView(generics.RetrieveAPIView):
    serializer_class = api_serializers.QuizSerializer

    def get_object(self):
        quiz = quiz_get_active(slug=self.kwargs["slug"], user=self.request.user)
        if quiz is None:
            raise exceptions.NotFound("No such quiz.")
        return quiz


def _verdicts(request, submissions) -> dict[int, dict]:
    """Verdicts as the user may see them: hidden cases and exact timings for operators and course staff only."""
    shown = {}
    for submission in submissions:
        verdict = verdict_for(user=request.user, submission=submission)
        if verdict is not None:
            shown[submission.pk] = verdict.to_dict()
    return shown


class SubmissionListView(generics.ListCreateAPIView):
    """Your own submissions, newest first; POST submits code."""

    def get_serializer_class(self):
        return (
            api_serializers.SubmissionCreateSerializer
            if self.request.method == "POST"
            else api_serializers.SubmissionSerializer
        )

    def get_queryset(self):
        queryset = Submission.objects.filter(user=self.request.user).select_related("exercise", "user")
        if slug := self.request.query_params.get("exercise"):
            queryset = queryset.filter(exercise__slug=slug)
        if wanted := self.request.query_params.get("status"):
            queryset = queryset.filter(status=wanted)
        return queryset.order_by("-created_at", "-id")

    @extend_schema(
        summary="Your submissions, newest first",
        parameters=[
            OpenApiParameter("exercise", str, description="only this exercise (slug)"),
            OpenApiParameter("status", str, enum=list(Submission.Status.values), description="only this status"),
        ],
    )
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # Where each counted, for the whole page at once rather than one lookup per submission.
        notes = credit_policy().notes(submission_ids=[submission.pk for submission in page])
        context = {**self.get_serializer_context(), "credit_notes": notes}
        return self.get_paginated_response(api_serializers.SubmissionSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Submit code for an exercise; grading starts at once",
        request=api_serializers.SubmissionCreateSerializer,
        responses={
            201: api_serializers.SubmissionDetailSerializer,
            400: OpenApiResponse(description="Invalid input, e.g. empty or too large code (JSON error)"),
            429: OpenApiResponse(description="Submitting too fast; see Retry-After (JSON error)"),
            **ERROR_RESPONSES,
        },
    )
    def post(self, request, *args, **kwargs):
        payload = api_serializers.SubmissionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        exercise = exercise_get_active(slug=payload.validated_data["exercise"], user=request.user)
        if exercise is None:
            raise exceptions.NotFound("No such exercise.")
        limit = ratelimit.Limit.parse(settings.SUBMIT_RATE)
        wait = ratelimit.hit(f"SUBMIT_RATE:{request.user.pk}", limit)  # the web page's bucket: one limit per user
        if wait:
            raise exceptions.Throttled(
                wait, detail=f"You are submitting too fast: at most {limit.count} submissions in {limit.seconds} s."
            )
        try:
            submission = submission_create(
                user=request.user, exercise=exercise, source=payload.validated_data["source"]
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"source": error.messages}) from None
        context = {**self.get_serializer_context(), "verdicts": {}}
        body = api_serializers.SubmissionDetailSerializer(submission, context=context).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


@extend_schema(
    summary="A submission's status and verdict (poll until is_final)",
    description="Students see their own submissions, with hidden cases reduced to name and status; staff see any.",
    responses={200: api_serializers.SubmissionDetailSerializer, **ERROR_RESPONSES},
)
class SubmissionDetailView(generics.RetrieveAPIView):
    serializer_class = api_serializers.SubmissionDetailSerializer

    def get_object(self):
        submission = submission_visible_to(user=self.request.user, submission_id=self.kwargs["pk"])
        if submission is None:
            raise exceptions.NotFound("No such submission.")
        return submission

    def retrieve(self, request, *args, **kwargs):
        submission = self.get_object()
        context = {**self.get_serializer_context(), "verdicts": _verdicts(request, [submission])}
        return Response(api_serializers.SubmissionDetailSerializer(submission, context=context).data)


class BatchJobListView(generics.ListCreateAPIView):
    permission_classes = [IsStaff]

    def get_serializer_class(self):
        return (
            api_serializers.BatchJobCreateSerializer
            if self.request.method == "POST"
            else api_serializers.BatchJobSerializer
        )

    def get_queryset(self):
        return batch_jobs_for(user=self.request.user).order_by("-created_at", "-id")

    @extend_schema(summary="Batch jobs, newest first (staff)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Upload a zip of submissions of one exercise to grade as a batch job (staff)",
        request={"multipart/form-data": api_serializers.BatchJobCreateSerializer},
        responses={
            201: api_serializers.BatchJobDetailSerializer,
            400: OpenApiResponse(description="Not a zip, or no Python file in it (JSON error)"),
            413: OpenApiResponse(description="Over the upload limit (JSON error)"),
            **ERROR_RESPONSES,
        },
    )
    def post(self, request, *args, **kwargs):
        if upload_too_large(request):
            raise PayloadTooLarge(f"Uploads are limited to {size_text(settings.BATCH_MAX_UPLOAD_BYTES)}.")
        payload = api_serializers.BatchJobCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        exercise = exercise_get_active(slug=payload.validated_data["exercise"], user=request.user)
        if exercise is None:
            raise exceptions.NotFound("No such exercise.")
        try:
            job = batch_job_create_from_zip(
                exercise=exercise,
                upload=payload.validated_data["archive"],
                origin=BatchJob.Origin.API,
                created_by=request.user,
            )
        except ValidationError as error:
            raise exceptions.ValidationError({"archive": error.messages}) from None
        job = batch_job_get(user=request.user, job_id=job.pk)
        body = _job_detail(request, job)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


def _job_or_404(request, pk: int) -> BatchJob:
    job = batch_job_get(user=request.user, job_id=pk)
    if job is None:
        raise exceptions.NotFound("No such batch job.")
    return job


def _job_detail(request, job: BatchJob) -> dict:
    context = {"request": request, "progress": batch_job_progress(job_id=job.pk)}
    return api_serializers.BatchJobDetailSerializer(job, context=context).data


class BatchJobDetailView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        summary="A batch job's progress and skipped entries (staff)",
        responses={200: api_serializers.BatchJobDetailSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, pk: int):
        job = _job_or_404(request, pk)
        if not job.is_finished:
            batch_job_refresh(job_id=job.pk)  # a watched job also re-sends items whose worker was lost
            job = _job_or_404(request, pk)
        return Response(_job_detail(request, job))


@extend_schema(
    summary="The records of a batch job's graded files, in input order (staff)",
    description="The same objects `manage.py grade --json` prints, with their position. Files not graded yet are "
    "left out until they are.",
)
class BatchResultListView(generics.ListAPIView):
    permission_classes = [IsStaff]
    serializer_class = api_serializers.BatchResultSerializer

    def get_queryset(self):
        job = _job_or_404(self.request, self.kwargs["pk"])
        return (
            BatchItem.objects.filter(job=job, status=BatchItem.Status.DONE)
            .only("position", "record")
            .order_by("position")
        )


class IgnoreAcceptNegotiation(BaseContentNegotiation):
    """A download answers with its own type whatever Accept says; errors still come out as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class BatchReportCsvView(APIView):
    permission_classes = [IsStaff]
    content_negotiation_class = IgnoreAcceptNegotiation

    @extend_schema(
        summary="A batch job's CSV report (staff)",
        description="One row per graded file in input order: the record's fields, then one column per case (its status).",
        responses={(200, "text/csv"): OpenApiTypes.STR, **ERROR_RESPONSES},
    )
    def get(self, request, pk: int):
        job = _job_or_404(request, pk)
        response = HttpResponse(batch_job_report_csv(job=job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="batch-{job.pk}-{job.exercise.slug}.csv"'
        return response


# -- courses (platform/courses owns the data and the scoring) --------------------------------


@extend_schema(summary="The courses you belong to, with your role")
class CourseListView(generics.ListAPIView):
    serializer_class = api_serializers.CourseMembershipSerializer

    def get_queryset(self):
        return memberships_of(user=self.request.user)


class CourseGradebookView(APIView):
    """Scores as the course counts them (best or last attempt, late penalties, extensions)."""

    @extend_schema(
        summary="A course's gradebook: students by assignments (the course's instructors and TAs)",
        description="404 for someone outside the course, 403 for its students. Students are paginated.",
        parameters=[
            OpenApiParameter("page", int, description="A page number within the paginated result set."),
            OpenApiParameter("page_size", int, description="Number of results to return per page."),
        ],
        responses={200: api_serializers.GradebookPageSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, pk: int):
        membership = membership_for(user=request.user, course_id=pk)
        if membership is None:
            raise exceptions.NotFound("No such course.")
        if not membership.is_staff_role:
            raise exceptions.PermissionDenied("The gradebook is for the course's instructors and teaching assistants.")
        gradebook = course_gradebook(course=membership.course)
        paginator = Pagination()
        rows = paginator.paginate_queryset(gradebook.rows, request, view=self)
        response = paginator.get_paginated_response([_gradebook_row(row) for row in rows])
        course = membership.course
        response.data = {
            "course": {"id": course.pk, "slug": course.slug, "title": course.title},
            "assignments": [_gradebook_assignment(a) for a in gradebook.assignments],
            "max_total": gradebook.max_total,
            **response.data,
        }
        return response


def _gradebook_assignment(assignment) -> dict:
    return {
        "id": assignment.pk,
        "title": assignment.title,
        "opens_at": assignment.opens_at,
        "due_at": assignment.due_at,
        "max_points": assignment.max_points,
        "items": [
            {"key": item.key, "kind": item.kind, "slug": item.slug, "points": item.points}
            for item in assignment.items.all()
        ],
    }


def _gradebook_row(row) -> dict:
    return {
        "username": row.user.username,
        "first_name": row.user.first_name,
        "last_name": row.user.last_name,
        "total": row.total,
        "max_total": row.max_total,
        "percent": None if row.percent is None else round(row.percent, 2),
        "assignments": [
            {
                "assignment": cell.assignment.pk,
                "points": cell.points,
                "max_points": cell.max_points,
                "is_late": cell.is_late,
                "extension": cell.extension is not None,
                "items": [
                    {
                        "key": key,
                        "attempts": score.attempts,
                        "points": score.points,
                        "max_points": score.max_points,
                        "credited": score.credited,
                        "solved": score.solved,
                        "is_late": score.is_late,
                    }
                    for key, score in cell.items.items()
                ],
            }
            for cell in row.cells
        ],
    }


# -- JSON for every error under /api/ --------------------------------------------------------


def endpoint_not_found(request, path: str = ""):
    """Any path under /api/v1/ that names no endpoint (or misses its trailing slash)."""
    message = f"No endpoint at {request.path}."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            pass
        else:
            if match.url_name != "not-found":
                message += f" Did you mean {request.path}/ ?"
    return JsonResponse(error_body(404, message, "not_found"), status=404)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(404, f"No endpoint at {request.path}.", "not_found"), status=404)
    return defaults.page_not_found(request, exception or Http404())


def handler500(request):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(500, "Internal server error; it was logged.", "server_error"), status=500)
    return defaults.server_error(request)
