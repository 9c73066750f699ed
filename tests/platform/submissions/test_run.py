"""Run: visible cases and the student's own, through a real worker, never an attempt."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from submissions.models import Submission, Trial
from tests.conftest import sync_only

WRONG = "import numpy as np\ndef relu(x):\n    print('called with', x.shape)\n    return np.abs(x)\n"


def wait_for_trial(trial_id: int, timeout: float = 30.0) -> Trial:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        trial = Trial.objects.get(pk=trial_id)
        if trial.is_final:
            return trial
        time.sleep(0.05)
    raise AssertionError(f"trial {trial_id} still {trial.status}")


@pytest.mark.slow
def test_run_shows_the_students_case_beside_the_reference_and_records_no_attempt(
    grading_worker, client, student, tmp_path
):
    sync_only(tmp_path, "relu")
    client.force_login(student)
    own = "relu(np.array([[1.0, -2.0], [3.0, -4.0]]))"
    response = client.post(
        reverse("exercises:run", args=["relu"]), {"source": WRONG, "own_cases": own}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Running your code" in response.content.decode()
    trial = wait_for_trial(Trial.objects.get(user=student).pk)
    assert trial.status == "done", grading_worker.log()
    page = client.get(reverse("submissions:trial-panel", args=[trial.pk])).content.decode()
    assert "your case 1" in page and own in page
    assert "[[1., 0.],\n [3., 0.]]" in page and "[[1., 2.],\n [3., 4.]]" in page  # expected and got
    assert "called with (2, 2)" in page  # what the code printed in the student's case
    assert "(hidden)" not in page
    assert not Submission.objects.exists()  # not an attempt
    # The page keeps the last run on reload, with the lines the student wrote.
    detail = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    assert "your case 1" in detail and f">{own}</textarea>" in detail


def test_a_case_line_that_is_not_data_is_refused_with_its_line_and_nothing_runs(client, student, relu_exercise):
    client.force_login(student)
    response = client.post(
        reverse("exercises:run", args=["relu"]),
        {"source": WRONG, "own_cases": "relu(np.zeros(2))\nrelu(open('/etc/passwd'))"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Your case on line 2:" in page and "is not a value this page can read" in page
    assert not Trial.objects.exists()


def test_another_student_cannot_see_a_run(client, student, other_student, relu_exercise):
    trial = Trial.objects.create(user=student, exercise=relu_exercise, source=WRONG)
    client.force_login(other_student)
    assert client.get(reverse("submissions:trial-panel", args=[trial.pk])).status_code == 404
