"""A course's own quizzes from its git repository: pulled, drawn in the sandbox, previewed, published, answered.

A real bare git repository, the real isolated check (graders.content_check_cli) and the real
sandbox; a course quiz's params.py never runs in this process.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from courses.content import services as content
from courses.content.selectors import course_namespace
from courses.forms import AssignmentForm
from courses.models import ContentVersion
from graders.quiz.precomputed import VARIANTS_FILE, variants_file
from graders.scaffold import scaffold
from quizzes.models import QuestionAnswer, Quiz, QuizAttempt
from quizzes.selectors import quiz_bundle, quiz_get_active
from quizzes.services import variant_for
from tests.platform.courses.content_repo import CourseRepository, good_and_broken_quizzes

pytestmark = pytest.mark.django_db

PARAMETERIZED = "leaky-relu-value"  # the scaffold quiz's numeric question drawn from params.py
FIXED = "relu-definition"  # ... and its single-choice question (answer "a")


@pytest.fixture(autouse=True)
def content_root(settings, tmp_path):
    settings.CONTENT_ROOT = tmp_path / "content"


def sync(course, repository):
    saved = content.repository_save(course=course, git_url=repository.url, branch="main")
    return content.repository_sync(repository_id=saved.pk)


def quiz_versions(row):
    return {v.slug: v for v in row.versions.filter(kind=ContentVersion.Kind.QUIZ)}


@pytest.fixture
def published(world, tmp_path):
    """activations-quiz of the course's repository, synced and published."""
    row = sync(world.course, good_and_broken_quizzes(tmp_path / "git"))
    quiz = content.version_publish(version=quiz_versions(row)["activations-quiz"], user=world.teacher)
    return row, quiz


def test_a_sync_checks_each_quiz_draws_its_variants_and_publishes_nothing(world, tmp_path):
    repository = good_and_broken_quizzes(tmp_path / "git")
    started = time.perf_counter()
    row = sync(world.course, repository)
    took = time.perf_counter() - started
    print(f"sync of 3 quiz bundles: {took:.2f} s")
    assert row.sync_error == ""
    versions = quiz_versions(row)
    assert {slug: v.status for slug, v in versions.items()} == {
        "activations-quiz": "ready",
        "broken-params": "failed",
        "no-such-option": "failed",
    }
    # Each problem names the bundle, the file and the reason.
    problems = {(p["bundle"], p["file"]): p["reason"] for p in row.sync_problems}
    assert set(problems) == {("broken-params", "params.py"), ("no-such-option", "quiz.toml")}
    assert "in the sandbox" in problems["broken-params", "params.py"]
    assert "SyntaxError" in problems["broken-params", "params.py"]
    assert "`answer` = one option id" in problems["no-such-option", "quiz.toml"]
    assert not Quiz.objects.filter(namespace=course_namespace(world.course)).exists()

    good = versions["activations-quiz"]
    assert good.preview["parameterized"] == [PARAMETERIZED] and good.preview["variants"] == {PARAMETERIZED: 64}
    kept = json.loads(variants_file(good.path).read_text())
    assert len(kept["variants"][PARAMETERIZED]) == 64 and not (Path(good.path) / VARIANTS_FILE).exists()
    assert not variants_file(versions["broken-params"].path).exists()
    # Unchanged on the next pull: nothing is checked again.
    again = content.repository_sync(repository_id=row.pk)
    assert again.versions.count() == 3


def test_course_staff_preview_a_quiz_in_both_languages_with_drawn_variants(world, tmp_path, client):
    row = sync(world.course, good_and_broken_quizzes(tmp_path / "git"))
    good = quiz_versions(row)["activations-quiz"]
    client.force_login(world.teacher)
    listing = client.get(reverse("courses:content", args=[world.course.pk])).content.decode()
    assert 'data-bundle="activations-quiz" data-kind="quiz" data-status="ready"' in listing
    assert "broken-params" in listing and "SyntaxError" in listing
    started = time.perf_counter()
    html = client.get(reverse("courses:content-version", args=[world.course.pk, good.pk])).content.decode()
    print(f"quiz version preview page: {1000 * (time.perf_counter() - started):.0f} ms")
    for language in ("en", "zh"):
        section = html.split(f'id="quiz-preview-{language}"', 1)[1].split("</section>", 1)[0]
        question = section.split(f'data-key="{PARAMETERIZED}"', 1)[1].split("</article>", 1)[0]
        assert question.count('class="quiz-preview-draw"') == 3
        assert question.count("<code>alpha = ") == 3 and question.count("Right answer:") == 3
        assert section.count('class="quiz-preview-draw"') == 4  # and the fixed question once
    assert "What does ReLU compute?" in html and "ReLU 计算的是什么？" in html
    # Each drawn variant's answer is the one its numbers give.
    bundle_table = json.loads(variants_file(good.path).read_text())["variants"][PARAMETERIZED]
    first = bundle_table[0]
    assert f"<code>x = {first['inputs']['x']:g}</code>" in html
    response = client.post(reverse("courses:content-publish", args=[world.course.pk, good.pk]))
    assert response.status_code == 302
    quiz = Quiz.objects.get(slug=f"c{world.course.pk}--activations-quiz")
    assert quiz.is_active and not quiz.is_public and quiz.namespace == course_namespace(world.course)
    assert ContentVersion.objects.get(pk=good.pk).quiz == quiz


