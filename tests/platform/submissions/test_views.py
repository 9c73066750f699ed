from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from graders.bundle import load_bundle
from graders.engine import grade
from submissions import services
from submissions.models import Submission, public_seconds
from tests.conftest import EXERCISES

pytestmark = pytest.mark.django_db
WRONG = "import numpy as np\ndef relu(x):\n    return np.abs(x)\n"


@pytest.fixture
def graded(student, relu_exercise, zygote, django_capture_on_commit_callbacks):
    """A wrong relu submission of `student`, graded in-process."""
    submission = services.submission_create(user=student, exercise=relu_exercise, source=WRONG)
    services.submission_start(submission_id=submission.pk)
    verdict = grade(load_bundle(EXERCISES / "relu"), WRONG, zygote=zygote)
    services.submission_record_verdict(submission_id=submission.pk, verdict=verdict)
    submission.refresh_from_db()
    return submission


def test_submit_stores_and_shows_queued(client, student, relu_exercise, django_capture_on_commit_callbacks):
    client.force_login(student)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("exercises:submit", args=["relu"]), {"source": WRONG}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Queued" in response.content.decode()
    assert response["HX-Trigger"] == "submission-changed"
    assert Submission.objects.get().status == "queued"
    assert len(callbacks) == 1  # grading is enqueued only once the row is committed


@pytest.mark.parametrize(
    "source,message",
    [
        ("   \n", "Your code is empty."),
        ("x = 1\n" * 20000, "submissions are limited to 64 KiB"),
        ("a\x00b", "NUL character"),
    ],
)
def test_bad_code_gets_a_clear_message_and_nothing_is_stored(client, student, relu_exercise, source, message):
    client.force_login(student)
    response = client.post(reverse("exercises:submit", args=["relu"]), {"source": source}, HTTP_HX_REQUEST="true")
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_without_htmx_submit_redirects_back_to_the_exercise(client, student, relu_exercise):
    client.force_login(student)
    response = client.post(reverse("exercises:submit", args=["relu"]), {"source": WRONG})
    assert response.status_code == 302 and response["Location"] == reverse("exercises:detail", args=["relu"])


def test_student_sees_own_verdict_with_hidden_cases_as_pass_fail(client, student, graded):
    client.force_login(student)
    page = client.get(reverse("submissions:panel", args=[graded.pk])).content.decode()
    assert "30%" in page and "3 of 10 cases passed" in page
    assert "Negative inputs came back positive" in page
    assert "2 of 5 values (40%) are off" in page  # visible case explained
    assert "non_contiguous" in page and "(hidden)" in page
    hidden = next(c for c in graded.verdict["cases"] if c["name"] == "large_magnitudes")
    assert "Wrong values (hidden case: its inputs and expected values are not shown)" in page
    assert escape(hidden["details"]["explanation"]) not in page  # values of a hidden case: staff only


def test_other_student_cannot_see_a_submission(client, other_student, graded):
    client.force_login(other_student)
    for name in ("submissions:panel", "submissions:detail"):
        assert client.get(reverse(name, args=[graded.pk])).status_code == 404


def test_staff_see_hidden_case_details(client, instructor, graded):
    client.force_login(instructor)
    page = client.get(reverse("submissions:detail", args=[graded.pk])).content.decode()
    hidden = next(c for c in graded.verdict["cases"] if c["name"] == "large_magnitudes")
    assert escape(hidden["details"]["explanation"]) in page
    assert "return np.abs(x)" in page


def test_history_lists_attempts_with_scores(client, student, graded):
    client.force_login(student)
    page = client.get(reverse("exercises:history", args=["relu"])).content.decode()
    assert f">{graded.pk}</a>" in page and "30%" in page


def test_feedback_shows_backticks_as_code_and_escapes_the_rest():
    from submissions.templatetags.feedback import inline_code

    assert inline_code("Import of `os` is not allowed <b>") == "Import of <code>os</code> is not allowed &lt;b&gt;"


def test_reloading_the_exercise_page_restores_the_last_code_and_verdict(client, student, graded):
    client.force_login(student)
    page = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    assert "return np.abs(x)" in page  # the last submission's code, not the starter
    assert "3 of 10 cases passed" in page and "30%" in page
    assert "Negative inputs came back positive" in page


def test_the_verdict_shows_the_queue_wait_apart_from_the_grading_time(client, student, graded):
    """ "Graded in 23.13 s" was shown for 23 s in the queue and 0.1 s of grading."""
    now = timezone.now()
    Submission.objects.filter(pk=graded.pk).update(
        created_at=now - timedelta(seconds=23.13), started_at=now - timedelta(seconds=0.126), graded_at=now
    )
    client.force_login(student)
    panel = client.get(reverse("submissions:panel", args=[graded.pk])).content.decode()
    line = next(line for line in panel.splitlines() if f"submission #{graded.pk}" in line)
    assert line.endswith(f"submission #{graded.pk} · waited 23 s in the queue · graded in 0.1 s</p>")


