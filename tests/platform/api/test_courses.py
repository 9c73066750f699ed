"""Courses through the API: members list theirs; a course's instructors and TAs read its gradebook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_create
from courses import assignments
from courses import services as course_services
from courses.models import Membership
from submissions.models import Submission
from submissions.services import submission_create


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")
    return client


@pytest.fixture
def course(relu_exercise, instructor, student, other_student, django_user_model):
    teacher = django_user_model.objects.create_user(username="teacher", password="x")
    course = course_services.course_create(title="Deep learning 101", created_by=teacher)
    Membership.objects.create(course=course, user=student)
    Membership.objects.create(course=course, user=instructor, role=Membership.Role.TA)
    now = timezone.now()
    assignment = assignments.assignment_create(
        course=course,
        title="Week 1",
        opens_at=now - timedelta(days=2),
        due_at=now + timedelta(days=2),
        items=[assignments.ItemSpec(points=10, exercise=relu_exercise)],
    )
    submission = submission_create(user=student, exercise=relu_exercise, source="x", assignment_id=assignment.pk)
    Submission.objects.filter(pk=submission.pk).update(status="graded", score=0.3, passed=3, total=10)
    return course


def test_the_course_staff_read_the_gradebook(course, instructor):
    api = client_for(instructor)  # a TA of the course (and platform staff)
    listing = api.get("/api/v1/courses/").json()
    assert listing["count"] == 1
    entry = listing["results"][0]
    assert (entry["title"], entry["role"]) == ("Deep learning 101", "ta")
    gradebook = api.get(entry["gradebook_url"]).json()
    assert gradebook["course"]["slug"] == course.slug and gradebook["max_total"] == 10.0
    assert gradebook["assignments"][0]["items"][0]["slug"] == "relu"
    assert gradebook["count"] == 1 and gradebook["next"] is None
    row = gradebook["results"][0]
    assert (row["username"], row["total"], row["percent"]) == ("student", 3.0, 30.0)
    assert row["assignments"][0]["items"][0]["attempts"] == 1


def test_students_get_403_and_outsiders_404(course, student, other_student):
    mine = client_for(student)
    assert mine.get("/api/v1/courses/").json()["results"][0]["gradebook_url"] is None
    response = mine.get(f"/api/v1/courses/{course.pk}/gradebook/")
    assert response.status_code == 403 and response.json()["status"] == 403
    outsider = client_for(other_student)
    assert outsider.get("/api/v1/courses/").json()["count"] == 0
    assert outsider.get(f"/api/v1/courses/{course.pk}/gradebook/").status_code == 404