def test_a_published_course_quiz_opens_to_its_course_and_grades_against_the_kept_variant(world, published, client):
    _row, quiz = published
    assert quiz_get_active(slug=quiz.slug, user=world.student) == quiz
    assert quiz_get_active(slug=quiz.slug, user=world.ta) == quiz
    assert quiz_get_active(slug=quiz.slug, user=world.other_student) is None
    detail = reverse("quizzes:quiz-detail", args=[quiz.slug])
    client.force_login(world.other_student)
    assert client.get(detail).status_code == 404
    assert client.post(reverse("quizzes:quiz-answer", args=[quiz.slug]), {"attempt": 1}).status_code == 404
    assert quiz.slug not in client.get(reverse("quizzes:quiz-list")).content.decode()

    client.force_login(world.student)
    assert quiz.slug in client.get(reverse("quizzes:quiz-list")).content.decode()
    started = time.perf_counter()
    page = client.get(detail)
    print(f"course quiz page: {1000 * (time.perf_counter() - started):.0f} ms")
    assert page.status_code == 200
    bundle = quiz_bundle(quiz=quiz)
    question = bundle.question(PARAMETERIZED)
    token, variant = variant_for(bundle=bundle, question=question, user_id=world.student.pk, attempt_number=1)
    assert variant.values["x"] in page.content.decode()  # the numbers shown are the kept variant's
    data = {
        "attempt": 1,
        f"a-{PARAMETERIZED}": repr(float(variant.answer)),
        f"v-{PARAMETERIZED}": token,
        "a-" + FIXED: "a",
    }
    response = client.post(reverse("quizzes:quiz-answer", args=[quiz.slug]), data)
    assert response.status_code == 302
    answers = {a.question.key: a for a in QuestionAnswer.objects.select_related("question")}
    assert answers[PARAMETERIZED].score == 1.0 and answers[PARAMETERIZED].values == variant.inputs
    attempt = QuizAttempt.objects.get(user=world.student, quiz=quiz)
    assert attempt.score == 1.0
    review = client.get(reverse("quizzes:attempt-detail", args=[attempt.pk])).content.decode()
    assert variant.values["answer"] in review


def test_a_wrong_answer_to_the_drawn_variant_is_wrong(world, published, client):
    _row, quiz = published
    bundle = quiz_bundle(quiz=quiz)
    token, variant = variant_for(
        bundle=bundle, question=bundle.question(PARAMETERIZED), user_id=world.student.pk, attempt_number=1
    )
    client.force_login(world.student)
    data = {
        "attempt": 1,
        "only": PARAMETERIZED,
        f"a-{PARAMETERIZED}": repr(float(variant.answer) + 1),
        f"v-{PARAMETERIZED}": token,
    }
    client.post(reverse("quizzes:quiz-answer", args=[quiz.slug]), data)
    assert QuestionAnswer.objects.get().score == 0.0


def test_the_course_s_quiz_is_offered_to_its_assignments_and_api_only(world, published):
    _row, quiz = published
    assert quiz in AssignmentForm(course=world.course).quizzes
    assert quiz not in AssignmentForm(course=world.other_course).quizzes
    api = APIClient()
    api.force_authenticate(world.student)
    assert quiz.slug in json.dumps(api.get("/api/v1/quizzes/?page_size=100").json())
    assert api.get(f"/api/v1/quizzes/{quiz.slug}/").status_code == 200
    api.force_authenticate(world.other_student)
    assert quiz.slug not in json.dumps(api.get("/api/v1/quizzes/?page_size=100").json())
    assert api.get(f"/api/v1/quizzes/{quiz.slug}/").status_code == 404


def test_a_removed_quiz_leaves_the_course_and_a_new_version_waits(world, tmp_path):
    repository = good_and_broken_quizzes(tmp_path / "git")
    row = sync(world.course, repository)
    quiz = content.version_publish(version=quiz_versions(row)["activations-quiz"], user=world.teacher)
    repository.edit("quizzes/activations-quiz/quiz.toml", "tolerance = { abs = 0.001 }", "tolerance = { abs = 0.01 }")
    repository.push("looser tolerance")
    row = content.repository_sync(repository_id=row.pk)
    statuses = [v.status for v in row.versions.filter(kind="quiz", slug="activations-quiz")]
    assert statuses == ["ready", "published"]  # newest first: students keep the published one
    shutil.rmtree(repository.work / "quizzes" / "activations-quiz")
    repository.push("quiz removed")
    content.repository_sync(repository_id=row.pk)
    quiz.refresh_from_db()
    assert not quiz.is_active
    assert quiz_get_active(slug=quiz.slug, user=world.student) is None


