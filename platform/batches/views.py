"""Staff pages: upload a zip of submissions, watch the job's progress, download its reports."""

from __future__ import annotations

import json
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from batches.models import BatchJob
from batches.selectors import (
    batch_item_record,
    batch_job_get,
    batch_job_progress,
    batch_job_report,
    batch_job_report_csv,
    batch_jobs_for,
    batch_mistake_texts,
    batch_records_from,
)
from batches.services import batch_job_create_from_zip, batch_job_refresh
from batches.uploads import size_text, upload_too_large
from catalog.models import Exercise

RECENT_JOBS = 50
RESULTS_SHOWN = 1000


def staff_required(view):
    """Signed-in staff only: others get 403 (anonymous users go to the sign-in page)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Batch grading is for course staff.")
        return view(request, *args, **kwargs)

    return wrapped


class UploadForm(forms.Form):
    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.filter(is_active=True, is_public=True).order_by("slug"),
        to_field_name="slug",
        empty_label=None,
    )
    archive = forms.FileField(
        help_text=gettext_lazy("A zip of .py files, for example an export of your LMS; folders are kept.")
    )


@staff_required
@require_http_methods(["GET", "POST"])
def batch_list_view(request):
    if request.method == "POST" and upload_too_large(request):
        jobs = batch_jobs_for(user=request.user)[:RECENT_JOBS]
        context = {"form": UploadForm(), "jobs": jobs, "error": _too_large_message()}
        return render(request, "batches/list.html", context, status=413)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = batch_job_create_from_zip(
                    exercise=form.cleaned_data["exercise"],
                    upload=form.cleaned_data["archive"],
                    origin=BatchJob.Origin.UPLOAD,
                    created_by=request.user,
                )
            except ValidationError as error:
                form.add_error("archive", error)
            else:
                return redirect("batches:detail", pk=job.pk)
        status = 400
    jobs = batch_jobs_for(user=request.user)[:RECENT_JOBS]
    return render(request, "batches/list.html", {"form": form, "jobs": jobs}, status=status)


def _too_large_message() -> str:
    return _("Uploads are limited to %(size)s.") % {"size": size_text(settings.BATCH_MAX_UPLOAD_BYTES)}


def _job_or_404(request, pk: int) -> BatchJob:
    job = batch_job_get(user=request.user, job_id=pk)
    if job is None:
        raise Http404("No such batch job")
    return job


def _progress_context(job: BatchJob, language: str) -> dict:
    if not job.is_finished:
        batch_job_refresh(job_id=job.pk)  # a watched job also re-sends items whose worker was lost
        job.refresh_from_db(fields=["finished_at"])
    progress = batch_job_progress(job_id=job.pk)
    return {
        "job": job,
        "progress": progress,
        "results": _with_mistake_texts(
            batch_records_from(job_id=job.pk, position=0, limit=RESULTS_SHOWN), job, language
        ),
    }


def _with_mistake_texts(records: list[dict], job: BatchJob, language: str) -> list[dict]:
    """Each record with its mistakes as the sentences staff read (the reports keep the keys)."""
    if not any(record.get("mistakes") for record in records):
        return records
    texts = batch_mistake_texts(job=job, language=language)
    return [
        {**record, "mistake_texts": [texts.get(key, key) for key in record.get("mistakes", ())]} for record in records
    ]


@staff_required
@require_GET
def batch_detail_view(request, pk: int):
    job = _job_or_404(request, pk)
    return render(request, "batches/detail.html", _progress_context(job, request.LANGUAGE_CODE))


@staff_required
@require_GET
def batch_progress_view(request, pk: int):
    job = _job_or_404(request, pk)
    response = render(request, "batches/_progress.html", _progress_context(job, request.LANGUAGE_CODE))
    if job.is_finished:
        response["HX-Trigger"] = "batch-finished"
    return response


@staff_required
@require_GET
def batch_report_csv_view(request, pk: int):
    job = _job_or_404(request, pk)
    response = HttpResponse(batch_job_report_csv(job=job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="batch-{job.pk}-{job.exercise.slug}.csv"'
    return response


@staff_required
@require_GET
def batch_report_json_view(request, pk: int):
    job = _job_or_404(request, pk)
    body = json.dumps(batch_job_report(job=job), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="batch-{job.pk}-{job.exercise.slug}.json"'
    return response


@staff_required
@require_GET
def batch_file_view(request, pk: int, position: int):
    """One file's feedback, case by case, as the reports hold it."""
    job = _job_or_404(request, pk)
    record = batch_item_record(job_id=job.pk, position=position)
    if record is None:
        raise Http404("No such graded file")
    (record,) = _with_mistake_texts([record], job, request.LANGUAGE_CODE)
    return render(request, "batches/file.html", {"job": job, "record": record})
