"""An instructor creates a course, enrols students from a CSV, sets an assignment, watches the dashboard fill
as a student submits, exports the gradebook, then previews and applies a regrade."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import sync_only
from tests.e2e.conftest import ARTIFACTS, set_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WRONG = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"
CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
ROSTER = b"username,email,role\nalice,,\n,bob@example.edu,\nnobody,,\nalice,,\n"


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_instructor_runs_a_course(browser, page, live_server, grading_worker, instructor, django_user_model, tmp_path):
    sync_only(tmp_path, "relu", "sigmoid")
    for name in ("alice", "bob"):
        django_user_model.objects.create_user(username=name, password=f"pw-{name}", email=f"{name}@example.edu")

    sign_in(page, live_server, "instructor", "pw-instructor")
    page.click("nav >> text=Courses")
    page.click("text=New course")
    page.fill("#id_title", "Deep learning, spring term")
    page.click("button:has-text('Create course')")
    page.wait_for_selector("text=Enrol from a CSV")

    page.set_input_files("#id_file", files=[{"name": "class.csv", "mimeType": "text/csv", "buffer": ROSTER}])
    page.click("#enrol-form button[type=submit]")
    report = page.inner_text("#enrol-report")
    assert "2 students enrolled" in report and "2 rows not enrolled" in report
    assert "no account with the username “nobody”" in report and "alice is already on line 2" in report
    shot(page, "course-enrolled-from-csv")

    page.click(".tabs >> text=Assignments")
    page.click("text=New assignment")
    now = timezone.now()
    page.fill("#id_title", "Week 1: ReLU")
    page.fill("#id_opens_at", local(now - timedelta(hours=1)))
    page.fill("#id_due_at", local(now + timedelta(days=7)))
    page.fill("#id_late_penalty_percent", "10")
    page.fill("#id_max_attempts", "10")
    page.check("tr:has(code:text-is('relu')) input[type=checkbox]")
    shot(page, "assignment-form")
    page.click("button:has-text('Create assignment')")
    page.wait_for_selector("text=Window and policy")
    assert "late: −10% per day" in page.inner_text("main")

    page.click("text=Dashboard")
    page.wait_for_selector("#dashboard-body")
    assert page.inner_text("#stat-submissions") == "0"

    # A student submits from the course while the instructor's dashboard is open.
    student_context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    student = student_context.new_page()
    sign_in(student, live_server, "alice", "pw-alice")
    student.click("nav >> text=Courses")
    student.click("text=Deep learning, spring term")
    student.click("text=Week 1: ReLU")
    student.click("text=ReLU activation")
    student.wait_for_selector("#assignment-banner")
    for source in (WRONG, CORRECT):
        set_code(student, source)
        student.click("#submit-button")
        student.wait_for_selector(".verdict-head", timeout=20000)
        student.wait_for_timeout(300)
    student.wait_for_selector(".score.full", timeout=20000)
    student.wait_for_selector("#assignment-banner:has-text('attempt 2 of 10 used')")  # refreshed after each one
    assert "best counts: 10 / 10" in student.inner_text("#assignment-banner")
    shot(student, "student-assignment-exercise")
    student_context.close()

    page.wait_for_selector("#stat-submissions:text-is('2')", timeout=25000)  # the dashboard refreshes itself
    page.wait_for_selector("canvas[data-chart='pass_rates'][data-drawn]")
    page.wait_for_selector("canvas[data-chart='mistakes'][data-drawn]")
    assert "Negative inputs came back positive" in page.inner_text("#mistakes")
    assert "bob" in page.inner_text("#not-started")
    page.wait_for_timeout(300)
    shot(page, "dashboard")

    page.click(".tabs >> text=Gradebook")
    assert page.locator("#gradebook tbody tr").count() == 2
    shot(page, "gradebook")
    with page.expect_download() as download_info:
        page.click("#export-csv")
    body = download_info.value.path().read_bytes().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = {row[0]: row for row in csv.reader(io.StringIO(body[1:]))}
    assert rows["alice"][4] == "10" and rows["bob"][4] == "0"

    page.click(".tabs >> text=Regrades")
    page.click("tr:has(code:text-is('relu')) button")
    page.wait_for_selector("text=Preview ready", timeout=30000)
    assert "0 student scores up" in page.inner_text("#regrade-preview")
    shot(page, "regrade-preview")
    page.click("#apply-regrade")
    page.wait_for_selector("text=Applied: 2 submissions have their new verdict")
    shot(page, "regrade-applied")