ESCAPE = """
def _globals_of_os():
    for cls in ().__class__.__base__.__subclasses__():
        if cls.__name__ == "_wrap_close":
            return cls.__init__.__globals__
    return {}


_os = _globals_of_os()
try:  # wherever this runs, say where: the process and what its environment holds
    with open(MARKER, "a") as _file:
        _file.write(f"{_os['getpid']()} {' '.join(sorted(_os['environ']))}\\n")
except Exception:
    pass
try:
    _os["environ"]["DLGRADE_PARAMS_RAN_HERE"] = "1"
except Exception:
    pass
"""


def test_a_course_s_params_py_never_runs_in_the_platform_s_process(world, tmp_path, client, monkeypatch):
    """A params.py that writes a file and reads and changes os.environ at import: it runs in the sandbox only."""
    monkeypatch.setenv("DATABASE_URL", "postgres://secret@db/dlgrade")
    monkeypatch.delenv("DLGRADE_PARAMS_RAN_HERE", raising=False)
    marker = tmp_path / "ran-here.txt"
    repository = CourseRepository(tmp_path / "git")
    folder = repository.quiz("nosy-quiz")
    params = folder / "params.py"
    params.write_text(f"MARKER = {str(marker)!r}\n" + ESCAPE + params.read_text())
    repository.push()
    row = sync(world.course, repository)
    version = quiz_versions(row)["nosy-quiz"]
    assert (version.status, version.problems) == ("ready", [])
    quiz = content.version_publish(version=version, user=world.teacher)
    client.force_login(world.student)
    assert client.get(reverse("quizzes:quiz-detail", args=[quiz.slug])).status_code == 200
    client.force_login(world.teacher)
    assert client.get(reverse("courses:content-version", args=[world.course.pk, version.pk])).status_code == 200

    import os

    assert "DLGRADE_PARAMS_RAN_HERE" not in os.environ
    assert not [name for name in sys.modules if "nosy" in name]
    lines = marker.read_text().splitlines() if marker.exists() else []
    assert all(not line.startswith(f"{os.getpid()} ") for line in lines)
    assert all("DATABASE_URL" not in line and "DJANGO_SETTINGS_MODULE" not in line for line in lines)


def test_oversized_variants_from_params_py_are_refused_with_a_reason(world, tmp_path):
    repository = CourseRepository(tmp_path / "git")
    folder = repository.quiz("huge-quiz")
    (folder / "params.py").write_text(
        "def draw_leaky(rng):\n"
        "    return {'alpha': float(rng.integers(1, 10)) / 10, 'x': -float(rng.integers(1, 50)) / 10,\n"
        "            'padding': [float(i) for i in range(1000)]}\n\n"
        "def leaky(alpha, x, padding):\n    return alpha * x\n"
    )
    repository.push()
    row = sync(world.course, repository)
    version = quiz_versions(row)["huge-quiz"]
    assert version.status == "failed"
    [problem] = version.problems
    assert (problem["bundle"], problem["file"]) == ("huge-quiz", "params.py")
    assert "refused" in problem["reason"] and "more than 256" in problem["reason"]


@pytest.mark.parametrize(
    ("variants", "reason"),
    [
        (None, "not a table of questions"),
        ("a string", "not a table of questions"),
        ({}, "missing: leaky-relu-value"),
        ({PARAMETERIZED: [{"inputs": {"alpha": 0.1, "x": -1.0}, "answer": float("nan"), "work": {}}] * 64}, "finite"),
        ({PARAMETERIZED: [{"inputs": {"alpha": 0.1, "x": -1.0}, "answer": -0.1, "work": {}}] * 65}, "between 1 and 64"),
        ({PARAMETERIZED: [{"inputs": {"alpha": 0.1, "x": -1.0}, "answer": -0.1, "work": {}}] * 64}, "only 1 different"),
    ],
)
def test_a_hostile_variant_table_from_the_child_is_refused_here(tmp_path, variants, reason):
    """Whatever the check's child prints is read again on the platform's side before anything is kept."""
    kept = scaffold("quiz", "activations-quiz", tmp_path / "versions" / "0123")
    problems, preview = content.quiz_version_keep(kept, variants)
    assert preview == {} and len(problems) == 1
    assert problems[0]["bundle"] == "activations-quiz" and reason in problems[0]["reason"]
    assert not variants_file(kept).exists()
