"""In a browser: a student solves relu from the Exercises menu and sees it counted on the assignment page."""

from __future__ import annotations

import json
import os
import urllib.request
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.services import api_token_create
from catalog.models import Exercise
from courses import assignments, services
from courses.models import Membership
from submissions.models import Submission
from tests.conftest import ROOT, sync_only, wait_until_final
from tests.dlgrade_client.test_cli import run_cli
from tests.e2e.conftest import ARTIFACTS, set_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"


@pytest.fixture
def week_1(student, django_user_model, tmp_path):
    sync_only(tmp_path, "relu", "sigmoid")
    teacher = django_user_model.objects.create_user(username="teacher")
    course = services.course_create(title="Deep learning 101", created_by=teacher)
    Membership.objects.create(course=course, user=student)
    now = timezone.now()
    return assignments.assignment_create(
        course=course,
        title="Week 1",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=3),
        items=[assignments.ItemSpec(points=10, exercise=Exercise.objects.get(slug="relu"))],
    )


def test_a_solution_sent_from_the_exercises_menu_counts_for_the_open_assignment(
    page, live_server, grading_worker, week_1
):
    sign_in(page, live_server, "student", "pw-student")  # lands on the Exercises menu
    card = page.locator(".exercise-card", has=page.locator("code.slug:text-is('relu')"))
    assert "Counts for: Week 1, due" in card.inner_text()
    assert (
        "Counts for"
        not in page.locator(".exercise-card", has=page.locator("code.slug:text-is('sigmoid')")).inner_text()
    )
    card.click()
    page.wait_for_selector("#counts-for:has-text('Deep learning 101 / Week 1')")
    assert "0 attempts" in page.inner_text("#counts-for")
    assert page.locator("input[name=assignment]").count() == 0  # not opened from the course

    set_code(page, CORRECT)
    page.click("#submit-button")
    page.wait_for_selector(".score.full", timeout=20000)
    page.wait_for_selector(".credit-notes:has-text('Counted for Week 1')")
    page.wait_for_selector("#counts-for:has-text('1 attempt')")  # refreshed after the verdict
    page.wait_for_selector("#history .pill.credit:text-is('Week 1')")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "credit-exercise-page.png"), full_page=True)

    page.click("nav >> text=Courses")
    page.click("text=Deep learning 101")
    row = page.locator("tr", has=page.locator("text=Week 1"))
    assert "10 / 10" in row.inner_text()
    page.click("a:text-is('Week 1')")
    items = page.inner_text("table.data tbody")
    assert "✓ solved" in items and "10 / 10" in items
    page.screenshot(path=str(ARTIFACTS / "credit-assignment-page.png"), full_page=True)


@pytest.mark.locale("zh-CN")
def test_what_counts_is_said_in_chinese_and_fits_a_phone(page, live_server, week_1, student):

    assignments.extension_grant(
        assignment=week_1, user=student, due_at=week_1.due_at + timedelta(days=2), granted_by=week_1.course.created_by
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "student", "pw-student")
    assert "计入： Week 1，截止" in page.inner_text(".exercise-card:has(code.slug:text-is('relu'))")
    for path in ("/exercises/", "/exercises/relu/", f"/exercises/relu/?assignment={week_1.pk}"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"
    box = page.inner_text("#counts-for")
    assert "计入" in box and "你的延期" in box and "按最高一次计分" in box
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "credit-exercise-page-zh-phone.png"))


def test_work_sent_by_the_api_and_the_cli_counts_on_the_pages_the_student_reads(
    page, live_server, grading_worker, week_1, student, tmp_path
):
    """The same rule wherever the work comes from: an API call and `dlgrade submit` both count."""
    token = api_token_create(user=student, name="e2e")[1]
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/submissions/",
        data=json.dumps({"exercise": "relu", "source": CORRECT.replace("0.0", "0")}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
    wait_until_final(Submission.objects.get(user=student).pk)

    (tmp_path / "relu.py").write_text(CORRECT)
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and not k.startswith("DLGRADE_")}
    env.update(
        DLGRADE_CONFIG=str(tmp_path / "cli.json"),
        NO_PROXY="*",
        PYTHONPATH=str(ROOT),
        DLGRADE_URL=live_server.url,
        DLGRADE_TOKEN=token,
    )
    cli = run_cli("submit", "relu", str(tmp_path / "relu.py"), env=env)
    assert cli.returncode == 0 and "counted for: Week 1 (Deep learning 101)" in cli.stdout, cli.stderr

    sign_in(page, live_server, "student", "pw-student")
    page.goto(f"{live_server.url}/exercises/relu/")
    page.wait_for_selector("#counts-for:has-text('2 attempts')")  # both counted, though neither came from here
    page.wait_for_selector("#history .pill.credit:text-is('Week 1')")
    page.click("nav >> text=Courses")
    page.click("text=Deep learning 101")
    page.click("a:text-is('Week 1')")
    items = page.inner_text("table.data tbody")
    assert "✓ solved" in items and "10 / 10" in items


def test_deadlines_also_say_the_moment_in_the_students_own_time_zone(browser, live_server, week_1, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(locale="en-US", timezone_id="Asia/Shanghai")  # UTC+8; the server shows UTC
    page = context.new_page()
    try:
        sign_in(page, live_server, "student", "pw-student")
        local = week_1.due_at.astimezone(ZoneInfo("Asia/Shanghai"))
        slot = page.locator(".exercise-card:has(code.slug:text-is('relu')) time[data-local]")
        assert "your time" in slot.inner_text() and local.strftime("%H:%M") in slot.inner_text()
        page.goto(f"{live_server.url}/exercises/relu/")
        assert local.strftime("%H:%M") in page.inner_text("#counts-for time[data-local]")
    finally:
        context.close()
