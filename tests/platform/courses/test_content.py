"""A course's own exercises from its git repository: pulled, checked, previewed, published, versioned, regraded.

A real bare git repository, real sandboxed checks: only the Celery hop is left out (the worker
test in tests/e2e/test_course_content.py takes it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from catalog.models import Exercise
from catalog.selectors import exercise_get_active, exercise_groups
from courses.content import services as content
from courses.content.selectors import course_namespace
from courses.models import ContentVersion
from courses.regrades import services as regrade_services
from courses.regrades.selectors import regrade_preview_of
from courses.tasks import regrade_submissions
from quizzes.selectors import exercises_of_topic
from submissions import services as submission_services
from submissions.tasks import grade_submission, run_trial
from tests.platform.courses.content_repo import CORRECT, OFF_BY_A_LITTLE, CourseRepository, good_and_broken
from tests.platform.courses.fixtures import make_assignment, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def content_root(settings, tmp_path):
    settings.CONTENT_ROOT = tmp_path / "content"


def sync(course, repository, branch="main"):
    saved = content.repository_save(course=course, git_url=repository.url, branch=branch)
    return content.repository_sync(repository_id=saved.pk)


def versions(repository_row):
    return {(v.slug, v.status) for v in repository_row.versions.all()}


def test_a_sync_checks_each_bundle_and_publishes_nothing_by_itself(world, tmp_path):
    row = sync(world.course, good_and_broken(tmp_path / "git"))
    assert row.sync_error == ""
    assert versions(row) == {("leaky-relu", "ready"), ("broken", "failed")}
    # The report names the bundle, the file and the reason.
    assert [(p["bundle"], p["file"]) for p in row.sync_problems] == [("broken", "reference.py")]
    assert "SyntaxError" in row.sync_problems[0]["reason"]
    assert not Exercise.objects.filter(namespace=course_namespace(world.course)).exists()

    good = row.versions.get(slug="leaky-relu")
    assert good.preview["reference"]["score"] == 1.0 and good.preview["starter"]["score"] < 1.0
    assert [(m["key"], m["detected"], m["score"] < 1) for m in good.preview["mistakes"]] == [
        ("plain_relu", True, True),
        ("absolute_value", True, True),
    ]
    assert [case["name"] for case in good.preview["visible_cases"]] == ["vector", "matrix_alpha"]
    assert good.preview["statement"]["zh"].count("Leaky ReLU") == 1


def test_a_published_exercise_is_the_course_s_own(world, tmp_path, zygote):
    row = sync(world.course, good_and_broken(tmp_path / "git"))
    with pytest.raises(ValidationError):
        content.version_publish(version=row.versions.get(slug="broken"), user=world.teacher)
    exercise = content.version_publish(version=row.versions.get(slug="leaky-relu"), user=world.teacher)
    assert exercise.slug == f"c{world.course.pk}--leaky-relu" and not exercise.is_public
    # Not in the public catalog; open to the course's members only.
    assert exercise.slug not in [e.slug for g in exercise_groups(language="en") for e in g.exercises]
    assert exercise not in exercises_of_topic(topic=exercise.topic)  # nor beside everyone's quizzes
    assert exercise_get_active(slug=exercise.slug, user=world.student) == exercise
    assert exercise_get_active(slug=exercise.slug, user=world.other_student) is None
    assert exercise_get_active(slug=exercise.slug, user=world.other_teacher) is None
    assignment = make_assignment(world.course, [exercise])
    assert submit(world.student, exercise, CORRECT, assignment, zygote=zygote).score == 1.0


def test_two_courses_each_have_their_own_leaky_relu(world, tmp_path):
    first = sync(world.course, good_and_broken(tmp_path / "one"))
    second = sync(world.other_course, good_and_broken(tmp_path / "two"))
    a = content.version_publish(version=first.versions.get(slug="leaky-relu"), user=world.teacher)
    b = content.version_publish(version=second.versions.get(slug="leaky-relu"), user=world.other_teacher)
    assert a.pk != b.pk and {a.bundle_slug, b.bundle_slug} == {"leaky-relu"}
    assert exercise_get_active(slug=b.slug, user=world.student) is None


def test_a_new_version_waits_for_publishing_and_a_regrade_shows_its_effect(
    world, tmp_path, zygote, django_capture_on_commit_callbacks
):
    repository = good_and_broken(tmp_path / "git")
    row = sync(world.course, repository)
    exercise = content.version_publish(version=row.versions.get(slug="leaky-relu"), user=world.teacher)
    assignment = make_assignment(world.course, [exercise])
    first_hash = exercise.content_hash
    submission = submit(world.student, exercise, OFF_BY_A_LITTLE, assignment, zygote=zygote)
    assert submission.score < 1.0 and submission.bundle_hash == first_hash

    repository.edit("exercises/leaky-relu/exercise.toml", "atol = 1e-9", "atol = 1e-3")
    repository.push("looser tolerance")
    row = content.repository_sync(repository_id=row.pk)
    assert [v.status for v in row.versions.filter(slug="leaky-relu")] == ["ready", "published"]  # newest first
    exercise.refresh_from_db()
    assert exercise.content_hash == first_hash  # students keep the published version until staff publish

    content.version_publish(version=row.versions.filter(slug="leaky-relu").first(), user=world.teacher)
    exercise.refresh_from_db()
    assert exercise.content_hash != first_hash
    assert [v.status for v in row.versions.filter(slug="leaky-relu")] == ["published", "superseded"]
    submission.refresh_from_db()
    assert submission.bundle_hash == first_hash  # graded against the version it was graded against

    with django_capture_on_commit_callbacks(execute=False):
        regrade = regrade_services.regrade_preview(course=world.course, exercise=exercise, requested_by=world.teacher)
    for result_id in regrade.results.values_list("pk", flat=True):
        regrade_submissions.apply(args=([result_id],))
    preview = regrade_preview_of(regrade=regrade)
    [change] = preview.changes
    assert (change.user.username, change.new_points) == ("student", 10.0) and change.old_points < 5


def test_a_broken_push_keeps_the_last_good_version_live(world, tmp_path, zygote):
    repository = good_and_broken(tmp_path / "git")
    row = sync(world.course, repository)
    exercise = content.version_publish(version=row.versions.get(slug="leaky-relu"), user=world.teacher)
    repository.edit("exercises/leaky-relu/cases.py", "rng.standard_normal((3, 4))", "np.random.standard_normal((3, 4))")
    repository.push("cases drawn from the global rng")
    row = content.repository_sync(repository_id=row.pk)
    newest = row.versions.filter(slug="leaky-relu").first()
    assert newest.status == ContentVersion.Status.FAILED
    assert ("leaky-relu", "cases.py") in [(p["bundle"], p["file"]) for p in row.sync_problems]
    exercise.refresh_from_db()
    assert exercise.is_active and exercise.bundle_path == str(
        row.versions.get(status=ContentVersion.Status.PUBLISHED).path
    )
    assignment = make_assignment(world.course, [exercise])
    assert submit(world.student, exercise, CORRECT, assignment, zygote=zygote).score == 1.0


def test_a_missing_branch_and_an_unreachable_repository_are_said_plainly(world, tmp_path):
    repository = CourseRepository(tmp_path / "git")
    repository.exercise("leaky-relu")
    repository.push()
    row = sync(world.course, repository, branch="spring-2027")
    assert row.sync_error == f"The repository {repository.url} has no branch “spring-2027”."
    row = content.repository_save(course=world.course, git_url=str(tmp_path / "nowhere.git"), branch="main")
    row = content.repository_sync(repository_id=row.pk)
    assert row.sync_error.startswith(f"The repository {tmp_path / 'nowhere.git'} cannot be read: ")
    assert not row.versions.exists()


def test_course_staff_preview_and_publish_in_the_browser_pages(world, tmp_path, client):
    repository = good_and_broken(tmp_path / "git")
    client.force_login(world.teacher)
    page = reverse("courses:content", args=[world.course.pk])
    response = client.post(page, {"git_url": repository.url, "branch": "main"})
    assert response.status_code == 302
    row = content.repository_sync(repository_id=world.course.content_repository.pk)
    html = client.get(page).content.decode()
    assert "broken" in html and "reference.py" in html and "SyntaxError" in html
    good = row.versions.get(slug="leaky-relu")
    html = client.get(reverse("courses:content-version", args=[world.course.pk, good.pk])).content.decode()
    assert 'id="statement-en"' in html and 'id="statement-zh"' in html and "逐元素" in html
    assert 'data-key="plain_relu"' in html and "matrix_alpha" in html and "a 3x4 matrix with alpha = 0.2" in html
    response = client.post(reverse("courses:content-publish", args=[world.course.pk, good.pk]))
    assert response.status_code == 302
    assert Exercise.objects.get(slug=f"c{world.course.pk}--leaky-relu").is_active
    # Students and other courses' instructors see none of it.
    client.force_login(world.student)
    assert client.get(page).status_code in (403, 404)
    client.force_login(world.other_teacher)
    assert client.get(reverse("courses:content-version", args=[world.course.pk, good.pk])).status_code in (403, 404)


def test_the_push_webhook_asks_for_a_pull(world, tmp_path, client, django_capture_on_commit_callbacks):
    row = content.repository_save(course=world.course, git_url="file:///nowhere", branch="main")
    url = reverse("courses:content-webhook")
    assert client.post(url + "?token=wrong").status_code == 404
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post(url + f"?token={row.webhook_token}").status_code == 202
    assert len(callbacks) == 1
    row.refresh_from_db()
    assert row.syncing


def test_a_course_s_code_is_checked_away_from_the_platform_s_credentials(world, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://secret@db/dlgrade")
    repository = CourseRepository(tmp_path / "git")
    folder = repository.exercise("leaky-relu")
    cases = folder / "cases.py"
    # The case generator refuses to run where it could read the platform's settings or credentials:
    # in the check's child process and in the sandbox (reaching os.environ past the import guard).
    cases.write_text(
        "def _environ():\n"
        "    for cls in ().__class__.__base__.__subclasses__():\n"
        "        if cls.__name__ == '_wrap_close':\n"
        "            return cls.__init__.__globals__['environ']\n"
        "    return {}\n"
        "assert not {'DATABASE_URL', 'DJANGO_SETTINGS_MODULE', 'DJANGO_SECRET_KEY'} & set(_environ())\n"
        + cases.read_text()
    )
    repository.push()
    row = sync(world.course, repository)
    assert [(v.slug, v.status, v.problems) for v in row.versions.all()] == [("leaky-relu", "ready", [])]


def test_a_course_reference_that_fails_in_grading_is_the_course_s_fault_never_the_student_s(
    world, tmp_path, settings, client
):
    """Published, then its reference breaks on disk: the student gets no score, staff get the reason."""
    row = sync(world.course, good_and_broken(tmp_path / "git"))
    exercise = content.version_publish(version=row.versions.get(slug="leaky-relu"), user=world.teacher)
    assert exercise.runs_in_sandbox
    reference = Path(exercise.bundle_path) / "reference.py"
    reference.write_text("def leaky_relu(x, alpha=0.1):\n    raise RuntimeError('the course broke')\n")
    settings.GRADING_MAX_PLATFORM_ATTEMPTS = 2
    submission = submission_services.submission_create(user=world.student, exercise=exercise, source=CORRECT)
    grade_submission.apply(args=(submission.pk,))
    submission.refresh_from_db()
    assert submission.status == "platform_error" and submission.score is None
    assert submission.platform_attempts == 2  # retried before it was reported
    assert "the course's exercise failed to run" in submission.platform_message
    assert "the course broke" in submission.platform_message  # staff read why
    client.force_login(world.student)
    panel = reverse("submissions:panel", args=[submission.pk])
    english = client.get(panel, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The course's exercise failed to run" in english and "not in your code" in english
    assert "the course broke" not in english  # the reason is for staff
    with translation.override("en"):  # the page switches this thread's language: put it back after
        chinese = client.get(panel, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "本课程提供的练习无法运行" in chinese


def test_a_run_that_meets_a_broken_course_reference_says_whose_fault_it_is(world, tmp_path, settings, client):
    """Run (the visible cases and the student's own) on the same broken course: not "our side", the course's."""
    row = sync(world.course, good_and_broken(tmp_path / "git"))
    exercise = content.version_publish(version=row.versions.get(slug="leaky-relu"), user=world.teacher)
    (Path(exercise.bundle_path) / "reference.py").write_text(
        "def leaky_relu(x, alpha=0.1):\n    raise RuntimeError('the course broke')\n"
    )
    settings.GRADING_MAX_PLATFORM_ATTEMPTS = 1
    trial = submission_services.trial_create(user=world.student, exercise=exercise, source=CORRECT)
    run_trial.apply(args=(trial.pk,))
    trial.refresh_from_db()
    assert trial.status == "platform_error" and trial.is_course_fault
    assert "the course broke" in trial.platform_message  # for staff
    client.force_login(world.student)
    panel = client.get(reverse("submissions:trial-panel", args=[trial.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The course's exercise failed to run" in panel and "not in your code" in panel
    assert "on our side" not in panel and "the course broke" not in panel
    with translation.override("en"):  # the page switches this thread's language: put it back after
        chinese = client.get(reverse("submissions:trial-panel", args=[trial.pk]), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "本课程提供的练习无法运行" in chinese.content.decode()