def test_a_short_wait_is_not_mentioned_and_grading_time_never_shows_below_a_tenth(client, student, graded):
    now = timezone.now()
    Submission.objects.filter(pk=graded.pk).update(
        created_at=now - timedelta(seconds=0.3), started_at=now - timedelta(seconds=0.02), graded_at=now
    )
    client.force_login(student)
    panel = client.get(reverse("submissions:panel", args=[graded.pk])).content.decode()
    assert "in the queue" not in panel and "graded in 0.1 s" in panel


@pytest.mark.parametrize("seconds,shown", [(0.0, 0.1), (0.04, 0.1), (0.16, 0.2), (12.345, 12.3), (None, None)])
def test_public_seconds_are_tenths_never_below_one(seconds, shown):
    assert public_seconds(seconds) == shown


def test_a_named_mistake_lists_its_cases_and_other_failures_are_called_another_problem(
    client, student, relu_exercise, zygote
):
    # np.abs explains every failure but one: the single element, where this code raises instead.
    source = (
        "import numpy as np\ndef relu(x):\n    if x.size == 1:\n        raise ValueError('one')\n    return np.abs(x)\n"
    )
    submission = services.submission_create(user=student, exercise=relu_exercise, source=source)
    verdict = grade(load_bundle(EXERCISES / "relu"), source, zygote=zygote)
    services.submission_record_verdict(submission_id=submission.pk, verdict=verdict)
    client.force_login(student)
    url = reverse("submissions:panel", args=[submission.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "Seen in <code>vector</code>, <code>matrix</code>, <code>batch_nchw</code>, <code>all_negative</code>"
        in english
    )
    assert "None of the mistakes named here explains these failed cases: <code>single_element</code>." in english
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "出现在用例 <code>vector</code>, <code>matrix</code>" in chinese
    assert "上面列出的错误都解释不了这些未通过的用例：<code>single_element</code>。" in chinese


PRINTING = "import numpy as np\ndef relu(x):\n    print('<b>seen</b>', x.shape)\n    return np.abs(x)\n"


def test_the_panel_shows_what_each_visible_case_printed_escaped_and_no_hidden_output(
    client, student, relu_exercise, zygote
):
    submission = services.submission_create(user=student, exercise=relu_exercise, source=PRINTING)
    services.submission_start(submission_id=submission.pk)
    verdict = grade(load_bundle(EXERCISES / "relu"), PRINTING, zygote=zygote)
    services.submission_record_verdict(submission_id=submission.pk, verdict=verdict)
    client.force_login(student)
    page = client.get(reverse("submissions:panel", args=[submission.pk])).content.decode()
    visible = sum(not case.hidden for case in verdict.cases)
    assert page.count("&lt;b&gt;seen&lt;/b&gt;") == visible and "<b>seen" not in page
    assert "&lt;b&gt;seen&lt;/b&gt; (5,)" in page
    # A verdict stored with output on a hidden case (a bug, an old row) still never shows it.
    submission.refresh_from_db()
    stored = dict(submission.verdict)
    stored["cases"] = [dict(case, printed="LEAK") if case["hidden"] else case for case in stored["cases"]]
    Submission.objects.filter(pk=submission.pk).update(verdict=stored)
    assert "LEAK" not in client.get(reverse("submissions:panel", args=[submission.pk])).content.decode()


def test_a_failed_visible_case_shows_its_inputs_as_python_and_marks_the_values_that_are_off(client, student, graded):
    client.force_login(student)
    page = client.get(reverse("submissions:panel", args=[graded.pk])).content.decode()
    matrix = next(c for c in graded.verdict["cases"] if c["name"] == "matrix")
    assert escape(matrix["details"]["call"]) in page and "These inputs as Python" in page
    marked = sum(c["details"]["off"] for c in graded.verdict["cases"] if "grid" in c.get("details", {}))
    assert matrix["details"]["grid"] and page.count('<td class="off"') == 2 * marked  # in got and in expected
    assert "Hidden cases show whether they passed" in page


def test_the_statement_says_up_front_what_the_code_may_import_and_what_print_and_time_do(
    client, student, relu_exercise
):
    client.force_login(student)
    page = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    rules = page[page.index('class="code-rules"') : page.index('id="statement"')]
    assert "imports NumPy, math" in rules and "refused" in rules
    assert "print() works" in rules and "never for hidden cases" in rules
    assert f"each case may take {relu_exercise.time_limit_s:g} s" in rules
