"""Staff upload a zip of submissions on the web, watch the job and download its reports."""

from __future__ import annotations

import csv
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from batches.models import BatchJob
from tests.conftest import sync_only
from tests.platform.batches.conftest import CORRECT, SYNTAX_ERROR, WRONG, zip_bytes

EXPORT = [
    ("course/alice/relu.py", CORRECT),
    ("course/bob/relu.py", WRONG),
    ("course/carol/relu.py", SYNTAX_ERROR),
    ("course/bob/relu.py", CORRECT),  # a second entry with bob's path
    ("../../outside.py", "import os"),
    ("/etc/cron.d/job.py", "import os"),
    ("course/dave/report.docx", b"PK..."),
    ("course/dave/submission.zip", zip_bytes([("relu.py", CORRECT)])),
    ("course/erin/relu.py", "#" * (70 * 1024)),  # over the 64 KiB a submission may have
]


def upload(name="export.zip", data=None):
    return SimpleUploadedFile(name, data if data is not None else zip_bytes(EXPORT), content_type="application/zip")


def wait_until_finished(job_id: int, timeout: float = 60.0) -> BatchJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = BatchJob.objects.get(pk=job_id)
        if job.is_finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"batch job {job_id} not finished after {timeout} s")


@pytest.mark.slow
def test_staff_upload_a_zip_and_get_a_progress_page_and_reports(grading_worker, client, instructor, tmp_path):
    sync_only(tmp_path, "relu")
    client.force_login(instructor)
    response = client.post(reverse("batches:list"), {"exercise": "relu", "archive": upload()})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = BatchJob.objects.get()
    assert response["Location"] == reverse("batches:detail", args=[job.pk])
    assert (job.origin, job.label, job.total, job.created_by) == ("upload", "export.zip", 3, instructor)

    page = client.get(response["Location"]).content.decode()
    skipped = {entry["name"]: entry["reason"] for entry in job.skipped}
    assert skipped == {
        "course/bob/relu.py": "duplicate of an earlier entry with the same path",
        "../../outside.py": "path goes outside the archive (..)",
        "/etc/cron.d/job.py": "absolute path",
        "course/dave/report.docx": "not a Python file",
        "course/dave/submission.zip": "nested archive (not opened)",
        "course/erin/relu.py": "larger than 64 KiB",
    }
    assert "6 entries skipped" in page and "path goes outside the archive (..)" in page

    job = wait_until_finished(job.pk)
    progress = client.get(reverse("batches:progress", args=[job.pk]))
    body = progress.content.decode()
    assert progress["HX-Trigger"] == "batch-finished" and 'hx-trigger="every 1s"' not in body
    assert "<strong>3</strong> / 3" in body and "course/carol/relu.py" in body

    report = client.get(reverse("batches:report-csv", args=[job.pk]))
    assert report["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="batch-' in report["Content-Disposition"]
    rows = list(csv.DictReader(report.content.decode().splitlines()))
    assert [(r["file"], r["score"], r["mistakes"]) for r in rows] == [
        ("course/alice/relu.py", "1.0", ""),
        ("course/bob/relu.py", "0.3", "absolute_value"),
        ("course/carol/relu.py", "0.0", ""),
    ]
    assert rows[2]["message"].startswith("SyntaxError at line 1")

    data = json.loads(client.get(reverse("batches:report-json", args=[job.pk])).content)
    assert data["progress"]["done"] == 3 and len(data["skipped"]) == 6
    assert [r["score"] for r in data["results"]] == [1.0, 0.3, 0.0]
    assert client.get(reverse("batches:list")).status_code == 200

    # The page names the mistake in words, says which file could not run, and links each file's feedback.
    assert "absolute_value" not in body and "ReLU sets them to 0" in body
    assert body.count("could not run") == 1
    carol = client.get(reverse("batches:file", args=[job.pk, 2])).content.decode()
    assert "This file could not run:" in carol and "SyntaxError at line 1" in carol
    bob = client.get(reverse("batches:file", args=[job.pk, 1])).content.decode()
    assert "ReLU sets them to 0" in bob and "large_magnitudes" in bob
    zh = client.get(reverse("batches:progress", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "无法运行" in zh or "不能运行" in zh


def test_students_get_403_and_visitors_the_sign_in_page(client, student, instructor, relu_exercise):
    job = BatchJob.objects.create(exercise=relu_exercise, origin="upload", total=0, created_by=instructor)
    urls = [
        reverse("batches:list"),
        reverse("batches:detail", args=[job.pk]),
        reverse("batches:progress", args=[job.pk]),
        reverse("batches:report-csv", args=[job.pk]),
        reverse("batches:report-json", args=[job.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(student)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("batches:list"), {"exercise": "relu", "archive": upload()}).status_code == 403
    assert not BatchJob.objects.exclude(pk=job.pk).exists()


@pytest.mark.parametrize(
    "data,error",
    [
        (b"not a zip at all", "The file is not a zip archive."),
        (zip_bytes([("notes.txt", "x"), ("../x.py", "x")]), "The archive holds no Python file to grade."),
    ],
)
def test_a_useless_upload_is_refused_with_the_reason(client, instructor, relu_exercise, data, error):
    client.force_login(instructor)
    response = client.post(reverse("batches:list"), {"exercise": "relu", "archive": upload(data=data)})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not BatchJob.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, instructor, relu_exercise, settings):
    settings.BATCH_MAX_UPLOAD_BYTES = 1024
    client.force_login(instructor)
    response = client.post(reverse("batches:list"), {"exercise": "relu", "archive": upload(data=b"x" * 4096)})
    assert response.status_code == 400 and "uploads are limited to" in response.content.decode()


def test_unknown_job_is_404_for_staff(client, instructor, db):
    client.force_login(instructor)
    assert client.get(reverse("batches:detail", args=[999])).status_code == 404


def test_a_huge_upload_is_refused_by_its_declared_length(client, instructor, relu_exercise, settings):
    settings.BATCH_MAX_UPLOAD_BYTES = 1024
    client.force_login(instructor)
    data = zip_bytes([("a/relu.py", "#" * 200_000)])  # stored, not compressed much: well over the limit
    response = client.post(reverse("batches:list"), {"exercise": "relu", "archive": upload(data=data)})
    assert response.status_code == 413 and "Uploads are limited to" in response.content.decode()
    assert not BatchJob.objects.exists()
