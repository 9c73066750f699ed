"""A real worker process grades a submission made through the web view, on the configured broker and database."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.conftest import REQUIRE_SERVICES, sync_only, wait_until_final

CORRECT_RELU = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
WRONG_RELU = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"


@pytest.mark.slow
def test_worker_grades_submissions_made_through_the_web(grading_worker, client, student, tmp_path):
    sync_only(tmp_path, "relu")
    client.force_login(student)
    url = reverse("exercises:submit", args=["relu"])

    started = time.monotonic()
    client.post(url, {"source": CORRECT_RELU}, HTTP_HX_REQUEST="true")
    client.post(url, {"source": WRONG_RELU}, HTTP_HX_REQUEST="true")
    from submissions.models import Submission

    right, wrong = Submission.objects.filter(user=student).order_by("id")
    right, wrong = wait_until_final(right.pk), wait_until_final(wrong.pk)
    elapsed = time.monotonic() - started

    assert (right.status, right.score) == ("graded", 1.0), grading_worker.log()
    assert wrong.status == "graded" and wrong.score < 1.0
    assert wrong.verdict["mistakes"][0]["key"] == "absolute_value"
    assert elapsed < 10, f"two submissions took {elapsed:.1f} s to grade"

    panel = client.get(reverse("submissions:panel", args=[wrong.pk]))
    assert b"absolute_value" not in panel.content  # students read the explanation, not the key
    assert "ReLU sets them to 0" in panel.content.decode()


def test_ci_runs_on_real_postgres_and_redis():
    if not REQUIRE_SERVICES:
        pytest.skip("local run on the embedded defaults; CI sets DLGRADE_REQUIRE_SERVICES=1")
    assert connection.vendor == "postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_a_worker_whose_sandbox_fails_its_self_test_refuses_to_start(transactional_db):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = dict(os.environ, DLGRADE_SANDBOX="no-such-isolation", PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency=1",
            "-Q",
            "grading-never-used",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "sandbox self-test failed, this worker refuses to grade" in result.stdout + result.stderr
