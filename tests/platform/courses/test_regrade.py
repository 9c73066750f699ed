"""Regrade after a tolerance change: preview who goes up or down, apply atomically, roll back, resume."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import Membership, Regrade, RegradeResult, VerdictHistory
from courses.regrades import services as regrade_services
from courses.regrades.selectors import regrade_preview_of, regrade_progress
from courses.tasks import regrade_submissions
from submissions.models import Submission
from submissions.runtime import close_sandboxes
from tests.platform.courses.fixtures import CORRECT, FLOAT32, OFF_BY_A_LITTLE, make_assignment, set_tolerance, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def before_the_fix(world, relu_copy, zygote, django_user_model):
    """Three students of the course submitted under the old tolerances (rtol 1e-6, atol 1e-9)."""
    classmate = django_user_model.objects.create_user(username="classmate")
    Membership.objects.create(course=world.course, user=classmate)
    third = django_user_model.objects.create_user(username="third")
    Membership.objects.create(course=world.course, user=third)
    subs = {
        "off": submit(world.student, world.exercise, OFF_BY_A_LITTLE, world.assignment, zygote=zygote),
        "float32": submit(classmate, world.exercise, FLOAT32, world.assignment, zygote=zygote),
        "correct": submit(third, world.exercise, CORRECT, world.assignment, zygote=zygote),
    }
    other_assignment = make_assignment(world.other_course, [world.exercise])
    subs["other_course"] = submit(world.other_student, world.exercise, OFF_BY_A_LITTLE, other_assignment, zygote=zygote)
    assert subs["off"].score == 0.0 and subs["float32"].score == 1.0 and subs["correct"].score == 1.0
    return subs


def start(world, django_capture_on_commit_callbacks) -> Regrade:
    with django_capture_on_commit_callbacks() as callbacks:
        regrade = regrade_services.regrade_preview(
            course=world.course, exercise=world.exercise, requested_by=world.teacher
        )
    assert len(callbacks) == 1  # the fan-out is sent once the regrade is committed
    return regrade


def compute(regrade, *, only=None):
    """Run the regrade tasks in this process (the worker test runs them in a real worker)."""
    for result_id in list(regrade.results.order_by("id").values_list("pk", flat=True))[:only]:
        regrade_submissions.apply(args=([result_id],))


def scores():
    return dict(Submission.objects.values_list("pk", "score"))


def test_preview_shows_who_goes_up_or_down_then_apply_keeps_history_then_rollback(
    world, relu_copy, before_the_fix, django_capture_on_commit_callbacks
):
    set_tolerance(relu_copy, rtol=1e-12, atol=1e-2)
    regrade = start(world, django_capture_on_commit_callbacks)
    assert regrade.total == 3  # the other course's submission is not part of it
    before = scores()
    compute(regrade)

    progress = regrade_progress(regrade=regrade)
    assert (progress.done, progress.failed, progress.pending, progress.complete) == (3, 0, 0, True), progress.failures
    assert scores() == before  # a preview changes nothing students see
    preview = regrade_preview_of(regrade=regrade)
    assert [(c.user.username, c.old_points, c.new_points, c.delta) for c in preview.changes] == [
        ("classmate", 10.0, 9.0, -1.0),  # float32 now misses the large magnitudes
        ("student", 0.0, 10.0, 10.0),  # off by 1e-3 is now within atol
    ]
    assert (preview.unchanged, preview.submissions_up, preview.submissions_down) == (1, 1, 1)

    off = before_the_fix["off"].pk
    assert Submission.objects.get(pk=off).verdict_summary["failed"]  # failing before the new tolerance
    assert regrade_services.regrade_apply(regrade=regrade, applied_by=world.teacher) == 3
    assert Submission.objects.get(pk=off).verdict_summary == {"failed": [], "mistakes": []}  # what dashboards count
    after = scores()
    assert after[before_the_fix["off"].pk] == 1.0 and after[before_the_fix["float32"].pk] == 0.9
    assert after[before_the_fix["other_course"].pk] == 0.0
    history = {h.submission_id: h for h in VerdictHistory.objects.filter(regrade=regrade)}
    assert set(history) == {before_the_fix[k].pk for k in ("off", "float32", "correct")}
    old = history[before_the_fix["off"].pk]
    assert old.score == 0.0 and old.verdict == before_the_fix["off"].verdict and old.reason == "regrade"
    assert old.bundle_hash == before_the_fix["off"].bundle_hash != world.exercise.__class__.objects.get().content_hash

    assert regrade_services.regrade_rollback(regrade=regrade) == 3
    assert scores() == before
    assert Submission.objects.get(pk=off).verdict_summary["failed"]
    regrade.refresh_from_db()
    assert regrade.status == "rolled_back"
    assert VerdictHistory.objects.filter(regrade=regrade, reason="rollback").count() == 3


def test_a_preview_that_failed_half_way_applies_nothing_and_can_be_discarded(
    world, relu_copy, before_the_fix, django_capture_on_commit_callbacks
):
    set_tolerance(relu_copy, rtol=1e-12, atol=1e-2)
    regrade = start(world, django_capture_on_commit_callbacks)
    before = scores()
    compute(regrade, only=1)
    # The author edits the bundle again without syncing: the rest cannot be computed for this version.
    (relu_copy / "exercise.toml").write_text((relu_copy / "exercise.toml").read_text() + "\n# edited\n")
    compute(regrade)
    progress = regrade_progress(regrade=regrade)
    assert (progress.done, progress.failed) == (1, 2) and progress.stalled
    assert "not the version this regrade was started for" in progress.failures[0][1]
    with pytest.raises(ValidationError, match="2 of 3 submissions are not regraded yet"):
        regrade_services.regrade_apply(regrade=regrade, applied_by=world.teacher)
    assert scores() == before and not VerdictHistory.objects.exists()
    regrade_services.regrade_discard(regrade=regrade)
    with pytest.raises(ValidationError, match="is discarded: it cannot be applied"):
        regrade_services.regrade_apply(regrade=regrade, applied_by=world.teacher)
    assert scores() == before


def test_a_preview_stopped_by_platform_failures_is_resumed_then_applied(
    world, relu_copy, before_the_fix, settings, django_capture_on_commit_callbacks
):
    set_tolerance(relu_copy, rtol=1e-12, atol=1e-2)
    regrade = start(world, django_capture_on_commit_callbacks)
    settings.DLGRADE_SANDBOX = "no-such-isolation"  # every sandbox start fails: retried, then failed
    close_sandboxes()
    compute(regrade)
    assert regrade_progress(regrade=regrade).failed == 3
    assert RegradeResult.objects.filter(regrade=regrade, attempts=settings.GRADING_MAX_PLATFORM_ATTEMPTS).count() == 3

    settings.DLGRADE_SANDBOX = "auto"
    close_sandboxes()
    with django_capture_on_commit_callbacks() as callbacks:
        assert regrade_services.regrade_resume(regrade=regrade) == 3
    assert len(callbacks) == 1
    compute(regrade)
    assert regrade_progress(regrade=regrade).complete
    assert regrade_services.regrade_apply(regrade=regrade, applied_by=world.teacher) == 3
    assert Submission.objects.get(pk=before_the_fix["off"].pk).score == 1.0


def test_apply_switches_all_or_nothing(world, relu_copy, before_the_fix, django_capture_on_commit_callbacks):
    set_tolerance(relu_copy, rtol=1e-12, atol=1e-2)
    regrade = start(world, django_capture_on_commit_callbacks)
    compute(regrade)
    # One submission changed between the preview and the apply (e.g. an operator fixed it by hand).
    Submission.objects.filter(pk=before_the_fix["correct"].pk).update(score=0.5)
    before = scores()
    with pytest.raises(ValidationError, match=f"Submission #{before_the_fix['correct'].pk} changed since the preview"):
        regrade_services.regrade_apply(regrade=regrade, applied_by=world.teacher)
    assert scores() == before and not VerdictHistory.objects.exists()
    assert Regrade.objects.get(pk=regrade.pk).status == "preview"


def test_one_open_preview_per_exercise_and_rollbacks_in_order(
    world, relu_copy, before_the_fix, django_capture_on_commit_callbacks
):
    set_tolerance(relu_copy, rtol=1e-12, atol=1e-2)
    first = start(world, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match=f"Regrade #{first.pk} of this exercise is still a preview"):
        regrade_services.regrade_preview(course=world.course, exercise=world.exercise, requested_by=world.teacher)
    compute(first)
    regrade_services.regrade_apply(regrade=first, applied_by=world.teacher)
    set_tolerance(relu_copy, rtol=1e-6, atol=1e-9)
    world.exercise.refresh_from_db()
    second = start(world, django_capture_on_commit_callbacks)
    compute(second)
    regrade_services.regrade_apply(regrade=second, applied_by=world.teacher)
    with pytest.raises(ValidationError, match=f"Regrade #{second.pk} was applied after this one: roll it back first."):
        regrade_services.regrade_rollback(regrade=first)
    regrade_services.regrade_rollback(regrade=second)
    regrade_services.regrade_rollback(regrade=first)
    assert Submission.objects.get(pk=before_the_fix["off"].pk).score == 0.0


def test_the_regrade_pages_preview_apply_and_roll_back(
    client, world, relu_copy, before_the_fix, django_capture_on_commit_callbacks
):
    set_tolerance(relu_copy, rtol=1e-12, atol=1e-2)
    client.force_login(world.teacher)
    listing = client.get(reverse("courses:regrade-list", args=[world.course.pk])).content.decode()
    assert "Graded with an older version" in listing and '<span class="pill late">3</span>' in listing
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("courses:regrade-create", args=[world.course.pk]), {"exercise": world.exercise.pk}
        )
    regrade = Regrade.objects.get()
    assert response["Location"] == reverse("courses:regrade-detail", args=[world.course.pk, regrade.pk])
    progress_url = reverse("courses:regrade-progress", args=[world.course.pk, regrade.pk])
    waiting = client.get(progress_url).content.decode()
    assert "0 / 3" in waiting and 'hx-trigger="every 1s"' in waiting  # polls while workers compute

    compute(regrade)
    page = client.get(reverse("courses:regrade-detail", args=[world.course.pk, regrade.pk])).content.decode()
    assert "Preview ready" in page and "▲ 1 student score up" in page and "▼ 1 down" in page
    assert "hx-trigger" not in page.split('id="regrade-progress"')[1].split(">")[0]  # polling stopped
    assert "+10" in page and "-1" in page

    response = client.post(reverse("courses:regrade-apply", args=[world.course.pk, regrade.pk]), follow=True)
    assert "Applied: 3 submissions have their new verdict" in response.content.decode()
    student_page = client.get(
        reverse("courses:student-detail", args=[world.course.pk, world.student.pk])
    ).content.decode()
    assert "Earlier verdicts" in student_page and "Replaced by a regrade" in student_page
    response = client.post(reverse("courses:regrade-rollback", args=[world.course.pk, regrade.pk]), follow=True)
    assert "Rolled back: 3 submissions" in response.content.decode()
