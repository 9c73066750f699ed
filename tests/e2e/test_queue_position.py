"""While the worker is paused, a student's verdict panel says where the submission stands in the queue and
about how long it will wait, keeps that up to date, and shows the verdict once the worker runs again."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from catalog.models import Exercise
from submissions import services
from submissions.models import Submission
from tests.conftest import sync_only
from tests.e2e.conftest import ARTIFACTS, set_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RELU = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"


def test_a_waiting_submission_shows_its_place_and_wait_then_its_verdict(
    page, live_server, grading_worker, student, other_student, tmp_path
):
    sync_only(tmp_path, "relu")
    relu = Exercise.objects.get(slug="relu")
    os.killpg(grading_worker.process.pid, signal.SIGSTOP)  # the worker is paused: nothing is graded
    try:
        # Recent gradings took 4 s each; two submissions of another student wait ahead.
        now = timezone.now()
        for _ in range(3):
            Submission.objects.create(
                user=other_student,
                exercise=relu,
                source=RELU,
                status="graded",
                score=1.0,
                started_at=now - timedelta(seconds=4),
                graded_at=now,
            )
        ahead = [services.submission_create(user=other_student, exercise=relu, source=RELU) for _ in range(2)]

        sign_in(page, live_server, "student", "pw-student")
        page.goto(f"{live_server.url}/exercises/relu/")
        set_code(page, RELU)
        page.click("#submit-button")
        page.wait_for_selector("#queue-place", timeout=10000)
        assert page.inner_text("#queue-place") == "Number 3 in the queue · about 12 seconds to wait"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "queue-position.png"), full_page=True)

        # One ahead is done (as if another worker took it): the panel updates by itself.
        Submission.objects.filter(pk=ahead[0].pk).update(status="graded", score=1.0, graded_at=timezone.now())
        page.wait_for_function(
            "() => document.querySelector('#queue-place')?.innerText.startsWith('Number 2 in the queue')", timeout=5000
        )
        assert page.inner_text("#queue-place") == "Number 2 in the queue · about 8 seconds to wait"
    finally:
        os.killpg(grading_worker.process.pid, signal.SIGCONT)
    try:
        page.wait_for_selector(".score.full", timeout=30000)
    except PlaywrightTimeout:
        states = list(Submission.objects.order_by("pk").values_list("pk", "status", "platform_attempts"))
        pytest.fail(f"no verdict 30 s after the worker resumed; submissions {states}\n{grading_worker.log()}")
    assert "100%" in page.inner_text("#verdict")
    assert page.locator("#queue-place").count() == 0
