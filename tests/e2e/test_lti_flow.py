"""In a browser: a student opens an exercise from the simulated LMS, submits, and the score arrives there.

The LMS (127.0.0.1) frames dlgrade (localhost): another site, over plain HTTP, so the browser keeps
no dlgrade cookie inside the frame, as a browser that blocks third-party cookies does. The frame
offers the one-time link, the student continues in a window of its own, and a real worker grades
the submission and sends the score to the LMS's line item from the beat.
"""

from __future__ import annotations

import time

import pytest
from lti_tool.models import LtiUser

from tests.e2e.conftest import ARTIFACTS, set_code
from tests.platform.lti.conftest import LEARNER, person
from tests.platform.lti.test_grades import CORRECT, place

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_student_launches_from_the_lms_submits_and_the_score_reaches_the_lms(
    page, live_server, lms, lti_worker, relu_exercise
):
    item = place(lms, relu_exercise)  # the instructor's deep link (browser-less: tested in tests/platform/lti)
    launch = lms.launch(
        user=person("student-1"),
        roles=[LEARNER],
        resource_link={"id": item["resource_link_id"], "title": item["title"]},
        custom=item["custom"],
        lineitem=item["lineitem"],
    )
    page.goto(launch["course"])  # the LMS's course page: dlgrade in a frame
    frame = page.frame_locator("#tool")
    frame.locator("#lti-open").wait_for(timeout=20000)  # cookies blocked in the frame: the fallback
    assert "new window" in frame.locator("h1").inner_text()
    with page.context.expect_page() as opened:
        frame.locator("#lti-open").click()
    window = opened.value
    window.wait_for_url(f"{live_server.url}/courses/*/assignments/*/")
    assert "ReLU" in window.inner_text("main")

    window.goto(f"{live_server.url}/exercises/relu/")
    set_code(window, CORRECT)
    window.click("#submit-button")
    window.wait_for_selector(".score.full", timeout=30000)
    ARTIFACTS.mkdir(exist_ok=True)
    window.screenshot(path=str(ARTIFACTS / "lti-exercise-in-own-window.png"), full_page=True)

    deadline = time.monotonic() + 60
    while not lms.state()["scores"] and time.monotonic() < deadline:
        time.sleep(0.5)
    (score,) = lms.state()["scores"]
    assert score["userId"] == "student-1" and score["scoreGiven"] == 10.0 and score["scoreMaximum"] == 10.0
    assert LtiUser.objects.get(sub="student-1").auth_user.submissions.get().score == 1.0
