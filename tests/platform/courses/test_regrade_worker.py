"""A regrade fans out over a real Celery worker process; the page shows progress until it can be applied."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse

from courses.models import Membership, Regrade
from submissions.models import Submission
from tests.platform.courses.fixtures import CORRECT, FLOAT32, OFF_BY_A_LITTLE, WRONG_ABS, set_tolerance, submit

SUBMISSIONS = 40


@pytest.mark.slow
def test_regrade_runs_on_the_worker_with_visible_progress(
    grading_worker, client, world, relu_copy, zygote, django_user_model
):
    sources = [OFF_BY_A_LITTLE, FLOAT32, CORRECT, WRONG_ABS]
    for index in range(SUBMISSIONS):
        user = django_user_model.objects.create_user(username=f"s{index:02d}")
        Membership.objects.create(course=world.course, user=user)
        submit(user, world.exercise, sources[index % len(sources)], world.assignment, zygote=zygote)
    set_tolerance(relu_copy, rtol=1e-12, atol=1e-2)
    client.force_login(world.teacher)

    started = time.monotonic()
    client.post(reverse("courses:regrade-create", args=[world.course.pk]), {"exercise": world.exercise.pk})
    regrade = Regrade.objects.get()
    progress_url = reverse("courses:regrade-progress", args=[world.course.pk, regrade.pk])
    seen = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        page = client.get(progress_url).content.decode()
        seen.append(int(re.search(r"<strong>(\d+) / \d+</strong>", page).group(1)))
        if "Preview ready" in page:
            break
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    assert "Preview ready" in page, grading_worker.log()
    print(f"\nregrade of {SUBMISSIONS} submissions: {elapsed:.2f} s on one worker process")
    assert seen[-1] == SUBMISSIONS and seen == sorted(seen)
    assert "▲ 10 student scores up" in page and "▼ 10 down" in page

    before = dict(Submission.objects.values_list("pk", "score"))
    assert set(before.values()) == {0.0, 0.3, 1.0}  # nothing applied yet
    client.post(reverse("courses:regrade-apply", args=[world.course.pk, regrade.pk]))
    after = Submission.objects.values_list("score", flat=True)
    assert sorted(set(after)) == [0.3, 0.9, 1.0]
    assert elapsed < 60
