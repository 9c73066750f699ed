"""The exploding-gradient lab on the page, and the backward passes in the exercise list.

After grading, bptt-gradient-norms plots each visible case's norms (the student's and the
reference's, also after clipping) from data in json_script elements: no inline script, and no number
from a hidden case, whose outputs come from a run that held hidden inputs.
"""

import json
import re

import pytest
from django.urls import reverse

from catalog.models import Exercise
from graders.bundle import load_bundle
from graders.content_check import student_version_of
from graders.engine import grade
from submissions import services
from tests.conftest import EXERCISES, sync_only

pytestmark = pytest.mark.django_db
LAB = "bptt-gradient-norms"
BACKWARD = [
    "relu-backward",
    "sigmoid-backward",
    "softmax-cross-entropy",
    "dense-backward",
    "conv-backward",
    "max-pool-backward",
    "rnn-step-backward",
    "rnn-backward",
    "bptt-gradient-norms",
    "lstm-step-backward",
    "sgd-clipped-step",
]


@pytest.fixture
def lab_verdict(student, tmp_path, zygote):
    """A bptt-gradient-norms submission with a known mistake, graded in-process."""
    sync_only(tmp_path, LAB)
    exercise = Exercise.objects.get(slug=LAB)
    bundle = load_bundle(EXERCISES / LAB)
    variant = next(v for v in bundle.mistakes if v.key == "derivative_of_previous_state")
    source = student_version_of(bundle.path / "mistakes.py", variant.function.__name__, bundle.function)
    submission = services.submission_create(user=student, exercise=exercise, source=source)
    services.submission_start(submission_id=submission.pk)
    services.submission_record_verdict(submission_id=submission.pk, verdict=grade(bundle, source, zygote=zygote))
    submission.refresh_from_db()
    return submission


def _plots(page: str) -> dict[str, dict]:
    return {
        key: json.loads(body)
        for key, body in re.findall(r'<script id="(lab-plot-\d+)" type="application/json">(.*?)</script>', page, re.S)
    }


def test_the_lab_plots_the_visible_cases_only_yours_next_to_the_reference(client, student, lab_verdict):
    client.force_login(student)
    page = client.get(reverse("submissions:panel", args=[lab_verdict.pk])).content.decode()
    plots = _plots(page)
    visible = [c for c in lab_verdict.verdict["cases"] if not c["hidden"] and c["details"].get("plot")]
    assert [c["name"] for c in visible] == ["exploding", "vanishing", "saturated"]  # T = 1 has nothing to plot
    assert len(plots) == 3 and page.count("<canvas data-lab-plot=") == 3
    exploding = plots["lab-plot-1"]
    assert exploding["spectral_radius"] == "1.5" and exploding["clip_norm"] == 1.0
    assert len(exploding["got"]) == len(exploding["expected"]) == exploding["steps"] == 50
    assert exploding["expected"][0] > 1e6 > 1 > exploding["expected_clipped"][0]  # clipping bounds it
    ratio = [a / b for a, b in zip(exploding["expected_clipped"], exploding["expected"], strict=True)]
    assert max(ratio) / min(ratio) < 1.01  # one factor for every step (to 4 digits): the shape is kept
    assert plots["lab-plot-2"]["expected_clipped"] == plots["lab-plot-2"]["expected"]  # vanishing: unchanged
    # Nothing of the hidden cases: the engine gives them no plot data at all.
    hidden = [c for c in lab_verdict.verdict["cases"] if c["hidden"]]
    assert hidden and all("plot" not in c["details"] for c in hidden)
    assert "Your gradient norms over time" in page


def test_the_exercise_page_loads_the_lab_script_and_chart_js_lazily(client, student, lab_verdict):
    client.force_login(student)
    page = client.get(reverse("exercises:detail", args=[LAB])).content.decode()
    assert "js/gradient-lab.js" in page and 'data-chartjs="/static/vendor/chart.js/chart.umd.js"' in page
    assert "<script>" not in page  # the CSP forbids inline script: data comes as application/json
    zh = client.get(reverse("exercises:detail", args=[LAB]), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "你算出的梯度范数随时间的变化" in zh and "W 的谱半径：1.5" in zh


def test_other_exercises_show_no_lab(client, student, relu_exercise, zygote):
    submission = services.submission_create(user=student, exercise=relu_exercise, source="def relu(x):\n    return x\n")
    services.submission_start(submission_id=submission.pk)
    verdict = grade(load_bundle(EXERCISES / "relu"), "def relu(x):\n    return x\n", zygote=zygote)
    services.submission_record_verdict(submission_id=submission.pk, verdict=verdict)
    client.force_login(student)
    page = client.get(reverse("submissions:panel", args=[submission.pk])).content.decode()
    assert "gradient-lab" not in page


def test_backpropagation_is_listed_last_each_backward_pass_after_its_forward_one(client, student, tmp_path):
    sync_only(tmp_path, "relu", "conv-forward", "rnn-step", "lstm-step", "clip-by-global-norm", *BACKWARD)
    client.force_login(student)
    page = client.get(reverse("exercises:list")).content.decode()
    sections = re.findall(r'<section class="topic" id="topic-([a-z-]+)">', page)
    assert sections[-1] == "backprop" and "Backpropagation" in page
    slugs = re.findall(r'<code class="slug">([a-z0-9-]+)</code>', page)
    assert slugs[-len(BACKWARD) :] == BACKWARD
    for forward, backward in (
        ("relu", "relu-backward"),
        ("conv-forward", "conv-backward"),
        ("lstm-step", "lstm-step-backward"),
    ):
        assert slugs.index(forward) < slugs.index(backward)
    zh = client.get(reverse("exercises:list"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "反向传播" in zh
