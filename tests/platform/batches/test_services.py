"""Batch jobs on the real database: items in order, idempotent claims and records, lost items sent again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from batches import grading, services
from batches.models import BatchItem, BatchJob
from batches.selectors import batch_job_progress, batch_job_report, batch_job_report_csv, batch_records_from
from graders.batch import BatchInput, Skipped
from graders.bundle import load_cached
from tests.platform.batches.conftest import CORRECT, SYNTAX_ERROR, WRONG


@pytest.fixture
def relu_bundle(relu_exercise):
    return load_cached(relu_exercise.bundle_path)


def make_job(exercise, bundle, sources, **kwargs) -> BatchJob:
    inputs = [
        BatchInput(name=f"s{i}/relu.py", source=source, problem="" if source else "The file is not UTF-8 text")
        for i, source in enumerate(sources)
    ]
    return services.batch_job_create(
        exercise=exercise, bundle=bundle, inputs=inputs, origin=BatchJob.Origin.COMMAND, label="test", **kwargs
    )


def test_a_job_keeps_input_order_and_records_unreadable_files_at_once(
    relu_exercise, relu_bundle, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = make_job(
            relu_exercise, relu_bundle, [CORRECT, None, WRONG], skipped=[Skipped("x.txt", "not a Python file")]
        )
    assert len(callbacks) == 1  # the items are sent once the rows are committed
    items = list(job.items.order_by("position"))
    assert [(i.position, i.name, i.status) for i in items] == [
        (0, "s0/relu.py", "queued"),
        (1, "s1/relu.py", "done"),
        (2, "s2/relu.py", "queued"),
    ]
    assert items[1].record["message"] == "The file is not UTF-8 text"
    assert all(i.enqueued_at is not None for i in items if i.status == "queued")
    assert job.skipped == [{"name": "x.txt", "reason": "not a Python file"}]
    assert batch_records_from(job_id=job.pk, position=0) == []  # item 0 is not done: nothing after it either
    progress = batch_job_progress(job_id=job.pk)
    assert (progress.total, progress.done, progress.queued, progress.percent) == (3, 1, 2, 33)


def test_grading_twice_records_once(relu_exercise, relu_bundle):
    job = make_job(relu_exercise, relu_bundle, [CORRECT, WRONG])
    first, second = job.items.order_by("position")
    grading.batch_item_grade(item_id=first.pk)
    grading.batch_item_grade(item_id=first.pk)  # a redelivery: skipped, not graded again
    first.refresh_from_db()
    assert (first.status, first.score, first.attempts) == ("done", 1.0, 1)
    assert services.batch_item_record(item_id=first.pk, job_id=job.pk, record={**first.record, "score": 0.0}) is False
    first.refresh_from_db()
    assert first.record["score"] == 1.0  # the first result wins
    assert not BatchJob.objects.get(pk=job.pk).is_finished

    grading.batch_item_grade(item_id=second.pk)
    job.refresh_from_db()
    assert job.is_finished
    records = batch_records_from(job_id=job.pk, position=0)
    assert [(r["file"], r["score"], r.get("mistakes")) for r in records] == [
        ("s0/relu.py", 1.0, None),
        ("s1/relu.py", 0.3, ["absolute_value"]),
    ]


def test_an_item_lost_too_often_is_a_platform_error_not_a_score(relu_exercise, relu_bundle):
    job = make_job(relu_exercise, relu_bundle, [CORRECT])
    item = job.items.get()
    BatchItem.objects.filter(pk=item.pk).update(attempts=grading.MAX_ATTEMPTS)
    grading.batch_item_grade(item_id=item.pk)
    item.refresh_from_db()
    assert item.status == "done" and item.score is None
    assert item.record["status"] == "error"
    assert item.record["message"].startswith("The grader could not run this file: it was lost")


def test_refresh_sends_again_what_a_lost_worker_held_and_nothing_else(relu_exercise, relu_bundle, settings):
    job = make_job(relu_exercise, relu_bundle, [CORRECT, WRONG, SYNTAX_ERROR])
    lost, fresh, waiting = job.items.order_by("position")
    long_ago = timezone.now() - timedelta(seconds=600)
    BatchItem.objects.filter(pk=lost.pk).update(status="running", claimed_at=long_ago, attempts=1)
    BatchItem.objects.filter(pk=fresh.pk).update(status="running", claimed_at=timezone.now(), attempts=1)

    assert services.batch_job_refresh(job_id=job.pk, lease_s=60) == [lost.pk]
    lost.refresh_from_db()
    assert lost.status == "queued" and lost.enqueued_at > long_ago
    assert services.batch_job_refresh(job_id=job.pk, lease_s=60) == []  # not again before another lease

    # A job with no progress for a lease: its queued items' messages are presumed lost too.
    BatchJob.objects.filter(pk=job.pk).update(created_at=long_ago)
    BatchItem.objects.filter(job=job, status="queued").update(enqueued_at=long_ago)
    assert services.batch_job_refresh(job_id=job.pk, lease_s=60) == [lost.pk, waiting.pk]
    assert services.batch_job_refresh(job_id=job.pk, lease_s=60) == []


def test_queued_items_are_sent_again_ever_less_often_while_no_worker_takes_them(relu_exercise, relu_bundle):
    job = make_job(relu_exercise, relu_bundle, [CORRECT, WRONG])
    first, second = job.items.order_by("position")
    now = timezone.now()
    BatchJob.objects.filter(pk=job.pk).update(created_at=now - timedelta(hours=1))
    BatchItem.objects.filter(pk=first.pk).update(sends=3, enqueued_at=now - timedelta(seconds=150))  # waits 4 leases
    BatchItem.objects.filter(pk=second.pk).update(sends=3, enqueued_at=now - timedelta(seconds=250))
    assert services.batch_job_refresh(job_id=job.pk, lease_s=60) == [second.pk]
    second.refresh_from_db()
    assert second.sends == 4 and second.enqueued_at > now


def test_refresh_finishes_a_job_whose_items_are_all_done(relu_exercise, relu_bundle):
    job = make_job(relu_exercise, relu_bundle, [CORRECT])
    item = job.items.get()
    BatchItem.objects.filter(pk=item.pk).update(status="done", record={"file": "x"}, finished_at=timezone.now())
    assert services.batch_job_refresh(job_id=job.pk) == []
    assert BatchJob.objects.get(pk=job.pk).is_finished


def test_reports_list_the_done_files_in_order(relu_exercise, relu_bundle):
    job = make_job(relu_exercise, relu_bundle, [WRONG, None, CORRECT])
    for item in job.items.exclude(status="done").order_by("-position"):  # finish out of order
        grading.batch_item_grade(item_id=item.pk)
    csv_lines = batch_job_report_csv(job=job).splitlines()
    assert csv_lines[0].startswith("file,exercise,status,score,passed,total,message,mistakes,case:vector,")
    assert [line.split(",")[:4] for line in csv_lines[1:]] == [
        ["s0/relu.py", "relu", "graded", "0.3"],
        ["s1/relu.py", "relu", "graded", "0.0"],
        ["s2/relu.py", "relu", "graded", "1.0"],
    ]
    report = batch_job_report(job=job)
    assert report["progress"]["done"] == 3 and report["job"]["exercise"] == "relu"
    assert [r["file"] for r in report["results"]] == ["s0/relu.py", "s1/relu.py", "s2/relu.py"]
