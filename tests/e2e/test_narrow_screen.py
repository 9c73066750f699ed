"""On a phone-sized screen no page is wider than the screen (wide formulas and tables scroll in their card)."""

import pytest

from tests.conftest import sync_only
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", pytest.param("zh", marks=pytest.mark.locale("zh-CN"))])
def test_student_pages_fit_a_390px_screen(page, live_server, student, tmp_path, language):
    sync_only(tmp_path, "relu", "conv-forward", "lstm-step")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "student", "pw-student")
    for path in ("/exercises/", "/exercises/conv-forward/", "/exercises/lstm-step/", "/courses/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px screen"
        assert page.evaluate("document.documentElement.lang").startswith(language)
