"""The staff status page: workers and their sandboxes, queues, and submissions to re-send."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.models import Exercise
from operations import services
from submissions.models import Submission
from tests.conftest import sync_only, wait_until_final

RELU = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"


def _heartbeat(hostname: str, **overrides) -> None:
    now = timezone.now()
    fields = dict(
        hostname=hostname,
        pid=123,
        concurrency=2,
        queues=["grading", "batch"],
        layers=["bubblewrap: pid, net namespaces", "seccomp allowlist (x86_64)"],
        missing=["no dedicated uids"],
        selftest_passed_at=now,
        selftest_problems=[],
        started_at=now,
    )
    fields.update(overrides)
    services.worker_heartbeat_record(**fields)


@pytest.mark.django_db
def test_only_staff_see_the_status_page(client, student):
    client.force_login(student)
    response = client.get("/operations/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "/operations/" not in client.get("/exercises/").content.decode()


@pytest.mark.django_db
def test_status_page_shows_workers_queues_and_what_needs_staff(client, instructor, student, relu_exercise, settings):
    instructor.is_staff = True
    instructor.save()
    _heartbeat("celery@grader-1")
    _heartbeat("celery@grader-2", selftest_passed_at=None, selftest_problems=["a probe opened a TCP socket"])
    waiting = Submission.objects.create(user=student, exercise=relu_exercise, source=RELU)
    Submission.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(minutes=7))
    failed = Submission.objects.create(
        user=student,
        exercise=relu_exercise,
        source=RELU,
        status="platform_error",
        platform_message="SandboxUnavailable: x",
    )
    client.force_login(instructor)
    assert 'href="/operations/"' in client.get("/exercises/").content.decode()  # in the staff navigation
    page = client.get("/operations/").content.decode()
    assert "celery@grader-1" in page and "seccomp allowlist (x86_64)" in page and "no dedicated uids" in page
    assert "a probe opened a TCP socket" in page  # grader-2's self-test failed: shown, and not trusted
    assert 'id="queues"' in page and f"<code>{settings.CELERY_GRADING_QUEUE}</code>" in page
    assert f"Oldest queued submission: #{waiting.pk}, waiting for 7" in page
    assert f'value="{waiting.pk}"' in page and f'value="{failed.pk}"' in page and "SandboxUnavailable: x" in page


@pytest.mark.slow
def test_re_sending_a_platform_error_gets_it_graded(client, instructor, student, grading_worker, tmp_path):
    sync_only(tmp_path, "relu")
    instructor.is_staff = True
    instructor.save()
    failed = Submission.objects.create(
        user=student,
        exercise=Exercise.objects.get(slug="relu"),
        source=RELU,
        status="platform_error",
        platform_attempts=3,
        platform_message="SandboxUnavailable: the sandbox did not start",
        graded_at=timezone.now(),
    )
    client.force_login(instructor)
    response = client.post("/operations/resend/", {"submission": [str(failed.pk)]}, follow=True)
    assert "1 submission was sent to grading again." in response.content.decode()
    graded = wait_until_final(failed.pk)
    assert graded.status == "graded" and graded.score == 1.0
    assert "None." in client.get("/operations/").content.decode()


@pytest.mark.django_db
def test_worker_health_command_checks_this_hosts_heartbeat_and_self_test():
    with pytest.raises(CommandError, match="no fresh heartbeat"):
        call_command("worker_health", hostname="celery@box")
    _heartbeat("celery@box", selftest_passed_at=None, selftest_problems=["a probe read /etc/shadow"])
    with pytest.raises(CommandError, match="read /etc/shadow"):
        call_command("worker_health", hostname="celery@box")
    _heartbeat("celery@box")
    call_command("worker_health", hostname="celery@box")
