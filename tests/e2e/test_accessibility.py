"""axe-core (pinned in package.json) checks the pages students and instructors use, in both languages.

Serious and critical WCAG 2.1 A/AA findings fail the test with the rule, the element and axe's
own explanation. axe runs through Playwright's evaluate, so the pages' CSP stays as it is.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, sync_only
from tests.e2e.conftest import set_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WRONG_RELU = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"


def violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run make setup (npm ci)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
                rule: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => ({target: n.target.join(' '), why: n.failureSummary})),
            }));
        }"""
    )
    return result


def check(page, url: str, found: dict) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    problems = violations(page)
    if problems:
        found[url] = problems


def student_pages(page, live_server, tmp_path, synced_quizzes) -> dict:
    sync_only(tmp_path, "relu", "conv-forward")
    sign_in(page, live_server, "student", "pw-student")
    found: dict = {}
    for path in (
        "/exercises/",
        "/exercises/conv-forward/",
        "/quizzes/",
        "/quizzes/lstm-quiz/",
        "/courses/",
        "/accounts/profile/",
    ):
        check(page, live_server.url + path, found)
    # The exercise page with a failed verdict on it.
    page.goto(f"{live_server.url}/exercises/relu/")
    set_code(page, WRONG_RELU)
    page.click("#submit-button")
    page.wait_for_selector(".verdict-head", timeout=20000)
    problems = violations(page)
    if problems:
        found["relu with a failed verdict"] = problems
    page.wait_for_selector("#history tbody a")
    check(page, live_server.url + page.get_attribute("#history tbody a", "href"), found)
    return found


@pytest.fixture
def synced_quizzes(db):
    from quizzes.services import quiz_sync

    assert quiz_sync(root=ROOT / "quizzes").errors == []


def test_student_pages_have_no_serious_accessibility_problems(
    page, live_server, grading_worker, student, tmp_path, synced_quizzes
):
    found = student_pages(page, live_server, tmp_path, synced_quizzes)
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.locale("zh-CN")
def test_student_pages_in_chinese_have_no_serious_accessibility_problems(
    page, live_server, grading_worker, student, tmp_path, synced_quizzes
):
    found = student_pages(page, live_server, tmp_path, synced_quizzes)
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("language", ["en", pytest.param("zh", marks=pytest.mark.locale("zh-CN"))])
def test_the_pages_before_signing_in_have_no_serious_accessibility_problems(page, live_server, instructor, language):
    from courses.services import course_create

    course = course_create(title="Deep learning 101", created_by=instructor)
    found: dict = {}
    for path in (
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        f"/courses/join/{course.join_code}/",
        "/courses/invitations/not-a-token/",
    ):
        check(page, live_server.url + path, found)
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.fixture
def taught_course(instructor, student, zygote, tmp_path):
    """A course with an open assignment and a graded wrong attempt of the student's on it."""
    from catalog.models import Exercise
    from courses import services
    from courses.models import Membership
    from tests.platform.courses.fixtures import make_assignment, submit

    sync_only(tmp_path, "relu")
    relu = Exercise.objects.get(slug="relu")
    course = services.course_create(title="Deep learning 101", created_by=instructor)
    Membership.objects.create(course=course, user=student)
    assignment = make_assignment(course, [relu])
    submit(student, relu, WRONG_RELU, assignment, zygote=zygote)
    return course, assignment


@pytest.mark.parametrize("language", ["en", pytest.param("zh", marks=pytest.mark.locale("zh-CN"))])
def test_instructor_pages_have_no_serious_accessibility_problems(
    page, live_server, instructor, student, taught_course, language
):
    course, assignment = taught_course
    sign_in(page, live_server, "instructor", "pw-instructor")
    base = f"{live_server.url}/courses/{course.pk}/"
    paths = [
        base,
        base + "members/",
        base + "assignments/new/",
        f"{base}assignments/{assignment.pk}/",
        base + "gradebook/",
        f"{base}students/{student.pk}/",
        base + "regrades/",
        f"{live_server.url}/dashboard/courses/{course.pk}/",
        f"{live_server.url}/batches/",
    ]
    found: dict = {}
    for url in paths:
        check(page, url, found)
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
