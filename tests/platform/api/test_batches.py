"""Batch jobs through the API: staff only (students get 403), results in input order, a CSV report."""

from __future__ import annotations

import csv
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from batches.models import BatchJob
from tests.conftest import sync_only
from tests.platform.batches.conftest import CORRECT, SYNTAX_ERROR, WRONG, zip_bytes


def archive(entries=None, name="export.zip"):
    entries = entries or [
        ("s1/relu.py", CORRECT),
        ("s2/relu.py", WRONG),
        ("s2/notes.txt", "x"),
        ("s3/relu.py", SYNTAX_ERROR),
    ]
    return SimpleUploadedFile(name, zip_bytes(entries), content_type="application/zip")


@pytest.mark.slow
def test_staff_upload_a_zip_then_follow_the_job_and_fetch_its_results(grading_worker, as_staff, tmp_path):
    sync_only(tmp_path, "relu")
    created = as_staff.post("/api/v1/batches/", {"exercise": "relu", "archive": archive()}, format="multipart")
    assert created.status_code == 201, created.content
    job = created.json()
    assert (job["exercise"], job["origin"], job["label"], job["total"]) == ("relu", "api", "export.zip", 3)
    assert job["skipped"] == [{"name": "s2/notes.txt", "reason": "not a Python file"}]
    assert created["Location"] == job["url"]

    deadline = time.monotonic() + 60
    while not (detail := as_staff.get(job["url"]).json())["is_finished"]:
        assert time.monotonic() < deadline, grading_worker.log()
        time.sleep(0.1)
    assert detail["progress"] == {
        "total": 3,
        "done": 3,
        "running": 0,
        "queued": 0,
        "percent": 100,
        "mean_score": 0.4333,
    }

    results = as_staff.get(detail["results_url"] + "?page_size=2").json()
    assert results["count"] == 3 and results["next"]
    first = results["results"][0]
    assert (first["position"], first["file"], first["status"], first["score"]) == (0, "s1/relu.py", "graded", 1.0)
    assert results["results"][1]["mistakes"] == ["absolute_value"]
    last = as_staff.get(results["next"]).json()["results"][0]
    assert (last["position"], last["score"]) == (2, 0.0) and last["message"].startswith("SyntaxError")

    report = as_staff.get(detail["report_csv_url"], HTTP_ACCEPT="text/csv")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(report.content.decode().splitlines()))
    assert [row["file"] for row in rows] == ["s1/relu.py", "s2/relu.py", "s3/relu.py"]

    listing = as_staff.get("/api/v1/batches/").json()
    assert listing["count"] == 1 and listing["results"][0]["done"] == 3


def test_students_get_403_on_every_batch_endpoint(as_student, instructor, relu_exercise):
    job = BatchJob.objects.create(exercise=relu_exercise, origin="upload", total=0, created_by=instructor)
    for url in (
        "/api/v1/batches/",
        f"/api/v1/batches/{job.pk}/",
        f"/api/v1/batches/{job.pk}/results/",
        f"/api/v1/batches/{job.pk}/report.csv",
    ):
        response = as_student.get(url)
        assert response.status_code == 403, url
        assert response.json() == {
            "message": "This endpoint is for course staff.",
            "status": 403,
            "code": "permission_denied",
        }
    refused = as_student.post("/api/v1/batches/", {"exercise": "relu", "archive": archive()}, format="multipart")
    assert refused.status_code == 403
    assert BatchJob.objects.count() == 1


def test_staff_get_json_errors_for_bad_uploads_and_unknown_jobs(as_staff, relu_exercise):
    not_zip = SimpleUploadedFile("x.zip", b"nope", content_type="application/zip")
    response = as_staff.post("/api/v1/batches/", {"exercise": "relu", "archive": not_zip}, format="multipart")
    assert response.status_code == 400 and response.json()["message"] == "archive: The file is not a zip archive."
    nothing = as_staff.post(
        "/api/v1/batches/",
        {"exercise": "relu", "archive": archive([("a.txt", "x"), ("../b.py", "x")])},
        format="multipart",
    )
    assert nothing.status_code == 400
    assert (
        "holds no Python file" in nothing.json()["message"]
        and "../b.py: path goes outside" in nothing.json()["message"]
    )
    unknown = as_staff.post("/api/v1/batches/", {"exercise": "nope", "archive": archive()}, format="multipart")
    assert unknown.status_code == 404
    for url in ("/api/v1/batches/999/", "/api/v1/batches/999/results/", "/api/v1/batches/999/report.csv"):
        response = as_staff.get(url)
        assert response.status_code == 404 and response.json()["message"] == "No such batch job.", url
    csv_missing = as_staff.get("/api/v1/batches/999/report.csv", HTTP_ACCEPT="text/csv")
    assert csv_missing.status_code == 404 and csv_missing["Content-Type"] == "application/json"
    assert not BatchJob.objects.exists()


def test_a_huge_upload_is_json_413(as_staff, relu_exercise, settings):
    settings.BATCH_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.zip", b"x" * 200_000, content_type="application/zip")
    response = as_staff.post("/api/v1/batches/", {"exercise": "relu", "archive": big}, format="multipart")
    assert response.status_code == 413 and response.json()["message"] == "Uploads are limited to 1 KiB."
