"""A course's deadlines are entered and shown in the course's time zone, not the server's UTC."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from courses.models import Assignment, Course
from tests.platform.courses.test_views import assignment_form

pytestmark = pytest.mark.django_db


def test_a_course_created_in_shanghai_time_takes_and_shows_deadlines_there(client, world):
    world.teacher.user_permissions.add(Permission.objects.get(codename="add_course"))
    client.force_login(world.teacher)
    client.post(reverse("courses:course-create"), {"title": "Spring", "time_zone": "Asia/Shanghai"})
    assert Course.objects.get(title="Spring").zone.key == "Asia/Shanghai"

    client.post(reverse("courses:course-time-zone", args=[world.course.pk]), {"time_zone": "Asia/Shanghai"})
    data = assignment_form(world, opens_at="2026-12-01T08:00", due_at="2030-12-10T18:00")
    client.post(reverse("courses:assignment-create", args=[world.course.pk]), data)
    assignment = Assignment.objects.get(title="Week 2: clipping")
    assert assignment.due_at == datetime(2030, 12, 10, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai is 10:00 UTC
    page = client.get(reverse("courses:assignment-detail", args=[world.course.pk, assignment.pk])).content.decode()
    assert "18:00" in page and "CST" in page


def test_a_time_zone_that_does_not_exist_is_refused_and_nothing_changes(client, world):
    client.force_login(world.teacher)
    response = client.post(reverse("courses:course-time-zone", args=[world.course.pk]), {"time_zone": "Mars/Olympus"})
    world.course.refresh_from_db()
    assert world.course.time_zone == ""
    assert "Choose a time zone from the list." in client.get(response["Location"]).content.decode()


def test_only_the_instructor_sets_the_course_time_zone(client, world):
    client.force_login(world.ta)
    response = client.post(reverse("courses:course-time-zone", args=[world.course.pk]), {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 403
    world.course.refresh_from_db()
    assert world.course.time_zone == ""
