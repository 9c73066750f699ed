"""A student signs in, fails conv-forward once, fixes it, and sees both verdicts without a reload."""

from __future__ import annotations

import time

import pytest

from tests.conftest import ROOT, sync_only
from tests.e2e.conftest import ARTIFACTS, set_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CORRECT = (ROOT / "exercises" / "conv-forward" / "solutions" / "im2col.py").read_text()
# A classic mistake: forgetting the zero padding.
NO_PADDING = """import numpy as np

def conv_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho, Wo = 1 + (H - HH) // stride, 1 + (W - WW) // stride
    out = np.zeros((N, F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            patch = x[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out
"""


def test_student_solves_conv_forward_after_a_wrong_attempt(page, live_server, grading_worker, student, tmp_path):
    sync_only(tmp_path, "relu", "conv-forward")
    sign_in(page, live_server, "student", "pw-student")
    assert (
        page.locator("text=Forward pass of a convolution layer").count() + page.locator("text=conv-forward").count() > 0
    )
    page.click("code:text('conv-forward')")
    page.wait_for_selector("#statement .katex", timeout=5000)  # formulas rendered by KaTeX

    set_code(page, NO_PADDING)
    started = time.monotonic()
    page.click("#submit-button")
    page.wait_for_selector(".verdict-head", timeout=20000)
    wrong_seconds = time.monotonic() - started
    verdict = page.inner_text("#verdict")
    assert "cases passed" in verdict and "100%" not in verdict
    assert "Wrong shape" in verdict or "Likely mistake" in verdict
    # A hidden case says what kind of failure it was, on its own line, in the platform's words only.
    assert "(hidden) — Wrong shape (hidden case: its inputs and expected values are not shown)" in verdict
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "exercise-failed.png"), full_page=True)

    set_code(page, CORRECT)
    page.click(".CodeMirror")
    started = time.monotonic()
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".score.full", timeout=20000)
    right_seconds = time.monotonic() - started
    page.screenshot(path=str(ARTIFACTS / "exercise-passed.png"), full_page=True)

    page.wait_for_function("document.querySelectorAll('#history tbody tr').length == 2")
    rows = page.inner_text("#history tbody")
    assert "100%" in rows
    assert wrong_seconds < 10 and right_seconds < 10
