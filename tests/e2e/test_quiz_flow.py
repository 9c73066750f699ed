"""A student takes the LSTM quiz in the browser: instant feedback without a reload, bad input, Chinese, finish."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import ARTIFACTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _right_value(user, key: str) -> str:
    from graders.quiz import load_quiz
    from quizzes.services import variant_for

    bundle = load_quiz(ROOT / "quizzes" / "lstm-quiz")
    _token, variant = variant_for(bundle=bundle, question=bundle.question(key), user_id=user.pk, attempt_number=1)
    return f"{variant.answer:.4f}"


def test_student_answers_the_lstm_quiz_in_both_languages(page, live_server, student, tmp_path):
    from quizzes.services import quiz_sync
    from tests.conftest import sync_only

    quiz_sync(root=ROOT / "quizzes")
    sync_only(tmp_path, "lstm-step")
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, live_server, "student", "pw-student")
    page.click("nav >> text=Quizzes")
    page.click("text=What is an LSTM?")
    page.wait_for_selector("#quiz-body .katex", timeout=5000)  # formulas rendered by KaTeX
    page.evaluate("window.__noReload = true")

    # A parameterized numeric question: typed, Enter checks that question only.
    value = _right_value(student, "forget-gate-value")
    page.fill("#a-forget-gate-value", "zero point five")
    page.press("#a-forget-gate-value", "Enter")
    page.wait_for_selector("#q-forget-gate-value .error")
    assert "is not a number" in page.inner_text("#q-forget-gate-value .error")
    page.fill("#a-forget-gate-value", value)
    page.press("#a-forget-gate-value", "Enter")
    page.wait_for_selector("#q-forget-gate-value .verdict-line")
    assert "Correct" in page.inner_text("#q-forget-gate-value .verdict-line")
    assert "Explanation" in page.inner_text("#q-forget-gate-value")
    page.wait_for_selector("#q-forget-gate-value .explanation .katex")

    # An empty multiple choice is refused; a partly right one gets partial credit.
    page.click("#q-cell-state-facts button[name=only]")
    page.wait_for_selector("#q-cell-state-facts .error")
    assert "Tick at least one option" in page.inner_text("#q-cell-state-facts .error")
    page.check("#q-cell-state-facts input[value=a]")
    page.check("#q-cell-state-facts input[value=c]")
    page.click("#q-cell-state-facts button[name=only]")
    page.wait_for_selector("#q-cell-state-facts .verdict-line")
    assert "Partly right" in page.inner_text("#q-cell-state-facts .verdict-line")

    # The ordering question: one select per step.
    selects = page.locator("#q-lstm-update-order select")
    for position, step in enumerate(["concat", "gates", "cell", "squash", "hidden"]):
        selects.nth(position).select_option(step)
    page.click("#q-lstm-update-order button[name=only]")
    page.wait_for_selector("#q-lstm-update-order .verdict-line")
    assert "Correct" in page.inner_text("#q-lstm-update-order .verdict-line")
    assert "3 of 11 answered" in page.inner_text("#quiz-summary")
    assert page.evaluate("window.__noReload === true")  # all of it without a page load
    page.locator("#q-forget-gate-value").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "quiz-answered.png"), full_page=False)
    page.screenshot(path=str(ARTIFACTS / "quiz-answered-full.png"), full_page=True)

    # The coding exercise of the topic is one click away.
    assert page.locator("aside a:text('One LSTM time step')").count() == 1

    # Chinese: the same try, the same numbers, the interface and explanations in Chinese.
    formulas = "els => els.map(e => e.textContent)"
    numbers = page.eval_on_selector_all("#q-forget-gate-value .question-prompt annotation", formulas)
    page.select_option("#language", "zh-hans")
    page.wait_for_selector("text=什么是 LSTM？")
    page.wait_for_selector("#q-forget-gate-value .question-prompt .katex")
    assert "第 1 题" in page.inner_text("#quiz-body")
    assert "解析" in page.inner_text("#q-forget-gate-value")
    assert (
        numbers and page.eval_on_selector_all("#q-forget-gate-value .question-prompt annotation", formulas) == numbers
    )
    page.screenshot(path=str(ARTIFACTS / "quiz-zh.png"), full_page=False)

    # One question at a time, then finish the try early.
    page.click("text=一次一题")
    page.wait_for_selector(".question-dots")
    page.screenshot(path=str(ARTIFACTS / "quiz-one-at-a-time.png"), full_page=False)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=现在结束本次作答")
    page.wait_for_selector("text=开始新的一次作答")
    summary = page.inner_text("#quiz-summary")
    assert "第 1 次作答已结束" in summary
    assert "3/11" in page.inner_text("#quiz-history")  # the sidebar learns of the finished try too
    assert page.locator("#quiz-body .question").count() == 11  # the whole try is shown for review
    page.screenshot(path=str(ARTIFACTS / "quiz-finished.png"), full_page=False)

    from quizzes.models import QuizAttempt

    attempt = QuizAttempt.objects.get()
    assert attempt.answered == 3 and attempt.total == 11
    assert attempt.score == pytest.approx((1 + 2 / 3 + 1) / 11)
