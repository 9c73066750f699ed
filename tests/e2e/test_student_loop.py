"""In a browser: what the code printed, Run with a case of one's own, drafts, reproducible failures, a phone."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, sync_only
from tests.e2e.conftest import set_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = ROOT / "docs" / "screenshots"
WRONG = "import numpy as np\n\ndef relu(x):\n    print('shape', x.shape)\n    return np.abs(x)\n"
OWN_CASE = "relu(np.array([[1.0, -2.0], [3.0, -4.0]]))"


@pytest.fixture
def relu(tmp_path, student):
    sync_only(tmp_path, "relu")


def submit_and_wait(page) -> None:
    page.click("#submit-button")
    page.wait_for_selector(".verdict-head .score", timeout=20000)


def test_a_failed_case_shows_what_was_printed_and_can_be_reproduced(page, live_server, grading_worker, relu):
    sign_in(page, live_server, "student", "pw-student")
    page.goto(f"{live_server.url}/exercises/relu/")
    set_code(page, WRONG)
    submit_and_wait(page)
    matrix = page.locator("#verdict li.case", has=page.locator("code:text-is('matrix')"))
    assert "shape (3, 4)" in matrix.locator(".printed pre").inner_text()  # what it printed in this case
    assert page.locator("#verdict li.case:has-text('(hidden)') .printed").count() == 0
    call = matrix.locator(".repro pre.call").inner_text()
    assert call.startswith("relu(np.array([[") and call.endswith("dtype='float64'))")
    # got and expected side by side, the values that are off marked, a row on one line
    assert matrix.locator("table.values td.off").count() >= 2
    got, expected = matrix.locator(".grid-view figure").all()
    assert got.bounding_box()["y"] == expected.bounding_box()["y"]  # beside each other at 1280 px
    row = matrix.locator("table.values tr").first
    assert row.bounding_box()["height"] < 30  # one line: never wrapped mid-row
    # "Add to your own cases" puts the line where Run reads it
    matrix.locator("[data-own-case]").click()
    assert page.input_value("#own-cases") == call


def test_run_with_a_case_of_ones_own_records_no_attempt(page, live_server, grading_worker, relu):
    from submissions.models import Submission

    sign_in(page, live_server, "student", "pw-student")
    page.goto(f"{live_server.url}/exercises/relu/")
    set_code(page, WRONG)
    page.click(".own-cases summary")
    page.fill("#own-cases", OWN_CASE)
    page.click("#run-button")
    mine = page.locator("#trial li.case.own")
    mine.wait_for(timeout=20000)
    text = mine.inner_text()
    assert "your case 1" in text and OWN_CASE in text
    assert "[[1., 2.],\n [3., 4.]]" in mine.locator(".arrays").inner_text()  # got
    assert "[[1., 0.],\n [3., 0.]]" in mine.locator(".arrays").inner_text()  # the reference's answer
    assert "shape (2, 2)" in mine.locator(".printed").inner_text()
    assert "Not a submission" in page.inner_text("#trial")
    assert Submission.objects.count() == 0
    # A line that is not data is refused with its line number, and nothing runs.
    page.fill("#own-cases", "relu(np.zeros(2))\nrelu(open('x'))")
    page.click("#run-button")
    page.wait_for_selector("#trial .error:has-text('Your case on line 2')")


def test_a_draft_survives_a_reload_and_leaving_with_unsent_code_asks_first(page, live_server, relu):
    sign_in(page, live_server, "student", "pw-student")
    page.goto(f"{live_server.url}/exercises/relu/")
    set_code(page, "# my work in progress\n" + WRONG)
    page.wait_for_timeout(500)  # saved after 300 ms without typing
    page.reload()
    page.wait_for_selector("#draft-note:not([hidden])")
    assert page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()").startswith(
        "# my work in progress"
    )
    # navigating away in the page asks before leaving code that was never submitted or run
    set_code(page, "# changed again\n" + WRONG)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.click("nav >> text=Exercises")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"] and page.url.endswith("/exercises/relu/")
    page.click("#draft-discard")  # back to the starter: nothing left to lose
    page.click("nav >> text=Exercises")
    page.wait_for_url(f"{live_server.url}/exercises/")


@pytest.mark.parametrize(
    "language,locale", [("en", "en-US"), pytest.param("zh", "zh-CN", marks=pytest.mark.locale("zh-CN"))]
)
def test_screenshots_of_a_failed_case_on_a_desktop_and_a_phone(
    page, live_server, grading_worker, relu, language, locale
):
    sign_in(page, live_server, "student", "pw-student")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/exercises/relu/")
    set_code(page, WRONG)
    submit_and_wait(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"exercise-failed-case-desktop-{language}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/exercises/relu/")
    assert not page.is_visible("#editor-keys")  # no keyboard hint on a touch-sized screen
    submit = page.locator("#submit-button").bounding_box()
    assert submit["height"] < 50  # "Submit" on one line, not "Sub mit"
    set_code(page, WRONG)
    page.click("#submit-button")
    page.wait_for_selector(".verdict-head .score", timeout=20000)
    page.wait_for_timeout(600)  # the smooth scroll to the verdict
    head = page.locator(".verdict-head").bounding_box()
    assert 0 <= head["y"] < 844, "the verdict is scrolled into view after submitting"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#verdict li.case", has=page.locator("code:text-is('matrix')")).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"exercise-failed-case-phone-{language}.png"))
