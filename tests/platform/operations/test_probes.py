"""Health, readiness and metrics as an orchestrator and Prometheus meet them, against a real worker."""

from __future__ import annotations

import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from catalog.models import Exercise
from submissions import services
from tests.conftest import sync_only, wait_until_final

RELU = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
LOOPING = "import numpy as np\n\ndef relu(x):\n    while True:\n        pass\n"


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _wait_ready(client, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get("/readyz")
        if response.status_code == 200:
            return response
        time.sleep(0.2)
    return response


@pytest.mark.django_db
def test_healthz_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_probes_answer_any_host_over_plain_http(client, settings):
    """A container healthcheck asks 127.0.0.1 over HTTP, which production's settings would refuse or redirect."""
    settings.ALLOWED_HOSTS = ["grader.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="127.0.0.1:8000").status_code == 503  # no worker: an answer, not a 400
    assert client.get("/exercises/", HTTP_HOST="127.0.0.1:8000").status_code == 400  # everything else is still checked


@pytest.mark.django_db
def test_readyz_is_not_ready_without_a_worker(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "ok", "workers": "no worker online"}


@pytest.mark.django_db
def test_metrics_need_the_token_or_a_staff_session(client, student, instructor, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    client.force_login(student)
    assert client.get("/metrics").status_code == 403
    instructor.is_staff = True
    instructor.save()
    client.force_login(instructor)
    assert client.get("/metrics").status_code == 200
    settings.METRICS_TOKEN = ""
    client.logout()
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403  # no token set: no bearer access


@pytest.mark.slow
def test_a_worker_makes_the_site_ready_and_its_gradings_show_in_the_metrics(
    client, grading_worker, student, tmp_path, settings
):
    sync_only(tmp_path, "relu")
    settings.METRICS_TOKEN = "scrape-me"
    response = _wait_ready(client)
    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok", "workers": "ok"}}

    relu = Exercise.objects.get(slug="relu")
    honest = services.submission_create(user=student, exercise=relu, source=RELU)
    services.submission_enqueue(submission_id=honest.pk)
    looping = services.submission_create(user=student, exercise=relu, source=LOOPING)
    services.submission_enqueue(submission_id=looping.pk)
    assert wait_until_final(honest.pk).score == 1.0
    assert wait_until_final(looping.pk, timeout=60).score == 0.0

    deadline = time.monotonic() + 10
    while True:  # the pool process adds its tally right after the task
        text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-me").content.decode()
        metrics = _samples(text)
        if (
            metrics[("dlgrade_sandbox_case_outcomes_total", (("outcome", "timeout"),))] > 0
            or time.monotonic() > deadline
        ):
            break
        time.sleep(0.2)
    total = relu_cases = len(wait_until_final(honest.pk).verdict["cases"])
    assert metrics[("dlgrade_submissions", (("status", "graded"),))] == 2
    assert metrics[("dlgrade_submissions", (("status", "queued"),))] == 0
    assert metrics[("dlgrade_sandbox_case_outcomes_total", (("outcome", "pass"),))] == relu_cases
    # the looping submission: one case timed out, the budget left the others unrun (timeouts too)
    assert metrics[("dlgrade_sandbox_case_outcomes_total", (("outcome", "timeout"),))] == total
    assert metrics[("dlgrade_sandbox_case_outcomes_total", (("outcome", "platform_error"),))] == 0
    assert metrics[("dlgrade_zygote_restarts_total", ())] >= 0
    assert metrics[("dlgrade_workers", ())] == 1 and metrics[("dlgrade_workers_trusted", ())] == 1
    assert metrics[("dlgrade_submit_to_verdict_seconds_count", ())] == 2
    assert metrics[("dlgrade_submit_to_verdict_seconds_bucket", (("le", "+Inf"),))] == 2
    assert metrics[("dlgrade_submit_to_verdict_seconds_bucket", (("le", "0.5"),))] <= 2
    assert 0 < metrics[("dlgrade_submit_to_verdict_seconds_sum", ())] < 60
    assert (("dlgrade_queue_depth", (("queue", settings.CELERY_GRADING_QUEUE),))) in metrics
    assert metrics[("dlgrade_http_requests_total", (("method", "GET"), ("status", "2xx")))] >= 1
