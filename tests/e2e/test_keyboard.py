"""A student who uses only the keyboard, on a Chinese browser: sign in, open an exercise, write,
submit, read the feedback in Chinese, fix the code and pass. No mouse, no script-set values."""

from __future__ import annotations

import pytest

from tests.conftest import sync_only
from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.locale("zh-CN")]

EDITOR_INPUT = ".CodeMirror-code[contenteditable=true]"


def tab_until(page, selector: str, *, backwards: bool = False, limit: int = 60) -> int:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``; return how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{selector} not reached in {limit} presses; focus is on {focused}")


def focus_ring_is_visible(page) -> bool:
    """The focused control (or, for the editor, the editor around its hidden input) draws an outline."""
    return page.evaluate(
        """() => {
            const el = document.activeElement.closest('.CodeMirror') || document.activeElement;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 && box.width > 0;
        }"""
    )


def type_code(page, lines: list[str]) -> None:
    """Replace the editor's text by typing it; the editor indents after a colon, as it would for anyone."""
    page.keyboard.press("Control+A")
    page.keyboard.type("\n".join(lines))


def editor_text(page) -> str:
    return page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")


def test_a_keyboard_only_student_solves_relu_in_chinese(page, live_server, grading_worker, student, tmp_path):
    sync_only(tmp_path, "relu")
    page.goto(f"{live_server.url}/accounts/login/")

    # The sign-in form takes the focus on arrival.
    assert page.evaluate("document.activeElement.id") == "id_login"
    page.keyboard.type("student")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type("pw-student")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/exercises/")
    assert "练习" in page.inner_text("main")

    # The first Tab lands on the skip link, shown on screen while focused.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip')")
    assert page.evaluate("document.activeElement.getBoundingClientRect().left >= 0")
    tab_until(page, 'a[href$="/exercises/relu/"]')
    assert focus_ring_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/exercises/relu/")
    page.wait_for_selector(".CodeMirror")

    # Skip link, then straight into the page's content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip')")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")

    tab_until(page, EDITOR_INPUT)
    assert focus_ring_is_visible(page)
    label = page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-labelledby')).textContent")
    assert "你的解答" in label and "relu()" in label
    type_code(page, ["import numpy as np", "", "def relu(x):", "return np.abs(x)"])
    assert editor_text(page) == "import numpy as np\n\ndef relu(x):\n    return np.abs(x)"
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".verdict-head", timeout=20000)

    verdict = page.inner_text("#verdict")
    assert "个测试用例" in verdict and "100%" not in verdict
    assert "超出容差" in verdict and "最大误差" in verdict, verdict
    assert "are off by more than" not in verdict and "Largest error" not in verdict
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "exercise-failed-zh-keyboard.png"), full_page=True)

    # Esc leaves the editor (Tab inside it indents); the next Tabs reach Run, Submit, then the failed cases.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "run-button"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "submit-button"
    assert focus_ring_is_visible(page)
    tab_until(page, "#verdict summary", limit=10)
    was_open = page.evaluate("document.activeElement.parentElement.open")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is not was_open

    # Back into the editor, fix the code, submit with the button itself.
    tab_until(page, EDITOR_INPUT, backwards=True, limit=20)
    type_code(page, ["import numpy as np", "", "def relu(x):", "return np.maximum(x, 0.0)"])
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # Run, then Submit
    assert page.evaluate("document.activeElement.id") == "submit-button"
    page.keyboard.press("Enter")
    page.wait_for_selector(".score.full", timeout=20000)
    assert "100%" in page.inner_text("#verdict")
    page.wait_for_function("document.querySelectorAll('#history tbody tr').length == 2")
