"""A queued submission's place in the queue and its estimated wait, from recent grading times."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from submissions.models import Submission
from submissions.selectors import submission_queue_place

pytestmark = pytest.mark.django_db


def _make(user, exercise, **fields) -> Submission:
    return Submission.objects.create(user=user, exercise=exercise, source="x", **fields)


def test_place_counts_the_queued_ahead_and_wait_is_unknown_without_recent_gradings(
    student, other_student, relu_exercise
):
    _make(other_student, relu_exercise)
    _make(other_student, relu_exercise, status="graded")  # done: not ahead
    mine = _make(student, relu_exercise)
    _make(other_student, relu_exercise)  # behind
    place = submission_queue_place(submission=mine)
    assert place.position == 2 and place.wait_s is None


def test_wait_is_rounds_of_running_slots_times_the_mean_recent_grading(student, other_student, relu_exercise):
    now = timezone.now()
    for seconds in (2, 4):
        _make(other_student, relu_exercise, status="graded", started_at=now - timedelta(seconds=seconds), graded_at=now)
    _make(other_student, relu_exercise, status="running", started_at=now)
    _make(other_student, relu_exercise, status="running", started_at=now)
    for _ in range(2):
        _make(other_student, relu_exercise)
    mine = _make(student, relu_exercise)
    place = submission_queue_place(submission=mine)
    # number 3 with two gradings running at once: two rounds of the mean 3 s
    assert place.position == 3 and place.wait_s == pytest.approx(6.0)


def test_the_verdict_panel_says_the_place_in_the_students_language(client, student, relu_exercise):
    mine = _make(student, relu_exercise)
    client.force_login(student)
    url = reverse("submissions:panel", args=[mine.pk])
    assert "Number 1 in the queue" in client.get(url).content.decode()
    assert "队列中第 1 位" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
