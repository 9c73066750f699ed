import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_need_sign_in(client, relu_exercise):
    for url in (reverse("exercises:list"), reverse("exercises:detail", args=["relu"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_list_groups_by_topic_and_shows_progress(client, student, relu_exercise):
    client.force_login(student)
    page = client.get(reverse("exercises:list")).content.decode()
    assert "Neurons and CNNs" in page and "ReLU activation" in page and "not started" in page


def test_detail_shows_statement_editor_and_starter(client, student, relu_exercise):
    client.force_login(student)
    page = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    assert "ReLU activation" in page
    assert 'name="source"' in page and "TODO: replace this line" in page
    assert "vendor/codemirror/lib/codemirror.js" in page and "vendor/katex/katex.min.js" in page


def test_statement_follows_the_language(client, student, relu_exercise):
    client.force_login(student)
    page = client.get(reverse("exercises:detail", args=["relu"]), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert "ReLU 激活函数" in page.content.decode()


def test_unknown_exercise_is_404(client, student, relu_exercise):
    client.force_login(student)
    assert client.get(reverse("exercises:detail", args=["nope"])).status_code == 404


def test_progress_by_topic_counts_solved_exercises(client, student, relu_exercise, zygote):
    from graders.bundle import load_bundle
    from graders.engine import grade
    from submissions import services
    from tests.conftest import EXERCISES

    source = "import numpy as np\ndef relu(x):\n    return np.maximum(x, 0)\n"
    submission = services.submission_create(user=student, exercise=relu_exercise, source=source)
    services.submission_record_verdict(
        submission_id=submission.pk, verdict=grade(load_bundle(EXERCISES / "relu"), source, zygote=zygote)
    )
    client.force_login(student)
    page = client.get(reverse("exercises:list")).content.decode()
    assert "You have solved 1 of 1 exercises." in page
    assert 'aria-valuenow="1"' in page and "1/1" in page


def test_detail_states_the_submissions_time_budget(client, student, relu_exercise):
    """A looping submission stops after 3 x the case limit over all cases: the page says so up front."""
    client.force_login(student)
    page = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    assert "2.0 s and 256 MiB per case" in page and "at most 6 s for all cases together" in page
