"""A course's own repository in the browser: pulled by a real worker, the broken bundle reported, the good one
previewed, published and solved by a student; a change becomes a new version and a regrade preview shows its effect."""

from __future__ import annotations

import pytest

from courses import services as course_services
from courses.models import Membership
from tests.e2e.conftest import ARTIFACTS, set_code, sign_in
from tests.platform.courses.content_repo import CORRECT, OFF_BY_A_LITTLE, good_and_broken
from tests.platform.courses.fixtures import make_assignment

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def content_root(tmp_path, monkeypatch, settings):
    """Where the worker (a subprocess, started after this) and the site keep the versions: the same folder."""
    root = tmp_path / "content"
    monkeypatch.setenv("DLGRADE_CONTENT_ROOT", str(root))
    settings.CONTENT_ROOT = root
    return root


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def pull(page, url: str) -> None:
    page.click("#content-sync")
    for _ in range(120):  # the worker pulls, checks and previews; the page shows it once done
        page.goto(url)
        if not page.locator("#content-sync-report:has-text('Pulling')").count():
            return
        page.wait_for_timeout(500)
    pytest.fail("the pull did not finish")


def test_a_course_repository_from_pull_to_regrade(
    content_root, browser, page, live_server, grading_worker, instructor, student, tmp_path
):
    from catalog.models import Exercise

    repository = good_and_broken(tmp_path / "git")
    course = course_services.course_create(title="Deep learning, own exercises", created_by=instructor)
    Membership.objects.create(course=course, user=student)
    content_url = f"{live_server.url}/courses/{course.pk}/content/"

    sign_in(page, live_server, "instructor", "pw-instructor")
    page.goto(f"{live_server.url}/courses/{course.pk}/")
    page.click(".tabs >> text=Content")
    page.fill("#id_git_url", repository.url)
    page.fill("#id_branch", "main")
    page.click("#content-repository-form button[type=submit]")
    pull(page, content_url)
    problems = page.inner_text("#content-problems")
    assert "broken" in problems and "reference.py" in problems and "SyntaxError" in problems
    assert page.locator("tr[data-bundle='broken'][data-status='failed']").count() == 1
    shot(page, "course-content-pulled")

    page.click("tr[data-bundle='leaky-relu'][data-status='ready'] a")
    page.wait_for_selector("#statement-en .statement[data-math-rendered] .katex")  # formulas set as students see them
    assert "Leaky ReLU" in page.inner_text("#statement-en") and "逐元素" in page.inner_text("#statement-zh")
    assert "1.00" in page.inner_text("#preview-reference")
    assert page.locator(".preview-mistake").count() == 2 and "no" not in page.inner_text(".preview-mistake >> nth=0")
    assert "a 3x4 matrix with alpha = 0.2" in page.inner_text("#version-cases")
    shot(page, "course-content-preview")
    page.click("#content-publish")
    page.wait_for_selector("text=Published: students of this course now see")
    assert not Exercise.objects.filter(slug__endswith="--broken").exists()
    exercise = Exercise.objects.get(slug=f"c{course.pk}--leaky-relu")
    make_assignment(course, [exercise], title="Week 1: our own leaky ReLU")

    # The student solves it from the course's assignment.
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    learner = context.new_page()
    sign_in(learner, live_server, "student", "pw-student")
    learner.click("nav >> text=Courses")
    learner.click("text=Deep learning, own exercises")
    learner.click("text=Week 1: our own leaky ReLU")
    learner.click(f"a[href*='/exercises/{exercise.slug}/']")
    for source in (OFF_BY_A_LITTLE, CORRECT):
        set_code(learner, source)
        learner.click("#submit-button")
        learner.wait_for_selector(".verdict-head", timeout=20000)
        learner.wait_for_timeout(300)
    learner.wait_for_selector(".score.full", timeout=20000)
    shot(learner, "course-content-solved")
    context.close()

    # A looser tolerance is pushed: a new version, live only once published; the regrade shows its effect.
    repository.edit("exercises/leaky-relu/exercise.toml", "atol = 1e-9", "atol = 1e-3")
    repository.push("looser tolerance")
    page.goto(content_url)
    pull(page, content_url)
    assert page.locator("tr[data-bundle='leaky-relu']").count() == 2
    page.click("tr[data-bundle='leaky-relu'][data-status='ready'] a")
    page.click("#content-publish")
    page.wait_for_selector("text=Published: students of this course now see")
    assert page.locator("tr[data-bundle='leaky-relu'][data-status='superseded']").count() == 1

    page.click(".tabs >> text=Regrades")
    page.click(f"tr:has(code:text-is('{exercise.slug}')) button")
    page.wait_for_selector("text=Preview ready", timeout=30000)
    assert "submissions: 1 up" in page.inner_text("#regrade-preview")
    shot(page, "course-content-regrade-preview")
